"""The errors hdfacts raises, each carrying the exit code the CLI ends with."""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, as documented in the README."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    INTERNAL = 70  # EX_SOFTWARE: a bug in hdfacts, not a user error
    OUTPUT = 74  # EX_IOERR: the output cannot be written (disk full, closed stdout)
    INTERRUPTED = 130  # 128 + SIGINT
    TERMINATED = 143  # 128 + SIGTERM


# C0 and C1 control characters, DEL, the line and paragraph separators (which
# splitlines() and some terminals take for a new line) and the bidirectional
# overrides that can disguise text: none of them may reach a terminal raw.
# (Compiled on first use, through re's own cache: start-up is a feature.)
UNSAFE = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def escape_controls(text: str) -> str:
    """Show control characters as escapes (\\x1b, \\n) so a terminal never acts on them.

    Lone surrogates (bytes of a file name or argument that are not UTF-8) are shown
    as the byte they stand for, so that the text can be written in any encoding."""
    import re

    def repl(m: re.Match[str]) -> str:
        ch = m.group()
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that os.fsdecode could not decode
            return f"\\x{code - 0xDC00:02x}"
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch) or (
            f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
        )

    return re.sub(UNSAFE, repl, text)


def shown(text: str, limit: int = 60) -> str:
    """User input for a message: quoted, control characters escaped, long text cut short."""
    if len(text) > limit:
        return repr(text[:limit]) + f"... ({len(text):,} characters)"
    return repr(text)


def close_matches(
    word: str,
    choices: Iterable[str],
    *,
    n: int = 1,
    cutoff: float = 0.6,
    key: Callable[[str], str] | None = None,
    containing: bool = False,
) -> list[str]:
    """The choices closest to what the user typed, best first, as the choices spell them:
    the one "did you mean" of hdfacts. `key` folds both sides before they are compared;
    with `containing`, choices that hold the word (of three characters or more) whole come
    first (`grain` -> grain-output), since a similarity ratio misses a short word in a long id."""
    import difflib  # only on the error path

    spelled: dict[str, str] = {}
    for choice in choices:
        spelled.setdefault(key(choice) if key else choice, choice)
    wanted = key(word) if key else word
    close = []
    if containing and len(wanted) >= 3:
        close = [c for c in spelled if wanted in c and c != wanted][:n]
    close += difflib.get_close_matches(wanted, list(spelled), n=n, cutoff=cutoff)
    return list(dict.fromkeys(spelled[c] for c in close))[:n]


class HdfactsError(Exception):
    """Base of every error meant for the user: its message is one line of plain text."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(HdfactsError):
    """The user asked for something that cannot be (unknown topic, field or format)."""


class FactBaseError(HdfactsError):
    """A fact base that is missing, unreadable or invalid."""

    def __init__(self, path: object, message: str, line: int | None = None, column: int | None = None):
        where = f"{path}"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.detail = message


class NotFoundError(HdfactsError):
    """A lookup that found nothing (an unknown fact id)."""

    exit_code = ExitCode.NOT_FOUND


# Writing fails with these for reasons outside hdfacts (a full disk, a closed stdout,
# a device that refuses): exit 74, as sysexits' EX_IOERR, rather than a usage error.
OUTPUT_ERRNOS = frozenset(
    getattr(errno, name)
    for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF", "EROFS")
    if hasattr(errno, name)
)


class OutputError(HdfactsError):
    """The output cannot be written: a full disk, a closed stdout, a device that refuses."""

    exit_code = ExitCode.OUTPUT


class CacheError(Exception):
    """A cache entry whose checksum holds but whose content does not: discard and rebuild."""


class CacheWarning(UserWarning):
    """The cache cannot be written: what it would keep is built again on every run."""


class QuantityError(ValueError):
    """A figure that the quantity parser cannot read."""
