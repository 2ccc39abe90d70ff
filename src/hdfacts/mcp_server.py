"""The fact base served over the Model Context Protocol on stdio (`hdfacts mcp`).

Only the mcp command imports this module: the MCP SDK and pydantic take about a
second to import, which no other command should pay. Tools return typed records
(`structuredContent`) and the same facts as readable text; every record carries the
report's own clause (`quote`), which is what an assistant should cite.
"""

# No `from __future__ import annotations`: the SDK reads the tools' annotations to
# build their input and output schemas.

import functools
import json
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import Annotated, Any, NoReturn

import anyio.to_thread
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field, ValidationError

from .base.model import Fact, FactBase, qualified
from .errors import ExitCode, HdfactsError, shown
from .lookup.filters import asks_nothing, parse_filters
from .lookup.query import find
from .lookup.query import get as get_fact
from .mcp_records import AskResult, FactRecord, SearchResult, TopicRecord, TopicsResult
from .output.answer import answer
from .output.english import period_zh
from .output.why import why_nothing
from .version import __version__

# Longer input is refused rather than searched: no question about the report needs
# more, and a megabyte of text would otherwise be matched and echoed back.
MAX_INPUT = 1000
MAX_LIMIT = 100

CITE = (
    "Every figure comes with its period and `quote`, the clause of the report that states it, "
    "word for word: cite the quote, and never state a figure the records do not give."
)


def instructions(base: FactBase) -> str:
    """What the server serves, from the loaded bases' own [report] tables and topics."""
    topics = ", ".join(t.name_en for t in base.topics) or "no topics"
    facts = f"{len(base.facts):,} fact{'' if len(base.facts) == 1 else 's'} in these topics: {topics}"
    silent = "When no record answers a question, say that the report does not give it."
    if not base.several:
        m = base.meta
        served = f"the report 《{m.title}》 ({m.region}, {m.year}; id {m.id})"
        return f"Verified facts and figures of {served}, {facts}. {CITE} {silent}"
    reports = "; ".join(f"{r.id}: 《{r.title}》 ({r.region}, {r.year}{r.period or ''})" for r in base.reports)
    example = f" (e.g. {base.facts[0].key})" if base.facts else ""
    return (
        f"Verified facts and figures of {len(base.reports)} reports ({reports}), {facts}. {CITE} "
        "Every record names its report; a fact's id is unique within its report only, so name a "
        f"fact as REPORT:ID{example}, and give a tool's `report` to look in one report alone. "
        f"Figures of different reports may cover different periods: say each one's period. {silent}"
    )


REPORT_ARG = Field(
    description="only the facts of this report: its id, as the instructions list them (case "
    "does not matter); every loaded report when not given or empty"
)


def _scope(base: FactBase, report: str | None) -> FactBase:
    """The base of the report a tool's `report` argument names; the whole base without
    one (an empty string too, as for search's topic: clients send it for "not given")."""
    if not report:
        return base
    found = base.member(_text_arg("report", report))
    if found is None:
        loaded = ", ".join(r.id for r in base.reports)
        raise ToolError(f"no report {shown(report)} among the loaded ones: {loaded}")
    return found


def _record(fact: Fact) -> FactRecord:
    return FactRecord.model_validate(fact.to_dict())


def _readable(fact: Fact, base: FactBase) -> str:
    """A fact as two lines an assistant (or a person reading the log) can use directly.
    Where several reports are served it is named REPORT:ID, since a bare id may stand in
    each, and its period carries its report's year (2022年前三季度), since the reports'
    前三季度 are not the same months."""
    period = period_zh(fact.period, base.year_of(fact)) if base.several and fact.period else fact.period
    figure = ", ".join(
        p
        for p in (
            fact.text,
            period,
            fact.growth.text if fact.growth else None,
            fact.change.text if fact.change else None,
            fact.rank.text() if fact.rank else None,
        )
        if p
    )
    name = fact.key if base.several else fact.id
    return f"[{name}] {fact.metric} ({fact.metric_en}): {figure or 'no figure'}\nquote: {fact.quote}"


def _silent(base: FactBase, verb: str) -> str:
    """Who is silent, the report or each of the reports searched: The report does not
    state / None of the 3 reports states."""
    return (
        f"None of the {len(base.reports)} reports {verb}s" if base.several else f"The report does not {verb}"
    )


def _by_report(sentence: str, facts: list[Fact]) -> str:
    """An answer's lines (one per fact) each led by its fact's report: [qinghe-2023] ..."""
    lines = sentence.split("\n")
    if len(lines) != len(facts):  # never so today; then the records below still name them
        return sentence
    return "\n".join(f"[{f.report}] {line}" for f, line in zip(facts, lines, strict=True))


def _result(model: BaseModel, text: str) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=model.model_dump(mode="json")
    )


def _text_arg(name: str, value: str) -> str:
    if len(value) > MAX_INPUT:
        raise ToolError(f"{name} is {len(value):,} characters long; at most {MAX_INPUT:,} are read")
    return value


# The search tool's arguments by filter: messages name them as the client wrote them.
FILTER_NAMES = {"min": "min", "max": "max", "top": "top", "scope": "scope"}


def _off_loop(fn: Callable[..., CallToolResult]) -> Callable[..., Any]:
    """The tool as a coroutine that does its work in a worker thread: the loop goes on
    answering pings meanwhile, and a client's `notifications/cancelled` is honoured at
    once (the SDK runs a plain function in a thread it waits for, cancelled or not)."""

    @functools.wraps(fn)
    async def tool(**kwargs: Any) -> CallToolResult:
        return await anyio.to_thread.run_sync(functools.partial(fn, **kwargs), abandon_on_cancel=True)

    return tool


READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)


class _Server(MCPServer):
    """The SDK's server, with arguments that fail validation said in one line per argument:
    pydantic's own text adds the input's type and a line with a web address."""

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as e:
            if not isinstance(e.__cause__, ValidationError):
                raise
            raise ToolError(f"Error executing tool {name}: {invalid(e.__cause__)}") from e.__cause__


def invalid(error: ValidationError) -> str:
    """What was wrong with the arguments: `limit: Input should be a valid integer`."""
    said = []
    for e in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in e["loc"] if part != "arguments") or "arguments"
        said.append(f"{where}: {e['msg']}")
    return "; ".join(said)


def build(base: FactBase) -> MCPServer:
    """The server for one loaded fact base; tools and resources read it from memory."""
    server: MCPServer = _Server(
        name="hdfacts",
        title="; ".join(r.title for r in base.reports),
        instructions=instructions(base),
        version=__version__,
        log_level="WARNING",
    )
    _search_tool(server, base)
    _lookup_tools(server, base)
    _ask_tool(server, base)
    _resources(server, base)
    return server


def _search_tool(server: MCPServer, base: FactBase) -> None:
    @server.tool(
        annotations=READ_ONLY,
        description=(
            "Search the facts of the report by words (Chinese, pinyin or English, "
            "e.g. 粮食产量, GDP, 排名) and optionally by topic, value or ranking. Returns the matching "
            f"fact records, best first, each with its figure, unit, period, growth and ranking. {CITE} "
            "An empty list means the report states no such fact."
        ),
    )
    @_off_loop
    def search(
        query: Annotated[str, Field(description="words to look for, e.g. 粮食产量 or disposable income")],
        topic: Annotated[
            str | None, Field(description="only this topic: a slug (see topics), Chinese name or alias")
        ] = None,
        min: Annotated[
            str | float | None, Field(description="only values of at least this: a number or 100亿")
        ] = None,
        max: Annotated[str | float | None, Field(description="only values of at most this")] = None,
        top: Annotated[int | None, Field(ge=1, description="only facts ranked this or better")] = None,
        scope: Annotated[
            str | None, Field(description="only rankings within 全市 (city) or 全省 (province)")
        ] = None,
        limit: Annotated[int, Field(ge=1, le=MAX_LIMIT, description="at most this many records")] = 10,
        report: Annotated[str | None, REPORT_ARG] = None,
    ) -> Annotated[CallToolResult, SearchResult]:
        within = _scope(base, report)
        words = _text_arg("query", query).strip()
        terms, topics = [words] if words else [], [_text_arg("topic", topic)] if topic else []
        for name, value in (("min", min), ("max", max), ("scope", scope)):
            if isinstance(value, str):
                _text_arg(name, value)
        if asks_nothing(terms, topics, (min, max, top, scope)):
            raise ToolError("the query is empty: give words to look for, e.g. 粮食产量")
        try:
            filters = parse_filters(within, min, max, top, scope, names=FILTER_NAMES)
            found = find(within, terms, topics=topics, filters=filters)
        except HdfactsError as e:
            raise ToolError(str(e)) from e
        facts = found.facts
        shown_facts = facts[:limit]
        result = SearchResult(query=query, total=len(facts), facts=[_record(f) for f in shown_facts])
        if not facts:
            why = why_nothing(within, terms, found, filters)
            text = f"{_silent(within, 'state')} it: {why}."
        else:
            more = f" (the first {len(shown_facts)} shown)" if len(facts) > len(shown_facts) else ""
            matches = "1 fact matches" if len(facts) == 1 else f"{len(facts)} facts match"
            head = f"{matches} {shown(query)}{more}. Cite each figure's quote."
            text = "\n\n".join([head, *(_readable(f, base) for f in shown_facts)])
        return _result(result, text)


def _lookup_tools(server: MCPServer, base: FactBase) -> None:
    @server.tool(
        annotations=READ_ONLY,
        description=(
            "One fact of the report by its id (as given by search, e.g. gdp or grain-output): its "
            f"figure, unit, period, growth, ranking and source quote. {CITE} An unknown id is an "
            "error that suggests close ids."
        ),
    )
    @_off_loop
    def get(
        id: Annotated[
            str, Field(description="a fact id, e.g. gdp, or REPORT:ID where several reports are loaded")
        ],
        report: Annotated[str | None, REPORT_ARG] = None,
    ) -> Annotated[CallToolResult, FactRecord]:
        within = _scope(base, report)
        named, _ = qualified(_text_arg("id", id))
        if report and named is not None and within.member(named) is None:
            raise ToolError(f"{shown(id)} is a fact of report {shown(named)}, not of {within.meta.id}")
        try:
            fact = get_fact(within, id)
        except HdfactsError as e:
            raise ToolError(str(e)) from e
        return _result(_record(fact), _readable(fact, base))

    @server.tool(
        annotations=READ_ONLY,
        description=(
            "The topics of the report (economy, agriculture, livelihood, ...): slug, Chinese and "
            "English names, aliases and how many facts each has. Use a slug as search's topic."
        ),
    )
    @_off_loop
    def topics(report: Annotated[str | None, REPORT_ARG] = None) -> Annotated[CallToolResult, TopicsResult]:
        within = _scope(base, report)
        records = [TopicRecord.model_validate(t.to_dict(within.count(t.slug))) for t in within.topics]
        text = "\n".join(f"{t.slug}: {t.name} / {t.name_en}, {t.facts} facts" for t in records)
        return _result(TopicsResult(topics=records), text)


def _ask_tool(server: MCPServer, base: FactBase) -> None:
    @server.tool(
        annotations=READ_ONLY,
        description=(
            "Answer a question about the report's facts in one sentence, built only "
            f"from the report's facts, and return the fact records it rests on. {CITE} When the "
            "report is silent the answer is null and the result says so: report that, do not guess."
        ),
    )
    @_off_loop
    def ask(
        question: Annotated[str, Field(description="a question, e.g. 2023年粮食总产量是多少?")],
        report: Annotated[str | None, REPORT_ARG] = None,
    ) -> Annotated[CallToolResult, AskResult]:
        if not _text_arg("question", question).strip():
            raise ToolError("the question is empty")
        within = _scope(base, report)
        try:
            reply = answer(within, question)
        except HdfactsError as e:
            raise ToolError(str(e)) from e
        result = AskResult(
            question=question, answer=reply.sentence, lang=reply.lang, facts=[_record(f) for f in reply.facts]
        )
        if reply.sentence is None:
            why = why_nothing(within, [question], reply.found) if reply.found else "no fact answers it"
            text = f"{_silent(within, 'give')} this: {why}."
        else:
            said = _by_report(reply.sentence, reply.facts) if base.several else reply.sentence
            text = "\n\n".join([said, *(_readable(f, base) for f in reply.facts)])
        return _result(result, text)


def _resources(server: MCPServer, base: FactBase) -> None:
    @server.resource(
        "hdfacts://fact/{id}",
        name="fact",
        mime_type="application/json",
        description="One fact as a JSON record, its verbatim source quote included: by its id, or by "
        "REPORT:ID (hdfacts://fact/REPORT:ID) where several reports are loaded.",
    )
    def fact_resource(id: str) -> str:
        try:
            fact = get_fact(base, id)
        except HdfactsError as e:
            raise ResourceNotFoundError(str(e)) from e
        return json.dumps(fact.to_dict(), ensure_ascii=False, indent=2)

    @server.resource(
        "hdfacts://meta",
        name="meta",
        mime_type="application/json",
        description="Where the facts come from: every report's [report] table (id, title, region, "
        "year, source, sha256) with its number of facts, under reports, and the counts of facts "
        "and topics; with one report, its title, region, year and source also at the top.",
    )
    def meta() -> str:
        return json.dumps(about(base), ensure_ascii=False, indent=2)


def about(base: FactBase) -> dict[str, Any]:
    """The hdfacts://meta record: the reports served, and what they hold."""
    out: dict[str, Any] = {}
    if not base.several:
        m = base.meta
        out.update(title=m.title, region=m.region, year=m.year, source=m.source)
    out["facts"], out["topics"] = len(base.facts), len(base.topics)
    out["reports"] = [{**m.meta.to_dict(), "facts": len(m.facts)} for m in base.members]
    return out


def _ended(message: str, code: int) -> Any:
    def handler(signum: int, frame: FrameType | None) -> NoReturn:
        try:
            sys.stderr.write(f"hdfacts: {message}\n")
            sys.stderr.flush()
        finally:
            os._exit(code)

    return handler


def serve(base: FactBase) -> None:
    """Serve the base on stdin/stdout until the client closes the connection."""
    import anyio

    from .mcp_stdio import serve_stdio

    server = build(base)
    # Ctrl-C and SIGTERM end the server at once, whatever a worker thread is doing:
    # an exception raised into the event loop would wait for the tool call in flight.
    signal.signal(signal.SIGINT, _ended("interrupted", ExitCode.INTERRUPTED))
    signal.signal(signal.SIGTERM, _ended("terminated", ExitCode.TERMINATED))
    lowlevel = server._lowlevel_server  # the SDK's loop, served on our own transport (mcp_stdio.py)

    async def run(read: Any, write: Any) -> None:
        await lowlevel.run(read, write, lowlevel.create_initialization_options())

    anyio.run(serve_stdio, run)
