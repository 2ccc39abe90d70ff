"""Output a reader can trust: whole figures at every width, periods always shown, English
throughout with --lang en, filters that refuse nonsense, help that teaches."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import commands, console_script
from hdfacts.base.quantities import parse_bound, parse_scope, unit_family
from hdfacts.output.english import period_en, period_zh
from hdfacts.output.render import FIELDS, sentence
from terminal import run_in_terminal

GOLDEN = Path(__file__).resolve().parent / "golden"
HAN = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
WIDTHS = [60, 80, 100, 120]
SCREENS = [
    ("search", "排名"),
    ("show", "economy"),
    ("search", "GDP"),
    ("show", "projects"),
    ("get", "fixed-asset-investment"),
]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDFACTS_")}
    env.pop("NO_COLOR", None)
    env["TERM"] = "xterm-256color"
    return env


def _records(args: tuple[str, ...]) -> list[dict]:
    out = subprocess.run(
        [console_script(), *args, "--json"], capture_output=True, env=_env(), timeout=60, check=True
    ).stdout
    data = json.loads(out)
    return data if isinstance(data, list) else [data]


def _figures(record: dict, lang: str) -> list[str]:
    """Every figure of a record as a table shows it, each of which must be on one screen line."""
    if lang == "en":
        from hdfacts.output.render import pieces

        keys = ("text", "growth", "change", "rank", "period")
        return [p for k in keys for p in pieces(record, k, "en", 2023) if p]
    out = [record["text"], record["period"]]
    out += [record[k]["text"] for k in ("growth", "change") if record[k]]
    # a basis the text already names (高于全市 with basis 全市) is not repeated
    out += [
        f"({c['basis']})"
        for c in (record["growth"], record["change"])
        if c and c["basis"] and c["basis"] not in c["text"]
    ]
    if record["rank"]:
        out.append(f"{record['rank']['scope']}第{record['rank']['position']}")
    return [x for x in out if x]


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", SCREENS, ids=" ".join)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_figures_and_ids_whole_on_a_real_terminal(args, width, lang):
    screen = run_in_terminal([console_script(), *args, "--lang", lang], width, _env())
    lines = screen.splitlines()
    assert lines, screen
    from rich.cells import cell_len

    assert all(cell_len(line) <= width for line in lines), screen
    ids_left_out = "ids: --fields id or --json" in screen
    for record in _records(args):
        for figure in _figures(record, lang):
            assert any(figure in line for line in lines), f"{figure!r} not whole at {width}:\n{screen}"
        if not ids_left_out:
            assert any(re.search(rf"(?<![\w-]){re.escape(record['id'])}(?![\w-])", x) for x in lines), (
                f"id {record['id']!r} not whole at {width}:\n{screen}"
            )
    # a table, not the stacked layout, wherever label, figure and quote fit: in Chinese from
    # 60 columns; English figures are longer (11,190,000 US dollars, never broken) and may
    # take the record layout at 60
    if args[0] != "get" and width >= (60 if lang == "zh" else 80):
        assert "┃" in screen


@pytest.mark.slow
def test_stacked_below_60_columns():
    screen = run_in_terminal([console_script(), "show", "economy"], 59, _env())
    assert "┃" not in screen
    assert "数值: 255.92亿元" in screen and "时期: 前三季度" in screen


@pytest.mark.slow
def test_ids_dropped_first_and_said_so():
    screen = run_in_terminal([console_script(), "search", "排名"], 80, _env())
    assert "ids: --fields id or --json" in screen
    assert "per-capita-disposable-income" not in screen
    assert "原文" in screen  # the quote stays while there is room for it
    wide = run_in_terminal([console_script(), "search", "排名"], 160, _env())
    assert "ids:" not in wide and "per-capita-disposable-income" in wide


@pytest.mark.slow
def test_json_path_imports_no_rich():
    code = (
        "import sys\nfrom hdfacts.cli import main\nsys.argv = ['hdfacts', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.split('.')[0] == 'rich')))\n"
    )

    def rich_modules(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, env=_env()
        )
        return result.stderr

    assert rich_modules("search", "排名", "--json") == "[]"
    assert rich_modules("get", "gdp", "--json") == "[]"
    # the check can fail: a drawn table does load rich
    assert "rich.table" in rich_modules("get", "gdp", "--format", "table")


# -- periods and sentences ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("前三季度", "Q1-Q3 2023"),
        ("1—11月", "Jan-Nov 2023"),
        ("1-6月", "Jan-Jun 2023"),
        ("2023年", "2023"),
        ("1月10日", "10 Jan 2023"),
        ("上半年", "H1 2023"),
        ("2022年前三季度", "2022 Q1-Q3"),
        ("过去一年", "past year"),
        ("较2022年", "vs 2022"),
        ("12月", "Dec 2023"),
    ],
)
def test_period_en(zh, en):
    assert period_en(zh, 2023) == en


def test_period_without_year_is_left_alone():
    assert period_en("前三季度") == "Q1-Q3"
    assert period_zh("前三季度", 2023) == "2023年前三季度"
    assert period_zh("2023年", 2023) == "2023年"


def test_sentence(base):
    import hdfacts

    assert hdfacts.sentence is sentence
    gdp = base.fact("gdp")
    assert sentence(gdp, "zh", year=2023) == "地区生产总值(GDP)（2023年前三季度）：255.92亿元，增长5.7%"
    assert (
        sentence(gdp, "en", year=2023)
        == "Gross regional product (GDP) (Q1-Q3 2023): 25,592,000,000 yuan, +5.7%"
    )
    fai = base.fact("fixed-asset-investment")
    assert (
        sentence(fai, "zh", year=2023)
        == "固定资产投资（2023年1—11月）：增长11.5%，高于全市6.5个百分点，排名全市第2"
    )
    assert sentence(fai.to_dict(), "en", year=2023) == (
        "Fixed-asset investment (Jan-Nov 2023): +11.5%, 6.5 percentage points above the city, "
        "ranked 2nd in the city"
    )


def test_sentence_carries_every_figure_and_its_period(base):
    for fact in base.facts:
        for lang in ("zh", "en"):
            line = sentence(fact, lang, year=base.meta.year)
            assert "\n" not in line
            if fact.period:
                shown = period_en(fact.period, 2023) if lang == "en" else period_zh(fact.period, 2023)
                assert shown in line, (fact.id, line)
            if lang == "zh" and fact.text:
                assert fact.text in line
            if lang == "en":
                assert fact.metric_en in line
                if fact.rank:
                    assert f"in the {'city' if fact.rank.scope == '全市' else 'province'}" in line


# -- English throughout ------------------------------------------------------------------


def test_get_lang_en_has_no_chinese_but_the_quote(cli):
    out = cli("get", "gdp", "--lang", "en").stdout
    rows = dict(line.split("\t", 1) for line in out.splitlines())
    assert rows["unit"] == "yuan" and rows["text"] == "25,592,000,000 yuan" and rows["period"] == "Q1-Q3 2023"
    assert [k for k, v in rows.items() if HAN.search(v)] == ["quote"]


@pytest.mark.parametrize(
    ("fact_id", "figure"),
    [
        ("key-projects-count", "27 projects"),
        ("party-building-demo-points", "39 sites"),
        ("entrepreneur-reception-sessions", "10 sessions"),
        ("assessed-water-sections", "5 sections"),
        ("foreign-capital-attracted", "11,190,000 US dollars"),
        ("seven-key-industries", "seven industries"),
        ("ten-featured-reforms", "ten reform items"),
        ("hengyou-daoli-views", "more than 11,000,000 views"),
        ("grain-output", "411,000 tonnes"),
        ("grain-sown-area", "885,000 mu"),
        ("chemical-park-recognition", "within 1 year"),
        ("inspection-rounds", "2 rounds"),
        ("water-quality-class", "class II"),
        ("cadre-performance-files", "508 records"),
    ],
)
def test_counts_keep_their_unit_in_english(cli, fact_id, figure):
    rows = dict(line.split("\t", 1) for line in cli("get", fact_id, "--lang", "en").stdout.splitlines())
    assert rows["text"] == figure


def test_every_count_names_what_it_counts(base):
    # A measure word (个, 项, 次, 份) says nothing in English: each count of the base takes the
    # noun of its label, so a new fact whose noun the vocabulary lacks fails here.
    from hdfacts.output.english import COUNTING_UNITS, UNITS_EN, count_noun_en, figure_en

    counts = [f for f in base.facts if f.value is not None and f.unit in COUNTING_UNITS]
    assert len(counts) > 15
    for fact in counts:
        noun = count_noun_en(fact.to_dict())
        assert noun is not None, fact.id
        assert figure_en(fact.to_dict()).endswith(noun[1] if fact.value != 1 else noun[0])
        assert noun[1] != UNITS_EN[fact.unit], fact.id


def test_the_last_n_years_everywhere_english_is_shown(cli):
    fid = "public-security-poll-best-decade"
    rows = dict(line.split("\t", 1) for line in cli("get", fid, "--lang", "en").stdout.splitlines())
    assert (rows["text"], rows["qualifier"]) == ("the last 10 years", "the last")
    answer = cli("ask", fid, "--lang", "en").stdout
    assert "nearly" not in answer and "the last 10 years" in answer


def test_show_lang_en_labels_everything_english(cli):
    out = cli(
        "show", "economy", "projects", "--lang", "en", "--format", "table", env={"COLUMNS": "160"}
    ).stdout
    quote_free = [line for line in out.splitlines() if HAN.search(line)]
    assert quote_free == [], quote_free


def test_show_several_topics_one_table_each(cli):
    out = cli("show", "economy", "projects", "--format", "table", env={"COLUMNS": "120"}).stdout
    titles = [line.strip() for line in out.splitlines() if "(economy)" in line or "(projects)" in line]
    assert len(titles) == 2 and titles[0].startswith("经济指标 (economy): ")
    assert out.count("┏") == 2
    # JSON stays one array
    records = json.loads(cli("show", "economy", "projects", "--json").stdout)
    assert {r["topic"] for r in records} == {"economy", "projects"}


def test_empty_columns_not_drawn(cli):
    # the two figures over 100亿 have no ranking: no rank column; GDP has a growth rate
    out = cli("search", "--min", "100亿", "--format", "table", env={"COLUMNS": "160"}).stdout
    header = out.splitlines()[2]
    assert "排名" not in header and "增长/变化" in header and "数值" in header


# -- chart rank --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_rank_better_is_longer_and_grouped_by_scope(cli, lang):
    out = cli("chart", "rank", "--format", "table", "--lang", lang, env={"COLUMNS": "100"}).stdout
    lines = out.splitlines()
    province = "全省第" if lang == "zh" else "in province"
    first = [line.count("█") for line in lines if re.search(r"全市第1 |No\. 1 in city", line)]
    second = [line.count("█") for line in lines if re.search(r"全市第2 |No\. 2 in city", line)]
    assert first and second and min(first) > max(second)
    headings = [i for i, line in enumerate(lines) if "Rankings within" in line or "排名：" in line]
    assert len(headings) == 2
    if lang == "en":
        assert "city" in lines[headings[0]] and "province" in lines[headings[1]]
        assert not HAN.search(out)
    else:
        assert "全市" in lines[headings[0]] and "全省" in lines[headings[1]]
    assert any(province in line for line in lines[headings[1] :])
    assert not any(province in line for line in lines[: headings[1]])
    # every value carries its period
    assert all("(" in line for line in lines if "█" in line)


def test_chart_growth_values_carry_period(cli):
    out = cli("chart", "growth", "--format", "table", env={"COLUMNS": "120"}).stdout
    assert "增长5.7% (前三季度)" in out and "增长11.5% (1—11月)" in out


# -- filters -----------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["全市", "city", "City", "CITY", "市", "市级", "municipal", " city "])
def test_scope_city_synonyms(cli, scope):
    result = cli("search", "--scope", scope, "--json")
    assert result.exit_code == 0, result.stderr
    ranks = {r["rank"]["scope"] for r in json.loads(result.stdout)}
    assert ranks == {"全市"}


@pytest.mark.parametrize("scope", ["全省", "province", "Province", "省", "省级", "provincial", "PROVINCIAL"])
def test_scope_province_synonyms(cli, scope):
    result = cli("search", "--scope", scope, "--json")
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in json.loads(result.stdout)] == ["public-security-poll"]


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        pytest.param("county", "unknown scope 'county'", id="county"),
        pytest.param("全国", "unknown scope '全国'", id="country"),
        pytest.param("town", "unknown scope 'town'", id="nonsense"),
        pytest.param("", "the scope is empty", id="empty"),
        pytest.param("  ", "the scope is empty", id="blank"),
    ],
)
def test_scope_errors(cli, scope, message):
    result = cli("search", "--scope", scope)
    assert result.exit_code == 2
    assert result.stderr == f"hdfacts: --scope: {message}: valid scopes are 全市 (city), 全省 (province)\n"
    assert result.stdout == ""


def test_parse_scope_library():
    assert parse_scope("County", ["全市", "全县"]) == "全县"
    with pytest.raises(ValueError, match=r"valid scopes are 全市 \(city\)$"):
        parse_scope("province", ["全市"])


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("10万元", 100_000, "元"),
        ("1万吨", 10_000, "吨"),
        ("100亿", 10_000_000_000, None),
        ("5.7", 5.7, None),
        ("50%", 50, "%"),
        ("10个", 10, "个"),
        ("1,000", 1000, None),
    ],
)
def test_parse_bound(text, value, unit):
    bound = parse_bound(text)
    assert (bound.value, bound.unit) == (value, unit)


def test_min_with_unit_compares_only_that_unit(cli, base):
    records = json.loads(cli("search", "--min", "10万元", "--json").stdout)
    expected = [f.id for f in base.facts if f.unit == "元" and f.value is not None and f.value >= 100_000]
    assert [r["id"] for r in records] == expected and len(expected) > 3
    assert {r["unit"] for r in records} == {"元"}  # no 亩, 吨, 美元 or unit-less figures


def test_min_tonnes(cli):
    records = json.loads(cli("search", "--min", "1万吨", "--json").stdout)
    assert [r["id"] for r in records] == ["grain-output"]


def test_bare_number_compares_every_unit(cli, base):
    records = json.loads(cli("search", "--min", "100000", "--json").stdout)
    units = {r["unit"] for r in records}
    assert {"元", "亩", "吨", "美元", None} <= units
    assert len(records) == sum(1 for f in base.facts if f.value is not None and f.value >= 100_000)


def test_item_counts_form_one_family(cli):
    units = {r["unit"] for r in json.loads(cli("search", "--min", "20项", "--json").stdout)}
    assert units <= {"个", "项", "件"} and "个" in units and "项" in units
    assert unit_family("件") == unit_family("个") != unit_family("元")


def test_min_max_of_different_units(cli):
    result = cli("search", "--min", "10万元", "--max", "1万吨")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "hdfacts: --min 10万元 and --max 1万吨 name different units: give one unit, or none\n"
    )


# -- help --------------------------------------------------------------------------------

COMMANDS = commands()


@pytest.mark.parametrize("command", COMMANDS)
def test_help_ends_with_examples(cli, command):
    out = cli(command, "--help", env={"COLUMNS": "100"}).stdout
    lines = [line.strip(" │") for line in out.rstrip().splitlines()]
    at = max(i for i, line in enumerate(lines) if line.strip() == "Examples:")
    examples = [line.strip() for line in lines[at + 1 :] if line.strip()]
    assert 2 <= len(examples) <= 3
    assert [e for e in examples if not e.startswith("hdfacts ")] == []
    # the first runs the command, after any global option and its value (a later one may
    # show the next step: extract's draft is checked with verify)
    assert re.match(rf"hdfacts (--[a-z-]+ \S+ )*{command}\b", examples[0])


@pytest.mark.parametrize("command", ["topics", "show", "search", "get", "chart"])
def test_help_examples_run(cli, command, report_path=None):
    out = cli(command, "--help", env={"COLUMNS": "200"}).stdout
    lines = out.rstrip().splitlines()
    at = max(i for i, line in enumerate(lines) if line.strip() == "Examples:")
    for example in (line.strip() for line in lines[at + 1 :] if line.strip()):
        result = cli(*example.split()[1:])
        assert result.exit_code == 0, (example, result.stderr)


@pytest.mark.parametrize(
    ("command", "kind"),
    [("search", "explained"), ("show", "facts"), ("get", "fact"), ("topics", "topics"), ("chart", "series")],
)
def test_fields_help_lists_what_the_command_accepts(cli, command, kind):
    out = cli(command, "--help", env={"COLUMNS": "400"}).stdout
    listed = re.search(r"Fields: ([a-z_, ]+)\.", out)
    assert listed, out
    fields = listed.group(1).split(", ")
    assert fields == list(FIELDS[kind])
    args = {"search": ["search", "排名"], "show": ["show", "economy"], "get": ["get", "gdp"]}
    argv = args.get(command, [command] + (["rank"] if command == "chart" else []))
    result = cli(*argv, "--fields", ",".join(fields), "--json")
    assert result.exit_code == 0, result.stderr


def test_missing_argument_is_one_line(cli):
    result = cli("chart")
    assert result.exit_code == 2
    assert result.stderr == (
        "hdfacts: Missing argument 'kind'. Choose from: growth, rank (see 'hdfacts chart --help')\n"
    )
    get = cli("get")
    assert get.exit_code == 2 and get.stderr.count("\n") == 1


def test_titles_count_in_singular_and_plural(cli):
    one = cli("search", "--min", "10万吨", "--format", "table", env={"COLUMNS": "120"}).stdout
    assert one.splitlines()[0].strip() == "1 fact"
    many = cli("search", "排名", "--format", "table", env={"COLUMNS": "120"}).stdout
    assert re.search(r"\b\d+ facts: 排名", many)


# -- golden screens ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "width"),
    [
        ("get-gdp-80", ["get", "gdp"], 80),
        ("get-gdp-en-80", ["get", "gdp", "--lang", "en"], 80),
        ("get-fixed-asset-investment-60", ["get", "fixed-asset-investment"], 60),
        ("get-fixed-asset-investment-en-60", ["get", "fixed-asset-investment", "--lang", "en"], 60),
    ],
)
def test_golden_screens(cli, name, args, width):
    out = cli(*args, "--format", "table", env={"COLUMNS": str(width), "NO_COLOR": "1"}).stdout
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("HDFACTS_REGENERATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_readme_screens_are_current():
    # README's screens are real output at 100 columns; after a change a reader sees, rerun
    # `python scripts/readme_screens.py` to take them again.
    root = Path(__file__).resolve().parents[1]
    console_script()  # skip where the command is not installed
    result = subprocess.run(
        [sys.executable, str(root / "scripts" / "readme_screens.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(),
    )
    assert result.returncode == 0, result.stderr


def test_root_help_ends_with_examples(cli):
    out = cli("--help", env={"COLUMNS": "100"}).stdout.rstrip().splitlines()
    assert [line.strip() for line in out[-4:]] == [
        "Examples:",
        "hdfacts show economy",
        "hdfacts search 排名 --lang en",
        "hdfacts get gdp --json",
    ]


@pytest.mark.parametrize(
    ("value", "cached"),
    [
        ("", True),
        ("0", True),
        ("False", True),
        ("OFF", True),
        ("no", True),
        ("1", False),
        ("TRUE", False),
        ("yes", False),
    ],
)
def test_no_cache_variable_in_any_case(monkeypatch, value, cached):
    from hdfacts.base.loader import cache_wanted

    monkeypatch.setenv("HDFACTS_NO_CACHE", value)
    assert cache_wanted() is cached


def test_fact_stacked_below_60_columns(cli):
    out = cli("get", "gdp", "--format", "table", env={"COLUMNS": "59"}).stdout
    assert "┌" not in out and "text: 255.92亿元" in out and "period: 前三季度" in out


def test_named_columns_are_never_left_out(cli):
    out = cli(
        "search", "排名", "--fields", "metric,quote,id", "--format", "table", env={"COLUMNS": "60"}
    ).stdout
    assert "per-capita-disposable-income" in out and "ids:" not in out
    ids = [line for line in out.splitlines() if "per-capita-disposable-income" in line]
    assert ids  # whole, on one line
