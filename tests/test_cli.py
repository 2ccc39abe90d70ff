"""The CLI in-process (CliRunner): every command, every format, exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from conftest import DATA
from hdfacts.base.model import FACT_FIELDS, TOPIC_FIELDS

ANSI = re.compile(r"\x1b\[")
LISTINGS = [
    ("topics",),
    ("show", "economy"),
    ("search", "排名"),
]
FORMATS = ["table", "json", "jsonl", "csv", "tsv", "markdown"]


def rows_of(fmt: str, out: str) -> list[dict]:
    if fmt == "json":
        return json.loads(out)
    if fmt == "jsonl":
        return [json.loads(line) for line in out.splitlines()]
    if fmt in ("csv", "tsv"):
        return list(csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
    raise AssertionError(fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", LISTINGS, ids=[a[0] for a in LISTINGS])
def test_every_listing_in_every_format(cli, args, fmt, base):
    result = cli(*args, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert not ANSI.search(result.stdout)
    if fmt in ("json", "jsonl", "csv", "tsv"):
        rows = rows_of(fmt, result.stdout)
        key = "slug" if args[0] == "topics" else "id"
        ids = [r[key] for r in rows]
        if args[0] == "topics":
            assert ids == [t.slug for t in base.topics]
        elif args[0] == "show":
            assert ids == [f.id for f in base.facts if f.topic == "economy"]
        else:
            assert "urban-disposable-income" in ids and "gdp" not in ids
    elif fmt == "markdown":
        lines = result.stdout.splitlines()
        assert lines[0].startswith("| ") and set(lines[1]) <= set("|-")
    else:
        assert "┃" in result.stdout  # the header's rule
        assert "│" in result.stdout  # the body's


def test_json_is_the_record_contract(cli, base):
    result = cli("show", "economy", "--json")
    records = json.loads(result.stdout)
    assert [list(r) for r in records] == [list(FACT_FIELDS)] * len(records)
    gdp = next(r for r in records if r["id"] == "gdp")
    assert gdp == {
        "id": "gdp",
        "topic": "economy",
        "metric": "地区生产总值(GDP)",
        "metric_en": "Gross regional product (GDP)",
        "text": "255.92亿元",
        "value": 25592000000,
        "unit": "元",
        "qualifier": None,
        "period": "前三季度",
        "growth": {"text": "增长5.7%", "value": 5.7, "unit": "%", "basis": None},
        "change": None,
        "rank": None,
        "tags": ["GDP", "经济总量", "output"],
        "quote": "前三季度,全县共完成地区生产总值(GDP)255.92亿元,增长5.7%",
        "note": None,
        "aliases": [],
        "report": "hengdong-2023",
    }
    # Chinese stays Chinese
    assert "地区生产总值" in result.stdout and "\\u" not in result.stdout


def test_topics_json(cli, base):
    records = json.loads(cli("topics", "--json").stdout)
    assert [list(r) for r in records] == [list(TOPIC_FIELDS)] * len(base.topics)
    economy = records[0]
    assert economy["slug"] == "economy" and economy["facts"] == 4 and "经济" in economy["aliases"]
    assert sum(r["facts"] for r in records) == len(base.facts)


def test_show_without_topic_lists_topics(cli):
    assert cli("show", "--json").stdout == cli("topics", "--json").stdout


@pytest.mark.parametrize("name", ["economy", "经济", "经济指标", "ECONOMY", "Headline economic indicators"])
def test_topic_names_and_aliases(cli, name):
    ids = [r["id"] for r in json.loads(cli("show", name, "--json").stdout)]
    assert ids == ["gdp", "per-capita-disposable-income", "urban-disposable-income", "fixed-asset-investment"]


def test_show_several_topics_in_the_order_named(cli, base):
    ids = [r["id"] for r in json.loads(cli("show", "public-safety", "economy", "--json").stdout)]
    expected = [f.id for t in ("public-safety", "economy") for f in base.facts if f.topic == t]
    assert ids == expected and ids[0] == "grid-court-model"
    assert ids.index("tanbo-village-five-zeros") < ids.index("gdp")  # the caption closes its topic


def test_unknown_topic(cli):
    result = cli("show", "econmy")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "hdfacts: unknown topic 'econmy': did you mean economy? valid topics: economy, "
    )
    assert result.stderr.count("\n") == 1


def test_search_ranking_returns_the_rankings(cli, base):
    ids = [r["id"] for r in json.loads(cli("search", "排名", "--json").stdout)]
    assert ids == [f.id for f in base.facts if f.rank]


def test_search_all_terms_must_match(cli):
    both = [r["id"] for r in json.loads(cli("search", "收入", "城镇", "--json").stdout)]
    assert both == ["urban-disposable-income"]
    either = [r["id"] for r in json.loads(cli("search", "收入", "城镇", "--any", "--json").stdout)]
    # the fact that matches both words comes first, then the one that matches one
    assert either[:2] == ["urban-disposable-income", "per-capita-disposable-income"]


def test_search_is_case_insensitive_and_covers_english(cli):
    upper = json.loads(cli("search", "GDP", "--json").stdout)
    lower = json.loads(cli("search", "gdp", "--json").stdout)
    assert upper == lower and upper[0]["id"] == "gdp"


@pytest.mark.parametrize(
    ("term", "fid"),
    [
        ("Fixed-asset", "fixed-asset-investment"),  # metric_en
        ("1—11月", "fixed-asset-investment"),  # period
        ("250.7亿元", "key-projects-total-investment"),  # figure as written
        ("FAI", "fixed-asset-investment"),  # tag
        ("得分", "centralization-drive-evaluation"),  # quote
    ],
)
def test_search_covers_every_text(cli, term, fid):
    ids = [r["id"] for r in json.loads(cli("search", term, "--json").stdout)]
    assert fid in ids


def test_search_topic_names_match(cli, base):
    ids = [r["id"] for r in json.loads(cli("search", "平安建设", "--json").stdout)]
    assert ids == [f.id for f in base.facts if f.topic == "public-safety"]


def test_search_topic_filter(cli):
    ids = [r["id"] for r in json.loads(cli("search", "排名", "--topic", "projects", "--json").stdout)]
    assert ids == ["five-systems-one-platform", "investment-promotion-work", "central-budget-funds"]


def test_search_no_match(cli):
    result = cli("search", "不存在的词", "--json")
    assert result.exit_code == 1
    assert result.stdout == "[]\n"
    assert result.stderr == "hdfacts: no facts match '不存在的词': the report never mentions '不存'\n"


def test_search_no_match_table(cli):
    result = cli("search", "不存在的词")
    assert result.exit_code == 1 and result.stdout == ""


def test_search_needs_a_term(cli):
    result = cli("search")
    assert result.exit_code == 2
    assert result.stderr == "hdfacts: give a search term or a filter, e.g. hdfacts search 排名\n"


def test_search_highlights_the_match(cli):
    result = cli("search", "排名", "--format", "table", env={"FORCE_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0
    # the matched text carries a style, the rest of the quote does not
    assert re.search(r"\x1b\[[0-9;]*m排名\x1b\[0m", result.stdout)
    assert "全市第1" in result.stdout


def test_get(cli):
    result = cli("get", "gdp", "--json")
    assert result.exit_code == 0
    fact = json.loads(result.stdout)
    assert fact["id"] == "gdp" and fact["value"] == 25592000000 and fact["quote"].endswith("增长5.7%")


def test_get_table_shows_everything(cli):
    result = cli("get", "public-security-poll", "--format", "table", env={"COLUMNS": "60"})
    assert result.exit_code == 0
    out = re.sub(r"[\s│┃|]", "", result.stdout)
    assert "综治民调排名全省第67,较2022年提升25个名次" in out
    assert "…" not in result.stdout


def test_get_unknown_id(cli):
    result = cli("get", "gpd")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "hdfacts: no fact with id 'gpd' (did you mean gdp?)\n"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "markdown"])
def test_export_to_stdout(cli, fmt, base):
    result = cli("export", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "markdown":
        assert len(result.stdout.splitlines()) == len(base.facts) + 2
    else:
        assert [r["id"] for r in rows_of(fmt, result.stdout)] == [f.id for f in base.facts]


def test_export_csv_flattens_nested_values(cli):
    rows = rows_of("csv", cli("export", "--format", "csv").stdout)
    fai = next(r for r in rows if r["id"] == "fixed-asset-investment")
    assert (fai["rank_scope"], fai["rank_position"], fai["growth_value"], fai["change_unit"]) == (
        "全市",
        "2",
        "11.5",
        "个百分点",
    )
    assert next(r for r in rows if r["id"] == "gdp")["tags"] == "GDP; 经济总量; output"


def test_export_default_is_json(cli, base):
    assert len(json.loads(cli("export").stdout)) == len(base.facts)


def test_export_to_file(cli, tmp_path, base):
    out = tmp_path / "facts.json"
    result = cli("export", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(json.loads(out.read_text(encoding="utf-8"))) == len(base.facts)
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_export_refuses_to_overwrite(cli, tmp_path):
    out = tmp_path / "mine.csv"
    out.write_text("precious", encoding="utf-8")
    result = cli("export", "--format", "csv", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"hdfacts: {out} exists: use --force to overwrite it\n"
    assert out.read_text(encoding="utf-8") == "precious"
    assert cli("export", "--format", "csv", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id,topic,")


def test_export_table_is_not_a_file_format(cli):
    result = cli("export", "--format", "table")
    assert result.exit_code == 2 and "table" in result.stderr


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        (("show", "economy", "--json", "--fields", "id,text,rank"), ["id", "text", "rank"]),
        (("show", "economy", "--json", "--fields", "rank,id"), ["rank", "id"]),
        (("topics", "--json", "--fields", "slug,facts"), ["slug", "facts"]),
    ],
)
def test_fields_select_and_order(cli, args, keys):
    records = json.loads(cli(*args).stdout)
    assert all(list(r) == keys for r in records)


def test_fields_in_csv_and_table(cli):
    out = cli("show", "economy", "--format", "csv", "--fields", "id,rank").stdout
    assert out.splitlines()[0] == "id,rank_scope,rank_position"
    table = cli("show", "economy", "--format", "table", "--fields", "id,value", env={"COLUMNS": "100"}).stdout
    assert "25592000000" in table and "地区生产总值" not in table


def test_unknown_field(cli):
    result = cli("show", "economy", "--json", "--fields", "id,nope")
    assert result.exit_code == 2
    assert result.stderr == (
        "hdfacts: unknown field 'nope' (did you mean note?): valid fields are id, topic, metric, "
        "metric_en, text, value, unit, qualifier, period, growth, change, rank, tags, quote, note, aliases, "
        "report\n"
    )
    typo = cli("show", "economy", "--json", "--fields", "id,vaule")
    assert typo.exit_code == 2
    assert typo.stderr.startswith(
        "hdfacts: unknown field 'vaule' (did you mean value?): valid fields are id,"
    )


def test_json_and_other_format_conflict(cli):
    result = cli("topics", "--json", "--format", "csv")
    assert result.exit_code == 2
    assert result.stderr == "hdfacts: --json and --format csv ask for different formats\n"


def test_unknown_format(cli):
    result = cli("topics", "--format", "yaml")
    assert result.exit_code == 2
    assert "yaml" in result.stderr and "Traceback" not in result.stderr


def test_piped_table_is_tab_separated(cli, base):
    # CliRunner's stdout is not a terminal: the default table becomes plain lines.
    result = cli("show", "economy")
    lines = result.stdout.splitlines()
    assert len(lines) == len([f for f in base.facts if f.topic == "economy"])
    assert lines[0].split("\t") == ["地区生产总值(GDP)", "255.92亿元", "前三季度", "增长5.7%", "", "gdp"]


def test_lang_en(cli):
    lines = cli("show", "economy", "--lang", "en").stdout.splitlines()
    assert lines[0].split("\t") == [
        "Gross regional product (GDP)",
        "25,592,000,000 yuan",
        "Q1-Q3 2023",
        "+5.7%",
        "",
        "gdp",
    ]
    fai = next(line for line in lines if line.endswith("fixed-asset-investment")).split("\t")
    assert fai[2:5] == ["Jan-Nov 2023", "+11.5%; 6.5 pp above the city", "No. 2 in city"]


@pytest.mark.parametrize("value", ["en", "EN", "En"])
def test_lang_from_environment(cli, value):
    assert (
        cli("show", "economy", env={"HDFACTS_LANG": value}).stdout
        == cli("show", "economy", "--lang", "en").stdout
    )


@pytest.mark.parametrize("field", ["metric", "quote", "metric_en"])
@pytest.mark.parametrize("width", ["30", "80", "120"])
def test_table_never_truncates(cli, base, field, width):
    # One column at a time, so that a cell folded over several lines reads back whole.
    out = cli("search", "排名", "--format", "table", "--fields", field, env={"COLUMNS": width}).stdout
    ranked = [f for f in base.facts if f.rank]
    # no "…": nothing is cut short, and quotes are whole pieces of the report
    assert "…" not in out
    flat = re.sub(r"[\s│┃┏┓┗┛━─┡┩╇┳┻╋┼└┘┌┐]", "", out)
    for fact in ranked:
        if fact.rank:
            assert re.sub(r"\s", "", getattr(fact, field)) in flat, fact.id


def test_narrow_terminal_stacks_records(cli):
    out = cli("show", "economy", "--format", "table", env={"COLUMNS": "30"}).stdout
    assert "数值: 255.92亿元" in out and "排名: 全市第2" in out


def test_tables_honour_no_color(cli):
    out = cli("search", "排名", "--format", "table", env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m", out)  # no foreground colours


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
def test_machine_formats_never_carry_escapes(cli, fmt):
    out = cli("search", "排名", "--format", fmt, env={"FORCE_COLOR": "1", "TERM": "xterm-256color"}).stdout
    assert not ANSI.search(out)


def test_facts_option_and_environment(cli):
    other = str(DATA / "valid.toml")
    by_option = cli("--facts", other, "export", "--format", "jsonl").stdout
    by_env = cli("export", "--format", "jsonl", env={"HDFACTS_FACTS": other}).stdout
    assert by_option == by_env
    assert [json.loads(line)["id"] for line in by_option.splitlines()] == ["gdp"]


def test_missing_fact_base(cli, tmp_path):
    result = cli("--facts", str(tmp_path / "none.toml"), "topics")
    assert result.exit_code == 2
    assert result.stderr == f"hdfacts: {tmp_path / 'none.toml'}: no such file\n"


def test_broken_fact_base(cli):
    path = DATA / "broken" / "unknown-topic.toml"
    result = cli("--facts", str(path), "show", "economy")
    assert result.exit_code == 2
    assert (
        result.stderr == f"hdfacts: {path}:15: fact 'gdp': unknown topic 'econmy' (did you mean 'economy'?)\n"
    )


def test_validate(cli):
    ok = cli("validate", str(DATA / "valid.toml"))
    assert ok.exit_code == 0 and ok.stdout == f"{DATA / 'valid.toml'}: ok, 1 fact in 1 topic\n"
    bad = cli("validate", str(DATA / "broken" / "rank-zero.toml"))
    assert bad.exit_code == 2 and "position 0 is not a ranking" in bad.stderr


def test_validate_shipped(cli, base):
    result = cli("validate")
    assert result.exit_code == 0
    assert result.stdout.endswith(f"facts.toml: ok, {len(base.facts)} facts in {len(base.topics)} topics\n")


def test_version(cli):
    import hdfacts

    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"hdfacts {hdfacts.__version__}\n"


def test_unknown_option(cli):
    result = cli("topics", "--nope")
    assert result.exit_code == 2 and "--nope" in result.stderr


def test_completion_functions_in_process():
    from hdfacts.cli import _complete_id, _complete_topic

    class Ctx:
        params = {"facts": None}

        def find_root(self):
            return self

    assert _complete_topic(Ctx(), "ec") == ["economy"]
    assert _complete_id(Ctx(), "urban-d") == ["urban-disposable-income"]
    assert _complete_id(Ctx(), "urban-") == ["urban-disposable-income", "urban-air-quality"]
    broken = Ctx()
    broken.params = {"facts": [DATA / "broken" / "empty.toml"]}
    assert _complete_topic(broken, "") == []


def test_a_terminal_without_format_gets_a_table(cli, monkeypatch):
    """The environment is injectable: in process, a terminal draws a table, a pipe does not."""
    import io

    from hdfacts.cli import core as application

    for terminal, table in ((True, True), (False, False)):
        out = io.StringIO()
        env = application.Environment(out, terminal)
        monkeypatch.setattr(application, "environment", lambda env=env: env)
        assert cli("show", "economy", env={"COLUMNS": "120"}).exit_code == 0
        drawn = out.getvalue()
        assert ("┃" in drawn) is table and "255.92亿元" in drawn


DATABASE = "--format sqlite writes a file: use hdfacts export -o FILE"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("export", "--format", "table"),
            "--format table is for a terminal: export writes json, jsonl, csv, tsv, markdown or sqlite",
        ),
        (
            ("show", "economy", "--format", "sqlite"),
            "--format sqlite writes a file: use hdfacts export -o FILE",
        ),
        (("get", "gdp", "-f", "sqlite"), DATABASE),
    ],
)
def test_one_format_list_each_command_takes_its_part(cli, args, said):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"hdfacts: {said}\n"


@pytest.mark.parametrize(
    ("argv", "built"),
    [
        (["search", "排名"], ["search"]),
        (["--facts", "compare", "get", "gdp"], ["get"]),  # a root option's value is no command
        (["--no-cache", "compare", "GDP"], ["compare"]),
        (["--help"], None),
        (["search", "--help"], ["search"]),
        (["sarch", "x"], None),  # a mistyped command: every command, for "did you mean"
        ([], None),
    ],
)
def test_a_run_builds_only_the_command_it_runs(argv, built):
    from hdfacts.cli import app
    from hdfacts.cli.startup import name_of, only_the_command_run

    every = [name_of(c) for c in app.registered_commands]
    with only_the_command_run(app, argv):
        inside = [name_of(c) for c in app.registered_commands]
    assert inside == (built or every)
    assert [name_of(c) for c in app.registered_commands] == every  # as it was after


@pytest.mark.parametrize(
    ("argv", "code", "said"),
    [
        (["search", "--help"], 0, "Find facts by what they are about"),
        (["sarch", "x"], 2, "Did you mean 'search'?"),
    ],
)
def test_a_run_of_one_command_still_answers_help_and_mistypes(cli, argv, code, said):
    from hdfacts.cli import app
    from hdfacts.cli.startup import only_the_command_run

    with only_the_command_run(app, argv):
        result = cli(*argv)
    assert result.exit_code == code and said in result.stdout + result.stderr
