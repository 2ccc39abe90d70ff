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

from .base.model import Fact, FactBase
from .errors import ExitCode, HdfactsError, shown
from .lookup.filters import asks_nothing, parse_filters
from .lookup.query import find
from .lookup.query import get as get_fact
from .output.answer import answer
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
    """What the server serves, from the loaded base's own metadata and topics."""
    m = base.meta
    topics = ", ".join(t.name_en for t in base.topics) or "no topics"
    return (
        f"Verified facts and figures of the report 《{m.title}》 ({m.region}, {m.year}), "
        f"{len(base.facts):,} fact{'' if len(base.facts) == 1 else 's'} in these topics: {topics}. {CITE} "
        "When no record answers a question, say that the report does not give it."
    )


class ChangeRecord(BaseModel):
    text: str = Field(description="the change as the report writes it, e.g. 增长5.7%")
    value: int | float = Field(description="signed: a fall is negative")
    unit: str | None = Field(description="% for a growth rate, 个百分点 for points, 名次 for places")
    basis: str | None = Field(description="what it is compared with, when the report says")


class RankRecord(BaseModel):
    scope: str = Field(description="全市 (the city of Hengyang), 全省 (Hunan province), ...")
    position: int


class FactRecord(BaseModel):
    """One fact of the report, as in `hdfacts search --json`."""

    id: str
    topic: str = Field(description="slug of the fact's topic")
    metric: str = Field(description="the Chinese label")
    metric_en: str = Field(description="the English label")
    text: str | None = Field(description="the figure as the report writes it, e.g. 255.92亿元")
    value: int | float | None = Field(description="the figure as a number, 万 and 亿 applied")
    unit: str | None
    qualifier: str | None = Field(description="超 (more than), 近 (nearly) or 内 (within)")
    period: str | None = Field(description="the period the figure covers, as written, e.g. 前三季度")
    growth: ChangeRecord | None
    change: ChangeRecord | None
    rank: RankRecord | None
    tags: list[str]
    quote: str = Field(description="the clause of the report stating the fact, word for word: cite it")
    note: str | None = Field(description="what the report leaves open about this fact, if anything")
    aliases: list[str] = Field(description="old ids that still name this fact")
    report: str = Field(description="the id of the report the fact comes from; REPORT:ID names it")


class SearchResult(BaseModel):
    query: str
    total: int = Field(description="how many facts match, before the limit")
    facts: list[FactRecord] = Field(description="the matching facts, best first")


class TopicRecord(BaseModel):
    slug: str
    name: str
    name_en: str
    section: str | None
    aliases: list[str]
    facts: int = Field(description="how many facts the topic has")


class TopicsResult(BaseModel):
    topics: list[TopicRecord]


class AskResult(BaseModel):
    question: str
    answer: str | None = Field(description="one sentence from the records; null when the report is silent")
    lang: str
    facts: list[FactRecord] = Field(description="the facts the answer rests on, best first")


def _record(fact: Fact) -> FactRecord:
    return FactRecord.model_validate(fact.to_dict())


def _readable(fact: Fact) -> str:
    """A fact as two lines an assistant (or a person reading the log) can use directly."""
    figure = ", ".join(
        p
        for p in (
            fact.text,
            fact.period,
            fact.growth.text if fact.growth else None,
            fact.change.text if fact.change else None,
            fact.rank.text() if fact.rank else None,
        )
        if p
    )
    return f"[{fact.id}] {fact.metric} ({fact.metric_en}): {figure or 'no figure'}\nquote: {fact.quote}"


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
        title=base.meta.title,
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
    ) -> Annotated[CallToolResult, SearchResult]:
        words = _text_arg("query", query).strip()
        terms, topics = [words] if words else [], [_text_arg("topic", topic)] if topic else []
        for name, value in (("min", min), ("max", max), ("scope", scope)):
            if isinstance(value, str):
                _text_arg(name, value)
        if asks_nothing(terms, topics, (min, max, top, scope)):
            raise ToolError("the query is empty: give words to look for, e.g. 粮食产量")
        try:
            filters = parse_filters(base, min, max, top, scope, names=FILTER_NAMES)
            found = find(base, terms, topics=topics, filters=filters)
        except HdfactsError as e:
            raise ToolError(str(e)) from e
        facts = found.facts
        shown_facts = facts[:limit]
        result = SearchResult(query=query, total=len(facts), facts=[_record(f) for f in shown_facts])
        if not facts:
            why = why_nothing(base, terms, found, filters)
            text = f"The report does not state it: {why}."
        else:
            more = f" (the first {len(shown_facts)} shown)" if len(facts) > len(shown_facts) else ""
            matches = "1 fact matches" if len(facts) == 1 else f"{len(facts)} facts match"
            head = f"{matches} {shown(query)}{more}. Cite each figure's quote."
            text = "\n\n".join([head, *(_readable(f) for f in shown_facts)])
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
        id: Annotated[str, Field(description="a fact id, e.g. gdp")],
    ) -> Annotated[CallToolResult, FactRecord]:
        try:
            fact = get_fact(base, _text_arg("id", id))
        except HdfactsError as e:
            raise ToolError(str(e)) from e
        return _result(_record(fact), _readable(fact))

    @server.tool(
        annotations=READ_ONLY,
        description=(
            "The topics of the report (economy, agriculture, livelihood, ...): slug, Chinese and "
            "English names, aliases and how many facts each has. Use a slug as search's topic."
        ),
    )
    @_off_loop
    def topics() -> Annotated[CallToolResult, TopicsResult]:
        records = [TopicRecord.model_validate(t.to_dict(base.count(t.slug))) for t in base.topics]
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
    ) -> Annotated[CallToolResult, AskResult]:
        if not _text_arg("question", question).strip():
            raise ToolError("the question is empty")
        try:
            reply = answer(base, question)
        except HdfactsError as e:
            raise ToolError(str(e)) from e
        result = AskResult(
            question=question, answer=reply.sentence, lang=reply.lang, facts=[_record(f) for f in reply.facts]
        )
        if reply.sentence is None:
            why = why_nothing(base, [question], reply.found) if reply.found else "no fact answers it"
            text = f"The report does not give this: {why}."
        else:
            text = "\n\n".join([reply.sentence, *(_readable(f) for f in reply.facts)])
        return _result(result, text)


def _resources(server: MCPServer, base: FactBase) -> None:
    @server.resource(
        "hdfacts://fact/{id}",
        name="fact",
        mime_type="application/json",
        description="One fact of the report as a JSON record, its verbatim source quote included.",
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
        description="Where the facts come from: the report's title, region, year and source, and counts.",
    )
    def meta() -> str:
        m = base.meta
        about: dict[str, Any] = {
            "title": m.title,
            "region": m.region,
            "year": m.year,
            "source": m.source,
            "facts": len(base.facts),
            "topics": len(base.topics),
        }
        return json.dumps(about, ensure_ascii=False, indent=2)


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
