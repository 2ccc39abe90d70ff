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
    shown,
)
from .export import ExportFormat
from .interrupt import Interrupted
from .loader import default_path, load
from .model import FactBase
from .query import ChartKind, Filters, Sort, chart_series, check_scope, facts_of, get, suggest
from .query import search as search_facts
from .render import Format, Lang, View, parse_fields, render


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
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,...",
        help="Show only these fields, in this order (e.g. id,text,rank).",
        show_default=False,
    ),
]
LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang",
        envvar="HDFACTS_LANG",
        help="Label language of tables: zh (Chinese) or en (English).",
    ),
]


def _emit(view: View, fmt: Format | None, as_json: bool, fields: str | None, lang: Lang) -> None:
    """Choose the output format once, for every command, and render."""
    if as_json:
        if fmt not in (None, Format.json):
            raise UsageError(f"--json and --format {fmt.value} ask for different formats")
        fmt = Format.json
    # With no format asked for, a person at a terminal gets a table and a pipe gets
    # plain tab-separated lines (as gh does); --format table draws the table anyway.
    terminal = fmt is not None or sys.stdout.isatty()
    try:
        render(
            view,
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
    return View("topics", [t.to_dict(base.count(t.slug)) for t in base.topics], title=base.meta.title)


@app.command()
def topics(
    ctx: typer.Context,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: FieldsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """List the topics with their Chinese and English names and fact counts."""
    _emit(_topics_view(_base(ctx)), format, json, fields, lang)


@app.command()
def show(
    ctx: typer.Context,
    topic: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[TOPIC]...",
            help="Topic slug, Chinese name or alias, e.g. economy or 经济.",
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
    names = {f.topic for f in facts}
    title = " / ".join((t.name_en if lang is Lang.en else t.name) for t in base.topics if t.slug in names)
    _emit(View("facts", [f.to_dict() for f in facts], title=title), format, json, fields, lang)


def _bound(option: str, text: str | None) -> float | None:
    if text is None:
        return None
    from .quantities import parse_number

    try:
        return parse_number(_text(text))
    except QuantityError as e:
        raise UsageError(f"{option}: {e}") from e


@app.command()
def search(
    ctx: typer.Context,
    terms: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[TERM]...",
            help="Text to look for (Chinese, pinyin, English); every term must match.",
            show_default=False,
        ),
    ] = None,
    any_term: Annotated[bool, typer.Option("--any", help="One matching term is enough.")] = False,
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
            help="Only values of at least X (a number or a figure like 100亿).",
            show_default=False,
        ),
    ] = None,
    max_value: Annotated[
        str | None,
        typer.Option(
            "--max",
            metavar="X",
            help="Only values of at most X.",
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
            help="Only rankings within SCOPE: 全市 (city) or 全省 (province).",
            show_default=False,
        ),
    ] = None,
    sort: Annotated[
        Sort,
        typer.Option(
            "--sort",
            help="Order: source (report order), value (largest first) or rank (best first).",
        ),
    ] = Sort.source,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: FieldsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Find facts by text (labels, figure, period, tags, quote, topic) and by value or ranking."""
    filters = Filters(
        min_value=_bound("--min", min_value),
        max_value=_bound("--max", max_value),
        top=top,
        scope=check_scope(_text(scope)) if scope is not None else None,
        sort=sort,
    )
    if not terms and not topic and not filters.active():
        raise UsageError("give a search term or a filter, e.g. hdfacts search 排名")
    base = _base(ctx)
    words = [_text(t) for t in terms or []]
    topics = [_text(t) for t in topic or []]
    facts = search_facts(base, words, any_term=any_term, topics=topics, filters=filters)
    title = f"{len(facts)} facts: {' '.join(words)}"
    _emit(
        View("matches", [f.to_dict() for f in facts], title=title, highlight=words),
        format,
        json,
        fields,
        lang,
    )
    if not facts:
        asked = " ".join(words)
        if words and not any(w.strip() for w in words):
            _fail(f"no facts match {shown(asked)} (the search term is empty)", ExitCode.NOT_FOUND)
        close = suggest(base, words) if words else None
        hint = f" (did you mean {close}?)" if close else ""
        what = f"match {shown(asked)}" if words else "pass the filters"
        _fail(f"no facts {what}{hint}", ExitCode.NOT_FOUND)


@app.command("get")
def get_fact(
    ctx: typer.Context,
    fact_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A fact id, e.g. gdp.",
            autocompletion=_complete_id,
        ),
    ],
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: FieldsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Show one fact in full, its source quote included."""
    fact = get(_base(ctx), _text(fact_id))
    _emit(View("fact", [fact.to_dict()], title=fact.id), format, json, fields, lang)


@app.command()
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


@app.command()
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
    _echo(f"{target}: ok, {len(base.facts)} facts in {len(base.topics)} topics")


@app.command()
def chart(
    ctx: typer.Context,
    kind: Annotated[ChartKind, typer.Argument(help="growth: the growth rates; rank: each ranking.")],
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: FieldsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Draw the growth rates or the rankings as labelled bars (--json: the same series as data)."""
    title = {ChartKind.growth: "增长率 growth (%)", ChartKind.rank: "排名 ranking (position within scope)"}
    _emit(View("series", chart_series(_base(ctx), kind), title=title[kind]), format, json, fields, lang)


@app.command()
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
        _emit(View("problems", records, title=f"{len(problems)} problems"), format, json, None, Lang.en)
    if problems:
        ids = sorted({p.fact_id for p in problems if p.fact_id})
        uncovered = sum(1 for p in problems if p.check == "coverage")
        _fail(
            f"{len(problems)} problems: facts {', '.join(ids) or '-'}; {uncovered} numbers of the "
            f"source not covered",
            ExitCode.NOT_FOUND,
        )
    if not (format or json):
        _echo(
            f"{base.path}: ok, {len(base.facts)} facts agree with {source} "
            "(quotes verbatim, figures in their quotes, every number covered)"
        )


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
