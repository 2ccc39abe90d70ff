"""The installed command, run as a user runs it: from another directory, in pipes, as a module."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import console_script

pytestmark = pytest.mark.slow  # builds a wheel or runs the installed command in processes


def run(args, *, cwd, env=None, shell=False, **kw):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("HDFACTS_", "_HDFACTS"))}
    full_env.update(env or {})
    return subprocess.run(args, cwd=cwd, env=full_env, shell=shell, capture_output=True, timeout=60, **kw)


def test_show_economy_from_another_directory(tmp_path):
    result = run([console_script(), "show", "economy"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    assert "255.92亿元" in out and "gdp" in out


def test_search_json_through_json_tool(tmp_path):
    cmd = f'"{console_script()}" search 排名 --json | "{sys.executable}" -m json.tool'
    result = run(cmd, cwd=tmp_path, shell=True)
    assert result.returncode == 0, result.stderr
    assert any(r["id"] == "urban-disposable-income" for r in json.loads(result.stdout))


def test_python_dash_m(tmp_path):
    result = run([sys.executable, "-m", "hdfacts", "get", "gdp", "--json"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["value"] == 25592000000
    version = run([sys.executable, "-m", "hdfacts", "--version"], cwd=tmp_path)
    assert version.stdout.decode().startswith("hdfacts ")


@pytest.mark.parametrize(
    "cmd",
    [
        "{exe} export --format json | head -c 100",
        "{exe} search 排名 | head -n 1",
        "{exe} export --format csv | head -n 2",
    ],
)
def test_closed_pipe_ends_quietly(tmp_path, cmd):
    script = f"set -o pipefail; {cmd.format(exe=console_script())} > /dev/null"
    result = run(["bash", "-c", script], cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == b""


def test_closed_pipe_on_large_output(tmp_path):
    # Enough output to fill the pipe buffer, so the write itself fails, not just the final flush.
    big = tmp_path / "big.toml"
    from conftest import DATA

    valid = (DATA / "valid.toml").read_text(encoding="utf-8")
    head, fact = valid.split("[[facts]]")
    big.write_text(
        head + "".join("[[facts]]" + fact.replace('id = "gdp"', f'id = "f{i}"') for i in range(3000)),
        encoding="utf-8",
    )
    exe = console_script()
    script = f'set -o pipefail; "{exe}" --facts "{big}" export --format jsonl | head -c 10 > /dev/null'
    result = run(["bash", "-c", script], cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == b""


def test_errors_are_one_line_without_traceback(tmp_path):
    result = run([console_script(), "show", "nope"], cwd=tmp_path)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err


def test_completion_of_topics_and_ids(tmp_path):
    exe = console_script()
    topics = run(
        [exe],
        cwd=tmp_path,
        env={"_HDFACTS_COMPLETE": "complete_bash", "COMP_WORDS": "hdfacts show eco", "COMP_CWORD": "2"},
    )
    assert topics.stdout.decode().split() == ["economy"]
    ids = run(
        [exe],
        cwd=tmp_path,
        env={"_HDFACTS_COMPLETE": "complete_bash", "COMP_WORDS": "hdfacts get urban-d", "COMP_CWORD": "2"},
    )
    assert ids.stdout.decode().split() == ["urban-disposable-income"]
