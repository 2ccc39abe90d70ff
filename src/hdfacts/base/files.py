"""Writing files, the one way: a whole file replaced atomically (a temporary file beside
it, renamed into place) with the mode asked for or the one `>` would give it, what is
not a regular file written into, temporary files removed on any failure or interruption
and swept when a killed run left them. One policy for failures: an OSError while
writing is an OutputError (exit 74) that names what could not be written.

The cache and the exports both write through here."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import OutputError

# Temporary files of ours older than this are left over from a killed run.
STALE_SECONDS = 600


def is_stream(output: Path) -> bool:
    """/dev/stdout, /dev/fd/3, /proc/self/fd/1: an open descriptor, always written into."""
    text = os.path.abspath(output)
    return text in ("/dev/stdout", "/dev/stderr") or text.startswith(("/dev/fd/", "/proc/self/fd/"))


def write_into(path: Path, data: bytes) -> None:
    """Write into what is there, as `>` would: a FIFO's reader gets the data, a device stays a device."""
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:
        raise write_failed(str(path), e) from e


def write_failed(what: str, e: OSError) -> OutputError:
    """The error for a write that failed: exit 74, whatever the reason (a full disk, a
    missing folder, a file one may not write)."""
    return OutputError(f"cannot write {what}: {e.strerror or e}")


def remove_quietly(path: Path) -> None:
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
    path: Path,
    write: Callable[[Path], None],
    existing: os.stat_result | None = None,
    mode: int | None = None,
    temporary: tuple[str, str] | None = None,
) -> None:
    """Let `write` fill a temporary file beside `path`, then rename it into place;
    on any failure or interruption the temporary file is removed and `path` untouched.
    `existing` is the status of the file being replaced, whose mode (and owner, where
    allowed) the new file keeps; `mode`, where given, is the new file's mode instead
    (0o600: a cache entry only its user may read). Temporary files are named
    `.NAME.hdfacts-<random>.tmp`, or by `temporary`'s prefix and suffix (one name for the
    entries of a whole folder, so that any left by a killed run are swept)."""
    import tempfile

    directory = path.parent if str(path.parent) else Path(".")
    prefix, suffix = temporary or (f".{path.name}.{TEMP_MARK}", ".tmp")
    sweep_stale(directory, prefix, _TEMP_SUFFIXES if temporary is None else (suffix,))
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=directory)
    except OSError as e:
        raise write_failed(str(path), e) from e
    tmp = Path(name)
    try:
        try:
            os.fchmod(fd, _mode(existing) if mode is None else mode)  # mkstemp's 0600 is its own
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
            remove_quietly(leftover)
        if isinstance(e, OSError):
            raise write_failed(str(path), e) from e
        raise
