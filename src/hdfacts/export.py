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
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import OUTPUT_ERRNOS, HdfactsError, OutputError, UsageError, escape_controls, shown
from .model import FactBase
from .render import ExportFormat, Format, View, render

EXTENSIONS = {
    ".json": ExportFormat.json,
    ".jsonl": ExportFormat.jsonl,
    ".csv": ExportFormat.csv,
    ".tsv": ExportFormat.tsv,
    ".md": ExportFormat.markdown,
    ".markdown": ExportFormat.markdown,
    ".db": ExportFormat.sqlite,
    ".sqlite": ExportFormat.sqlite,
    ".sqlite3": ExportFormat.sqlite,
}
SQLITE_MAGIC = b"SQLite format 3\x00"
# Temporary files of ours older than this are left over from a killed run.
STALE_SECONDS = 600


def export_format(asked: ExportFormat | None, output: Path | None) -> ExportFormat:
    """The format to write: --format, else the output file's extension, else JSON on stdout."""
    if output is None or str(output) == "-":
        return asked or ExportFormat.json
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


def _is_stream(output: Path) -> bool:
    """/dev/stdout, /dev/fd/3, /proc/self/fd/1: an open descriptor, always written into."""
    text = os.path.abspath(output)
    return text in ("/dev/stdout", "/dev/stderr") or text.startswith(("/dev/fd/", "/proc/self/fd/"))


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
    if _is_stream(output):
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
        try:
            render(view, fmt, sys.stdout, fields=fields, terminal=False, excel_safe=excel_safe)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _write_error("the output", e) from e
        return
    target, st = check_target(output, force)
    buffer = io.StringIO()
    render(view, fmt, buffer, fields=fields, terminal=False, excel_safe=excel_safe)
    _write_file(output, target, st, buffer.getvalue().encode("utf-8"))


def write_text(text: str, output: Path | None, *, force: bool = False) -> None:
    """Write `text` to stdout, or to `output` as an export is written (see the module's
    docstring); an existing file needs force=True."""
    if output is None or str(output) == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _write_error("the output", e) from e
        return
    target, st = check_target(output, force)
    _write_file(output, target, st, text.encode("utf-8"))


def _write_file(output: Path, target: Path, st: os.stat_result | None, data: bytes) -> None:
    if st is not None and (not stat.S_ISREG(st.st_mode) or _is_stream(output)):
        write_into(output, data)
    else:

        def write(tmp: Path) -> None:
            tmp.write_bytes(data)

        replace_atomically(target, write, st)


def write_into(path: Path, data: bytes) -> None:
    """Write into what is there, as `>` would: a FIFO's reader gets the data, a device stays a device."""
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:
        raise _write_error(str(path), e) from e


def write_database(base: FactBase, output: Path | None, *, force: bool = False) -> None:
    """The fact base as a SQLite database (see sqlite.py)."""
    if output is None or str(output) == "-":
        raise UsageError("--format sqlite writes a file: give one with -o, e.g. -o facts.db")
    target, st = check_target(output, force)
    if st is not None and (not stat.S_ISREG(st.st_mode) or _is_stream(output)):
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
            _remove(Path(f"{target}{suffix}"))
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


def _write_error(what: str, e: OSError) -> HdfactsError:
    message = f"cannot write {what}: {e.strerror or e}"
    return OutputError(message) if e.errno in OUTPUT_ERRNOS else UsageError(message)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _mode(existing: os.stat_result | None) -> int:
    """The mode `>` would leave: an existing file keeps its own, a new one gets 0666 less the umask."""
    if existing is not None:
        return stat.S_IMODE(existing.st_mode)
    umask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(umask)
    return 0o666 & ~umask


# A temporary file of ours is named prefix + the 8 characters tempfile draws + suffix,
# with "hdfacts-" in the prefix, so no file of the user's has such a name by chance.
TEMP_MARK = "hdfacts-"
_TEMPFILE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_TEMP_SUFFIXES = (".tmp", ".tmp-journal", ".tmp-wal", ".tmp-shm")


def temp_name_of(name: str, prefix: str, suffixes: tuple[str, ...]) -> bool:
    """Whether `name` is one that tempfile.mkstemp(prefix=prefix, suffix=one of suffixes)
    makes, compared literally (a `*` or `[` in the prefix is just a character)."""
    if not name.startswith(prefix):
        return False
    token, tail = name[len(prefix) : len(prefix) + 8], name[len(prefix) + 8 :]
    return len(token) == 8 and set(token) <= _TEMPFILE_CHARS and tail in suffixes


def sweep_stale(
    directory: Path, prefix: str, suffixes: tuple[str, ...], max_age: float = STALE_SECONDS
) -> None:
    """Remove temporary files of ours that a killed run (SIGKILL, power loss) left behind:
    only regular files (never links), owned by this user, named as we name them, older
    than `max_age`."""
    cutoff = time.time() - max_age
    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if not temp_name_of(entry.name, prefix, suffixes):
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(st.st_mode) and uid in (None, st.st_uid) and st.st_mtime < cutoff:
                        os.unlink(entry.path)
                except OSError:
                    pass
    except OSError:
        pass


def replace_atomically(
    path: Path, write: Callable[[Path], None], existing: os.stat_result | None = None
) -> None:
    """Let `write` fill a temporary file beside `path`, then rename it into place;
    on any failure or interruption the temporary file is removed and `path` untouched.
    `existing` is the status of the file being replaced, whose mode (and owner, where
    allowed) the new file keeps."""
    import tempfile

    directory = path.parent if str(path.parent) else Path(".")
    prefix = f".{path.name}.{TEMP_MARK}"
    sweep_stale(directory, prefix, _TEMP_SUFFIXES)
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
    except OSError as e:
        raise _write_error(str(path), e) from e
    tmp = Path(name)
    try:
        try:
            os.fchmod(fd, _mode(existing))  # mkstemp's 0600 is for its own privacy, not ours
            if existing is not None:
                try:
                    os.fchown(fd, existing.st_uid, existing.st_gid)
                except OSError:  # only root may give a file away; as `>` would, keep ours
                    pass
        finally:
            os.close(fd)
        write(tmp)
        os.replace(tmp, path)
    except BaseException as e:
        for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            _remove(leftover)
        if isinstance(e, OSError):
            raise _write_error(str(path), e) from e
        raise
