"""Search the way readers type: pinyin, traditional characters, full width, English; filters."""

from __future__ import annotations

import json
import os

import pytest

from conftest import ROOT, modules_loaded
from hdfacts.lookup.filters import Filters, Sort
from hdfacts.lookup.query import search
from hdfacts.output.why import suggest


def ids(cli, *args) -> list[str]:
    result = cli("search", *args, "--json")
    found = [r["id"] for r in json.loads(result.stdout)]
    assert result.exit_code == (0 if found else 1), result.stderr
    return found


@pytest.fixture(scope="module")
def ranked(base):
    return [f.id for f in base.facts if f.rank]


@pytest.mark.parametrize("term", ["paiming", "PaiMing", "pai ming", "PAIMING", "pm"])
def test_pinyin_finds_what_chinese_finds(cli, ranked, term):
    assert ids(cli, term) == ids(cli, "排名") == ranked


@pytest.mark.parametrize(
    ("term", "chinese"),
    [
        ("liangshi", "粮食"),
        ("zhaoshang", "招商"),
        ("minsheng", "民生"),
        ("jiaoyu", "教育"),
    ],
)
def test_more_pinyin(cli, term, chinese):
    assert ids(cli, term) == ids(cli, chinese) != []


@pytest.mark.parametrize("term", ["zuqiu", "shanghai", "paimingg", "pa iming", "qq"])
def test_pinyin_not_in_the_base_finds_nothing(cli, term):
    result = cli("search", term, "--json")
    assert result.exit_code == 1 and json.loads(result.stdout) == []


def test_pinyin_respects_syllables(cli, base):
    # "aimi" is inside "paiming" but does not spell whole syllables: nothing, where a
    # match on letters alone would find every ranking.
    from hdfacts.lookup.matching import pinyin_index
    from hdfacts.lookup.searcher import index_of

    full = pinyin_index(base, index_of(base)).full
    assert any("aimi" in text for text in full)  # the letters are there...
    result = cli("search", "aimi", "--json")
    assert result.exit_code == 1 and json.loads(result.stdout) == []  # ...the syllables are not
    assert ids(cli, "pai ming") == ids(cli, "排名") != []


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("衡東", "衡东"),
        ("排名", "排名"),
        ("經濟", "经济"),
        ("糧食", "粮食"),
        ("營商環境", "营商环境"),
    ],
)
def test_traditional_characters(cli, traditional, simplified):
    assert ids(cli, traditional) == ids(cli, simplified) != []


@pytest.mark.parametrize(
    ("wide", "narrow"), [("ＧＤＰ", "GDP"), ("２０２３", "2023"), ("ｇｄｐ", "gdp"), ("Gdp", "GDP")]
)
def test_width_and_case(cli, wide, narrow):
    assert ids(cli, wide) == ids(cli, narrow) != []


@pytest.mark.parametrize("term", ["ranking", "ranked", "rank", "Rankings", "RANKED"])
def test_english_ranking_words(cli, ranked, term):
    assert ids(cli, term) == ranked


@pytest.mark.parametrize(
    ("term", "fid"),
    [
        ("investment", "fixed-asset-investment"),
        ("investments", "key-projects-total-investment"),
        ("GDP", "gdp"),
        ("income", "urban-disposable-income"),
        ("grain", "grain-output"),
        ("foreign trade", "foreign-trade-growth"),
    ],
)
def test_english_labels(cli, term, fid):
    assert fid in ids(cli, term)


def test_english_term_not_in_the_base(cli):
    result = cli("search", "football", "--json")
    assert result.exit_code == 1
    assert result.stderr == "hdfacts: no facts match 'football': the report never mentions it\n"


def test_close_terms_are_suggested(cli):
    result = cli("search", "paimin", "--json")
    assert result.exit_code == 1
    assert result.stderr == (
        "hdfacts: no facts match 'paimin': the report never mentions it (did you mean paiming?)\n"
    )


@pytest.mark.parametrize(("typo", "word"), [("incme", "income"), ("agricultre", "agriculture")])
def test_one_slip_in_an_english_word_is_read_as_the_word(cli, typo, word):
    result = cli("search", typo, "--json", "--fields", "id,explain")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert records
    match = records[0]["explain"]["matches"][0]
    assert (match["part"], match["found"], match["via"]) == (typo, word, "spelling")


def test_an_english_word_gets_no_pinyin_suggestion(cli):
    result = cli("search", "wage", "--json")
    assert result.exit_code == 1
    # wa-ge reads as pinyin, but wangge (网格) is another word, not a slip of one letter
    assert result.stderr.startswith("hdfacts: no facts match 'wage'") and "wangge" not in result.stderr
    assert "(did you mean paiming?)" in cli("search", "paimin").stderr  # a slip still is


def test_topic_typo_is_suggested(cli):
    result = cli("search", "排名", "--topic", "agricultre")
    assert result.exit_code == 2
    assert "did you mean rural-revitalisation?" in result.stderr


def test_min_chinese_figure(cli):
    assert ids(cli, "--min", "100亿") == ["gdp", "key-projects-total-investment"]


def test_min_and_max(cli, base):
    got = ids(cli, "--min", "1000", "--max", "1万")
    expected = [f.id for f in base.facts if f.value is not None and 1000 <= f.value <= 10_000]
    assert got == expected == ["net-new-market-entities"]


def test_value_filter_skips_facts_without_value(cli, base):
    got = ids(cli, "--min", "0")
    assert got == [f.id for f in base.facts if f.value is not None]
    assert "fixed-asset-investment" not in got


def test_filters_with_terms(cli):
    assert ids(cli, "重点项目", "--min", "1亿") == [
        "key-projects-total-investment",
        "key-projects-completed-investment",
    ]


@pytest.mark.parametrize("value", ["abc", "1..2", "亿亿", "nan", ""])
def test_bad_value_exits_2(cli, value):
    result = cli("search", "--min", value)
    assert result.exit_code == 2
    assert result.stderr.startswith("hdfacts: --min: not a number or Chinese figure")
    assert result.stderr.count("\n") == 1


def test_top_one(cli, base):
    assert ids(cli, "--top", "1") == [f.id for f in base.facts if f.rank and f.rank.position == 1]


def test_top_and_scope(cli):
    assert ids(cli, "--top", "100", "--scope", "全省") == ["public-security-poll"]
    assert ids(cli, "--top", "2", "--scope", "province") == []
    assert len(ids(cli, "--scope", "全市")) == 8
    assert ids(cli, "--scope", "city") == ids(cli, "--scope", "全市")


@pytest.mark.parametrize("name", ["市里", "市内", "衡阳市", "市", "City", "ＣＩＴＹ", "municipal"])
def test_every_name_a_question_knows_is_a_scope(cli, base, name):
    city = [f.id for f in base.facts if f.rank and f.rank.scope == "全市"]
    assert city
    assert ids(cli, "--scope", name) == city


def test_scope_words_of_questions_and_of_scope_agree():
    from hdfacts.base.quantities import parse_scope
    from hdfacts.base.words import SCOPES
    from hdfacts.lookup.lexicon import lexicon

    for word, scope in lexicon().scopes.items():
        assert parse_scope(word, SCOPES) == scope


@pytest.mark.parametrize("bad", ["-3", "0", "x"])
def test_bad_top_exits_2(cli, bad):
    result = cli("search", "--top", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith("hdfacts: Invalid value for '--top'")
    assert result.stderr.count("\n") == 1


def test_sort_value(cli, base):
    got = ids(cli, "亿", "--sort", "value")
    values = [base.fact(i).value for i in got]
    assert values == sorted(values, reverse=True) and got[0] == "gdp"


def test_sort_rank(cli, base):
    got = ids(cli, "--scope", "全市", "--sort", "rank")
    positions = [base.fact(i).rank.position for i in got]
    assert positions == sorted(positions) and positions[-1] == 2


def test_sort_relevance_is_default(cli):
    assert ids(cli, "招商") == ids(cli, "招商", "--sort", "relevance")
    assert ids(cli, "招商") != ids(cli, "招商", "--sort", "source")


def test_filters_without_value_match_nothing(cli):
    result = cli("search", "--max", "-1")
    assert result.exit_code == 1
    assert result.stderr == "hdfacts: no facts pass the filters\n"


def test_library_filters(base):
    facts = search(base, [], filters=Filters(top=1, sort=Sort.value))
    assert facts and all(f.rank.position == 1 for f in facts)
    assert suggest(base, ["paimin"]) == "paiming"


@pytest.mark.slow
def test_common_path_imports_no_pinyin_or_opencc_or_mcp():
    # The MCP SDK and pydantic (about a second of imports) serve `hdfacts mcp` alone.
    heavy = ("pypinyin", "opencc", "rich", "rapidfuzz", "orjson", "mcp", "mcp_types", "pydantic")
    heavy += ("pydantic_core", "anyio", "starlette")
    assert modules_loaded(["search", "排名", "--json"], heavy) == []


@pytest.mark.slow
def test_pinyin_path_does_import_pypinyin():
    # the check above can fail: a pinyin search without a cached index does load pypinyin
    env = {**os.environ, "HDFACTS_NO_CACHE": "1"}  # a cached pinyin index would need no pypinyin
    assert "pypinyin" in modules_loaded(["search", "paiming", "--json"], ("pypinyin",), env)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["粮食", "--min", "100亿"], "4 facts match '粮食', none passes --min 100亿"),
        (["GDP", "--top", "1"], "1 fact matches 'GDP', none passes --top 1"),
        (
            ["粮食", "--min", "10万元", "--max", "1亿"],
            "4 facts match '粮食', none passes --min 10万元 --max 1亿",
        ),
    ],
)
def test_a_filter_that_removes_every_match_says_so(cli, argv, said):
    result = cli("search", *argv)
    assert result.exit_code == 1
    assert result.stderr == f"hdfacts: {said}\n"


def test_found_keeps_how_many_matched_before_the_filters(base):
    from hdfacts.lookup.query import find

    assert find(base, ["粮食"]).matched == len(find(base, ["粮食"]).facts) == 4
    assert find(base, ["粮食"], filters=Filters(min_value=1e10)).matched == 4


def test_each_base_has_its_own_searcher_while_it_lives(tmp_path):
    import gc

    import hdfacts
    from hdfacts.lookup import searcher

    small = hdfacts.load(ROOT / "tests" / "data" / "valid.toml", cache=False)
    shipped = hdfacts.load(ROOT / "facts.toml", cache=False)
    one, two = searcher.searcher_of(small), searcher.searcher_of(shipped)
    assert searcher.searcher_of(small) is one and one is not two
    assert (len(one.index), len(two.index)) == (len(small.facts), len(shipped.facts))
    kept = len(searcher._searchers)
    del small, one
    gc.collect()
    assert len(searcher._searchers) == kept - 1


def test_the_index_is_kept_in_the_cache_and_read_back(tmp_path, monkeypatch):
    import shutil

    import hdfacts
    from hdfacts.lookup import searcher
    from hdfacts.lookup.index import SearchIndex

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HDFACTS_NO_CACHE", raising=False)
    facts = tmp_path / "facts.toml"
    shutil.copy(ROOT / "facts.toml", facts)
    built = searcher.searcher_of(hdfacts.load(facts)).index

    def never(*_args):
        raise AssertionError("the index was built again")

    monkeypatch.setattr(SearchIndex, "build", never)
    again = searcher.searcher_of(hdfacts.load(facts)).index
    assert again.blob == built.blob and again is not built
