"""The shipped fact base against its source: every figure right, every quote verbatim."""

from __future__ import annotations

import re
import tomllib

import pytest

from conftest import ROOT
from hdfacts.base.audit import Problem, audit, flat, uncovered, unquoted, unstated
from hdfacts.base.quantities import rank_phrases

# Each figure and its normalised value, worked out by hand from the report.
# (id, figure as written, value, unit, qualifier)
FIGURES = [
    ("gdp", "255.92亿元", 25_592_000_000, "元", None),
    ("per-capita-disposable-income", "27868元", 27868, "元", None),
    ("urban-disposable-income", "33073元", 33073, "元", None),
    ("seven-key-industries", "七大", 7, None, None),
    ("huizhong-hefu-output-doubled", "翻番", 2, "倍", None),
    ("enterprise-problems-collected", "197个", 197, "个", None),
    ("enterprise-problems-solved", "180个", 180, "个", None),
    ("new-above-scale-industrial-enterprises", "7家", 7, "家", None),
    ("net-new-market-entities", "5015户", 5015, "户", None),
    ("key-projects-count", "27个", 27, "个", None),
    ("key-projects-total-investment", "250.7亿元", 25_070_000_000, "元", None),
    ("key-projects-completed-investment", "83.4亿元", 8_340_000_000, "元", None),
    ("signed-investment-projects", "27个", 27, "个", None),
    ("top-500-projects", "4个", 4, "个", None),
    ("foreign-capital-attracted", "1119万美元", 11_190_000, "美元", None),
    ("central-budget-projects", "11个", 11, "个", None),
    ("central-budget-funds", "1.49亿元", 149_000_000, "元", None),
    ("key-reform-items", "23项", 23, "项", None),
    ("ten-featured-reforms", "十大", 10, None, None),
    ("chemical-park-recognition", "一年内", 1, "年", "内"),
    ("entrepreneur-reception-sessions", "10次", 10, "次", None),
    ("enterprises-received", "42家", 42, "家", None),
    ("reception-problems-resolved", "86个", 86, "个", None),
    ("grain-sown-area", "88.5万亩", 885_000, "亩", None),
    ("grain-output", "41.1万吨", 411_000, "吨", None),
    ("lihua-village-output-over-100-million-yuan", "超亿元", 100_000_000, "元", "超"),
    ("livelihood-spending-share", "82.8%", 82.8, "%", None),
    ("provincial-livelihood-projects", "14件", 14, "件", None),
    ("municipal-livelihood-projects", "6项", 6, "项", None),
    ("livelihood-projects-completion", "100%", 100, "%", None),
    ("xu-teli-projects", "2个", 2, "个", None),
    ("urban-air-quality", "96.1%", 96.1, "%", None),
    ("assessed-water-sections", "5个", 5, "个", None),
    ("water-quality-class", "Ⅱ类", 2, "类", None),
    ("public-security-poll-best-decade", "近10年", 10, "年", "近"),
    ("tanbo-village-five-zeros", "十年", 10, "年", None),
    ("inspection-rounds", "两轮", 2, "轮", None),
    ("hengyou-daoli-views", "超1100万", 11_000_000, None, "超"),
    ("five-mechanisms", "五项", 5, "项", None),
    ("cadre-performance-files", "508份", 508, "份", None),
    ("weak-village-party-organisations", "3个", 3, "个", None),
    ("party-building-demo-points", "39个", 39, "个", None),
]

# (id, which, as written, signed value, unit)
CHANGES = [
    ("gdp", "growth", "增长5.7%", 5.7, "%"),
    ("per-capita-disposable-income", "growth", "增长6.1%", 6.1, "%"),
    ("urban-disposable-income", "growth", "增长4.9%", 4.9, "%"),
    ("fixed-asset-investment", "growth", "增长11.5%", 11.5, "%"),
    ("fixed-asset-investment", "change", "高于全市6.5个百分点", 6.5, "个百分点"),  # basis 全市
    ("foreign-trade-growth", "growth", "同比增长30.2%", 30.2, "%"),
    ("public-security-poll", "change", "提升25个名次", 25, "名次"),
]

# Every ranking of the report: (id, scope, position)
RANKS = [
    ("per-capita-disposable-income", "全市", 2),
    ("urban-disposable-income", "全市", 1),
    ("fixed-asset-investment", "全市", 2),
    ("centralization-drive-evaluation", "全市", 1),
    ("five-systems-one-platform", "全市", 1),
    ("investment-promotion-work", "全市", 1),
    ("central-budget-funds", "全市", 2),
    ("summer-offensive", "全市", 1),
    ("public-security-poll", "全省", 67),
]


@pytest.mark.parametrize(("fid", "text", "value", "unit", "qualifier"), FIGURES, ids=[f[0] for f in FIGURES])
def test_figure_is_normalised_right(base, fid, text, value, unit, qualifier):
    fact = base.fact(fid)
    assert (fact.text, fact.value, fact.unit, fact.qualifier) == (text, value, unit, qualifier)
    assert text in fact.quote


def test_every_figure_is_in_the_table(base):
    with_figures = {f.id for f in base.facts if f.text is not None}
    assert with_figures == {f[0] for f in FIGURES}


@pytest.mark.parametrize(
    ("fid", "which", "text", "value", "unit"), CHANGES, ids=[f"{c[0]}-{c[1]}" for c in CHANGES]
)
def test_changes(base, fid, which, text, value, unit):
    change = getattr(base.fact(fid), which)
    assert (change.text, change.value, change.unit) == (text, value, unit)
    assert text in base.fact(fid).quote


def test_every_change_is_in_the_table(base):
    found = {(f.id, w) for f in base.facts for w in ("growth", "change") if getattr(f, w)}
    assert found == {(c[0], c[1]) for c in CHANGES}


def test_ranks(base):
    found = [(f.id, f.rank.scope, f.rank.position) for f in base.facts if f.rank]
    assert found == RANKS


@pytest.mark.parametrize("fid", [r[0] for r in RANKS])
def test_rank_stands_in_quote(base, fid):
    fact = base.fact(fid)
    assert any(p in fact.quote for p in rank_phrases(fact.rank.scope, fact.rank.position))


def test_each_fact_states_its_own_figures(base):
    for fact in base.facts:
        for part in (
            fact.text,
            fact.period if fact.period and fact.period in fact.quote else None,
            fact.growth and fact.growth.text,
            fact.change and fact.change.text,
            fact.change and fact.change.basis,
        ):
            if part:
                assert part in fact.quote, (fact.id, part)


def test_quotes_stand_verbatim_in_the_report(base, source_text):
    assert unquoted(base.facts, source_text) == []


def test_figures_stand_in_their_quotes(base):
    assert unstated(base.facts) == []


def test_ranking_words_belong_to_ranked_facts(base):
    # `search 排名` must find the rankings, not the whole report.
    loose = [f.id for f in base.facts if "排名" in f.quote and f.rank is None]
    assert loose == []


def test_facts_are_in_report_order(base, source_text):
    report = flat(source_text)

    # Where a fact's figure first appears in the report (its quote otherwise).
    def where(fact):
        start = report.find(flat(fact.quote))
        anchor = fact.text or (fact.growth and fact.growth.text)
        if anchor and start >= 0:
            return start + flat(fact.quote).find(flat(anchor))
        return start

    # Photo captions close their topic's facts (see the test below), wherever they stand.
    facts = [f for f in base.facts if not is_caption(f)]
    positions = [where(f) for f in facts]
    assert all(p >= 0 for p in positions)
    out_of_order = [
        (a.id, b.id)
        for a, b, pa, pb in zip(facts, facts[1:], positions, positions[1:], strict=False)
        if pb < pa
    ]
    assert out_of_order == []


def is_caption(fact):
    return "图片说明" in fact.tags


def test_photo_captions_close_their_topic(base):
    # A caption is not its topic's first figure: `show` lists it after the topic's other facts.
    captions = [f for f in base.facts if is_caption(f)]
    assert len(captions) == 5
    for caption in captions:
        topic = [f for f in base.facts if f.topic == caption.topic]
        assert all(is_caption(f) for f in topic[topic.index(caption) :]), caption.id
        assert not is_caption(topic[0]), caption.topic


def uncovered_figures(facts, source: str) -> list[str]:
    return [p.detail for p in uncovered(facts, source)]


def test_every_arabic_figure_of_the_report_is_covered(base, source_text):
    assert uncovered_figures(base.facts, source_text) == []


@pytest.mark.parametrize(("dropped", "number"), [("gdp", "255.92"), ("signed-investment-projects", "27")])
def test_coverage_check_finds_a_dropped_fact(base, source_text, dropped, number):
    # 27 stands twice in the report: dropping one of its two facts must still be caught.
    facts = [f for f in base.facts if f.id != dropped]
    missing = uncovered_figures(facts, source_text)
    assert missing and missing[0].startswith(f"{number} in ")


def test_file_layout_is_plain(base):
    raw = (ROOT / "facts.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    assert set(data) == {"report", "topics", "facts"}
    assert set(data["report"]) == {"id", "title", "region", "year", "source", "sha256"}
    assert len(data["facts"]) == len(base.facts) > 55
    # one key = value per line: no multi-line strings or arrays
    assert '"""' not in raw and "'''" not in raw
    for line in raw.splitlines():
        if line.strip().endswith(("[", "{", ",")):
            pytest.fail(f"a value spans lines: {line}")


def test_economy_holds_the_economic_indicators_only(base):
    ids = [f.id for f in base.facts if f.topic == "economy"]
    assert ids == ["gdp", "per-capita-disposable-income", "urban-disposable-income", "fixed-asset-investment"]
    # the meeting, the slogans and the campaign assessment have a topic of their own
    others = [f.id for f in base.facts if f.topic == "plenary-and-strategy"]
    assert others == [
        "county-party-plenary-meeting",
        "centralization-drive-evaluation",
        "strong-county-economy-strategy",  # the photo caption states it first
        "three-highlands-four-new-missions-blueprint",
    ]


@pytest.mark.parametrize(
    ("fid", "words"),
    [
        ("seven-key-industries", "一金一药两材三特"),
        ("five-systems-one-platform", "五制一平台"),
        ("business-environment-brand", "投资衡东,诸事亨通"),
        ("luo-ronghuan-civilization-base", "湖南省新时代文明实践示范基地"),
        ("luo-ronghuan-integrity-base", "衡阳市廉洁文化示范基地"),
        ("lihua-village-output-over-100-million-yuan", "李花村"),
        ("tanbo-village-five-zeros", "五零"),
    ],
)
def test_named_initiatives_and_honours(base, fid, words):
    # The name stands in the fact's own label and in its source clause alike.
    fact = base.fact(fid)
    assert words in fact.quote
    assert words.replace(",", "") in fact.metric.replace(",", "").replace("“", "").replace("”", "")


# --- exact quotes, faithful English, kept qualifiers (issue: the corrected fact base)


def test_no_quote_is_pieced_together(base):
    assert [f.id for f in base.facts if "…" in f.quote or "..." in f.quote] == []


@pytest.mark.parametrize(
    "quote",
    [
        pytest.param("实施省、市重点项目…总投资250.7亿元", id="elided"),
        pytest.param("实施省、市重点项目...总投资250.7亿元", id="ascii-elided"),
        pytest.param("实施省、市重点项目27个;总投资250.7亿元", id="punctuation"),
        pytest.param("实施省市重点项目27个", id="altered"),
    ],
)
def test_audit_rejects_a_quote_that_is_not_one_piece_of_the_source(base, source_text, quote):
    fact = base.fact("key-projects-total-investment")._replace(quote=quote)
    assert unquoted([fact], source_text) == [Problem("quote", fact.id, f"not in the source: {quote}")]


def test_a_verbatim_quote_passes_whatever_its_white_space(base, source_text):
    fact = base.fact("gdp")._replace(quote="前三季度,全县共完成 地区生产总值(GDP)\n255.92亿元")
    assert unquoted([fact], source_text) == []


def test_the_shipped_base_passes_the_whole_audit(base, source_text):
    assert audit(base.facts, source_text) == []


@pytest.mark.parametrize(
    ("fid", "absent", "present"),
    [
        ("seven-key-industries", ["gold", "pharma", "medicine"], ["Seven key industries"]),
        ("centralization-drive-evaluation", ["regional centre", "Comprehensive"], ["Overall assessment"]),
        (
            "three-highs-four-news-blueprint",
            ["provincial", "Four News"],
            ["Three Highlands and Four New Missions"],
        ),
        ("strong-county-economy-strategy", ["regional centre", "centrality"], ["strong county economy"]),
        ("supervision-experience-media", ["national media"], ["mainstream media"]),
        ("three-sends-activity", ["Sends", "Solves", "enterprise-service"], ["campaign"]),
        ("market-entity-cultivation-action", ["upgrade)"], ["high-tech", "above designated size"]),
        ("poverty-gains-demo-park", [], ["consolidating and expanding"]),
        ("chemical-park-recognition", ["within a year"], ["in the province", "Hengdong Speed"]),
        ("public-security-poll-best-decade", ["nearly", "10 years"], ["Best public-security survey result"]),
        ("tanbo-village-five-zeros", ["ten years", "10 years"], ["years in a row"]),
        ("seven-key-industries", ["not spelt out"], ["Yi Jin Yi Yao Liang Cai San Te"]),
        ("water-quality-class", ["national"], ["class"]),
        ("supervision-experience-media", [], ["and other mainstream media", "among others"]),
        ("net-new-market-entities", [], ["target exceeded"]),
        ("monthly-lesson-activity", ["One month, one lesson"], ["Every Month"]),
        ("civilization-practice-centres", ["institute"], ["township posts"]),
        ("sanzhang-agri-industry-town", [], ["passed recognition"]),
        ("gdp", ["Gross domestic product"], ["Gross regional product"]),
    ],
)
def test_english_says_what_the_report_says(base, fid, absent, present):
    english = base.fact(fid).metric_en
    for word in absent:
        assert word.casefold() not in english.casefold(), (fid, word)
    for word in present:
        assert word in english, (fid, word)


def test_no_id_misnames_its_figure(base):
    for fact in base.facts:
        if fact.text and "亿" in fact.text:
            assert "billion" not in fact.id, fact.id  # 亿 is a hundred million
        if "500强" in fact.metric:
            assert "fortune" not in fact.id, fact.id  # the report says only 500强
        if fact.metric.startswith("引进"):
            assert "utilised" not in fact.id, fact.id  # 引进 is attracted


RENAMED = [
    ("lihua-village-billion-yuan", "lihua-village-output-over-100-million-yuan"),
    ("fortune-500-projects", "top-500-projects"),
    ("foreign-capital-utilised", "foreign-capital-attracted"),
    ("three-highs-four-news-blueprint", "three-highlands-four-new-missions-blueprint"),
]


@pytest.mark.parametrize(("old", "new"), RENAMED)
def test_renamed_facts_keep_their_old_id_as_an_alias(base, old, new):
    assert old not in base.fact_ids()
    assert base.fact(new).aliases == (old,)


def test_qualifiers_and_bases_are_kept(base):
    park = base.fact("chemical-park-recognition")
    assert (park.text, park.value, park.unit, park.qualifier) == ("一年内", 1, "年", "内")
    assert base.fact("fixed-asset-investment").change.basis == "全市"
    meeting = base.fact("county-party-plenary-meeting")
    assert meeting.period == "2024年1月10日" and meeting.topic != "economy"
    assert "2024" in meeting.note


@pytest.mark.parametrize("fid", ["per-capita-disposable-income", "urban-disposable-income"])
def test_an_ambiguous_ranking_says_so(base, fid):
    fact = base.fact(fid)
    assert fact.rank is not None and fact.growth is not None
    assert "growth" in fact.note and "does not say" in fact.note


def test_every_ranking_after_a_list_says_what_it_may_rank(base):
    # 排名全市第二 after several figures may rank any of them: the note says so.
    for fact in base.facts:
        before = fact.quote.replace(fact.period or "", "").split("排名")[0]
        if fact.rank and len(re.findall(r"\d+(?:\.\d+)?", before)) > 1:
            assert fact.note and "does not say" in fact.note, fact.id
    assert "11 projects" in base.fact("central-budget-funds").note


@pytest.mark.parametrize(
    ("fid", "words"),
    [
        ("xu-teli-projects", "inferred"),
        ("mv-xinglai-recommended", "中央禁毒办"),
        ("hengyou-daoli-views", "很有道理"),
        ("hengyou-daoli-views", "一招鲜"),
        ("seven-key-industries", "does not say"),
        ("inspection-rounds", "过去一年"),
    ],
)
def test_guesses_are_noted(base, fid, words):
    assert words in (base.fact(fid).note or ""), fid


def test_periods_are_anchored(base):
    # A period relative to the report (过去一年) is the report's year, said as such in a note.
    for fact in base.facts:
        assert not (fact.period or "").startswith(("过去", "去年")), fact.id
    assert base.fact("inspection-rounds").period == "2023年"


def test_quotes_state_their_subject(base):
    assert base.fact("enterprise-problems-solved").quote == "收集问题197个,已解决180个"
    doubled = base.fact("huizhong-hefu-output-doubled")
    assert doubled.quote.endswith("实现产量和产值翻番、规模和效益原地倍增")
    assert {"规模", "效益"} <= set(doubled.tags)


def test_english_labels_follow_one_convention(base):
    english = [t.name_en for t in base.topics] + [f.metric_en for f in base.facts]
    english += [f.note for f in base.facts if f.note]
    for text in english:
        # one spelling: -ise, as in organisation and revitalisation
        words = re.findall(r"(?i)\b\w*iz(?:ation|e|ed|es|ing)\b", text)
        assert [w for w in words if w.casefold() not in ("size", "sizes", "prize", "seize")] == [], text
    for fact in base.facts:
        if "民生" in fact.metric:
            assert "livelihood" in fact.metric_en.casefold(), fact.id
        if "中央预算内" in fact.metric:
            assert "Central-budget investment" in fact.metric_en, fact.id
    assert "Livelihood" in next(t.name_en for t in base.topics if t.slug == "livelihood")


def test_labels_leave_the_figure_to_carry_it(base):
    from hdfacts.output.english import figure_en

    for fact in base.facts:
        figure = figure_en(fact.to_dict())
        if figure and not figure.startswith("×"):
            assert figure.casefold() not in fact.metric_en.casefold(), (fact.id, figure)


@pytest.mark.parametrize(
    ("fid", "place"),
    [("hengdong-economic-development-zone", "衡东经济开发区"), ("huaqili-scenic-area", "花奇里景区")],
)
def test_photo_captions_name_their_places(base, source_text, fid, place):
    fact = base.fact(fid)
    assert fact.quote == fact.metric == place
    assert f"▲{place}。" in source_text
    assert "图片说明" in fact.tags and "photo caption" in fact.tags


def test_every_photo_caption_is_a_fact(base, source_text):
    captions = [line.lstrip("▲ ").rstrip("。") for line in source_text.splitlines() if line.startswith("▲")]
    quoted = [f.quote for f in base.facts]
    assert len(captions) == 7
    # The title photo's caption is a greeting (a vibrant new Hengdong): no place, no figure.
    for caption in [c for c in captions if c != "朝气蓬勃的新衡东"]:
        assert any(flat(q) in flat(caption) for q in quoted), caption


def test_the_doubling_is_a_figure_of_its_own(base):
    fact = base.fact("huizhong-hefu-output-doubled")
    assert (fact.text, fact.value, fact.unit) == ("翻番", 2, "倍")
    assert "汇中再生" in fact.quote and "和富铜业" in fact.quote and "产量和产值翻番" in fact.quote
