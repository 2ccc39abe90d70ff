"""Writing a whole view to a file without ever leaving a half-written one."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import UsageError
from .render import Format, View, render


def write_export(view: View, fmt: Format, output: Path | None, *, force: bool = False,
                 fields: Sequence[str] | None = None) -> None:
    """Render to stdout, or to `output` atomically; an existing file needs force=True."""
    if output is None or str(output) == "-":
        render(view, fmt, sys.stdout, fields=fields, terminal=False)
        return
    if output.is_dir():
        raise UsageError(f"{output} is a directory: name a file to write")
    if output.exists() and not force:
        raise UsageError(f"{output} exists: use --force to overwrite it")
    buffer = io.StringIO()
    render(view, fmt, buffer, fields=fields, terminal=False)
    write_atomic(output, buffer.getvalue())


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise UsageError(f"cannot write {path}: {e.strerror or e}") from e
        raise
