"""Writing a whole export to a file without ever leaving a half-written one."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import UsageError
from .model import FactBase
from .render import Format, View, render


def check_target(output: Path, force: bool) -> None:
    """A file the user owns is never overwritten without --force."""
    if output.is_dir():
        raise UsageError(f"{output} is a directory: name a file to write")
    if output.exists() and not force:
        raise UsageError(f"{output} exists: use --force to overwrite it")


def write_export(
    view: View, fmt: Format, output: Path | None, *, force: bool = False, fields: Sequence[str] | None = None
) -> None:
    """Render to stdout, or to `output` atomically; an existing file needs force=True."""
    if output is None or str(output) == "-":
        render(view, fmt, sys.stdout, fields=fields, terminal=False)
        return
    check_target(output, force)
    buffer = io.StringIO()
    render(view, fmt, buffer, fields=fields, terminal=False)
    write_atomic(output, buffer.getvalue())


def write_database(base: FactBase, output: Path | None, *, force: bool = False) -> None:
    """The fact base as a SQLite database (see sqlite.py), written atomically."""
    if output is None or str(output) == "-":
        raise UsageError("--format sqlite writes a file: give one with -o, e.g. -o facts.db")
    check_target(output, force)
    import sqlite3

    from .sqlite import write_db

    try:
        replace_atomically(output, lambda tmp: write_db(base, tmp))
    except sqlite3.Error as e:
        raise UsageError(f"cannot write {output}: {e}") from e


def write_atomic(path: Path, text: str) -> None:
    """Write text to a temporary file beside `path`, then rename it into place."""

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8", newline="")

    replace_atomically(path, write)


def replace_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Let `write` fill a temporary file beside `path`, then rename it into place;
    on any failure or interruption the temporary file is removed and `path` untouched."""
    import tempfile

    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from e
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(e, OSError):
            raise UsageError(f"cannot write {path}: {e.strerror or e}") from e
        raise
