"""Help as typeset as every other screen: paragraphs reflowed, lines broken by typeset.py
(figures whole, clreq's rules, English at spaces), never folded mid-word by rich."""

# No `from __future__ import annotations`: see options.py.

import inspect
import re
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperCommand


def break_offsets(text: str, width: int, fold: bool = True) -> list[int]:
    """Where rich should start each new line of one line of help (rich's divide_line)."""
    from ..output.typeset import spans

    return [start for start, _ in spans(text, width)[1:]]


def typeset(format_help: Callable[..., Any]) -> Callable[..., Any]:
    """A format_help that draws help with typeset.py's line breaks instead of rich's."""

    def typeset_help(self: Any, ctx: Any, formatter: Any) -> Any:
        import rich.text

        # rich.text calls the divide_line it imported from rich._wrap: that name is the seam.
        original = getattr(rich.text, "divide_line")  # noqa: B009 (not exported: mypy)
        setattr(rich.text, "divide_line", break_offsets)  # noqa: B010
        try:
            return format_help(self, ctx, formatter)
        finally:
            setattr(rich.text, "divide_line", original)  # noqa: B010

    return typeset_help


_REQUIRED = re.compile(r"^\{([^{}]+?)(\.\.\.)?\}(?::<[^>]*>)?$")


class Command(TyperCommand):
    format_help = typeset(TyperCommand.format_help)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        # typer writes a required argument as {KIND}; usage lines write it bare (KIND), as
        # click and most commands do, optional ones in brackets.
        # An argument of choices is {kind}:<growth|rank>: its choices are in its help.
        pieces = super().collect_usage_pieces(ctx)
        return [_REQUIRED.sub(lambda m: m.group(1).upper() + (m.group(2) or ""), p) for p in pieces]


def reflow(doc: str) -> str:
    """A docstring's paragraphs, each on one line, for the help to wrap to the terminal
    (typer keeps the line breaks of the source)."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(p.split("\n")) if not p.startswith("\b") else p for p in paragraphs)


def typeset_commands(app: typer.Typer) -> None:
    """Every command of the app gets reflowed, typeset help."""
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):  # typer fills in its own class
            info.cls = Command
        if info.help is None and info.callback is not None and info.callback.__doc__:
            info.help = reflow(info.callback.__doc__)
