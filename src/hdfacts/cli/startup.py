"""What a run does before its command: the application builds only that command."""

# No `from __future__ import annotations`: see options.py.

import contextlib
import os
from collections.abc import Iterator, Sequence
from typing import Any

import typer

# The root options that take a value, as the command line may give them before a command.
_VALUED = ("--facts",)


@contextlib.contextmanager
def only_the_command_run(app: typer.Typer, argv: Sequence[str]) -> Iterator[None]:
    """The application holds only the command the command line runs, while it runs, where
    the line names one plainly: Typer builds every command it holds on each start (5.5 ms
    for 12; measured), and a run needs one. Help, completion and a mistyped command get
    them all."""
    name = _command_named(argv)
    chosen = [c for c in app.registered_commands if name is not None and name_of(c) == name]
    if not chosen or any(k.startswith("_HDFACTS_COMPLETE") for k in os.environ):
        yield
        return
    every, app.registered_commands = app.registered_commands, chosen
    try:
        yield
    finally:
        app.registered_commands = every


def name_of(command: Any) -> str:
    return str(command.name or command.callback.__name__)


def _command_named(argv: Sequence[str]) -> str | None:
    args = iter(argv)
    for arg in args:
        if arg in _VALUED:
            next(args, None)
        elif arg in ("--help", "-h") or arg.startswith(("--install-completion", "--show-completion")):
            return None
        elif not arg.startswith("-"):
            return arg
    return None
