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
