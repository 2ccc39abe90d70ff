"""`hdfacts mcp`: the Model Context Protocol server, through the SDK's own client.

The slow tests start the installed console script and talk to it over stdio with
`mcp.ClientSession`, as an assistant's client does; the rest run in-process.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, ROOT, console_script

README = (ROOT / "README.md").read_text(encoding="utf-8")

HUGE = "粮" * (1 << 20)  # a megabyte-sized query, and then some


def test_without_the_sdk_mcp_says_how_to_install(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "mcp", None)  # as if `hdfacts[mcp]` were not installed
    result = cli("mcp")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == "hdfacts: hdfacts mcp needs the MCP SDK: pip install '.[mcp]' in the hdfacts checkout\n"
    )


@pytest.mark.slow
def test_a_broken_base_ends_mcp_before_serving(tmp_path):
    pytest.importorskip("mcp")
    broken = DATA / "broken" / "duplicate-id.toml"
    result = subprocess.run(
        [console_script(), "--facts", str(broken), "mcp"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"hdfacts: {broken}:") and "duplicate fact id" in lines[0]


def test_fact_record_is_the_json_contract(base):
    pytest.importorskip("mcp")
    from hdfacts.base.model import FACT_FIELDS
    from hdfacts.mcp_server import FactRecord

    assert tuple(FactRecord.model_fields) == FACT_FIELDS
    for fact in base.facts:
        assert FactRecord.model_validate(fact.to_dict()).model_dump(mode="json") == fact.to_dict()


# --- the built server, in-process through the SDK's client ------------------------


def in_process(scenario: Callable[[Any], Awaitable[Any]], base: Any = None) -> Any:
    """Run `scenario(client)` with the SDK's client on the server built on `base` (the
    shipped one by default), in-process: the protocol's messages, without a process."""
    pytest.importorskip("mcp")
    import anyio
    from mcp import Client

    import hdfacts
    from hdfacts.mcp_server import build

    async def main() -> Any:
        async with Client(build(base or hdfacts.load())) as client:
            return await scenario(client)

    return anyio.run(main)


def call(base: Any, tool: str, arguments: dict[str, Any]) -> Any:
    """Call one tool of the server built on `base`, in-process, as a client does."""
    return in_process(lambda client: client.call_tool(tool, arguments), base)


FILTERED = [
    pytest.param({"query": "排名", "scope": "city"}, ["排名", "--scope", "city"], id="scope-city"),
    pytest.param({"query": "排名", "scope": "市里"}, ["排名", "--scope", "市里"], id="scope-shili"),
    pytest.param({"query": "", "min": "10万元"}, ["--min", "10万元"], id="min-with-unit"),
    pytest.param(
        {"query": "", "min": "1万吨", "max": "100万吨"}, ["--min", "1万吨", "--max", "100万吨"], id="tonnes"
    ),
    pytest.param({"query": "", "min": 1e9}, ["--min", "1000000000"], id="min-number"),
    pytest.param(
        {"query": "", "top": 2, "scope": "province"}, ["--top", "2", "--scope", "province"], id="top"
    ),
]


@pytest.mark.parametrize(("arguments", "argv"), FILTERED)
def test_search_filters_read_as_the_cli_reads_them(base, cli, arguments, argv):
    result = call(base, "search", {**arguments, "limit": MAX})
    expected = cli("search", *argv, "--json")
    wanted = [r["id"] for r in json.loads(expected.stdout)]
    assert expected.exit_code == (0 if wanted else 1)
    assert not result.is_error
    assert [f["id"] for f in result.structured_content["facts"]] == wanted
    assert result.structured_content["total"] == len(wanted)


MAX = 100


def test_filters_that_remove_every_match_are_named(base, cli):
    result = call(base, "search", {"query": "粮食", "min": "100亿"})
    assert result.structured_content["facts"] == []
    assert (
        result.content[0].text == "The report does not state it: 4 facts match '粮食', none passes min 100亿."
    )
    said = cli("search", "粮食", "--min", "100亿")
    assert said.stderr == "hdfacts: 4 facts match '粮食', none passes --min 100亿\n"


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        pytest.param({"query": "排名", "scope": "城市"}, "scope: unknown scope '城市'", id="scope"),
        pytest.param({"query": "", "min": "10万元", "max": "1万吨"}, "name different units", id="units"),
        pytest.param({"query": "  "}, "the query is empty", id="blank"),
    ],
)
def test_filters_the_cli_refuses_are_tool_errors(base, arguments, error):
    result = call(base, "search", arguments)
    assert result.is_error
    assert error in result.content[0].text


def test_instructions_and_title_come_from_the_loaded_base():
    pytest.importorskip("mcp")
    import hdfacts
    from hdfacts.mcp_server import build

    small = hdfacts.load(DATA / "valid.toml")
    server = build(small)
    assert server.instructions is not None
    assert server.instructions.startswith(
        "Verified facts and figures of the report 《测试》 (衡东县, 2023; id valid), 1 fact"
    )
    assert "Hengdong" not in server.instructions
    assert server.title == "测试"


# --- the installed server, over stdio --------------------------------------------


def run_session(
    scenario: Callable[[Any], Awaitable[Any]],
    *,
    args: list[str] | None = None,
    facts: Path | None = None,
    errlog: Path | None = None,
) -> Any:
    """Start `hdfacts mcp`, open a client session on it and run `scenario(session)`."""
    pytest.importorskip("mcp")
    import anyio
    from mcp import ClientSession, StdioServerParameters, stdio_client

    # The client passes on only a safe few variables; keep the cache private to the tests.
    env = {"XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    if facts is not None:
        env["HDFACTS_FACTS"] = str(facts)
    params = StdioServerParameters(command=console_script(), args=args or ["mcp"], env=env)

    async def main() -> Any:
        with open(errlog or os.devnull, "w", encoding="utf-8") as err:
            async with (
                stdio_client(params, errlog=err) as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                return await scenario(session)

    return anyio.run(main)


async def alive(session: Any) -> None:
    """The server still answers: get gdp succeeds."""
    result = await session.call_tool("get", {"id": "gdp"})
    assert not result.is_error and result.structured_content["text"] == "255.92亿元"


def test_tools_are_listed_with_their_schemas(tmp_path):
    async def scenario(session):
        return (await session.list_tools()).tools

    tools = {t.name: t for t in in_process(scenario)}
    assert set(tools) == {"search", "get", "topics", "ask"}
    for name in ("search", "get", "ask"):  # the tools that return figures say what to cite
        assert "quote" in tools[name].description and "period" in tools[name].description, name
    for tool in tools.values():
        assert tool.output_schema and tool.output_schema["type"] == "object", tool.name
        assert tool.annotations.read_only_hint is True
    assert set(tools["search"].input_schema["properties"]) == {
        "query",
        "topic",
        "min",
        "max",
        "top",
        "scope",
        "limit",
        "report",
    }
    assert tools["search"].input_schema["required"] == ["query"]
    assert tools["get"].input_schema["required"] == ["id"]


def test_search_get_and_topics(base, tmp_path):
    async def scenario(session):
        return (
            await session.call_tool("search", {"query": "粮食"}),
            await session.call_tool("search", {"query": "排名", "scope": "全市", "top": 1, "min": "1万"}),
            await session.call_tool("search", {"query": "排名", "limit": 2}),
            await session.call_tool("get", {"id": "gdp"}),
            await session.call_tool("topics", {}),
        )

    grain, best, limited, gdp, topics = in_process(scenario)

    records = {r["id"]: r for r in grain.structured_content["facts"]}
    assert records["grain-output"]["text"] == "41.1万吨"
    assert records["grain-output"]["quote"] == "实现粮食总产量41.1万吨"
    assert "41.1万吨" in grain.content[0].text and "实现粮食总产量41.1万吨" in grain.content[0].text

    assert best.structured_content["facts"], "a filtered search finds the city's first places"
    for r in best.structured_content["facts"]:
        assert r["rank"] == {"scope": "全市", "position": 1} and r["value"] >= 10_000

    every = len([f for f in base.facts if f.rank or "排名" in f.quote])
    assert limited.structured_content["total"] >= every > 2
    assert len(limited.structured_content["facts"]) == 2

    assert not gdp.is_error
    assert gdp.structured_content == base.fact("gdp").to_dict()
    assert "255.92亿元" in gdp.content[0].text and "前三季度" in gdp.content[0].text
    assert gdp.structured_content["period"] == "前三季度"

    listed = topics.structured_content["topics"]
    assert [t["slug"] for t in listed] == [t.slug for t in base.topics]
    assert sum(t["facts"] for t in listed) == len(base.facts)


def test_search_in_a_readers_words_finds_grain_output():
    async def scenario(session):
        return await session.call_tool("search", {"query": "粮食产量"})

    result = in_process(scenario)
    first = result.structured_content["facts"][0]
    assert (first["id"], first["text"]) == ("grain-output", "41.1万吨")
    assert first["quote"] in result.content[0].text


def test_ask_answers_with_quoted_records_or_says_the_report_is_silent():
    async def scenario(session):
        return (
            await session.call_tool("ask", {"question": "粮食总产量"}),
            await session.call_tool("ask", {"question": "衡东县火星基地的人口"}),
        )

    answered, silent = in_process(scenario)
    assert not answered.is_error
    assert answered.structured_content["answer"]
    facts = answered.structured_content["facts"]
    assert "grain-output" in [f["id"] for f in facts]
    for f in facts:
        assert f["quote"] and f["quote"] in answered.content[0].text

    assert not silent.is_error  # a silent report is an answer, not a failure
    assert silent.structured_content["answer"] is None and silent.structured_content["facts"] == []
    assert "does not give" in silent.content[0].text


BAD_CALLS = [
    pytest.param("search", {"query": 5}, "query", id="search-query-not-text"),
    pytest.param("search", {"query": ""}, "empty", id="search-empty"),
    pytest.param("search", {"query": "   "}, "empty", id="search-blank"),
    pytest.param("search", {"query": HUGE}, "1,048,576 characters", id="search-huge"),
    pytest.param("search", {}, "query", id="search-no-query"),
    pytest.param("search", {"query": "排名", "limit": 0}, "limit", id="search-limit-zero"),
    pytest.param("search", {"query": "排名", "limit": "many"}, "limit", id="search-limit-not-number"),
    pytest.param("search", {"query": "排名", "top": -1}, "top", id="search-top-negative"),
    pytest.param("search", {"query": "排名", "min": "abc"}, "min", id="search-min-not-figure"),
    pytest.param(
        "search", {"query": "排名", "topic": "econmy"}, "did you mean economy", id="search-bad-topic"
    ),
    pytest.param("get", {"id": "gpd"}, "'gpd' (did you mean gdp", id="get-unknown-id"),
    pytest.param("get", {"id": 5}, "id", id="get-id-not-text"),
    pytest.param("get", {}, "id", id="get-no-id"),
    pytest.param("get", {"id": HUGE}, "characters long", id="get-huge-id"),
    pytest.param("ask", {"question": ""}, "empty", id="ask-empty"),
    pytest.param("ask", {"question": None}, "question", id="ask-null"),
    pytest.param("ask", {"question": HUGE}, "characters long", id="ask-huge"),
    pytest.param("nope", {}, "nope", id="unknown-tool"),
]


def test_bad_calls_are_tool_errors_and_the_server_goes_on():
    calls = [p.values for p in BAD_CALLS]

    async def scenario(session):
        out = []
        for tool, args, _ in calls:
            out.append(await session.call_tool(tool, args))
            await alive(session)
        return out

    results = in_process(scenario)
    for (tool, _, expected), result in zip(calls, results, strict=True):
        text = result.content[0].text
        assert result.is_error, (tool, text)
        assert expected in text, (tool, text)
        assert len(text) < 2000, "an error never echoes a huge argument back"
        assert "\n" not in text and "http" not in text, (tool, text)  # one line, no pydantic web address


def test_resources_meta_and_facts(base):
    async def scenario(session):
        from mcp import MCPError

        meta = await session.read_resource("hdfacts://meta")
        gdp = await session.read_resource("hdfacts://fact/gdp")
        try:
            await session.read_resource("hdfacts://fact/gpd")
            unknown = None
        except MCPError as e:
            unknown = str(e)
        templates = (await session.list_resource_templates()).resource_templates
        await alive(session)
        return meta, gdp, unknown, templates

    meta, gdp, unknown, templates = in_process(scenario)
    about = json.loads(meta.contents[0].text)
    assert about["title"] == base.meta.title == "衡东县2023年高质量发展成绩"
    assert about["year"] == 2023 and about["source"] == base.meta.source
    assert about["facts"] == len(base.facts)
    assert json.loads(gdp.contents[0].text) == base.fact("gdp").to_dict()
    assert unknown is not None and "'gpd'" in unknown and "gdp" in unknown.split("did you mean")[1]
    assert [t.uri_template for t in templates] == ["hdfacts://fact/{id}"]


@pytest.mark.slow
def test_facts_env_chooses_the_base(tmp_path):
    async def scenario(session):
        gdp = await session.call_tool("get", {"id": "gdp"})
        meta = await session.read_resource("hdfacts://meta")
        return gdp, json.loads(meta.contents[0].text)

    gdp, about = run_session(scenario, facts=DATA / "valid.toml")
    assert (about["title"], about["facts"], about["topics"]) == ("测试", 1, 1)
    # the test file's own gdp record: its quote and rank differ from the shipped one
    assert gdp.structured_content["quote"] == "地区生产总值255.92亿元,增长5.7%,排名全市第二"
    assert gdp.structured_content["rank"] == {"scope": "全市", "position": 2}


HANDSHAKE = [
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "test", "version": "0"},
        },
    },
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
]


def start_server(cwd: Path) -> subprocess.Popen[str]:
    """The installed `hdfacts mcp`, with pipes for stdin, stdout and stderr."""
    pytest.importorskip("mcp")
    return subprocess.Popen(
        [console_script(), "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=cwd,
    )


def exchange(messages: list[dict[str, Any] | str], cwd: Path) -> list[dict[str, Any]]:
    """Write JSON-RPC messages (or raw text) to `hdfacts mcp` as lines; every line of its stdout, parsed."""
    proc = start_server(cwd)
    requests = sum(1 for m in messages if isinstance(m, dict) and "id" in m)
    watchdog = threading.Timer(60, proc.kill)  # a hung server fails the test instead of hanging it
    watchdog.start()
    try:
        assert proc.stdin and proc.stdout and proc.stderr
        for m in messages:
            line = m if isinstance(m, str) else json.dumps(m, ensure_ascii=False)
            proc.stdin.write(line + "\n")
        proc.stdin.flush()
        lines = []
        while len([line for line in lines if '"id"' in line]) < requests:
            line = proc.stdout.readline()
            assert line, f"the server ended early: {proc.stderr.read()}"
            lines.append(line)
        proc.stdin.close()  # the client going away ends the server, cleanly
        lines += proc.stdout.readlines()
        assert proc.wait() == 0, proc.stderr.read()
    finally:
        watchdog.cancel()
        proc.kill()
    return [json.loads(line) for line in lines]  # every line of stdout is a JSON-RPC message


@pytest.mark.slow
def test_stdout_carries_only_protocol_messages(tmp_path):
    messages: list[dict[str, Any] | str] = [
        *HANDSHAKE,
        "this is not JSON {",
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "get", "arguments": {"id": 5}},
        },
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "search", "arguments": {}}},
        {
            "jsonrpc": "2.0",
            "id": 4,
            "method": "tools/call",
            "params": {"name": "get", "arguments": {"id": "x"}},
        },
        {
            "jsonrpc": "2.0",
            "id": 5,
            "method": "tools/call",
            "params": {"name": "get", "arguments": {"id": "gdp"}},
        },
    ]
    replies = exchange(messages, tmp_path)
    assert all(r["jsonrpc"] == "2.0" for r in replies)
    by_id = {r["id"]: r for r in replies}
    assert set(by_id) == {1, 2, 3, 4, 5, None}
    assert by_id[None]["error"]["code"] == -32700  # the line that is not JSON: a parse error
    assert by_id[1]["result"]["serverInfo"]["name"] == "hdfacts"
    assert [by_id[i]["result"]["isError"] for i in (2, 3, 4)] == [True, True, True]
    assert by_id[5]["result"]["structuredContent"]["text"] == "255.92亿元"


@pytest.mark.slow
def test_readme_sample_exchange_is_real(tmp_path):
    block = re.search(r"A sample exchange.*?```json\n(.*?)```", README, re.S).group(1)
    lines = [json.loads(line) for line in block.splitlines()]
    requests, documented = lines[0::2], lines[1::2]
    assert len(requests) == len(documented) >= 2
    replies = exchange([*HANDSHAKE, *requests], tmp_path)
    by_id = {r["id"]: r for r in replies}
    assert [by_id[r["id"]] for r in requests] == documented


@pytest.mark.slow
def test_readme_client_snippet_starts_the_server():
    snippet = re.search(r"```json\n(\{\n  \"mcpServers\".*?)```", README, re.S).group(1)
    server = json.loads(snippet)["mcpServers"]["hdfacts"]
    assert Path(console_script()).name == server["command"]  # the README says: give its full path

    async def scenario(session):
        return (await session.call_tool("get", {"id": "grain-output"})).structured_content

    record = run_session(scenario, args=server["args"])
    assert (record["text"], record["quote"]) == ("41.1万吨", "实现粮食总产量41.1万吨")


@pytest.mark.slow
def test_ctrl_c_ends_a_waiting_server_at_once(tmp_path):
    proc = start_server(tmp_path)
    try:
        assert proc.stdin and proc.stdout and proc.stderr
        proc.stdin.write(json.dumps(HANDSHAKE[0]) + "\n")
        proc.stdin.flush()
        assert json.loads(proc.stdout.readline())["id"] == 1  # serving, and waiting for input
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 130  # stdin is still open: only the signal ends it
        assert proc.stderr.read() == "hdfacts: interrupted\n"
    finally:
        proc.kill()


@pytest.mark.slow
def test_a_batch_piped_in_gets_every_reply(tmp_path):
    """`printf ... | hdfacts mcp`: stdin ends right after the requests, and each is still
    answered before the server ends (exit 0), a line that is not JSON included."""
    calls = [
        {
            "jsonrpc": "2.0",
            "id": n,
            "method": "tools/call",
            "params": {"name": "get", "arguments": {"id": fid}},
        }
        for n, fid in enumerate(["gdp", "grain-output", "urban-disposable-income"], start=2)
    ]
    lines = [json.dumps(m, ensure_ascii=False) for m in [*HANDSHAKE, *calls]] + ["not JSON"]
    done = subprocess.run(
        [console_script(), "mcp"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    replies = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert set(replies) == {1, 2, 3, 4, None}
    texts = [replies[n]["result"]["structuredContent"]["text"] for n in (2, 3, 4)]
    assert texts == ["255.92亿元", "41.1万吨", "33073元"]


# --- several reports at once ------------------------------------------------------

REPORTS = DATA / "reports"
BASES = {
    "two": [ROOT / "facts.toml", REPORTS / "qinghe-2023.toml"],
    "three": [ROOT / "facts.toml", REPORTS],
}


def combined(paths: list[Path]) -> Any:
    from hdfacts.base.loader import load_all

    return load_all(paths, cache=False)


@pytest.fixture(scope="module", params=list(BASES))
def several(request):
    """The shipped base with one test report, or with the folder of both."""
    return combined(BASES[request.param])


def clashing(base: Any) -> dict[str, list[str]]:
    """The bare ids that stand in more than one report, with their REPORT:ID names."""
    by_id: dict[str, list[str]] = {}
    for member in base.members:
        for fid in member.fact_ids():
            by_id.setdefault(fid, []).append(f"{member.meta.id}:{fid}")
    return {fid: keys for fid, keys in by_id.items() if len(keys) > 1}


def test_instructions_title_and_meta_name_every_report(several, request):
    pytest.importorskip("mcp")
    from hdfacts.base.loader import fact_files
    from hdfacts.mcp_server import build

    server = build(several)
    assert len(several.reports) == len(fact_files(BASES[request.node.callspec.params["several"]]))
    assert server.instructions is not None
    assert server.instructions.startswith(f"Verified facts and figures of {len(several.reports)} reports (")
    for r in several.reports:
        assert f"{r.id}: 《{r.title}》 ({r.region}, {r.year}{r.period or ''})" in server.instructions
        assert r.title in (server.title or "")
    assert f"{len(several.facts):,} facts" in server.instructions

    async def scenario(client):
        return json.loads((await client.read_resource("hdfacts://meta")).contents[0].text)

    about = in_process(scenario, several)
    assert about["facts"] == len(several.facts) == sum(r["facts"] for r in about["reports"])
    assert about["reports"] == [{**m.meta.to_dict(), "facts": len(m.facts)} for m in several.members]
    assert "title" not in about  # no one report's title stands for all of them


def test_one_base_names_its_report_in_meta_and_reads_as_before(base):
    async def scenario(client):
        meta = json.loads((await client.read_resource("hdfacts://meta")).contents[0].text)
        return meta, await client.call_tool("get", {"id": "gdp"})

    about, gdp = in_process(scenario, base)
    assert (about["title"], about["year"], about["facts"]) == (
        base.meta.title,
        base.meta.year,
        len(base.facts),
    )
    assert about["reports"] == [{**base.meta.to_dict(), "facts": len(base.facts)}]
    assert gdp.content[0].text.startswith("[gdp] ")  # a bare id where it names one fact

    own = call(base, "search", {"query": "排名", "report": base.meta.id.upper(), "limit": MAX})
    assert own.structured_content == call(base, "search", {"query": "排名", "limit": MAX}).structured_content
    other = call(base, "search", {"query": "排名", "report": "qinghe-2023"})
    assert other.is_error
    assert other.content[0].text.endswith(f"no report 'qinghe-2023' among the loaded ones: {base.meta.id}")


def test_a_bare_id_in_several_reports_is_an_error_listing_them(several):
    clashes = clashing(several)
    assert clashes, "the test reports share ids with the shipped base"

    async def scenario(client):
        return [await client.call_tool("get", {"id": fid}) for fid in clashes]

    for (fid, keys), result in zip(clashes.items(), in_process(scenario, several), strict=True):
        assert result.is_error
        text = result.content[0].text
        assert (
            text == f"Error executing tool get: '{fid}' is in several reports: give one of {', '.join(keys)}"
        )


def test_report_colon_id_gets_the_fact_of_that_report(several):
    clashes = clashing(several)
    keys = [key for group in clashes.values() for key in group]

    async def scenario(client):
        got = [await client.call_tool("get", {"id": key}) for key in keys]
        read = [await client.read_resource(f"hdfacts://fact/{key}") for key in keys]
        return got, read

    got, read = in_process(scenario, several)
    for key, result, resource in zip(keys, got, read, strict=True):
        fact = several.fact(key)
        assert not result.is_error, result.content[0].text
        assert result.structured_content == fact.to_dict()
        assert result.structured_content["report"] == key.split(":")[0]
        assert result.content[0].text.startswith(f"[{key}] {fact.metric} ")
        assert json.loads(resource.contents[0].text) == fact.to_dict()


def test_a_bare_id_in_several_reports_is_no_fact_resource(several):
    fid, keys = next(iter(clashing(several).items()))

    async def scenario(client):
        from mcp import MCPError

        with pytest.raises(MCPError) as raised:
            await client.read_resource(f"hdfacts://fact/{fid}")
        return str(raised.value)

    assert ", ".join(keys) in in_process(scenario, several)


def test_search_across_reports_names_each_facts_report(several):
    async def scenario(client):
        return await client.call_tool("search", {"query": "地区生产总值", "limit": MAX})

    result = in_process(scenario, several)
    records = result.structured_content["facts"]
    assert {r["report"] for r in records} == {r.id for r in several.reports}
    blocks = result.content[0].text.split("\n\n")[1:]
    assert len(blocks) == len(records)
    for r, block in zip(records, blocks, strict=True):
        assert block.startswith(f"[{r['report']}:{r['id']}] {r['metric']} ")
        assert r == several.fact(f"{r['report']}:{r['id']}").to_dict()
        # each period with its report's year: the reports' 前三季度 are not the same months
        year = several.year_of(several.fact(f"{r['report']}:{r['id']}"))
        if r["period"]:
            dated = r["period"] if str(year) in r["period"] else f"{year}年{r['period']}"
            assert f", {dated}" in block.split("\n")[0], block


CALLS = [
    pytest.param("search", {"query": "地区生产总值"}, id="search"),
    pytest.param("search", {"query": "排名", "scope": "全市", "limit": MAX}, id="search-rankings"),
    pytest.param("ask", {"question": "粮食总产量是多少"}, id="ask"),
    pytest.param("topics", {}, id="topics"),
]


@pytest.mark.parametrize(("tool", "arguments"), CALLS)
def test_report_narrows_a_tool_to_what_that_report_alone_gives(several, tool, arguments):
    """A call with `report` gives what the server of that report alone gives, the text
    apart (which names facts REPORT:ID among several reports)."""

    async def ask_each(client):
        return [await client.call_tool(tool, {**arguments, "report": r.id.upper()}) for r in several.reports]

    narrowed = in_process(ask_each, several)
    for report, result in zip(several.reports, narrowed, strict=True):
        alone = call(several.member(report.id), tool, arguments)
        assert not result.is_error and not alone.is_error, result.content[0].text
        assert result.structured_content == alone.structured_content
        for record in result.structured_content.get("facts", []):
            if "report" in record:
                assert record["report"] == report.id
    if tool == "topics":
        for report, result in zip(several.reports, narrowed, strict=True):
            counts = sum(t["facts"] for t in result.structured_content["topics"])
            assert counts == len(several.member(report.id).facts)


def test_report_narrows_get_to_one_reports_id(several):
    clashes = clashing(several)
    fid = next(iter(clashes))

    async def scenario(client):
        return [await client.call_tool("get", {"id": fid, "report": r.id}) for r in several.reports]

    for report, result in zip(several.reports, in_process(scenario, several), strict=True):
        fact = several.fact(f"{report.id}:{fid}")
        if fact is None:
            assert result.is_error and f"no fact with id '{fid}'" in result.content[0].text
        else:
            assert result.structured_content == fact.to_dict()
            assert result.content[0].text.startswith(f"[{fact.key}] ")


def test_answers_among_several_reports_name_the_report_of_each_line(several):
    result = call(several, "ask", {"question": "地区生产总值是多少"})
    facts = result.structured_content["facts"]
    assert len({f["report"] for f in facts}) > 1, "the question is answered by several reports"
    lines = result.content[0].text.split("\n\n")[0].split("\n")
    assert len(lines) == len(facts)
    for line, fact in zip(lines, facts, strict=True):
        assert line.startswith(f"[{fact['report']}] ")


UNKNOWN_REPORT = [
    pytest.param("search", {"query": "排名"}, id="search"),
    pytest.param("get", {"id": "gdp"}, id="get"),
    pytest.param("topics", {}, id="topics"),
    pytest.param("ask", {"question": "粮食总产量"}, id="ask"),
]


@pytest.mark.parametrize(("tool", "arguments"), UNKNOWN_REPORT)
@pytest.mark.parametrize("report", ["hengdong-2024", " ", "qinghe", "x" * 2000])
def test_an_unknown_report_is_a_tool_error_naming_the_loaded_ones(several, tool, arguments, report):
    async def scenario(client):
        result = await client.call_tool(tool, {**arguments, "report": report})
        await alive_among_several(client, several)
        return result

    result = in_process(scenario, several)
    text = result.content[0].text
    assert result.is_error, text
    assert "\n" not in text and len(text) < 2000
    if len(report) > 1000:  # MAX_INPUT: said, never echoed
        assert "report is 2,000 characters long" in text
    else:
        loaded = ", ".join(r.id for r in several.reports)
        assert text == f"Error executing tool {tool}: no report '{report}' among the loaded ones: {loaded}"


async def alive_among_several(client: Any, base: Any) -> None:
    key = base.facts[0].key
    result = await client.call_tool("get", {"id": key})
    assert not result.is_error and result.structured_content == base.fact(key).to_dict()


def test_an_empty_report_is_every_report(several):
    every = call(several, "search", {"query": "地区生产总值"})
    assert call(several, "search", {"query": "地区生产总值", "report": ""}).structured_content == (
        every.structured_content
    )
    assert len({r["report"] for r in every.structured_content["facts"]}) > 1


def test_every_tool_documents_its_optional_report_argument():
    async def scenario(client):
        return (await client.list_tools()).tools

    for tool in in_process(scenario):
        prop = tool.input_schema["properties"]["report"]
        assert "report" not in tool.input_schema.get("required", []), tool.name
        assert prop["default"] is None and "id" in prop["description"], tool.name


@pytest.mark.slow
@pytest.mark.parametrize("how", ["options", "env"])
def test_the_installed_server_serves_several_reports(how):
    paths = [ROOT / "facts.toml", REPORTS]
    if how == "options":
        args = ["--facts", str(paths[0]), "--facts", str(paths[1]), "mcp"]
        facts = None
    else:
        args, facts = ["mcp"], Path(os.pathsep.join(str(p) for p in paths))
    expected = combined(paths)
    fid, keys = next(iter(clashing(expected).items()))

    async def scenario(session):
        return (
            session.initialize_result.instructions,
            await session.call_tool("get", {"id": fid}),
            await session.call_tool("get", {"id": keys[-1]}),
            await session.call_tool("search", {"query": "地区生产总值", "report": expected.reports[-1].id}),
            await session.call_tool("topics", {"report": "nowhere"}),
            json.loads((await session.read_resource("hdfacts://meta")).contents[0].text),
        )

    instructions, bare, qualified, narrowed, unknown, about = run_session(scenario, args=args, facts=facts)
    for r in expected.reports:
        assert f"{r.id}: 《{r.title}》" in instructions
    assert bare.is_error and ", ".join(keys) in bare.content[0].text
    assert qualified.structured_content == expected.fact(keys[-1]).to_dict()
    records = narrowed.structured_content["facts"]
    assert records and {r["report"] for r in records} == {expected.reports[-1].id}
    assert unknown.is_error and "no report 'nowhere' among the loaded ones" in unknown.content[0].text
    assert [r["id"] for r in about["reports"]] == [r.id for r in expected.reports]


@pytest.mark.slow
def test_readme_several_reports_texts_are_real():
    """The README's texts of a server of several reports, each the first text of the call
    its paragraph names (the instructions cut at their `...`)."""
    section = README.split("### Serving several reports", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```text\n(.*?)\n```", section, re.S)
    instructions, *texts = blocks
    calls = [
        ("get", {"id": "gdp"}),
        ("search", {"query": "粮食总产量"}),
        ("ask", {"question": "GDP增长多少"}),
        ("topics", {"report": "hengyang-2022"}),
    ]
    assert len(texts) == len(calls)
    args = ["--facts", str(ROOT / "facts.toml"), "--facts", str(REPORTS), "mcp"]

    async def scenario(session):
        said = [(await session.call_tool(tool, arguments)).content[0].text for tool, arguments in calls]
        return session.initialize_result.instructions, said

    served, said = run_session(scenario, args=args)
    assert instructions.endswith("...") and served.startswith(instructions.removesuffix("..."))
    said[2] = said[2].split("\n\n")[0]  # the answer's lines; the records follow
    assert texts == said


def test_silence_among_several_reports_is_said_of_each(several):
    n = len(several.reports)

    async def scenario(client):
        return (
            await client.call_tool("search", {"query": "火星基地"}),
            await client.call_tool("ask", {"question": "火星基地的人口"}),
            await client.call_tool("search", {"query": "火星基地", "report": several.reports[-1].id}),
        )

    search, ask, narrowed = in_process(scenario, several)
    assert search.structured_content["facts"] == [] and ask.structured_content["answer"] is None
    assert search.content[0].text.startswith(f"None of the {n} reports states it: ")
    assert ask.content[0].text.startswith(f"None of the {n} reports gives this: ")
    assert narrowed.content[0].text.startswith("The report does not state it: ")


def test_report_and_a_report_colon_id_of_another_report_disagree(several):
    first, last = several.reports[0].id, several.reports[-1].id
    key = several.member(first).facts[0].key

    async def scenario(client):
        return (
            await client.call_tool("get", {"id": key, "report": last}),
            await client.call_tool("get", {"id": key, "report": first.upper()}),
        )

    other, same = in_process(scenario, several)
    assert other.is_error
    assert other.content[0].text == (
        f"Error executing tool get: '{key}' is a fact of report '{first}', not of {last}"
    )
    assert same.structured_content == several.fact(key).to_dict()
