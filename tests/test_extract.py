"""`hdfacts extract`: drafting a fact base from a report's text.

The shipped report and the hand-made facts.toml are the gold: the draft must find the
hand base's figures, each at the same place of the report, with the same value, unit,
growth, ranking and period. Each construction of the genre is tried on sentences
written for these tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hdfacts.base.audit import audit, flat
from hdfacts.base.model import Fact
from hdfacts.base.quantities import rank_phrases
from hdfacts.base.schema import build, parse_toml
from hdfacts.errors import HdfactsError
from hdfacts.extract import draft
from hdfacts.extract.document import to_toml


def drafted(text: str, year: int | None = None) -> list[Fact]:
    """The facts of a report's draft, read back through the schema as `load` reads them."""
    toml = to_toml(draft(text, "report.txt", year))
    return list(build(parse_toml(Path("draft.toml"), toml), Path("draft.toml"), toml).facts)


def anchor(fact: Fact, report: str) -> tuple[str, int] | None:
    """A fact's own figure as written and where it stands in the report (white space aside):
    its figure, else its growth, else its ranking, else its change; None for a fact without."""
    start = flat(report).find(flat(fact.quote))
    if start < 0:
        return None
    quote = flat(fact.quote)
    candidates = [fact.text, fact.growth.text if fact.growth else None]
    if fact.rank:
        phrases = rank_phrases(fact.rank.scope, fact.rank.position)
        candidates.append(next((p for p in phrases if p in quote), None))
    candidates.append(fact.change.text if fact.change else None)
    figure = next((flat(c) for c in candidates if c), None)
    if figure is None or figure not in quote:
        return None
    return figure, start + quote.index(figure)


def _same(hand: Fact, mine: Fact) -> bool:
    def change(c):
        return (c.value, c.unit) if c else None

    return (
        (hand.value, hand.unit, hand.qualifier) == (mine.value, mine.unit, mine.qualifier)
        and change(hand.growth) == change(mine.growth)
        and hand.rank == mine.rank
        and hand.period == mine.period
    )


@pytest.fixture(scope="module")
def comparison(base, source_text):
    mine = {anchor(f, source_text): f for f in drafted(source_text)}
    hand = [f for f in base.facts if anchor(f, source_text)]
    found = [(h, mine[anchor(h, source_text)]) for h in hand if anchor(h, source_text) in mine]
    return hand, found


def test_the_draft_finds_the_hand_bases_figures(comparison):
    hand, found = comparison
    missing = sorted({h.id for h in hand} - {h.id for h, _ in found})
    assert len(hand) >= 45  # the gold is the whole hand base, not a sample of it
    assert len(found) / len(hand) >= 0.95, missing


def test_the_drafted_figures_agree_with_the_hand_base(comparison):
    _, found = comparison
    wrong = [(h.id, m.text, m.period, m.rank) for h, m in found if not _same(h, m)]
    assert (len(found) - len(wrong)) / len(found) >= 0.95, wrong


def test_the_draft_of_the_report_passes_the_audit(source_text):
    assert audit(drafted(source_text), source_text) == []


# ---------------------------------------------------------------- constructions of the genre
# Sentences written for these tests, in the manner of a county's annual report.


def one(text: str, figure: str, year: int | None = 2024) -> Fact:
    """The drafted fact whose figure (or growth, or ranking) is `figure`; the whole draft
    must pass the audit against `text`."""
    facts = drafted(text, year)
    assert audit(facts, text) == []
    found = [f for f in facts if figure in (f.text, f.growth and f.growth.text, f.rank and f.rank.text())]
    assert len(found) == 1, [(f.metric, f.text) for f in facts]
    return found[0]


def test_a_figure_with_its_growth_and_ranking():
    text = "前三季度,全县实现社会消费品零售总额86.4亿元,同比增长7.2%,排名全市第三。"
    f = one(text, "86.4亿元")
    assert (f.metric, f.value, f.unit, f.period) == ("社会消费品零售总额", 8_640_000_000, "元", "前三季度")
    assert (f.growth.text, f.growth.value, f.rank.text()) == ("同比增长7.2%", 7.2, "全市第3")
    assert f.quote == text.rstrip("。")
    assert "社会消费品零售总额 or its growth" in f.note  # which of the two the ranking ranks


def test_wan_yuan_amounts_are_yuan():
    f = one("2024年,发放各类惠农补贴资金3560万元。", "3560万元")
    assert (f.value, f.unit, f.metric, f.period) == (35_600_000, "元", "发放各类惠农补贴资金", "2024年")


def test_a_decrease_is_signed():
    f = one("单位地区生产总值能耗下降3.1%,规模以上工业增加值同比回落2.5%。", "下降3.1%")
    assert (f.metric, f.text, f.growth.value) == ("单位地区生产总值能耗", None, -3.1)
    assert one("工业增加值同比回落2.5%。", "同比回落2.5%").growth.value == -2.5


@pytest.mark.parametrize(
    ("sentence", "change", "value", "basis"),
    [
        ("失业率4.1%,低于全省平均水平0.6个百分点。", "低于全省平均水平0.6个百分点", -0.6, "全省平均水平"),
        ("城镇化率达到52.3%,比上年提高1.5个百分点。", "提高1.5个百分点", 1.5, "比上年"),
        ("固定资产投资增长9.2%,高于全市2.1个百分点。", "高于全市2.1个百分点", 2.1, "全市"),
    ],
)
def test_percentage_points_above_or_below(sentence, change, value, basis):
    f = next(f for f in drafted(sentence, 2024) if f.change)
    c = f.change
    assert (c.text, c.value, c.unit, c.basis) == (change, value, "个百分点", basis)
    assert audit(drafted(sentence, 2024), sentence) == []


def test_positions_and_top_n():
    text = "县域经济综合实力位居全省第12位,较上年前移3个位次;成功入选全国百强县。"
    facts = drafted(text, 2024)
    assert audit(facts, text) == []
    ranked = next(f for f in facts if f.rank)
    assert (ranked.metric, ranked.rank.text(), ranked.change.text, ranked.change.value) == (
        "县域经济综合实力",
        "全省第12",
        "前移3个位次",
        3,
    )
    assert ranked.change.basis == "较上年"
    top = next(f for f in facts if "百强" in f.quote and not f.rank)
    assert "ranked among the first 100 of 全国" in top.note


def test_targets_are_told_from_actuals():
    facts = drafted("全年计划完成投资50亿元,实际完成投资52.3亿元。", 2024)
    target, actual = (next(f for f in facts if f.text == t) for t in ("50亿元", "52.3亿元"))
    assert "a target" in (target.note or "") and "target" not in (actual.note or "")


def test_a_table_flattened_into_text():
    text = "指标 数值 增速\n地区生产总值 312.5亿元 增长 6.1%\n一般公共预算收入 15.2亿元 下降 2.0%\n"
    gdp, revenue = one(text, "312.5亿元"), one(text, "15.2亿元")
    assert (gdp.metric, gdp.growth.text, gdp.growth.value) == ("地区生产总值", "增长 6.1%", 6.1)
    assert (revenue.metric, revenue.growth.value) == ("一般公共预算收入", -2.0)


def test_full_width_and_half_width_punctuation_read_alike():
    half = drafted("2024年,粮食总产量45.6万吨,增长2.1%;新增市场主体1200户。", None)
    full = drafted("２０２４年，粮食总产量４５．６万吨，增长２．１％；新增市场主体１２００户。", None)
    assert [(f.metric, f.value, f.unit, f.growth and f.growth.value) for f in half] == [
        (f.metric, f.value, f.unit, f.growth and f.growth.value) for f in full
    ]
    assert [f.value for f in full] == [456_000, 1200]


def test_figures_written_with_spaces():
    f = one("全年地区生产总值 280.6 亿元,增长 6.3 %。", "280.6 亿元")
    assert (f.value, f.unit, f.growth.text, f.growth.value) == (28_060_000_000, "元", "增长 6.3 %", 6.3)


def test_a_subject_carries_over_to_its_aspects():
    text = "实施重点项目45个,总投资320亿元,完成投资118.6亿元。"
    metrics = [f.metric for f in drafted(text, 2024)]
    assert metrics == ["重点项目", "重点项目总投资", "重点项目完成投资"]
    assert one(text, "118.6亿元").quote == text.rstrip("。")


def test_numbers_that_are_no_figure_are_listed_not_drafted():
    text = "3月15日,县委召开第十五次党代会。全县锚定“两型三化”目标,完成植树造林1.2万亩。扫一扫"
    toml = to_toml(draft(text, "report.txt", 2024))
    facts = drafted(text, 2024)
    assert [f.text for f in facts if f.text] == ["1.2万亩"]
    block = toml[toml.index("# Numbers of the report that are not facts") :]
    for number, why in [
        ("3月15日", "a date"),
        ("十五次", "an ordinal"),
        ("两", "slogan"),
        ("三", "slogan"),
        ("扫一扫", "instruction"),
    ]:
        assert re.search(rf"^#   {number} .*{why}", block, re.M), number
    assert audit(facts, text) == []  # the dated meeting is a fact of its own, its date the period


def test_the_period_governs_its_sentence_and_captions_have_none():
    text = "1—6月,全县完成税收收入8.2亿元。\n▲全县新建农村公路120公里。\n2023年,新增岗位3200个。新建学校4所。"
    assert one(text, "8.2亿元").period == "1—6月"
    assert one(text, "120公里").period is None
    assert one(text, "4所", year=None).period == "2023年"  # the report's year: it names no other


def test_the_years_are_read_from_the_text():
    assert draft("2022年增长5%。2023年,全县新增企业12家。", "r.txt").year == 2023
    assert draft("较2025年,全县2024年新增企业12家。", "r.txt").year == 2024  # 较2025年 is a basis


# ---------------------------------------------------------------- the command

REPORT = "2024年,全县地区生产总值312.5亿元,增长6.1%,排名全市第二。新增规模以上工业企业9家。\n"


def test_extract_writes_the_draft_to_stdout(cli, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    result = cli("extract", str(report))
    assert result.exit_code == 0 and result.stderr == ""
    facts = list(build(parse_toml(report, result.stdout), report, result.stdout).facts)
    assert [(f.metric, f.text, f.period) for f in facts] == [
        ("地区生产总值", "312.5亿元", "2024年"),
        ("新增规模以上工业企业", "9家", "2024年"),
    ]
    assert result.stdout.rstrip().endswith("# Every number of the report is drafted above.")


def test_extract_to_a_file_refuses_to_overwrite_without_force(cli, tmp_path):
    report, out = tmp_path / "report.txt", tmp_path / "draft.toml"
    report.write_text(REPORT, encoding="utf-8")
    assert cli("extract", str(report), "-o", str(out)).exit_code == 0
    first = out.read_text(encoding="utf-8")
    out.write_text("mine", encoding="utf-8")
    refused = cli("extract", str(report), "-o", str(out))
    assert (refused.exit_code, refused.stderr) == (2, f"hdfacts: {out} exists: use --force to overwrite it\n")
    assert out.read_text(encoding="utf-8") == "mine"
    assert cli("extract", str(report), "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8") == first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left
    checked = cli("--facts", str(out), "verify", "--source", str(report))
    assert checked.exit_code == 0, checked.stdout


@pytest.mark.parametrize(
    ("content", "args", "code", "message"),
    [
        pytest.param(
            "全县新增企业12家。",
            (),
            2,
            "the report names no year (as 2023年): give it with --year",
            id="no-year",
        ),
        pytest.param("", ("--year", "2024"), 1, "no figure to draft", id="empty"),
        pytest.param("春山可望。", ("--year", "2024"), 1, "no figure to draft", id="no-figure"),
        pytest.param(b"\xff\xfe\x00", (), 2, "not valid UTF-8", id="not-utf8"),
    ],
)
def test_extract_refuses_what_it_cannot_draft(cli, tmp_path, content, args, code, message):
    report = tmp_path / "report.txt"
    report.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = cli("extract", str(report), *args)
    assert result.exit_code == code and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr


def test_extract_of_a_missing_report(cli, tmp_path):
    result = cli("extract", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2 and result.stderr.startswith("hdfacts: ") and "nope.txt" in result.stderr


def test_the_year_can_be_given(cli, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("全县新增企业12家。", encoding="utf-8")
    out = cli("extract", str(report), "--year", "2025").stdout
    assert 'period = "2025年"' in out and "year = 2025" in out


def test_a_number_before_a_full_stop_is_covered_by_a_fact_that_states_it():
    # `1.加快...` numbers an item: 1 followed by a full stop is the number 1, not a piece of 1.5.
    text = "1.加快工业发展,新增企业12家。"
    facts = drafted(text, 2024)
    assert audit(facts, text) == []
    assert any("1." in f.metric for f in facts)


def test_a_quote_found_twice_is_lengthened_to_its_own_place():
    text = "开展活动10次,接待企业42家。全年新建项目5个,接待企业42家。"
    facts = drafted(text, 2024)
    assert audit(facts, text) == []
    second = [f for f in facts if f.text == "42家"][1]
    assert second.quote == "全年新建项目5个,接待企业42家"


def test_numbers_parted_by_white_space_are_two_numbers():
    text = "2024年主要指标\n常住人口 35.2 万人\n城镇化率 52.6 %\n"
    facts = drafted(text, None)
    assert audit(facts, text) == []
    assert [(f.value, f.unit) for f in facts if f.text] == [(352_000, "人"), (52.6, "%")]


@given(
    st.text(
        alphabet="0123456789.%万亿元个项年月日第全市省排名增长下降同比高于较"
        ",，。;“”《》()【】▲ \n一二三十百超近约",
        max_size=80,
    )
)
def test_any_text_drafts_a_valid_base_or_says_why_not(text):
    try:
        toml = to_toml(draft(text, "report.txt", 2024))
    except HdfactsError as e:
        assert "no figure to draft" in str(e)
        return
    build(parse_toml(Path("draft.toml"), toml), Path("draft.toml"), toml)  # raises if invalid


def test_ids_and_english_labels():
    from hdfacts.extract.naming import english, slug, unique

    # English where the lexicon knows every word (外贸 -> foreign trade), else none.
    assert [english(m) for m in ("外贸", "地区生产总值(GDP)", "民生支出", "引进外资")] == [
        "Foreign trade",
        "GDP",
        "Livelihood spending",
        None,
    ]
    assert [slug(m) for m in ("外贸", "粮食播种面积", "引进外资")] == [
        "foreign-trade",
        "liang-shi-bo-zhong-mian-ji",
        "yin-jin-foreign-capital",
    ]
    assert unique(["gdp", "gdp", "gdp-2", "x"]) == ["gdp", "gdp-2", "gdp-2-2", "x"]


def test_the_same_text_drafts_the_same_file(source_text):
    first = to_toml(draft(source_text, "r.txt"))
    assert to_toml(draft(source_text, "r.txt")) == first


@pytest.mark.slow
def test_the_report_drafts_in_under_a_second(source_text):
    import time

    draft(source_text[:100], "warm-up.txt", 2023)  # the imports, once
    start = time.perf_counter()
    to_toml(draft(source_text, "r.txt"))
    assert time.perf_counter() - start < 1.0


def test_figures_given_respectively():
    text = "2024年,城乡居民人均可支配收入分别达到38562元、19873元,分别增长5.1%、7.3%。"
    facts = drafted(text, None)
    assert audit(facts, text) == []
    urban, rural, rural_growth = facts
    assert (urban.text, urban.growth.text, rural.text, rural.growth) == (
        "38562元",
        "增长5.1%",
        "19873元",
        None,
    )
    assert (rural_growth.text, rural_growth.metric) == ("7.3%", "城乡居民人均可支配收入")
    assert "is the 增长 of 19873元" in rural_growth.note and "分别" in urban.note


def test_a_ratio_a_basis_before_the_verb_and_a_ranking_of_the_growth():
    text = "2024年三次产业结构调整为13.2:41.1:45.7。全年固定资产投资比上年增长10.3%,增速居全市第3位。"
    facts = drafted(text, None)
    assert audit(facts, text) == []
    fai = next(f for f in facts if f.growth)
    assert (fai.metric, fai.growth.text, fai.growth.basis, fai.rank.text()) == (
        "固定资产投资",
        "增长10.3%",
        "比上年",
        "全市第3",
    )
    assert "ranks the 增速 (growth)" in fai.note
    assert [f.text for f in facts if f.text] == []  # neither 三次 nor a term of the ratio is a figure
    toml = to_toml(draft(text, "r.txt"))
    assert "#   13.2  " in toml and "a term of a ratio" in toml and "三次产业: the three sectors" in toml


def test_a_growth_and_its_ranking_go_to_the_amount_not_to_its_share():
    text = "上半年,全县一般公共预算收入完成12.3亿元,完成年度预算的52.6%,同比增长12.1%,增速排名全市第一。"
    facts = drafted(text, 2024)
    assert audit(facts, text) == []
    revenue, share = facts
    assert (revenue.text, revenue.growth.text, revenue.rank.text()) == (
        "12.3亿元",
        "同比增长12.1%",
        "全市第1",
    )
    assert (share.metric, share.text, share.growth, share.rank) == (
        "一般公共预算收入完成年度预算",
        "52.6%",
        None,
        None,
    )


def test_numbered_items_are_section_numbers():
    text = "1.产业发展。新签约项目36个。\n2.民生保障。城镇调查失业率控制在5.5%以内。\n"
    toml = to_toml(draft(text, "r.txt", 2024))
    assert "#   1  " in toml and "#   2  " in toml and toml.count("a section number") == 2
    facts = drafted(text, 2024)
    assert audit(facts, text) == []
    rate = next(f for f in facts if f.text == "5.5%以内")
    assert (rate.metric, rate.value, rate.qualifier) == ("城镇调查失业率", 5.5, "以内")


@pytest.mark.parametrize(
    ("text", "figure", "metric"),
    [
        ("全县共完成地区生产总值(GDP)255.92亿元,增长5.7%。", "255.92亿元", "地区生产总值(GDP)"),
        ("第一产业实现增加值77.84亿元,增长3.6%。", "77.84亿元", "第一产业增加值"),
        ("引进外资1119万美元,外贸同比增长30.2%。", "1119万美元", "引进外资"),
        ("实施省、市重点项目27个,总投资250.7亿元,完成投资83.4亿元。", "83.4亿元", "省、市重点项目完成投资"),
        ("收入27868元,增长6.1%,其中城镇居民人均可支配收入33073元。", "33073元", "城镇居民人均可支配收入"),
    ],
)
def test_the_metric_as_the_report_names_it(text, figure, metric):
    assert one(text, figure).metric == metric


def test_a_report_too_large_is_refused_before_it_is_read(cli, tmp_path):
    from hdfacts.extract import MAX_REPORT

    report = tmp_path / "huge.txt"
    report.write_bytes(b"x" * (MAX_REPORT + 1))
    result = cli("extract", str(report))
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        result.stderr
        == f"hdfacts: {report}: larger than 2 MiB, the most hdfacts reads ({MAX_REPORT + 1:,} bytes)\n"
    )


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("2023年1—11月,全县固定资产投资增长11.5%。", "2023年1—11月"),
        ("1-9月,规模以上工业增加值增长7.2%。", "1-9月"),
        ("截至11月底,全县新增市场主体5015户。", "截至11月底"),
        ("前11个月,外贸进出口总额12.6亿元。", "前11个月"),
        ("2024年上半年,全县完成税收收入8.2亿元。", "2024年上半年"),
        ("一季度,全县地区生产总值增长6.0%。", "一季度"),
    ],
)
def test_periods_as_written(sentence, period):
    facts = drafted(sentence, 2024)
    assert audit(facts, sentence) == []
    assert [f.period for f in facts] == [period]


def test_figures_of_more_than_and_multiples():
    text = "全年培训农民1000余人,带动3万多户增收,村集体收入增长一倍。"
    facts = drafted(text, 2024)
    assert audit(facts, text) == []
    assert [(f.text, f.value, f.qualifier) for f in facts if f.text] == [
        ("1000余人", 1000, "余"),
        ("3万多户", 30_000, "多"),
    ]
    doubled = next(f for f in facts if f.change)
    assert (doubled.change.text, doubled.change.value, doubled.change.unit) == ("增长一倍", 1, "倍")


# ---------------------------------------------------------------- the [report] table

QINGHE = Path(__file__).resolve().parent / "data" / "reports"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("qinghe-2023-report.txt", "qinghe-2023"),
        ("QINGHE 2022 Reports.TXT", "qinghe-2022"),
        ("hengdong_2023.txt", "hengdong-2023"),
        ("Report.txt", "report"),
        ("衡东2023报告.txt", "heng-dong-2023"),
    ],
)
def test_the_report_id_comes_from_the_file_name(name, expected):
    from hdfacts.extract import report_id

    assert report_id(name) == expected


def test_extract_names_the_report_and_the_draft_verifies_against_it(cli, tmp_path):
    import hashlib

    report = tmp_path / "qinghe-2023-report.txt"
    report.write_bytes((QINGHE / "qinghe-2023-report.txt").read_bytes())
    out = tmp_path / "qinghe-2023.toml"
    assert cli("extract", str(report), "-o", str(out)).exit_code == 0
    base = build(parse_toml(out, out.read_text(encoding="utf-8")), out, "")
    assert base.meta._asdict() == {
        "id": "qinghe-2023",
        "title": "青禾县2023年报告",  # the report opens with a photo caption and no title
        "region": "青禾县",  # the report names no province or city of its own
        "year": 2023,
        "source": "qinghe-2023-report.txt",
        "sha256": hashlib.sha256(report.read_bytes()).hexdigest(),
        "period": None,  # a draft does not say which span of its year a report covers
    }
    assert "[meta]" not in out.read_text(encoding="utf-8")
    assert all(f.report == "qinghe-2023" for f in base.facts)
    assert cli("--facts", str(out), "validate").exit_code == 0
    own = cli("--facts", str(out), "verify")  # against its own report, found beside it
    assert own.exit_code == 0 and own.stdout.startswith(f"{out}: ok, {len(base.facts)} facts agree with")
    given = cli("--facts", str(out), "verify", "--source", str(report))
    assert given.exit_code == 0, given.stdout


def test_extract_takes_the_id_it_is_given(cli, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    result = cli("extract", str(report), "--id", "county-2024")
    assert result.exit_code == 0 and '\nid = "county-2024"\n' in result.stdout
    bad = cli("extract", str(report), "--id", "County 2024")
    assert (bad.exit_code, bad.stdout) == (2, "")
    assert bad.stderr.startswith(
        "hdfacts: --id 'County 2024': an id is lower-case letters, digits and hyphens"
    )


@pytest.mark.parametrize(
    ("text", "title"),
    [
        pytest.param(
            "▲县城新貌。\n某某县2024年经济运行情况\n2024年,全县新增企业12家。",
            "某某县2024年经济运行情况",
            id="caption-first",
        ),
        pytest.param(
            "▲县城新貌。\n春山可望。\n2024年,某某县新增企业12家。", "某某县2024年报告", id="no-title"
        ),
        pytest.param(
            "2024年,某某县新增企业12家。\nA.工业强县\n新建学校4所。", "某某县2024年报告", id="heading-later"
        ),
    ],
)
def test_the_title_is_a_line_of_its_own_before_the_first_sentence(text, title):
    assert draft(text, "r.txt").title == title


@pytest.mark.parametrize(
    ("text", "region"),
    [
        pytest.param("2024年,某某县新增企业12家,获评甲乙省示范县,排名全市第一。", "某某县", id="county-only"),
        pytest.param(
            "2024年,某某县新增市场主体120户,获评湖南省示范县、“丙丁市文明单位”,排名全省第三。",
            "湖南省丙丁市某某县",
            id="province-and-city",
        ),
        pytest.param(
            "2024年,某某县实施省、市重点项目12个,入选全国文明城市提名城市,新增市场主体9户。",
            "某某县",
            id="no-city-in-words-with-市",
        ),
    ],
)
def test_the_region_is_as_full_as_the_report_gives_it(text, region):
    assert draft(text, "r.txt").region == region


def test_an_initialism_of_the_lexicon_is_written_in_capitals():
    from hdfacts.extract.naming import english

    assert english("地区生产总值") == "GDP"
    assert english("外贸") == "Foreign trade"
