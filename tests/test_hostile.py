"""Hostile data, odd arguments, closed pipes and odd terminals: clear answers, nothing raw."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import DATA, console_script, run_installed

HOSTILE = str(DATA / "hostile.toml")
# What must never reach a terminal raw: C0 controls but newline (and tab where it
# separates fields), DEL, C1 controls, and the bidirectional overrides.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
COMMANDS = [("get", "gdp"), ("show", "economy"), ("search", "GDP"), ("export",)]
FORMATS = ["table", "json", "jsonl", "csv", "tsv", "markdown", None]


def cases():
    for cmd in COMMANDS:
        for fmt in FORMATS:
            if cmd[0] == "export" and fmt in ("table", None):
                continue
            yield pytest.param(cmd, fmt, id=f"{cmd[0]}-{fmt or 'default'}")


@pytest.mark.parametrize(("cmd", "fmt"), list(cases()))
def test_hostile_text_is_never_raw(cli, cmd, fmt):
    args = ["--facts", HOSTILE, *cmd] + (["--format", fmt] if fmt else [])
    result = cli(*args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert not RAW.search(out), repr(RAW.search(out))
    if fmt in ("json", "jsonl"):
        data = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
        record = data if isinstance(data, dict) else data[0]
        # escaped on the wire, exact once parsed
        assert record["metric_en"] == "GDP \x1b[31mred\x1b[0m \x07bell \x9b2J \u202eevil"
        assert record["metric"] == "[bold red]x[/bold red] 地区生产总值"
    elif fmt in ("csv", "tsv"):
        rows = list(csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
        assert rows[0]["metric"] == "[bold red]x[/bold red] 地区生产总值"
        assert rows[0]["metric_en"] == "GDP \\x1b[31mred\\x1b[0m \\x07bell \\x9b2J \\u202eevil"
    else:
        # the markup is shown as written (a narrow column may fold it across lines)
        flat = "".join(out.split())
        assert "[boldred]x[/boldred]" in flat


def test_markup_is_shown_literally_in_a_table(cli):
    out = cli(
        "--facts", HOSTILE, "get", "gdp", "--format", "table", env={"COLUMNS": "200", "FORCE_COLOR": "1"}
    ).stdout
    assert "[bold red]x[/bold red] 地区生产总值" in out
    assert "[link=file:///etc/passwd]click[/link]" in out
    assert "\x1b]8;" not in out  # no hyperlink escape
    assert "\\x1b[31mred\\x1b[0m" in out


def test_search_title_with_escape_is_escaped(cli):
    result = cli("search", "\x1b[2J", "--format", "table")
    assert result.exit_code == 1
    assert "\x1b[2J" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "term",
    [
        pytest.param("x" * 20_000, id="20000-chars"),
        pytest.param("(((", id="parens"),
        pytest.param("[bold]", id="markup"),
        pytest.param(".*", id="regex"),
        pytest.param("\x1b[31m", id="escape"),
        pytest.param("../..", id="path"),
        pytest.param("%s%n", id="format"),
        pytest.param("\\", id="backslash"),
    ],
)
def test_odd_search_terms_are_just_not_found(cli, term):
    result = cli("search", term, "--json")
    assert result.exit_code == 1
    assert result.stdout == "[]\n"
    assert result.stderr.startswith("hdfacts: no facts match ")
    assert not RAW.search(result.stderr)


def test_empty_search_term_is_not_found(cli):
    result = cli("search", "", "--json")
    assert result.exit_code == 1
    assert result.stdout == "[]\n"
    assert result.stderr == "hdfacts: no facts match '' (the search term is empty)\n"


@pytest.mark.parametrize("fact_id", ["", "x" * 20_000, "../../etc/passwd", "[bold]", "\x1b[31m", "GDPP"])
def test_odd_ids_are_just_not_found(cli, fact_id):
    result = cli("get", fact_id)
    assert result.exit_code == 1
    assert result.stderr.startswith("hdfacts: no fact with id ")
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 300
    assert not RAW.search(result.stderr)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("show", "economy", "--format", "yaml"), id="format"),
        pytest.param(("show", "economy", "--lang", "fr"), id="lang"),
        pytest.param(("export", "--format", "xml"), id="export-format"),
        pytest.param(("show", "economy", "--fields", ","), id="empty-fields"),
        pytest.param(("get",), id="missing-id"),
        pytest.param(("nonsense",), id="unknown-command"),
    ],
)
def test_malformed_arguments_exit_2(cli, args):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr and "Traceback" not in result.stderr


def test_validate_does_not_modify_what_it_reads(cli, tmp_path):
    path = tmp_path / "facts.toml"
    path.write_bytes((DATA / "broken" / "duplicate-id.toml").read_bytes())
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    assert cli("validate", str(path)).exit_code == 2
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_export_to_a_directory_is_refused(cli, tmp_path):
    result = cli("export", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"hdfacts: {tmp_path} is a directory: name a file to write\n"


def test_export_into_a_missing_directory(cli, tmp_path):
    target = tmp_path / "no" / "such" / "facts.json"
    result = cli("export", "-o", str(target))
    assert result.exit_code == 74  # a file that cannot be written, as a full disk: one policy
    assert result.stderr.startswith(f"hdfacts: cannot write {target}: ")


def test_interrupted_export_leaves_no_file(tmp_path, monkeypatch):
    from hdfacts.output import export

    target = tmp_path / "facts.json"

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(export.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        export.replace_atomically(target, lambda tmp: tmp.write_text("data", encoding="utf-8"))
    assert list(tmp_path.iterdir()) == []


# Real processes for what only a real process shows: encodings, locales, signals.


run = run_installed


@pytest.mark.slow
@pytest.mark.parametrize(
    "env",
    [
        {"LANG": "C", "LC_ALL": "C"},
        {"TERM": "dumb"},
        {"NO_COLOR": "1"},
        {"COLUMNS": "20"},
    ],
    ids=["lang-c", "term-dumb", "no-color", "columns-20"],
)
def test_odd_environments_work(env):
    table = run(["search", "排名", "--format", "table"], env=env)
    assert table.returncode == 0, table.stderr
    out = table.stdout.decode("utf-8")
    assert "全市第1" in out  # a ranking is never split, at 20 columns too
    data = run(["search", "排名", "--json"], env=env)
    assert len(json.loads(data.stdout)) == 9


@pytest.mark.slow
def test_ascii_output_json_escapes():
    result = run(["get", "gdp", "--json"], env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0
    assert result.stdout.isascii()
    assert json.loads(result.stdout)["metric"] == "地区生产总值(GDP)"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "markdown"])
def test_ascii_output_tables_fail_cleanly(fmt):
    result = run(["show", "economy", "--format", fmt], env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr == (
        b"hdfacts: the output encoding (ascii) cannot show this text: use --json, "
        b"or set PYTHONIOENCODING=utf-8 (or a UTF-8 locale)\n"
    )


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_ctrl_c_exits_130(tmp_path):
    fifo = tmp_path / "facts.toml"
    os.mkfifo(fifo)  # reading it blocks until a writer comes: time to press Ctrl-C
    proc = subprocess.Popen(
        [console_script(), "--facts", str(fifo), "topics"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err == b"hdfacts: interrupted\n"


@pytest.mark.slow
def test_internal_errors_are_one_line(tmp_path):
    # A module that raises where no user error is expected stands in for a bug.
    code = (
        "import sys, hdfacts.lookup.query as q\n"
        "def boom(*a, **k): raise RuntimeError('simulated bug')\n"
        "q.facts_of = boom\n"
        "import hdfacts.cli as c, hdfacts.cli.commands as k; k.facts_of = boom\n"
        "sys.argv = ['hdfacts', 'show', 'economy']\n"
        "c.main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 70
    assert result.stderr == (
        b"hdfacts: internal error: RuntimeError: simulated bug (set HDFACTS_DEBUG=1 to see the traceback)\n"
    )
