"""The README documents every command, and its examples run."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, commands
from hdfacts.base.model import FACT_FIELDS

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = commands()


def test_commands_are_known():
    assert set(COMMANDS) == {
        "topics",
        "show",
        "search",
        "ask",
        "get",
        "export",
        "validate",
        "verify",
        "chart",
        "mcp",
        "extract",
        "compare",
    }


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented_and_has_help(cli, name):
    assert f"hdfacts {name}" in README
    result = cli(name, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_the_two_commands():
    assert "pip install . && hdfacts show economy" in README
    assert "pip install -e '.[test,mcp]' && pytest" in README


def test_every_record_field_is_documented():
    for field in FACT_FIELDS:
        assert re.search(rf"^\| `{field}` \|", README, re.M), field


def test_library_example_runs(capsys):
    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "25592000000 元 5.7"
    assert "Quantity(value=11190000, unit='美元', qualifier=None)" in out
    assert out[-2:] == [
        "Gross regional product (GDP) (Q1-Q3 2023): 25,592,000,000 yuan, +5.7%",
        "地区生产总值(GDP)（2023年前三季度）：255.92亿元，增长5.7%",
    ]


@pytest.mark.parametrize(
    ("name", "said"), [("extract", "[report] table"), ("verify", "[report] source file")]
)
def test_help_shows_table_names_literally(cli, name, said):
    # typer reads help as rich markup, where [report] would be a tag and vanish
    result = cli(name, "--help", env={"COLUMNS": "300"})
    assert said in result.stdout
