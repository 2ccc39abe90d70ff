"""verify (provenance audit) and chart."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, SOURCE


@pytest.fixture
def report(source_text):
    return str(SOURCE)


def test_verify_passes_on_the_shipped_base(cli, report, base):
    result = cli("verify", "--source", report)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"ok, {len(base.facts)} facts agree with" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "ids", "check"),
    [
        ("255.92亿元", "255.93亿元", ["gdp"], "figure"),  # a typo in a figure
        ('text = "27868元"', 'text = "27869元"', ["per-capita-disposable-income"], "figure"),
        (
            'rank = { scope = "全省", position = 67 }',
            'rank = { scope = "全省", position = 66 }',
            ["public-security-poll"],
            "figure",
        ),
    ],
)
def test_verify_catches_a_typo(cli, report, tmp_path, old, new, ids, check):
    facts = tmp_path / "facts.toml"
    text = (ROOT / "facts.toml").read_text(encoding="utf-8")
    assert old in text
    facts.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = cli("--facts", str(facts), "verify", "-s", report, "--json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert {p["fact_id"] for p in problems if p["fact_id"]} == set(ids)
    assert check in {p["check"] for p in problems}
    assert result.stderr.startswith(f"hdfacts: {len(problems)} problems: facts {', '.join(ids)}")


def test_verify_lists_uncovered_numbers(cli, report, tmp_path):
    text = (ROOT / "facts.toml").read_text(encoding="utf-8")
    start = text.index('[[facts]]\nid = "grain-output"')
    end = text.index("[[facts]]", start + 5)
    facts = tmp_path / "facts.toml"
    facts.write_text(text[:start] + text[end:], encoding="utf-8")
    result = cli("--facts", str(facts), "verify", "-s", report)
    assert result.exit_code == 1
    assert "coverage\t\t41.1 in" in result.stdout
    assert result.stderr.endswith(": 1 problem: facts -; 1 number of the source not covered\n")


def test_verify_missing_source(cli, tmp_path):
    result = cli("verify", "-s", str(tmp_path / "none.txt"))
    assert result.exit_code == 2 and result.stderr.endswith("none.txt: no such file\n")


def test_chart_growth_json(cli):
    series = json.loads(cli("chart", "growth", "--json").stdout)
    assert [(s["id"], s["value"]) for s in series] == [
        ("gdp", 5.7),
        ("per-capita-disposable-income", 6.1),
        ("urban-disposable-income", 4.9),
        ("fixed-asset-investment", 11.5),
        ("foreign-trade-growth", 30.2),
    ]


def test_chart_rank_json(cli, base):
    series = json.loads(cli("chart", "rank", "--json").stdout)
    assert [(s["id"], s["scope"], s["value"]) for s in series] == [
        (f.id, f.rank.scope, f.rank.position) for f in base.facts if f.rank
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_bars_at_80_columns(cli, lang):
    out = cli("chart", "growth", "--format", "table", "--lang", lang, env={"COLUMNS": "80"}).stdout
    lines = [line for line in out.splitlines() if "█" in line]
    assert len(lines) == 5
    from rich.cells import cell_len

    assert all(cell_len(line) <= 80 for line in out.splitlines())
    # the longest bar is the largest growth rate (foreign trade, 30.2%)
    longest = max(lines, key=lambda line: line.count("█"))
    assert "30.2%" in longest
    assert "…" not in out


def test_chart_rank_bars(cli):
    out = cli("chart", "rank", "--format", "table", env={"COLUMNS": "80"}).stdout
    assert out.count("█") > 0 and "全省第67" in out and "全市第1" in out


def test_chart_unknown_kind(cli):
    result = cli("chart", "pie")
    assert result.exit_code == 2 and "pie" in result.stderr


# ------------------------------------------------ several bases, each with its own report

REPORTS = ROOT / "tests" / "data" / "reports"


@pytest.fixture
def reports(tmp_path):
    """A directory of the two test bases, each with its report beside it."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("qinghe-2022", "qinghe-2023"):
        for f in (f"{name}.toml", f"{name}-report.txt"):
            (folder / f).write_bytes((REPORTS / f).read_bytes())
    return folder


def test_verify_without_source_reads_the_shipped_report(cli, base):
    result = cli("verify")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{base.path}: ok, {len(base.facts)} facts agree with ")
    assert result.stdout.rstrip().split(" agree with ")[1].startswith(str(ROOT / "hengdong-2023-report.txt"))


def test_verify_checks_each_base_against_its_own_report(cli, reports):
    result = cli("--facts", str(reports), "verify")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{reports / 'qinghe-2022.toml'}: ok, 7 facts agree with {reports / 'qinghe-2022-report.txt'} "
        "(quotes verbatim, figures in their quotes, every number covered)",
        f"{reports / 'qinghe-2023.toml'}: ok, 19 facts agree with {reports / 'qinghe-2023-report.txt'} "
        "(quotes verbatim, figures in their quotes, every number covered)",
    ]


def test_verify_with_one_source_for_several_bases_is_refused(cli, reports):
    source = str(reports / "qinghe-2023-report.txt")
    result = cli("--facts", str(reports), "verify", "--source", source)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "hdfacts: --source is the text of one report, and 2 are loaded (qinghe-2022, qinghe-2023): "
        "leave it out to check each against its own report, or name one with --report\n"
    )
    narrowed = cli("--facts", str(reports), "verify", "--source", source, "--report", "qinghe-2023")
    assert narrowed.exit_code == 0 and narrowed.stdout.startswith(
        f"{reports / 'qinghe-2023.toml'}: ok, 19 facts"
    )


def test_verify_finds_a_report_that_is_not_the_one_of_the_facts(cli, reports):
    report = reports / "qinghe-2022-report.txt"
    report.write_bytes(report.read_bytes() + "全县新建学校4所。\n".encode())
    result = cli("--facts", str(reports), "verify", "--json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert problems[0]["check"] == "source"
    assert problems[0]["detail"].startswith(
        f"qinghe-2022: {report} is not the report the facts were taken from"
    )
    assert {p["detail"].split(":")[0] for p in problems} == {"qinghe-2022"}  # the other report agrees
    assert result.stderr.endswith("; 1 report not the one the facts were taken from (SHA-256)\n")
    # the same text named with --source is checked as it is, quotes and numbers only
    given = cli("--facts", str(reports / "qinghe-2022.toml"), "verify", "-s", str(report), "--json")
    assert {p["check"] for p in json.loads(given.stdout)} == {"coverage"}


def test_verify_of_a_base_whose_report_is_missing(cli, reports):
    (reports / "qinghe-2023-report.txt").unlink()
    result = cli("--facts", str(reports), "verify")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"hdfacts: {reports / 'qinghe-2023-report.txt'}: no such file "
        f"(the report of {reports / 'qinghe-2023.toml'}, its [report] source, looked for beside it)\n"
    )


def test_verify_of_a_base_that_names_no_report_file(cli, tmp_path):
    facts = tmp_path / "mine.toml"
    text = (REPORTS / "qinghe-2022.toml").read_text(encoding="utf-8")
    facts.write_text(text.replace('source = "qinghe-2022-report.txt"\n', "", 1), encoding="utf-8")
    result = cli("--facts", str(facts), "verify")
    assert result.exit_code == 2
    assert (
        result.stderr == f"hdfacts: {facts}: names no report file ([report] source): give it with --source\n"
    )


def test_validate_checks_every_base(cli, reports):
    lines = [
        f"{reports / 'qinghe-2022.toml'}: ok, 7 facts in 3 topics",
        f"{reports / 'qinghe-2023.toml'}: ok, 19 facts in 7 topics",
    ]
    for args in (
        ("validate", str(reports)),
        ("validate", str(reports / "qinghe-2022.toml"), str(reports / "qinghe-2023.toml")),
        (
            "--facts",
            str(reports / "qinghe-2022.toml"),
            "--facts",
            str(reports / "qinghe-2023.toml"),
            "validate",
        ),
    ):
        result = cli(*args)
        assert (result.exit_code, result.stdout.splitlines()) == (0, lines), args


def test_validate_names_the_broken_base_among_several(cli, reports):
    broken = reports / "qinghe-2023.toml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace('id = "gdp"', 'id = "GDP!"', 1), encoding="utf-8"
    )
    result = cli("validate", str(reports))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"hdfacts: {broken}:") and "GDP!" in result.stderr


def test_validate_refuses_two_bases_of_one_report(cli, reports, tmp_path):
    again = tmp_path / "again.toml"
    again.write_bytes((reports / "qinghe-2023.toml").read_bytes())
    result = cli("validate", str(reports), str(again))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"hdfacts: {again}: is report 'qinghe-2023', as {reports / 'qinghe-2023.toml'} is: "
        "give one of them its own [report] id\n"
    )


@pytest.mark.slow
def test_the_installed_command_validates_and_verifies_a_directory(reports):
    from conftest import run_installed

    checked = run_installed(["validate", str(reports)], text=True)
    assert checked.returncode == 0 and len(checked.stdout.splitlines()) == 2, checked.stderr
    verified = run_installed(["--facts", str(reports), "verify"], text=True)
    assert verified.returncode == 0 and verified.stdout.count(": ok, ") == 2, verified.stderr
    (reports / "qinghe-2022-report.txt").unlink()
    missing = run_installed(["--facts", str(reports), "verify"], text=True)
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr.count("\n") == 1 and "qinghe-2022-report.txt: no such file" in missing.stderr
