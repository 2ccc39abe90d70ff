"""Property-based fuzz of the real console script's argument lists, and of the MCP
server's tool arguments.

Whatever the arguments: an exit code from the documented set, at most one line on
stderr, never a traceback, and JSON output that parses. The number of examples is the
hypothesis profile's (conftest.py: 100 by default, about 20 s on two cores; 300 under
HYPOTHESIS_PROFILE=ci, as CI runs; 5000 under "deep"); HDFACTS_FUZZ_EXAMPLES overrides
it, and HDFACTS_FUZZ_SEED=any draws new examples instead of the fixed ones.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, console_script

EXAMPLES = int(os.environ.get("HDFACTS_FUZZ_EXAMPLES", "0")) or settings().max_examples
DOCUMENTED = {0, 1, 2}  # 70 (a bug), 74 (output), 130/143 (signals) must not come from arguments

COMMANDS = [
    *("topics", "show", "search", "ask", "compare", "get", "export", "validate", "chart", "verify"),
    *("nonsense", ""),
]
OPTIONS = [
    "--json",
    "--format",
    "-f",
    "--fields",
    "--lang",
    "--min",
    "--max",
    "--top",
    "--scope",
    "--sort",
    "--any",
    "--topic",
    "-t",
    "-o",
    "--force",
    "--excel-safe",
    "--facts",
    "--report",
    "--no-cache",
    "--help",
    "-V",
    "--source",
    "--",
]
VALUES = [
    str(DATA / "reports"),  # several reports, with ids that clash with the shipped base's
    "hengdong-2023:gdp",
    "qinghe-2023",
    ":",
    "json",
    "jsonl",
    "csv",
    "tsv",
    "table",
    "markdown",
    "sqlite",
    "en",
    "zh",
    "全市",
    "city",
    "",
    "economy",
    "gdp",
    "排名",
    "paiming",
    "GDP",
    "id,text",
    ",",
    "1e999",
    "nan",
    "-3",
    "0",
    "100亿",
    "\x1b[31m",
    "[bold]",
    "(",
    "../..",
    "\u2028",
    "ｅｃｏｎ",
    "growth",
    "rank",
    "/dev/null",
    "/nonexistent/x.toml",
    "x" * 300,
    "an" * 40 + "q",  # pinyin-like, ambiguous: once exponential
    "ai" * 200,
    "是多少",
    "what was GDP growth",
    "\x01",
]
token = st.one_of(
    st.sampled_from(COMMANDS),
    st.sampled_from(OPTIONS),
    st.sampled_from(VALUES),
    st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12),
)


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("HDFACTS_FUZZ_SEED") is None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(token, max_size=6))
def test_any_arguments_end_cleanly(tmp_path_factory, argv):
    if "-o" in argv:  # writes go to a scratch directory, never into the repository
        argv = [str(tmp_path_factory.mktemp("out") / "o.json") if a == "" else a for a in argv]
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDFACTS_")}
    env["COLUMNS"] = "100"
    cwd = tmp_path_factory.mktemp("cwd")
    result = subprocess.run(
        [console_script(), *argv], capture_output=True, timeout=60, env=env, cwd=cwd, stdin=subprocess.DEVNULL
    )
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode in DOCUMENTED, (argv, result.returncode, err)
    assert "Traceback" not in err, (argv, err)
    assert err.count("\n") <= 1, (argv, err)
    pairs = itertools.pairwise(argv)
    wants_json = "--json" in argv or any(b in ("--format", "-f") and a == "json" for b, a in pairs)
    quiet = {"--help", "-h", "-V", "--version", "-o"}.isdisjoint(argv)
    if wants_json and quiet and result.returncode in (0, 1) and result.stdout:
        json.loads(result.stdout)


# --- the MCP server's tools, with any arguments ------------------------------------

TOOLS = ["search", "get", "ask", "topics", "nonsense"]
KEYS = ["query", "id", "question", "topic", "min", "max", "top", "scope", "limit", "extra"]
json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(VALUES)
    | st.text(max_size=40)
    | st.sampled_from(["\ud800", "粮食\udfff", "\ud83d"]),  # lone surrogates: json.dumps sends \\udXXX
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def mcp_server(tmp_path_factory):
    pytest.importorskip("mcp")
    from test_mcp import HANDSHAKE, start_server

    proc = start_server(tmp_path_factory.mktemp("mcp"))
    assert proc.stdin and proc.stdout
    for message in HANDSHAKE:
        proc.stdin.write(json.dumps(message) + "\n")
    proc.stdin.flush()
    assert json.loads(proc.stdout.readline())["id"] == 1
    yield proc
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0
    proc.kill()


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("HDFACTS_FUZZ_SEED") is None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(TOOLS), st.dictionaries(st.sampled_from(KEYS), json_value, max_size=4))
def test_any_tool_arguments_get_a_reply(mcp_server, tool, arguments):
    import threading

    request_id = next(_ids)
    params = {"name": tool, "arguments": arguments}
    mcp_server.stdin.write(
        json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": params})
    )
    mcp_server.stdin.write("\n")
    mcp_server.stdin.flush()
    watchdog = threading.Timer(30, mcp_server.kill)  # silence fails the test rather than hanging it
    watchdog.start()
    try:
        line = mcp_server.stdout.readline()
    finally:
        watchdog.cancel()
    assert line, (tool, arguments, "the server ended")
    reply = json.loads(line)
    assert reply["id"] == request_id and ("result" in reply or "error" in reply), (tool, arguments, reply)


_ids = itertools.count(2)
