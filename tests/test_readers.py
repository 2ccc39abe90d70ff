"""Questions as readers bring them, not as the tool was tuned on: colloquial Chinese,
slips of the keyboard, English questions, several things at once, comparisons, and the
honest silences: what the report never says, and what it gives only in part."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT, SOURCE
from hdfacts.lookup.parts import spoken_numbers
from hdfacts.lookup.query import find
from hdfacts.lookup.vocab import CONTENT_POS, Words, english_to_base, words
from hdfacts.output.answer import answer
from hdfacts.output.why import why_nothing

sys.path.insert(0, str(ROOT / "benchmarks"))
from reader_sets import QUERIES, score

# What each set of reader questions must score (first answer right, sets complete, honest
# silence): the first set is the one the search was built on, the second was written by
# people who never saw the tool.
TARGETS = {"search-dev.json": (0.95, 1.0, 1.0), "search-dev2.json": (0.90, 0.80, 0.85)}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_reader_question_sets(base, name):
    path = QUERIES / name
    if not path.is_file():
        pytest.skip(f"reader questions not present at {path}")
    counts, misses = score(base, path)
    for kind, target in zip(("one", "set", "none"), TARGETS[name], strict=True):
        right, total = counts[kind]
        assert right >= target * total, (kind, right, total, misses)


def first(base, question: str) -> str | None:
    found = find(base, [question]).facts
    return found[0].id if found else None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # colloquial and dialect question forms carry nothing; the words that matter do
        ("城镇居民收入到手有好多", "urban-disposable-income"),
        ("粮食总产量搞了好多万吨咯", "grain-output"),
        ("外资引进来几多美元", "foreign-capital-attracted"),
        # a slip of the pinyin keyboard: the base's homophone
        ("粮食总产两是多少", "grain-output"),
        ("固定资产头资增速", "fixed-asset-investment"),
        # English: possessives, plurals, one slipped letter, the dictionary's Chinese for a word
        ("the county's grain outputs", "grain-output"),
        ("grain outptu", "grain-output"),
        ("problems collected from enterprises", "enterprise-problems-collected"),
        # numbers spelt out, as a transcript writes them
        ("二百五十五点九二亿", "gdp"),
        ("收入增长百分之六点一", "per-capita-disposable-income"),
        # a yes/no question is answered by the fact that settles it
        ("粮食总产量是不是超过四十万吨", "grain-output"),
    ],
)
def test_readers_words(base, question, expected):
    assert first(base, question) == expected


def test_a_slip_is_explained(cli):
    result = cli("search", "粮食总产两", "--json", "--fields", "id,explain")
    record = json.loads(result.stdout)[0]
    assert record["id"] == "grain-output"
    assert {"found": "粮食总产量", "via": "sounds like"}.items() <= record["explain"]["matches"][0].items()


def test_a_real_word_is_no_slip(base):
    # 领域 is a word: 域 was typed as meant, not as 育 of another fact's 教育改革
    query_words = [p.text for p in find(base, ["重点领域改革事项"]).query.parts]
    assert "域改革" not in query_words


@pytest.mark.parametrize(
    "question",
    [
        "猪肉产量",  # a noun of the reader's (猪肉) the report never uses: no near fact
        "衡东县常住人口是多少",
        "城镇登记失业率",
        "工业增加值",  # 增加值 is one word, not 增加 + 值
        "rural income",
        "CPI涨幅",
        "a(b",  # a lone letter is no word
    ],
)
def test_silence(base, question):
    assert find(base, [question]).facts == []


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("外贸进出口总额是多少", "the report gives only 外贸（2023年）：同比增长30.2%, not 总量"),
        ("2023年全年地区生产总值", "255.92亿元，增长5.7%, not 全年"),
        ("2021年粮食总产量", "the report gives only 粮食总产量（2023年）：41.1万吨, not 2021年"),
        ("粮食总产量比上年增长多少", "the report gives only 粮食总产量（2023年）：41.1万吨, not 增长"),
        ("GDP增速比全市高多少", "not 与全市比较"),
        (
            "total value of foreign trade in US dollars",
            "the report gives only Foreign trade (2023): +30.2% year on year, not the amount",
        ),
    ],
)
def test_a_facet_the_report_does_not_give_is_silence_that_says_what_it_gives(base, question, says):
    found = find(base, [question])
    assert found.facts == []
    assert says in why_nothing(base, [question], found)


def test_a_word_of_the_report_without_a_figure_is_not_called_unmentioned(base, cli):
    result = cli("search", "体制")
    assert result.exit_code == 1
    assert "the report mentions '体制' but states no figure for it: '" in result.stderr
    assert "管理体制机制" in result.stderr
    assert "never mentions" not in cli("search", "梯队").stderr
    assert "never mentions it" in cli("search", "房价").stderr


def test_the_shipped_report_is_the_source():
    shipped = ROOT / "hengdong-2023-report.txt"
    assert shipped.is_file()
    if SOURCE.is_file():
        assert shipped.read_bytes() == SOURCE.read_bytes()


def test_several_things_asked_at_once(base):
    ids = [f.id for f in find(base, ["粮食播种面积和总产量"]).facts]
    assert {"grain-sown-area", "grain-output"} <= set(ids[:4])
    ids = [f.id for f in find(base, ["重点项目的个数、总投资和完成投资"]).facts]
    assert {
        "key-projects-count",
        "key-projects-total-investment",
        "key-projects-completed-investment",
    } <= set(ids[:6])


def test_ask_lists_a_set(base):
    reply = answer(base, "哪些指标排名全市第二")
    assert [f.id for f in reply.facts] == [f.id for f in base.facts if f.rank and f.rank.text() == "全市第2"]


@pytest.mark.parametrize(
    ("question", "winner", "how"),
    [
        ("哪项指标增长最快", "foreign-trade-growth", "按增长率，从高到低"),
        ("which grew faster, GDP or foreign trade?", "foreign-trade-growth", "by growth rate, highest first"),
        ("重点项目总投资和完成投资哪个最多", "key-projects-total-investment", "按数值，从大到小"),
    ],
)
def test_ask_compares(base, question, winner, how):
    reply = answer(base, question)
    assert reply.facts[0].id == winner and reply.compared == how
    growth = [f.growth.value for f in reply.facts if how.startswith(("按增长", "by growth")) and f.growth]
    assert growth == sorted(growth, reverse=True)


def test_ask_prints_how_it_compared(cli):
    result = cli("ask", "哪项指标增长最快")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "按增长率，从高到低：" and lines[1].startswith("1. 外贸")


def test_spoken_numbers_keep_words_of_the_base():
    known = {"十大", "三高四新"}.__contains__
    assert spoken_numbers("二百五十五亿", known) == "255亿"
    assert spoken_numbers("百分之六点一", known) == "6.1%"
    assert spoken_numbers("一千万美元", known) == "1000万美元"
    assert spoken_numbers("十大改革", known) == "十大改革"  # one numeral character stays a word
    assert spoken_numbers("三高四新", known) == "三高四新"


def test_dictionary_buffer_lookups():
    entries = sorted(["人口\tn", "到手\td", "失业率\tn", "干净\ta", "增加值\tn"], key=str.encode)
    table = Words(("\n".join(entries) + "\n").encode())
    assert table.get("失业率") == "n" and table.get("到手") == "d" and table.get("增加值") == "n"
    assert table.get("失业") is None and table.get("人") is None and table.get("") is None
    with pytest.raises(ValueError):
        Words(b"no newline at the end")


def test_dictionaries_are_kept_with_the_base(tmp_path, monkeypatch):
    import shutil

    import hdfacts
    from hdfacts.lookup import vocab
    from hdfacts.lookup.searcher import index_of, searcher_of

    facts = tmp_path / "facts.toml"
    shutil.copy(ROOT / "facts.toml", facts)
    first = hdfacts.load(facts)
    assert words(first).pos("失业率") in CONTENT_POS
    assert words(first).pos("到手") not in CONTENT_POS
    assert "收集" in english_to_base(first, index_of(first))["collect"]

    def never(*_args):
        raise AssertionError("the dictionaries were read again")

    monkeypatch.setattr(vocab, "_jieba_lines", never)
    monkeypatch.setattr(vocab, "_translations", never)
    again = hdfacts.load(facts)  # from the cache: the dictionaries come with it
    assert again is not first and searcher_of(again) is not searcher_of(first)
    assert words(again).pos("失业率") == words(first).pos("失业率")
    assert (
        english_to_base(again, index_of(again))["collect"]
        == english_to_base(first, index_of(first))["collect"]
    )
