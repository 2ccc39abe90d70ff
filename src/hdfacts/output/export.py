"""Writing a whole export to a file without ever leaving a half-written one.

A regular file is replaced atomically (a temporary file beside it, renamed into
place) with the mode `>` would give it; a SQLite database that already exists is
rewritten through SQLite's backup API, so that programs holding it open (in WAL
mode too) never see a malformed file. What is not a regular file (a FIFO, a
terminal, /dev/stdout) is written into, as the shell's `>` would, and never
replaced; a symlink is followed.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..base.files import is_stream, remove_quietly, replace_atomically, write_failed, write_into
from ..base.model import FactBase
from ..errors import OutputError, UsageError, escape_controls, shown
from .render import EXTENSIONS, Format, View, render

SQLITE_MAGIC = b"SQLite format 3\x00"


def export_format(asked: Format | None, output: Path | None) -> Format:
    """The format to write: --format, else the output file's extension, else JSON on stdout."""
    if asked is Format.table:
        *others, last = [f.value for f in Format if f is not Format.table]
        raise UsageError(f"--format table is for a terminal: export writes {', '.join(others)} or {last}")
    if output is None or str(output) == "-":
        return asked or Format.json
    if output.is_dir():
        raise UsageError(f"{output} is a directory: name a file to write")
    suffix = output.suffix.lower()
    implied = EXTENSIONS.get(suffix)
    known = " ".join(EXTENSIONS)
    if asked is None:
        if implied is None:
            raise UsageError(
                f"cannot tell the format of {shown(str(output))} from its extension ({known}): give --format"
            )
        return implied
    if implied is not None and implied is not asked:
        raise UsageError(
            f"--format {asked.value} does not match the extension {suffix} of {shown(str(output))} "
            f"({implied.value}): change one of them"
        )
    return asked


def check_target(output: Path, force: bool) -> tuple[Path, os.stat_result | None]:
    """The path to write (a symlink's target) and its status now (None: no such file).
    A regular file (or a block device) is never overwritten without --force."""
    try:
        st: os.stat_result | None = os.stat(output)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise UsageError(f"cannot write {output}: {e.strerror or e}") from e
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{output} is a directory: name a file to write")
    if is_stream(output):
        return output, st
    if st is not None and not force:
        if stat.S_ISREG(st.st_mode):
            raise UsageError(f"{output} exists: use --force to overwrite it")
        if stat.S_ISBLK(st.st_mode):
            raise UsageError(f"{output} is a block device: use --force to write into it")
    # A symlink (dangling too) is followed: the file it names is the one written.
    target = Path(os.path.realpath(output)) if output.is_symlink() else output
    return target, st


def write_export(
    view: View,
    fmt: Format,
    output: Path | None,
    *,
    force: bool = False,
    fields: Sequence[str] | None = None,
    excel_safe: bool = False,
) -> None:
    """Render to stdout, or to `output` (see the module's docstring); an existing file needs force=True."""
    if output is None or str(output) == "-":
        _to_stdout(
            lambda: render(view, fmt, sys.stdout, fields=fields, terminal=False, excel_safe=excel_safe)
        )
        return
    target, st = check_target(output, force)
    buffer = io.StringIO()
    render(view, fmt, buffer, fields=fields, terminal=False, excel_safe=excel_safe)
    _write_file(output, target, st, buffer.getvalue().encode("utf-8"))


def _to_stdout(write: Callable[[], object]) -> None:
    """Write to stdout: a closed pipe goes up as it is (exit 0), any other failure is exit 74."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        raise write_failed("the output", e) from e


def write_text(text: str, output: Path | None, *, force: bool = False) -> None:
    """Write `text` to stdout, or to `output` as an export is written (see the module's
    docstring); an existing file needs force=True."""
    if output is None or str(output) == "-":
        _to_stdout(lambda: sys.stdout.write(text))
        return
    target, st = check_target(output, force)
    _write_file(output, target, st, text.encode("utf-8"))


def _write_file(output: Path, target: Path, st: os.stat_result | None, data: bytes) -> None:
    if st is not None and (not stat.S_ISREG(st.st_mode) or is_stream(output)):
        write_into(output, data)
    else:

        def write(tmp: Path) -> None:
            tmp.write_bytes(data)

        replace_atomically(target, write, st)


def write_database(base: FactBase, output: Path | None, *, force: bool = False) -> None:
    """The fact base as a SQLite database (see sqlite.py)."""
    if output is None or str(output) == "-":
        raise UsageError("--format sqlite writes a file: give one with -o, e.g. -o facts.db")
    target, st = check_target(output, force)
    if st is not None and (not stat.S_ISREG(st.st_mode) or is_stream(output)):
        raise UsageError(f"{output} is not a regular file: a SQLite database needs one")
    import sqlite3

    from .sqlite import write_db, write_through

    try:
        if st is not None and _is_sqlite(target):
            write_through(base, target)
            return
        # No database is there: one SQLite would find beside it (-wal, -journal) is an
        # orphan that it would otherwise replay into the new file.
        for suffix in ("-wal", "-shm", "-journal"):
            remove_quietly(Path(f"{target}{suffix}"))
        replace_atomically(target, lambda tmp: write_db(base, tmp), st)
    except sqlite3.Error as e:
        if (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF in _SQLITE_OUTPUT_ERRORS:
            raise OutputError(f"cannot write {escape_controls(str(output))}: {e}") from e
        raise UsageError(f"cannot write {escape_controls(str(output))}: {e}") from e


_SQLITE_OUTPUT_ERRORS = (10, 13)  # SQLITE_IOERR, SQLITE_FULL: the disk, not the data


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False
