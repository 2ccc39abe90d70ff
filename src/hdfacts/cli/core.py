"""The application: its root options, how output is written, and the one place where a
run that does not end normally becomes one stderr line and an exit code (`ending`)."""

# No `from __future__ import annotations`: see options.py.

import errno
import functools
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any, NamedTuple

import typer
from typer.core import TyperGroup

from ..base.loader import load_all
from ..base.model import FactBase
from ..errors import OUTPUT_ERRNOS, CacheError, ExitCode, HdfactsError, escape_controls
from ..interrupt import Interrupted
from ..output.render import Format, Lang, View, parse_fields, render
from ..version import __version__
from .helptext import typeset


def examples(*lines: str) -> str:
    """A command's help epilog: its examples, one a line, as typed."""
    # \b keeps click from re-wrapping the block.
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


class Output(NamedTuple):
    """The output options a listing command was given, travelling as one."""

    format: Format | None
    json: bool
    fields: str | None
    lang: Lang
    lang_given: bool = True  # False where the command chose the language (ask: the question's)


class Environment(NamedTuple):
    """Where output goes and what it is: swapped for a fake one in tests (as httpie's)."""

    stdout: Any
    is_terminal: bool

    @classmethod
    def of_process(cls) -> "Environment":
        return cls(sys.stdout, sys.stdout.isatty())


# The environment of the running command; a test replaces it to ask, in process, what a
# terminal would get.
environment: Callable[[], Environment] = Environment.of_process


def say(message: str) -> None:
    """One line on stderr; paths and values in it are shown escaped, never raw."""
    try:
        one_line = message.replace("\n\t", " ").replace("\n", " ")  # typer's lists of choices
        sys.stderr.write(f"hdfacts: {escape_controls(one_line)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr full or gone: the exit code still tells
        pass


def ending(e: BaseException) -> int:
    """The one place where a run that did not end normally becomes one stderr line and
    an exit code: usage and library errors, signals, closed pipes, unwritable output
    and bugs."""
    if isinstance(e, typer.Exit):
        return int(e.exit_code)
    if isinstance(e, typer.TyperException):  # bad options or arguments, as typer found them
        ctx = getattr(e, "ctx", None)
        see = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        say(f"{e.format_message()}{see}")
        return int(getattr(e, "exit_code", ExitCode.USAGE))
    if isinstance(e, HdfactsError):
        say(str(e))
        return e.exit_code
    if isinstance(e, Interrupted):
        say(str(e))
        return e.exit_code
    if isinstance(e, (KeyboardInterrupt, typer.Abort)):
        say("interrupted")
        return ExitCode.INTERRUPTED
    if isinstance(e, BrokenPipeError) or (
        isinstance(e, SystemExit) and isinstance(e.__context__, BrokenPipeError)  # rich, on --help
    ):
        _silence_stdout()  # the reader went away (`| head`): a normal end, as for ripgrep
        return ExitCode.OK
    if isinstance(e, OSError) and e.errno in OUTPUT_ERRNOS:
        _silence_stdout()  # so that the interpreter's last flush cannot fail a second time
        say(cannot_write(e))
        return ExitCode.OUTPUT
    if isinstance(e, SystemExit):
        raise e
    if os.environ.get("HDFACTS_DEBUG"):
        raise e
    say(f"internal error: {type(e).__name__}: {e} (set HDFACTS_DEBUG=1 to see the traceback)")
    return ExitCode.INTERNAL


def cannot_write(e: OSError) -> str:
    return f"cannot write the output: {e.strerror or e}"


def text(arg: str) -> str:
    """A text argument as the UTF-8 the terminal sent. Python decodes argv in the locale's
    encoding: in a forced ASCII locale 排名 arrives as escaped bytes, and any byte that
    is not UTF-8 as a lone surrogate, which no output could encode."""
    try:
        raw = os.fsencode(arg)
    except UnicodeEncodeError:
        raw = arg.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def echo(line: str, keep: Sequence[str] = ()) -> None:
    """A line of our own on stdout, with what a user or a file supplied escaped; on a
    terminal, typeset to its width (the phrases of `keep` whole where they fit)."""
    env = environment()
    text = escape_controls(line)
    if env.is_terminal:
        from ..output.typeset import wrap
        from ..output.writers import terminal_width

        width = terminal_width()
        text = "\n".join(wrap(text, width, keep=keep)) if width else text
    try:
        print(text, file=env.stdout)
    except BrokenPipeError:
        raise
    except OSError as e:
        from ..base.files import write_failed

        raise write_failed("the output", e) from e


def _lang_from_env() -> bool:
    # HDFACTS_LANG=en is a standing choice for tables: no note on every export
    return os.environ.get("HDFACTS_LANG", "").lower() == "en"


# Formats that write records as data, the same in any --lang.
DATA_FORMATS = (Format.json, Format.jsonl, Format.csv, Format.tsv)


def emit(view: View, out: Output, parts: Sequence[View] = ()) -> None:
    """Choose the output format once, for every command, and render. `parts`, when given,
    are drawn as tables of their own (one per topic); every other format gets `view` whole."""
    fmt = out.format
    if out.json:
        if fmt not in (None, Format.json):
            from ..errors import UsageError

            raise UsageError(f"--json and --format {fmt.value} ask for different formats")
        fmt = Format.json
    if out.lang_given and out.lang is Lang.en and fmt in DATA_FORMATS and not _lang_from_env():
        # Data keeps every field as stored; say so rather than ignore the option.
        say(f"--lang en is for tables: {fmt.value} has every field as stored, English labels in metric_en")
    env = environment()
    # With no format asked for, a person at a terminal gets a table and a pipe gets
    # plain tab-separated lines (as gh does); --format table draws the table anyway.
    terminal = fmt is not None or env.is_terminal
    drawn = terminal and fmt in (None, Format.table) and len(parts) > 1
    try:
        for part in parts if drawn else (view,):
            render(
                part,
                fmt or Format.table,
                env.stdout,
                fields=parse_fields(out.fields),
                lang=out.lang.value,
                terminal=terminal,
            )
    except BrokenPipeError:
        raise
    except OSError as e:
        from ..base.files import write_failed

        raise write_failed("the output", e) from e


class _Group(TyperGroup):
    """Runs a command line; whatever ends it early goes to `ending`."""

    format_help = typeset(TyperGroup.format_help)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        # Non-standalone, so that usage errors come here rather than to typer's
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
        except BaseException as e:
            code = ending(e)
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=_Group,
    name="hdfacts",
    help="Look up the facts and figures of a county's report, with their source sentences: Hengdong "
    "County's 2023 report as shipped, or the fact bases given with --facts (several at once).",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    epilog=examples("hdfacts show economy", "hdfacts search 排名 --lang en", "hdfacts get gdp --json"),
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hdfacts {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    # Text, not Path: an empty path must not become "." (this directory). HDFACTS_FACTS is
    # read by facts_given, split at the path separator as PATH is (typer would split a
    # list of text at spaces).
    facts: Annotated[
        list[str] | None,
        typer.Option(
            "--facts",
            metavar="PATH",
            help="Fact base to read instead of the shipped one: a file, or a directory of them "
            "(*.toml); repeat it to read several reports at once. Also HDFACTS_FACTS, "
            f"paths joined by {os.pathsep}.",
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
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is None:  # `hdfacts` alone: the help, as gh does
        typer.echo(ctx.get_help())
        raise typer.Exit()


def base_of(ctx: typer.Context, reports: Sequence[str] | None = None) -> FactBase:
    """The fact bases the command line names (--facts, HDFACTS_FACTS, else the shipped
    one), as one; only the reports named by `reports` (--report), where given."""
    params = ctx.find_root().params
    return load_all(
        facts_given(ctx),
        cache=False if params.get("no_cache") else None,
        reports=[text(r) for r in reports or ()],
    )


def facts_given(ctx: typer.Context) -> list[str]:
    """The fact bases the command line names: --facts, each as given, else HDFACTS_FACTS,
    its paths joined by the path separator (empty ones skipped); none for the shipped one."""
    given = ctx.find_root().params.get("facts")
    if given:
        return [text(p) for p in given]
    return [p for p in os.environ.get("HDFACTS_FACTS", "").split(os.pathsep) if p.strip()]


def _complete(ctx: typer.Context, incomplete: str, names: str) -> list[str]:
    try:
        base = base_of(ctx)
    except HdfactsError:  # a broken fact base completes nothing
        return []
    if names == "topics":
        pool = [t.slug for t in base.topics]
    elif names == "reports":
        pool = [r.id for r in base.reports]
    elif base.several:  # REPORT:ID always, a bare id where it names one fact
        ids, reports = base.fact_ids(), base.fact_reports()
        bare = [i for i in ids if ids.count(i) == 1] if len(ids) < 5000 else []
        pool = [*bare, *(f"{r}:{i}" for r, i in zip(reports, ids, strict=True))]
    else:
        pool = list(base.fact_ids())
    return [n for n in pool if n.startswith(incomplete)]


def complete_topic(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "topics")


def complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "ids")


def complete_report(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "reports")


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


def _show_warning(message: Warning | str, *args: Any, **kwargs: Any) -> None:
    say(f"warning: {message}")  # one line, as errors are, never Python's two with a source line


def main() -> None:
    """Console-script entry point: every way a run can end becomes an exit code."""
    import warnings

    from .. import interrupt

    warnings.showwarning = _show_warning
    _guard_closed_streams()
    try:
        interrupt.install()
        from .startup import only_the_command_run

        with only_the_command_run(app, sys.argv[1:]):
            code = int(app(standalone_mode=False))
        sys.stdout.flush()  # here, where a full disk can still be reported
    except BaseException as e:
        code = ending(e)
    interrupt.ignore()  # the run is over: a late signal must not turn into a traceback
    sys.exit(code)
