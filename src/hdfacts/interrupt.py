"""Ctrl-C and SIGTERM as an exception that every cleanup sees, from the first moment of a run.

Python's own KeyboardInterrupt is caught by click (which turns it into "Aborted!")
and arrives as a traceback while modules are still being imported; SIGTERM, by
default, kills the process without running a single `finally`, so temporary files
stay behind. Both signals raise `Interrupted` instead: `except BaseException`
cleanups run, and the CLI ends with one line and 128 + the signal's number.
"""

from __future__ import annotations

# The C module under `signal`: the Python one builds an enum of every signal on import,
# 4-5 ms of every start (measured), for names we can write down ourselves.
import _signal as signal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType

NAMES = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


class Interrupted(BaseException):
    """A signal asked hdfacts to stop; `signum` says which."""

    def __init__(self, signum: int):
        super().__init__(NAMES.get(signum, "stopped"))
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


pending: int | None = None


def _raise(signum: int, frame: FrameType | None) -> None:
    # One signal is enough: a second one must not cut the cleanup of the first short.
    ignore()
    raise Interrupted(signum)


def _defer(signum: int, frame: FrameType | None) -> None:
    global pending
    ignore()
    pending = signum


def install(*, deferred: bool = False) -> None:
    """Turn SIGINT and SIGTERM into Interrupted (main thread only; a no-op elsewhere).

    deferred=True only notes the signal, for the moments before `main` runs (the
    console script's own lines), where an exception would escape as a traceback;
    `install()` then raises it at once."""
    try:
        for signum in NAMES:
            if signal.getsignal(signum) != signal.SIG_IGN:  # as nohup and `&` leave it
                signal.signal(signum, _defer if deferred else _raise)
    except ValueError:  # not the main thread
        return
    if not deferred and pending is not None:
        raise Interrupted(pending)


def ignore() -> None:
    """From here on SIGINT and SIGTERM change nothing: the run is ending anyway."""
    try:
        for signum in NAMES:
            signal.signal(signum, signal.SIG_IGN)
    except ValueError:
        pass
