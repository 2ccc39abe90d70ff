"""The hdfacts command line: thin adapters over load, query and render.

This is the only module that imports typer. Every error meant for the user becomes
one line on stderr and a documented exit code: library errors, closed pipes and
Ctrl-C in `_Group.invoke`, typer's usage errors in `_Group.main`, output that
cannot be written, signals and bugs in `main`.
"""

# No `from __future__ import annotations` here: typer reads every parameter's
# annotation when it builds the commands, and string annotations would make it
# evaluate each of them on every start.

import errno
import functools
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import (
    OUTPUT_ERRNOS,
    CacheError,
    ExitCode,
    HdfactsError,
    OutputError,
    QuantityError,
    UsageError,
    escape_controls,
)
from .export import ExportFormat
from .interrupt import Interrupted
from .loader import default_path, load
from .model import FactBase
from .query import ChartKind, Filters, Sort, chart_series, facts_of, find, get, why_nothing
from .render import FIELDS, Format, Lang, View, parse_fields, plural, render


def _say(message: str) -> None:
    """One line on stderr; paths and values in it are shown escaped, never raw."""
    try:
        one_line = message.replace("\n\t", " ").replace("\n", " ")  # typer's lists of choices
        sys.stderr.write(f"hdfacts: {escape_controls(one_line)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr full or gone: the exit code still tells
        pass


def _fail(message: str, code: int) -> NoReturn:
    _say(message)
    raise typer.Exit(code)


def _text(arg: str) -> str:
    """A text argument as the UTF-8 the terminal sent. Python decodes argv in the locale's
    encoding: in a forced ASCII locale 排名 arrives as escaped bytes, and any byte that
    is not UTF-8 as a lone surrogate, which no output could encode."""
    try:
        raw = os.fsencode(arg)
    except UnicodeEncodeError:
        raw = arg.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def _echo(line: str) -> None:
    """A line of our own on stdout, with what a user or a file supplied escaped."""
    try:
        typer.echo(escape_controls(line))
    except BrokenPipeError:
        raise
    except OSError as e:
        raise OutputError(_cannot_write(e)) from e


def _cannot_write(e: OSError) -> str:
    return f"cannot write the output: {e.strerror or e}"


class _ClosedStream(io.TextIOBase):
    """Stands for a standard output that was closed when hdfacts started (`>&-`)."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def fileno(self) -> int:
        return 1

    def isatty(self) -> bool:
        return False


def _guard_closed_streams() -> None:
    """Give closed standard descriptors a /dev/null of their own, so that no file we open
    later lands on fd 1 or 2 (and gets our messages written into it); a closed stdout
    still fails loudly when written to, a closed stderr swallows messages and keeps the
    exit code."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        try:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        except OSError:
            continue
        if name == "stdout":
            sys.stdout = _ClosedStream()
        elif name == "stderr":
            sys.stderr = open(fd, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        else:
            sys.stdin = open(fd, encoding="utf-8", closefd=False)  # noqa: SIM115


def _silence_stdout() -> None:
    # Point stdout at /dev/null so the interpreter's final flush stays silent.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _quiet_exit_on_closed_pipe() -> NoReturn:
    # The reader went away (`| head`): that is a normal end, as for ripgrep.
    _silence_stdout()
    raise typer.Exit(ExitCode.OK)


def _examples(*lines: str) -> str:
    # \b keeps click from re-wrapping the block: one example a line, as typed.
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


class _Group(TyperGroup):
    """Turns every error meant for the user into one stderr line and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        # Run non-standalone so that usage errors come here rather than to typer's
        # multi-line error panel: one line, as for every other error.
        run = functools.partial(
            super().main,
            args=args,
            prog_name=prog_name,
            complete_var=complete_var,
            standalone_mode=False,
            windows_expand_args=windows_expand_args,
            **extra,
        )
        try:
            try:
                rv = run()
            except CacheError:
                # A cache entry found inconsistent while its facts were built (lazily);
                # the entry is gone now. Every command builds the facts it shows before
                # it writes anything, so running it again repeats no output.
                rv = run()
            code = rv if isinstance(rv, int) else ExitCode.OK
        except typer.TyperException as e:  # bad options or arguments, as typer found them
            ctx = getattr(e, "ctx", None)
            see = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            _say(f"{e.format_message()}{see}")
            code = getattr(e, "exit_code", ExitCode.USAGE)
        except typer.Abort:
            _say("interrupted")
            code = ExitCode.INTERRUPTED
        except SystemExit as e:
            # rich answers a closed pipe (while printing --help) with SystemExit(1).
            if not isinstance(e.__context__, BrokenPipeError):
                raise
            _silence_stdout()
            code = ExitCode.OK
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HdfactsError as e:
            _fail(str(e), e.exit_code)
        except BrokenPipeError:
            _quiet_exit_on_closed_pipe()
        except KeyboardInterrupt:
            _fail("interrupted", ExitCode.INTERRUPTED)


app = typer.Typer(
    cls=_Group,
    name="hdfacts",
    help="Look up the facts and figures of Hengdong County's 2023 report, with their source sentences.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    epilog=_examples("hdfacts show economy", "hdfacts search 排名 --lang en", "hdfacts get gdp --json"),
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hdfacts {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    facts: Annotated[
        Path | None,
        typer.Option(
            "--facts",
            envvar="HDFACTS_FACTS",
            metavar="PATH",
            help="Fact base to read instead of the shipped one.",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Parse the fact file afresh, without the cache (also HDFACTS_NO_CACHE=1).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    ctx.obj = {"facts": facts, "no_cache": no_cache}
    if ctx.invoked_subcommand is None:  # `hdfacts` alone: the help, as gh does
        typer.echo(ctx.get_help())
        raise typer.Exit()


def _base(ctx: typer.Context) -> FactBase:
    params = ctx.find_root().params
    return load(params.get("facts"), cache=False if params.get("no_cache") else None)


# Completion of topic names and fact ids; a broken fact base completes nothing.
def _complete(ctx: typer.Context, incomplete: str, names: str) -> list[str]:
    try:
        base = _base(ctx)
    except HdfactsError:
        return []
    pool = [t.slug for t in base.topics] if names == "topics" else list(base.fact_ids())
    return [n for n in pool if n.startswith(incomplete)]


def _complete_topic(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "topics")


def _complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "ids")


# The output options every listing command shares, declared once.
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: a table on a terminal, tab-separated lines when piped.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (same as --format json).")]


def _fields_option(kind: str) -> Any:
    # The help lists exactly the fields that render.check_fields accepts for this kind of record.
    return typer.Option(
        "--fields",
        metavar="A,B,...",
        help=f"Show only these fields, in this order. Fields: {','.join(FIELDS[kind])}.",
        show_default=False,
    )


FieldsOpt = Annotated[str | None, _fields_option("facts")]
TopicFieldsOpt = Annotated[str | None, _fields_option("topics")]
SeriesFieldsOpt = Annotated[str | None, _fields_option("series")]
SearchFieldsOpt = Annotated[str | None, _fields_option("explained")]  # explain implies --explain
LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang",
        envvar="HDFACTS_LANG",
        case_sensitive=False,
        help="Label language of tables: zh (Chinese) or en (English, units and periods too).",
    ),
]


def _emit(
    view: View,
    fmt: Format | None,
    as_json: bool,
    fields: str | None,
    lang: Lang,
    parts: Sequence[View] = (),
) -> None:
    """Choose the output format once, for every command, and render. `parts`, when given,
    are drawn as tables of their own (one per topic); every other format gets `view` whole."""
    if as_json:
        if fmt not in (None, Format.json):
            raise UsageError(f"--json and --format {fmt.value} ask for different formats")
        fmt = Format.json
    # With no format asked for, a person at a terminal gets a table and a pipe gets
    # plain tab-separated lines (as gh does); --format table draws the table anyway.
    terminal = fmt is not None or sys.stdout.isatty()
    drawn = terminal and fmt in (None, Format.table) and len(parts) > 1
    try:
        for part in parts if drawn else (view,):
            render(
                part,
                fmt or Format.table,
                sys.stdout,
                fields=parse_fields(fields),
                lang=lang.value,
                terminal=terminal,
            )
    except BrokenPipeError:
        raise
    except OSError as e:
        raise OutputError(_cannot_write(e)) from e


def _topics_view(base: FactBase) -> View:
    return View(
        "topics",
        [t.to_dict(base.count(t.slug)) for t in base.topics],
        title=base.meta.title,
        year=base.meta.year,
    )


@app.command(epilog=_examples("hdfacts topics", "hdfacts topics --lang en", "hdfacts topics --json"))
def topics(
    ctx: typer.Context,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: TopicFieldsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """List the topics with their Chinese and English names and fact counts."""
    _emit(_topics_view(_base(ctx)), format, json, fields, lang)


@app.command(
    epilog=_examples(
        "hdfacts show economy", "hdfacts show 经济 projects --lang en", "hdfacts show reform --json"
    )
)
def show(
    ctx: typer.Context,
    topic: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[TOPIC]...",
            help="Topic slug, name or alias, also in traditional characters or pinyin: economy, 经济, jingji",
            autocompletion=_complete_topic,
            show_default=False,
        ),
    ] = None,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: FieldsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Show the facts of one or more topics in report order (no topic: list the topics)."""
    base = _base(ctx)
    if not topic:
        _emit(_topics_view(base), format, json, fields, lang)
        return
    facts = facts_of(base, [_text(t) for t in topic])
    records = [f.to_dict() for f in facts]
    year = base.meta.year
    parts = [
        View(
            "facts",
            [r for r in records if r["topic"] == t.slug],
            title=f"{t.name_en if lang is Lang.en else t.name} ({t.slug}): {plural(n, 'fact')}",
            year=year,
        )
        for t in base.topics
        if (n := sum(1 for r in records if r["topic"] == t.slug))
    ]
    title = " / ".join(p.title for p in parts)
    _emit(View("facts", records, title=title, year=year), format, json, fields, lang, parts)


def _bounds(min_text: str | None, max_text: str | None) -> tuple[float | None, float | None, str | None]:
    """The --min and --max values, and the unit family they compare (None: every figure)."""
    if min_text is None and max_text is None:
        return None, None, None  # without importing quantities: 2 ms of every search
    from .quantities import parse_bound, unit_family

    values: list[float | None] = []
    families: dict[str, str] = {}
    for option, text in (("--min", min_text), ("--max", max_text)):
        if text is None:
            values.append(None)
            continue
        try:
            bound = parse_bound(text)
        except QuantityError as e:
            raise UsageError(f"{option}: {e}") from e
        values.append(bound.value)
        family = unit_family(bound.unit)
        if family:
            families[option] = family
    if len(set(families.values())) > 1:
        raise UsageError(
            f"--min {min_text} and --max {max_text} name different units: give one unit, or none"
        )
    return values[0], values[1], next(iter(families.values()), None)


def _scope(base: FactBase, text: str | None) -> str | None:
    if text is None:
        return None
    from .quantities import parse_scope

    try:
        return parse_scope(_text(text), {f.rank.scope for f in base.facts if f.rank})
    except QuantityError as e:
        raise UsageError(f"--scope: {e}") from e


@app.command(
    epilog=_examples(
        "hdfacts search 粮食产量",
        "hdfacts search exports growth --lang en --explain",
        "hdfacts search --min 10亿元 --sort value",
    )
)
def search(
    ctx: typer.Context,
    terms: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[QUERY]...",
            help="What to look for: words, a phrase or a whole question, in Chinese, English or pinyin.",
            show_default=False,
        ),
    ] = None,
    any_term: Annotated[
        bool,
        typer.Option("--any", help="One matching word of the query is enough (default: all must match)."),
    ] = False,
    topic: Annotated[
        list[str] | None,
        typer.Option(
            "--topic",
            "-t",
            help="Only search these topics (repeatable).",
            autocompletion=_complete_topic,
            show_default=False,
        ),
    ] = None,
    min_value: Annotated[
        str | None,
        typer.Option(
            "--min",
            metavar="X",
            help="Only values of at least X: a number compares every figure, a figure with a unit "
            "(10万元, 1万吨, 50%) only figures in that unit.",
            show_default=False,
        ),
    ] = None,
    max_value: Annotated[
        str | None,
        typer.Option(
            "--max",
            metavar="X",
            help="Only values of at most X (as for --min).",
            show_default=False,
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            metavar="N",
            min=1,
            help="Only facts ranked N-th or better.",
            show_default=False,
        ),
    ] = None,
    scope: Annotated[
        str | None,
        typer.Option(
            "--scope",
            metavar="SCOPE",
            help="Only rankings within SCOPE: 全市 (city, 市, municipal) or 全省 (province, 省, provincial).",
            show_default=False,
        ),
    ] = None,
    sort: Annotated[
        Sort,
        typer.Option(
            "--sort",
            help="Order: relevance (best match first), source (report order), value (largest first) "
            "or rank (best first).",
        ),
    ] = Sort.relevance,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Show which part of the query matched which field, and the score."),
    ] = False,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: SearchFieldsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Find facts by what they are about: a keyword, a phrase or a question, best match first.

    The query is matched across labels, figure, period, growth, ranking, tags, quote and
    topic, through synonyms, pinyin and traditional characters; every word of its content
    must match. Filters select by value or ranking."""
    low, high, unit = _bounds(min_value, max_value)
    if not terms and not topic and scope is None and all(v is None for v in (low, high, top)):
        raise UsageError("give a search term or a filter, e.g. hdfacts search 排名")
    base = _base(ctx)
    filters = Filters(min_value=low, max_value=high, top=top, scope=_scope(base, scope), sort=sort, unit=unit)
    words = [_text(t) for t in terms or []]
    topics = [_text(t) for t in topic or []]
    found = find(base, words, any_term=any_term, topics=topics, filters=filters)
    records = [f.to_dict() for f in found.facts]
    explain = explain or "explain" in (parse_fields(fields) or [])  # asked for by name
    if explain:
        for record in records:
            record["explain"] = found.explain(record["id"])
    title = f"{plural(len(records), 'fact')}: {' '.join(words)}".rstrip(": ")
    view = View(
        "explained" if explain else "matches",
        records,
        title=title,
        highlight=found.highlight,
        year=base.meta.year,
    )
    _emit(view, format, json, fields, lang)
    if not records:
        _fail(why_nothing(base, words, found), ExitCode.NOT_FOUND)


@app.command(
    epilog=_examples(
        "hdfacts ask 衡东县GDP是多少", 'hdfacts ask "what was GDP growth"', "hdfacts ask 粮食产量 --json"
    )
)
def ask(
    ctx: typer.Context,
    question: Annotated[
        list[str],
        typer.Argument(metavar="QUESTION...", help="A question in your own words, e.g. 衡东县GDP是多少."),
    ],
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: FieldsOpt = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            envvar="HDFACTS_LANG",
            help="Language of the answer: zh or en (default: the language of the question).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Answer a question from the report: the figure as a sentence, its source quote and id.

    When the report does not give what is asked, says so (exit 1) rather than guess."""
    from .ask import answer

    base = _base(ctx)
    text = " ".join(_text(q) for q in question)
    result = answer(base, text, lang.value if lang else None)
    records = [f.to_dict() for f in result.facts]
    view = View("answers", records, title=result.sentence or "", year=base.meta.year)
    _emit(view, format, json, fields, Lang(result.lang))
    if result.more and not (json or format):
        typer.echo(f"... and {result.more} more as good: hdfacts search {text}")
    if not records:
        assert result.found is not None
        _fail(why_nothing(base, [text], result.found), ExitCode.NOT_FOUND)


@app.command(
    "get", epilog=_examples("hdfacts get gdp", "hdfacts get gdp --lang en", "hdfacts get gdp --json")
)
def get_fact(
    ctx: typer.Context,
    fact_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A fact id, an old id, or a fact's exact metric name: gdp, 引进外资.",
            autocompletion=_complete_id,
        ),
    ],
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: FieldsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Show one fact in full, its source quote included (by id, old id or exact metric name)."""
    base = _base(ctx)
    fact = get(base, _text(fact_id))
    _emit(View("fact", [fact.to_dict()], title=fact.id, year=base.meta.year), format, json, fields, lang)


@app.command(
    epilog=_examples(
        "hdfacts export --format csv -o facts.csv",
        "hdfacts export --format sqlite -o facts.db",
        "hdfacts export --format jsonl --fields id,text,period",
    )
)
def export(
    ctx: typer.Context,
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="File format. Default: from the extension of FILE (.json .jsonl .csv .tsv .md .db "
            ".sqlite), else json.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE instead of stdout.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    excel_safe: Annotated[
        bool,
        typer.Option(
            "--excel-safe",
            help="CSV/TSV: put ' before a cell that starts with = + - @, so spreadsheets do not run it "
            "as a formula.",
        ),
    ] = False,
    fields: FieldsOpt = None,
) -> None:
    """Write every fact, in report order, to stdout or a file."""
    from .export import export_format, write_database, write_export

    fmt = export_format(format, output)
    if excel_safe and fmt not in (ExportFormat.csv, ExportFormat.tsv):
        raise UsageError(f"--excel-safe is for csv and tsv, not {fmt.value}")
    base = _base(ctx)
    if fmt is ExportFormat.sqlite:
        write_database(base, output, force=force)
        return
    view = View("facts", [f.to_dict() for f in base.facts])
    write_export(
        view, Format(fmt.value), output, force=force, fields=parse_fields(fields), excel_safe=excel_safe
    )


@app.command(epilog=_examples("hdfacts validate", "hdfacts validate my-facts.toml"))
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="[PATH]",
            help="Fact file to check (default: --facts, else the shipped one).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check a fact base and report the first problem (exit 0 valid, 2 invalid)."""
    target = path or ctx.find_root().params.get("facts") or default_path()
    base = load(target, cache=False)  # the real check, every time
    _echo(f"{target}: ok, {plural(len(base.facts), 'fact')} in {plural(len(base.topics), 'topic')}")


@app.command(
    epilog=_examples("hdfacts chart rank", "hdfacts chart growth --lang en", "hdfacts chart rank --json")
)
def chart(
    ctx: typer.Context,
    kind: Annotated[ChartKind, typer.Argument(help="growth: the growth rates; rank: each ranking.")],
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: SeriesFieldsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Draw the growth rates or the rankings as labelled bars, each with its period
    (--json: the same series as data). In a ranking chart a better rank is a longer bar."""
    titles = {
        Lang.zh: {ChartKind.growth: "增长率 (%)", ChartKind.rank: "排名（按范围分组）"},
        Lang.en: {ChartKind.growth: "Growth rates (%)", ChartKind.rank: "Rankings, by scope"},
    }
    base = _base(ctx)
    view = View("series", chart_series(base, kind), title=titles[lang][kind], year=base.meta.year)
    _emit(view, format, json, fields, lang)


@app.command(
    epilog=_examples(
        "hdfacts verify -s hengdong-2023-report.txt", "hdfacts verify -s hengdong-2023-report.txt --json"
    )
)
def verify(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Option(
            "--source",
            "-s",
            metavar="REPORT.txt",
            help="The source text the facts were taken from.",
        ),
    ],
    format: FormatOpt = None,
    json: JsonOpt = False,
) -> None:
    """Check the fact base against its source: quotes verbatim, figures in quotes, every number covered."""
    from .audit import audit
    from .loader import decode, read_bytes

    text = decode(source, read_bytes(source))
    base = _base(ctx)
    problems = audit(base.facts, text)
    records = [p._asdict() for p in problems]
    if problems or format or json:
        _emit(View("problems", records, title=plural(len(problems), "problem")), format, json, None, Lang.en)
    if problems:
        ids = sorted({p.fact_id for p in problems if p.fact_id})
        uncovered = sum(1 for p in problems if p.check == "coverage")
        _fail(
            f"{plural(len(problems), 'problem')}: facts {', '.join(ids) or '-'}; "
            f"{plural(uncovered, 'number')} of the source not covered",
            ExitCode.NOT_FOUND,
        )
    if not (format or json):
        _echo(
            f"{base.path}: ok, {len(base.facts)} facts agree with {source} "
            "(quotes verbatim, figures in their quotes, every number covered)"
        )


@app.command(epilog=_examples("hdfacts mcp", "hdfacts --facts my-facts.toml mcp"))
def mcp(ctx: typer.Context) -> None:
    """Serve the facts to AI assistants: a Model Context Protocol server on stdin/stdout."""
    from importlib.util import find_spec

    if find_spec("mcp") is None:
        raise UsageError("hdfacts mcp needs the MCP SDK: pip install 'hdfacts[mcp]'")
    base = _base(ctx)  # a broken base ends here, before anything is served
    from .mcp_server import serve

    serve(base)


def main() -> None:
    """Console-script entry point: every way a run can end becomes an exit code here."""
    from . import interrupt

    _guard_closed_streams()
    try:
        interrupt.install()
        code = _run()
    except Interrupted as e:  # a signal before the run (one during it is handled in _run)
        _say(str(e))
        code = e.exit_code
    interrupt.ignore()  # the run is over: a late signal must not turn into a traceback
    sys.exit(code)


def _run() -> int:
    try:
        try:
            code = int(app(standalone_mode=False))
        finally:
            sys.stdout.flush()  # here, where a full disk can still be reported
        return code
    except Interrupted as e:
        _say(str(e))
        return e.exit_code
    except KeyboardInterrupt:
        _say("interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK
    except OSError as e:
        if e.errno not in OUTPUT_ERRNOS:
            return _internal(e)
        _silence_stdout()  # so that the interpreter's last flush cannot fail a second time
        _say(_cannot_write(e))
        return ExitCode.OUTPUT
    except Exception as e:  # a bug: one line for the user, the traceback on request
        return _internal(e)


def _internal(e: Exception) -> int:
    if os.environ.get("HDFACTS_DEBUG"):
        raise e
    _say(f"internal error: {type(e).__name__}: {e} (set HDFACTS_DEBUG=1 to see the traceback)")
    return ExitCode.INTERNAL
