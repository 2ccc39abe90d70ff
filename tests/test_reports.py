"""Several reports at once: each fact knows its report, ids are qualified where they clash,
searches run across the reports, and `compare` puts one question to each.

The second and third bases are a fictional county's (tests/data/reports); their ids
clash with the shipped base's on purpose (gdp, fixed-asset-investment, ...)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3

import pytest

from conftest import DATA, ROOT, fact_file, run_installed
from hdfacts.base.loader import load, load_all
from hdfacts.errors import FactBaseError, UsageError

REPORTS = DATA / "reports"
SHIPPED = ROOT / "facts.toml"
QINGHE_2022, QINGHE_2023 = REPORTS / "qinghe-2022.toml", REPORTS / "qinghe-2023.toml"
TWO = ("--facts", str(SHIPPED), "--facts", str(QINGHE_2023))
THREE = ("--facts", str(SHIPPED), "--facts", str(REPORTS))


def rows(stdout: str) -> list[list[str]]:
    """The tab-separated lines a pipe gets, as cells."""
    return [line.split("\t") for line in stdout.splitlines()]


# --- loading ---------------------------------------------------------------------------


def test_each_fact_carries_its_report():
    base = load_all([SHIPPED, REPORTS])
    assert [r.id for r in base.reports] == ["hengdong-2023", "qinghe-2022", "qinghe-2023"]
    assert base.several and len(base.facts) == sum(
        len(load(p).facts) for p in (SHIPPED, QINGHE_2022, QINGHE_2023)
    )
    by_report = {r.id: [f for f in base.facts if f.report == r.id] for r in base.reports}
    assert [f.id for f in by_report["qinghe-2022"]] == [f.id for f in load(QINGHE_2022).facts]
    assert base.fact_reports() == [f.report for f in base.facts]
    # the report's year dates each fact's period
    gdp_2022 = base.fact("qinghe-2022:gdp")
    assert gdp_2022 is not None and base.year_of(gdp_2022) == 2022


def test_a_directory_reads_every_fact_file_in_it_once(tmp_path):
    for p in (QINGHE_2022, QINGHE_2023):
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "notes.txt").write_text("not a base", encoding="utf-8")
    base = load_all([tmp_path, tmp_path / QINGHE_2022.name])  # named twice: read once
    assert [r.id for r in base.reports] == ["qinghe-2022", "qinghe-2023"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FactBaseError, match=r"empty: the directory holds no fact files \(\*\.toml\)$"):
        load_all([empty])


def test_one_base_is_the_base_as_it_was():
    one = load_all([SHIPPED])
    assert not one.several and one.members == (one,) and one == load(SHIPPED)


def test_one_broken_base_among_several_ends_the_load_naming_it(cli, tmp_path):
    broken = fact_file(tmp_path, "year = 2023", 'year = "2023"', name="broken.toml")
    result = cli(*TWO, "--facts", str(broken), "search", "排名")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"hdfacts: {broken}:") and "year" in result.stderr
    assert result.stderr.count("\n") == 1


def test_two_bases_of_one_report_are_refused(cli, tmp_path):
    copy = tmp_path / "copy.toml"
    shutil.copy(QINGHE_2023, copy)
    result = cli("--facts", str(QINGHE_2023), "--facts", str(copy), "topics")
    assert result.exit_code == 2 and result.stdout == ""
    assert "is report 'qinghe-2023'" in result.stderr and str(QINGHE_2023) in result.stderr


def test_a_base_without_a_report_table_is_named_by_its_file(cli, tmp_path):
    plain = fact_file(tmp_path, "[meta]\n", "[meta]\n", name="Old Base.toml")
    text = plain.read_text(encoding="utf-8")
    plain.write_text(text[text.index("[[topics]]") :], encoding="utf-8")
    result = cli("--facts", str(plain), "--facts", str(QINGHE_2023), "get", "old-base:gdp", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["report"] == "old-base"


def test_hdfacts_facts_takes_a_path_list(cli):
    import os

    result = cli("search", "排名", env={"HDFACTS_FACTS": os.pathsep.join([str(SHIPPED), str(REPORTS)])})
    assert result.exit_code == 0
    assert {r[0] for r in rows(result.stdout)} == {"hengdong-2023", "qinghe-2022", "qinghe-2023"}


def test_each_base_is_cached_on_its_own_and_the_set_beside_them(tmp_path):
    from hdfacts.base.cache import FactCache, SetCache
    from hdfacts.lookup.query import find

    first = load_all([SHIPPED, REPORTS])
    assert [type(m.store) for m in first.members] == [FactCache] * 3 and isinstance(first.store, SetCache)
    assert [f.id for f in find(first, ["排名"]).facts]
    again = load_all([SHIPPED, REPORTS])
    assert again.store.load_extra("index") is not None  # the set's index, kept by the first run
    assert find(again, ["排名"]).facts == find(first, ["排名"]).facts
    # another set of the same bases is another entry
    assert load_all([REPORTS]).store.file != again.store.file


# --- ids across reports ----------------------------------------------------------------


def test_a_bare_id_in_several_reports_exits_2_listing_them(cli):
    result = cli(*TWO, "get", "gdp")
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        result.stderr
        == "hdfacts: 'gdp' is in several reports: give one of hengdong-2023:gdp, qinghe-2023:gdp\n"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("hengdong-2023:gdp", "255.92亿元"),
        ("qinghe-2023:gdp", "186.43亿元"),
        ("QINGHE-2023:GDP", "186.43亿元"),
    ],
)
def test_report_and_id_name_one_fact(cli, name, text):
    result = cli(*TWO, "get", name, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["text"] == text


def test_a_unique_bare_id_still_works_and_report_id_works_with_one_base(cli):
    only_shipped = "county-party-plenary-meeting"
    result = cli(*TWO, "get", only_shipped, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["report"] == "hengdong-2023"
    assert cli("get", "hengdong-2023:gdp", "--json").exit_code == 0


def test_unknown_reports_and_ids_are_named(cli):
    missing = cli(*TWO, "get", "qinghe-2023:gpd")
    assert missing.exit_code == 1 and "did you mean qinghe-2023:gdp?" in missing.stderr
    close = cli(*TWO, "get", "gpd")
    assert close.exit_code == 1 and "did you mean hengdong-2023:gdp, qinghe-2023:gdp?" in close.stderr
    nowhere = cli(*TWO, "get", "shaoshan-2023:gdp")
    assert nowhere.exit_code == 1 and "no report 'shaoshan-2023'" in nowhere.stderr


# --- search, show, ask, export across reports ------------------------------------------


def test_a_directory_search_lists_every_reports_rankings_with_a_report_column(cli):
    result = cli(*THREE, "search", "排名")
    assert result.exit_code == 0
    found = rows(result.stdout)
    assert {r[0] for r in found} == {"hengdong-2023", "qinghe-2022", "qinghe-2023"}
    base = load_all([SHIPPED, REPORTS])
    ranked = {(f.report, f.id) for f in base.facts if f.rank}
    assert {(r[0], r[-1]) for r in found} >= ranked
    table = cli(*THREE, "search", "排名", "--format", "table", env={"COLUMNS": "120"})
    assert "报告" in table.stdout.splitlines()[2]  # the header row


def test_with_one_base_tables_have_no_report_column(cli):
    table = cli("search", "排名", "--format", "table", env={"COLUMNS": "120"})
    assert "报告" not in table.stdout and "hengdong-2023" not in table.stdout
    assert not rows(cli("search", "排名").stdout)[0][0].startswith("hengdong")
    assert json.loads(cli("get", "gdp", "--json").stdout)["report"] == "hengdong-2023"


def test_report_narrows(cli):
    result = cli(*THREE, "search", "排名", "--report", "qinghe-2023", "--json")
    assert {r["report"] for r in json.loads(result.stdout)} == {"qinghe-2023"}
    two = cli(*THREE, "show", "economy", "--report", "qinghe-2022", "--report", "hengdong-2023", "--json")
    assert {r["report"] for r in json.loads(two.stdout)} == {"qinghe-2022", "hengdong-2023"}
    wrong = cli(*THREE, "search", "排名", "--report", "qinghe-2024")
    assert wrong.exit_code == 2 and "did you mean qinghe-2023?" in wrong.stderr


def test_a_question_picks_its_report_by_place_id_word_and_year(cli):
    def reports(*question: str) -> list[str]:
        result = cli(*THREE, "ask", *question, "--json")
        return [r["report"] for r in json.loads(result.stdout)] if result.exit_code == 0 else []

    assert reports("青禾县GDP是多少") == ["qinghe-2022", "qinghe-2023"]
    assert reports("青禾县2022年GDP") == ["qinghe-2022"]
    assert reports("Qinghe's GDP in 2023") == ["qinghe-2023"]
    assert reports("衡东GDP") == ["hengdong-2023"]
    assert set(reports("GDP是多少")) == {"hengdong-2023", "qinghe-2022", "qinghe-2023"}


def test_a_year_no_report_of_the_place_covers_is_asked_of_it(cli):
    result = cli(*THREE, "ask", "衡东县2022年GDP")
    assert result.exit_code == 1
    assert "gives only 地区生产总值(GDP)（2023年前三季度）" in result.stderr and "not 2022年" in result.stderr


def test_silence_across_reports(cli):
    never = cli(*THREE, "search", "失业率")
    assert never.exit_code == 1 and "none of the reports mentions it" in never.stderr
    said = cli(*THREE, "search", "体制")
    assert said.exit_code == 1 and "the report hengdong-2023 mentions '体制'" in said.stderr


def test_answers_name_facts_by_report_and_id(cli):
    result = cli(*THREE, "ask", "青禾县2022年GDP")
    assert result.exit_code == 0
    assert "id: qinghe-2022:gdp" in result.stdout and "2022年前三季度" in result.stdout


def test_exports_carry_the_report(cli, tmp_path):
    table = list(csv.DictReader(io.StringIO(cli(*THREE, "export", "--format", "csv").stdout)))
    assert {r["report"] for r in table} == {"hengdong-2023", "qinghe-2022", "qinghe-2023"}
    assert len({(r["report"], r["id"]) for r in table}) == len(table) > len({r["id"] for r in table})
    lines = cli(*THREE, "export", "--format", "jsonl").stdout.splitlines()
    assert all(json.loads(line)["report"] for line in lines)


def test_sqlite_is_keyed_on_report_and_id_with_search_across_all(cli, tmp_path):
    db_path = tmp_path / "facts.db"
    assert cli(*THREE, "export", "-o", str(db_path)).exit_code == 0
    db = sqlite3.connect(db_path)
    keys = db.execute("SELECT name FROM pragma_table_info('facts') WHERE pk > 0 ORDER BY pk").fetchall()
    assert keys == [("report",), ("id",)]
    reports = db.execute("SELECT id, year, period FROM reports ORDER BY id").fetchall()
    assert reports == [
        ("hengdong-2023", 2023, None),
        ("qinghe-2022", 2022, "前三季度"),
        ("qinghe-2023", 2023, None),
    ]
    gdp = "SELECT f.report FROM facts_fts JOIN facts f ON f.rowid = facts_fts.rowid WHERE facts_fts MATCH ?"
    assert sorted(r for (r,) in db.execute(gdp, ["地区生产总值"])) == [
        "hengdong-2023",
        "qinghe-2022",
        "qinghe-2023",
    ]
    named = db.execute("SELECT report, fact_id FROM fact_names WHERE name = 'qinghe-2022:gdp'").fetchall()
    assert named == [("qinghe-2022", "gdp")]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO facts (report, id) VALUES ('qinghe-2022', 'gdp')")
    db.close()


# --- the report's names come from its [report] table -----------------------------------


def test_filler_comes_from_each_base_s_report(tmp_path):
    from hdfacts.lookup.query import find

    qinghe = load(QINGHE_2023)
    assert [f.id for f in find(qinghe, ["青禾县GDP"]).facts][:1] == ["gdp"]
    assert [f.id for f in find(qinghe, ["青禾GDP"]).facts][:1] == ["gdp"]
    # another county's name is not filler in this base: nothing of it is about 衡东
    assert find(qinghe, ["衡东县GDP"]).facts == []
    shipped = load(SHIPPED)
    assert [f.id for f in find(shipped, ["衡东县GDP"]).facts][:1] == ["gdp"]


def test_region_names():
    from hdfacts.lookup.reports import region_names

    assert region_names("湖南省衡阳市衡东县") == ["衡东县", "衡东"]
    assert region_names("示例省示例市青禾县") == ["青禾县", "青禾"]
    assert region_names("湖南省长沙市") == ["长沙市", "长沙"]
    assert region_names("广西壮族自治区") == ["广西壮族自治区", "广西壮族"]
    assert region_names("Qinghe") == ["Qinghe"] and region_names("") == []


# --- compare -----------------------------------------------------------------------------


def test_compare_two_reports_gdp_with_periods(cli):
    result = cli(*TWO, "compare", "GDP")
    assert result.exit_code == 0
    assert rows(result.stdout) == [
        ["hengdong-2023", "地区生产总值(GDP)", "255.92亿元", "2023年前三季度", "增长5.7%", "", "gdp"],
        ["qinghe-2023", "地区生产总值", "186.43亿元", "2023年全年", "同比增长6.2%", "全市第3", "gdp"],
    ]
    # the figures are of different spans of their years: said, on stderr beside a pipe's lines
    assert "时期不同" in result.stderr and "前三季度" in result.stderr


def test_compare_three_reports_as_records(cli):
    result = cli(*THREE, "compare", "城镇居民人均可支配收入", "--json")
    records = json.loads(result.stdout)
    assert [(r["report"], r["year"], r["id"], r["text"]) for r in records] == [
        ("hengdong-2023", 2023, "urban-disposable-income", "33073元"),
        ("qinghe-2022", 2022, "urban-disposable-income", "28640元"),
        ("qinghe-2023", 2023, "urban-disposable-income", "39215元"),
    ]
    assert all(r["missing"] is None for r in records)
    from hdfacts.output.views import COMPARED_FIELDS

    assert all(list(r) == list(COMPARED_FIELDS) for r in records)


def test_a_report_without_an_answer_says_so_in_its_row_never_a_near_fact(cli):
    result = cli(*THREE, "compare", "常住人口", "--json")
    assert result.exit_code == 0
    records = {r["report"]: r for r in json.loads(result.stdout)}
    assert records["qinghe-2023"]["id"] == "resident-population"
    for report in ("hengdong-2023", "qinghe-2022"):
        assert records[report]["id"] is None and records[report]["value"] is None
        assert records[report]["missing"] == "the report never mentions it"
    table = cli(*THREE, "compare", "常住人口", "--format", "table", env={"COLUMNS": "120"})
    assert "无答案" in table.stdout and table.stdout.count("the report never mentions it") == 2


def test_compare_keeps_what_the_question_asks_of_each_report(cli):
    result = cli(*THREE, "compare", "2023年粮食总产量", "--json")
    records = {r["report"]: r for r in json.loads(result.stdout)}
    assert records["hengdong-2023"]["text"] == "41.1万吨" and records["qinghe-2023"]["id"] == "grain-output"
    assert "not 2023年" in records["qinghe-2022"]["missing"]


def test_compare_in_english_and_when_no_report_answers(cli):
    english = cli(*TWO, "compare", "GDP", "--lang", "en", "--format", "table", env={"COLUMNS": "120"})
    assert "Q1-Q3 2023" in english.stdout and "full year 2023" in english.stdout
    assert "Note: the periods differ" in english.stdout
    none = cli(*TWO, "compare", "失业率")
    assert none.exit_code == 1 and none.stderr.endswith("hdfacts: no report answers '失业率'\n")


def test_compare_strips_the_reports_own_names(cli):
    result = cli(*THREE, "compare", "衡东县和青禾县的城镇居民收入", "--json")
    assert [r["id"] for r in json.loads(result.stdout)] == ["urban-disposable-income"] * 3


@pytest.mark.slow
def test_compare_from_the_installed_command(tmp_path):
    result = run_installed([*THREE, "compare", "GDP", "--json"], cwd=tmp_path, text=True)
    assert result.returncode == 0, result.stderr
    assert [r["report"] for r in json.loads(result.stdout)] == ["hengdong-2023", "qinghe-2022", "qinghe-2023"]
    clash = run_installed([*THREE, "get", "gdp"], cwd=tmp_path, text=True)
    assert clash.returncode == 2 and "hengdong-2023:gdp" in clash.stderr


def test_usage_error_type():
    with pytest.raises(UsageError, match="no report 'nope'"):
        load_all([SHIPPED, REPORTS], reports=["nope"])


@pytest.mark.parametrize(
    ("question", "answers"),
    [
        ("长沙县GDP", False),  # another county: the report says nothing of it
        ("株洲市的粮食产量", False),
        ("湖南衡东县GDP", True),  # the report's own place, with the places above it
        ("衡阳市衡东县的GDP", True),
        ("衡东GDP", True),
    ],
)
def test_a_question_about_another_place_is_not_answered(cli, question, answers):
    result = cli("search", question, "--fields", "id")
    assert (result.exit_code == 0) is answers, result.stderr
    if not answers:
        assert "the report is about 衡东县, not" in result.stderr


def test_another_place_among_several_reports(cli):
    result = cli(*THREE, "search", "长沙县GDP")
    assert result.exit_code == 1 and "none of the reports is about '长沙县'" in result.stderr


def test_a_report_s_places_come_from_its_region():
    from hdfacts.base.model import Report
    from hdfacts.lookup.reports import all_places, names, units

    assert units("湖南省衡阳市衡东县") == [["湖南省", "湖南"], ["衡阳市", "衡阳"], ["衡东县", "衡东"]]
    assert all_places([Report("x", region="示例省示例市青禾县")]) >= {"示例省", "示例市", "青禾县", "青禾"}
    own = names(Report("hengdong-2023", region="湖南省衡阳市衡东县", year=2023))
    assert {"衡东县", "衡东", "湖南衡东县", "衡阳市衡东", "2023", "2023年", "hengdong"} <= own
    assert not {"衡阳", "衡阳市", "湖南"} & own  # the city or the province alone is another place


def test_the_units_above_a_report_s_place_are_ranking_scopes(cli):
    from hdfacts.base.model import Report
    from hdfacts.lookup.reports import region_scopes

    scopes = region_scopes([Report("x", region="湖南省衡阳市衡东县")])
    assert scopes == {
        **{"湖南省": "全省", "湖南": "全省", "全湖南": "全省"},
        **{"衡阳市": "全市", "衡阳": "全市", "全衡阳": "全市"},
    }
    result = cli("--facts", str(QINGHE_2023), "search", "示例市排名", "--json")
    assert [(r["id"], r["rank"]["scope"]) for r in json.loads(result.stdout)] == [("gdp", "全市")]


def test_places_named_together_ask_one_thing_of_each(cli):
    result = cli(*THREE, "search", "衡东和青禾的城镇居民收入", "--json")
    assert [(r["report"], r["id"]) for r in json.loads(result.stdout)] == [
        ("hengdong-2023", "urban-disposable-income"),
        ("qinghe-2022", "urban-disposable-income"),
        ("qinghe-2023", "urban-disposable-income"),
    ]


def test_an_ordered_answer_says_when_its_periods_differ(cli):
    ranked = cli(*THREE, "ask", "衡东和青禾的城镇居民收入哪个更高")
    assert ranked.exit_code == 0
    assert (
        ranked.stdout.splitlines()[-1]
        == "注意：时期不同（2023年、2023年前三季度、2022年前三季度），数值不能直接相比。"
    )
    english = cli(*THREE, "ask", "which county's GDP grew fastest")
    assert english.stdout.splitlines()[-1].startswith("Note: the periods differ (full year 2023, Q1-Q3 2023")
    same = cli(*THREE, "ask", "青禾县粮食总产量哪个更高")  # both whole years: nothing to say
    assert same.exit_code == 0 and "时期不同" not in same.stdout


@pytest.mark.parametrize(
    ("args", "env", "code", "said"),
    [
        (["--facts", "", "topics"], {}, 2, "an empty path names no fact base"),
        (["compare", " "], {}, 1, "(the search term is empty)"),
        (["get", "nowhere-2023:gdp"], {}, 1, "no report 'nowhere-2023'"),
        (["topics"], {"HDFACTS_FACTS": "::"}, 0, ""),  # empty entries are skipped: the shipped base
    ],
)
def test_odd_paths_and_names(cli, args, env, code, said):
    result = cli(*args, env=env)
    assert result.exit_code == code and said in result.stderr
    assert result.stderr.count("\n") == (1 if code else 0)


def test_a_path_list_is_split_at_the_path_separator_not_at_spaces(cli, tmp_path):
    import os

    folder = tmp_path / "two words"
    folder.mkdir()
    shutil.copy(QINGHE_2023, folder / QINGHE_2023.name)
    result = cli("search", "排名", env={"HDFACTS_FACTS": os.pathsep.join([str(SHIPPED), str(folder)])})
    assert result.exit_code == 0 and {r[0] for r in rows(result.stdout)} == {"hengdong-2023", "qinghe-2023"}


def test_the_dictionaries_are_kept_once_for_every_base(cli, tmp_path, monkeypatch):
    from hdfacts.lookup import searcher

    monkeypatch.setattr(searcher, "_shared", {})  # as a new run has it
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}
    for question in ("粮食总产两今年搞了好多", "城里人收入涨了几多"):  # a slip and talk: both tables
        result = cli(*THREE, "compare", question, "--json", env=env)
        assert result.exit_code == 0, result.stderr
    kept = sorted(p.name for p in (cache / "hdfacts").iterdir())
    assert kept.count("shared.words") == 1 and kept.count("shared.syllables") == 1
    assert not [k for k in kept if k.endswith((".words", ".syllables")) and not k.startswith("shared.")]


def test_markdown_of_several_reports_has_the_report_column(cli):
    for args in (["export", "--format", "markdown"], ["search", "排名", "--format", "markdown"]):
        header = cli(*THREE, *args).stdout.splitlines()[0]
        assert header.startswith("| 报告 | 指标 |"), header
    assert not cli("export", "--format", "markdown").stdout.startswith("| 报告")


def test_a_region_of_any_length_reads_in_linear_time(cli, tmp_path):
    # a region of 200,000 unit marks once took time quadratic in its length to split
    odd = fact_file(tmp_path, 'region = "衡东县"', f'region = "{"县" * 200_000}"')
    result = cli("--facts", str(odd), "search", "GDP", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["id"] == "gdp"
