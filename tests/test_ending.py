"""`ending`, the one place where a run that did not end normally becomes one stderr line
and an exit code: each kind of ending, in-process."""

from __future__ import annotations

import errno
import signal

import pytest
import typer

from hdfacts.cli import core
from hdfacts.errors import FactBaseError, NotFoundError, OutputError, UsageError
from hdfacts.interrupt import Interrupted

INTERNAL = " (set HDFACTS_DEBUG=1 to see the traceback)"

ENDINGS = [
    pytest.param(typer.Exit(3), 3, "", False, id="exit"),
    pytest.param(
        typer.BadParameter("no such topic"), 2, "Invalid value: no such topic", False, id="bad-param"
    ),
    pytest.param(UsageError("give a search term"), 2, "give a search term", False, id="usage"),
    pytest.param(FactBaseError("f.toml", "broken", line=3), 2, "f.toml:3: broken", False, id="fact-base"),
    pytest.param(NotFoundError("no fact with id 'x'"), 1, "no fact with id 'x'", False, id="not-found"),
    pytest.param(
        OutputError("cannot write out.json: gone"), 74, "cannot write out.json: gone", False, id="output"
    ),
    pytest.param(Interrupted(signal.SIGTERM), 143, "terminated", False, id="sigterm"),
    pytest.param(Interrupted(signal.SIGINT), 130, "interrupted", False, id="sigint"),
    pytest.param(KeyboardInterrupt(), 130, "interrupted", False, id="ctrl-c"),
    pytest.param(typer.Abort(), 130, "interrupted", False, id="abort"),
    pytest.param(BrokenPipeError(errno.EPIPE, "Broken pipe"), 0, "", True, id="closed-pipe"),
    pytest.param(
        OSError(errno.ENOSPC, "No space left on device"),
        74,
        "cannot write the output: No space left on device",
        True,
        id="full-disk",
    ),
    pytest.param(ValueError("boom"), 70, f"internal error: ValueError: boom{INTERNAL}", False, id="bug"),
    pytest.param(
        OSError(errno.EACCES, "Permission denied"),
        70,
        f"internal error: PermissionError: [Errno 13] Permission denied{INTERNAL}",
        False,
        id="other-os-error",
    ),
]


@pytest.mark.parametrize(("error", "code", "line", "silenced"), ENDINGS)
def test_each_ending_is_one_line_and_an_exit_code(error, code, line, silenced, capsys, monkeypatch):
    quiet: list[bool] = []
    monkeypatch.setattr(core, "_silence_stdout", lambda: quiet.append(True))
    monkeypatch.delenv("HDFACTS_DEBUG", raising=False)
    assert core.ending(error) == code
    captured = capsys.readouterr()
    assert captured.err == (f"hdfacts: {line}\n" if line else "")
    assert captured.out == ""
    assert quiet == ([True] if silenced else [])


def test_system_exit_and_debugged_bugs_go_on(monkeypatch):
    with pytest.raises(SystemExit):
        core.ending(SystemExit(5))
    monkeypatch.setenv("HDFACTS_DEBUG", "1")
    with pytest.raises(ValueError, match="boom"):
        core.ending(ValueError("boom"))
