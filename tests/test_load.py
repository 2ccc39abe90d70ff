"""The loader: a valid file loads; each broken one fails with one exact, useful message."""

from __future__ import annotations

import pytest

from conftest import DATA, ROOT, fact_file
from hdfacts import FactBaseError, load
from hdfacts.base.loader import default_path
from hdfacts.base.model import Report

BROKEN = DATA / "broken"

# file -> the message after "<path>" (":line[:column]: what")
CASES = {
    "syntax-unclosed-string": ":16:17: TOML syntax error: Illegal character '\\n'",
    "syntax-missing-equals": ":19:8: TOML syntax error: Expected '=' after a key in a key/value pair",
    "syntax-duplicate-key": ":20:17: TOML syntax error: Cannot overwrite a value",
    "syntax-bad-inline-table": ":21:1: TOML syntax error: Unclosed inline table",
    "empty": ": the file is empty: a fact base needs [report], [[topics]] and [[facts]]",
    "whitespace-only": ": the file is empty: a fact base needs [report], [[topics]] and [[facts]]",
    "invalid-utf8": ":19:11: not valid UTF-8 (byte 0xff)",
    "gbk-encoded": ":2:10: not valid UTF-8 (byte 0xb2)",
    "meta-year-string": ":4: [meta]: field 'year' must be a year such as 2023, not '2023'",
    "report-id-bad": ":2: [report]: id 'Hengdong 2023' must be lower-case letters, digits and hyphens, "
    "like hengdong-2023",
    "report-and-meta": ":4: has both [report] and [meta]: [meta] is the older name of [report], keep one",
    "report-sha256-bad": ":2: [report]: field 'sha256' must be 64 lower-case hex digits",
    "no-topics": ": has no [[topics]] tables",
    "no-facts": ": has no [[facts]] tables",
    "facts-not-tables": ":1: 'facts' must be an array of [[facts]] tables; it holds an integer",
    "array-of-facts-as-table": ": 'facts' must be an array of [[facts]] tables, not a table",
    "missing-id": ":13: fact #1: missing required field 'id'",
    "missing-quote": ":13: fact 'gdp': missing required field 'quote'",
    "empty-metric": ":16: fact 'gdp': field 'metric' is empty",
    "metric-number": ":16: fact 'gdp': field 'metric' must be a string, not an integer",
    "tags-not-list": ":22: fact 'gdp': field 'tags' must be a list of strings",
    "tags-mixed": ":22: fact 'gdp': field 'tags' must be a list of strings",
    "id-not-kebab": ":14: fact 'GDP Total': id must be lowercase kebab-case (like 'gdp')",
    "duplicate-id": ":25: duplicate fact id 'gdp' (first defined at line 14)",
    "unknown-topic": ":15: fact 'gdp': unknown topic 'econmy' (did you mean 'economy'?)",
    "figure-unparseable": ":18: fact 'gdp': field 'text': cannot read the figure '约255亿元左右'",
    "growth-without-verb": (
        ":20: fact 'gdp': field 'growth.text': cannot read the change '5.7%': it must start with one of "
        "同比增长, 增长, 提升, 提高, 高于全市, 高于全省, 高于, 前移, 上升, "
        "同比提高, 同比提升, 同比增加, 增加, 增幅, 同比下降, 同比减少, 同比回落, "
        "下降, 减少, 回落, 降低, 后移, 低于全市, 低于全省, 低于"
    ),
    "growth-not-table": ":20: fact 'gdp': field 'growth' must be an inline table, not a string",
    "rank-zero": ":21: fact 'gdp': field 'rank': position 0 is not a ranking (1 to 100,000)",
    "rank-negative": ":21: fact 'gdp': field 'rank': position -3 is not a ranking (1 to 100,000)",
    "rank-huge": ":21: fact 'gdp': field 'rank': position 1000000000 is not a ranking (1 to 100,000)",
    "rank-float": ":21: fact 'gdp': field 'rank': position must be an integer, not a float",
    "rank-no-position": ":21: fact 'gdp': field 'rank': missing required field 'position'",
    "rank-bad-scope": ":21: fact 'gdp': field 'rank': scope '第2' is not a place like 全市 or 全省",
    "unknown-fact-key": ":19: fact 'gdp': unknown key 'peroid' (did you mean 'period'?)",
    "unknown-top-key": ":25: top level: unknown key 'extra' (did you mean 'meta'?)",
    "unknown-rank-key": ":21: fact 'gdp': field 'rank': unknown key 'of' (allowed: scope, position)",
    "topic-bad-slug": ":8: topic 'Economy!': slug must be lowercase kebab-case (like 'economy')",
    "topic-alias-clash": ":13: topic 'industry': the name '经济' is already used by topic 'economy'",
    "alias-is-an-id": ":28: fact 'gdp-total': alias 'GDP' is already the id of fact 'gdp'",
    "alias-clash-folded": ":28: fact 'gdp-total': alias 'ＯＬＤ-GDP' is already an alias of fact 'gdp'",
    "alias-empty": ":15: fact 'gdp': field 'aliases' holds an empty string",
    "alias-not-list": ":15: fact 'gdp': field 'aliases' must be a list of strings",
    "note-empty": ":23: fact 'gdp': field 'note' is empty (leave it out instead)",
}


def test_corpus_is_complete():
    on_disk = {p.stem for p in BROKEN.glob("*.toml")}
    assert on_disk - {"bom"} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file(name):
    path = BROKEN / f"{name}.toml"
    with pytest.raises(FactBaseError) as err:
        load(path)
    assert str(err.value) == f"{path}{CASES[name]}"
    assert "\n" not in str(err.value)


def test_valid_file_loads():
    base = load(DATA / "valid.toml")
    (fact,) = base.facts
    assert (fact.id, fact.value, fact.unit, fact.rank.position) == ("gdp", 25_592_000_000, "元", 2)
    assert fact.growth.value == 5.7


def test_utf8_bom_is_accepted():
    bom, valid = load(BROKEN / "bom.toml"), load(DATA / "valid.toml")
    # a base without a report id is the report its file name names
    assert (bom.meta.id, valid.meta.id) == ("bom", "valid")
    assert list(bom.facts) == [f._replace(report="bom") for f in valid.facts]


def test_a_base_without_a_report_table_is_named_by_its_file(tmp_path):
    base = load(DATA / "no-report.toml")
    assert base.meta == Report(id="no-report")
    assert {f.report for f in base.facts} == {"no-report"}
    odd = tmp_path / "Facts 2023 (draft).toml"
    odd.write_bytes((DATA / "no-report.toml").read_bytes())
    assert load(odd).meta.id == "facts-2023-draft"


def test_missing_path():
    missing = DATA / "nope.toml"
    with pytest.raises(FactBaseError, match=r"nope\.toml: no such file$"):
        load(missing)


def test_directory_as_path():
    with pytest.raises(FactBaseError, match=r": is a directory, not a fact file$"):
        load(DATA)


def test_million_character_string_loads(tmp_path):
    big = "长" * 1_000_000
    path = fact_file(tmp_path, 'metric = "地区生产总值"', f'metric = "{big}"', name="big.toml")
    assert load(path).facts[0].metric == big


def test_thousands_of_facts_load(tmp_path):
    valid = (DATA / "valid.toml").read_text(encoding="utf-8")
    head, fact = valid.split("[[facts]]")
    body = "".join("[[facts]]" + fact.replace('id = "gdp"', f'id = "gdp-{i}"') for i in range(5000))
    path = tmp_path / "many.toml"
    path.write_text(head + body, encoding="utf-8")
    base = load(path)
    assert len(base.facts) == 5000 and base.facts[-1].id == "gdp-4999"


def test_load_does_not_modify_the_file(tmp_path):
    path = tmp_path / "f.toml"
    path.write_bytes((BROKEN / "bom.toml").read_bytes())
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    load(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_default_path_is_the_repository_file_in_a_source_tree():
    # An editable install runs from the source tree; a wheel carries its own copy.
    path = default_path()
    assert path.name == "facts.toml"
    assert path.read_bytes() == (ROOT / "facts.toml").read_bytes()


def test_aliases_and_note_load(tmp_path):
    renamed = 'id = "gdp"\naliases = ["old-gdp", "gross-product"]\nnote = "前三季度 only"'
    path = fact_file(tmp_path, 'id = "gdp"', renamed, name="renamed.toml")
    base = load(path)
    fact = base.facts[0]
    assert (fact.aliases, fact.note) == (("old-gdp", "gross-product"), "前三季度 only")
    assert base.fact("old-gdp") is fact and base.fact("GROSS-PRODUCT") is fact
    assert base.fact("nope") is None


def test_a_draft_may_lack_english_and_validate_counts_it(tmp_path, cli):
    # `hdfacts extract` drafts a base before anyone has written the English labels.
    path = fact_file(tmp_path, 'metric_en = "Gross domestic product"\n', "", name="draft.toml")
    base = load(path, cache=False)
    assert base.facts[0].metric_en == ""
    result = cli("validate", str(path))
    assert result.exit_code == 0
    assert result.stdout.endswith("; 1 fact without English (metric_en)\n")
    assert "without English" not in cli("validate", str(DATA / "valid.toml")).stdout


def test_an_empty_english_label_is_still_refused(tmp_path):
    path = fact_file(tmp_path, 'metric_en = "Gross domestic product"', 'metric_en = " "', name="empty.toml")
    with pytest.raises(FactBaseError, match="field 'metric_en' is empty"):
        load(path, cache=False)


def test_the_shipped_base_has_english_for_every_fact(base):
    assert [f.id for f in base.facts if not f.metric_en] == []
