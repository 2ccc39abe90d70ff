"""Rich tables for a person at a terminal. Imported only when a table is drawn."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import IO

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich's own answer is SystemExit(1); a reader going away is a normal end
        # for hdfacts (exit 0), which the CLI decides on its BrokenPipeError.
        self.quiet = True
        raise BrokenPipeError


def make_console(stream: IO[str]) -> Console:
    # NO_COLOR is honoured by rich itself; highlight=False keeps rich from
    # colouring numbers and words in the data on its own.
    console = _Console(
        file=stream,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
        no_color="NO_COLOR" in os.environ or None,
    )
    if console.width < 1:  # COLUMNS=0 or a terminal that reports no size: the usual 80
        console.width = 80
    return console


# Below this many terminal columns per table column, cells fold into unreadable
# slivers (or vanish): records are stacked instead.
MIN_COLUMN_WIDTH = 12


def _cell(value: str, terms: Sequence[str]) -> Text:
    # Text, never a markup string: "[bold]" in the data is shown as written.
    text = Text(value)
    for term in terms:
        if term:
            for m in re.finditer(re.escape(term), value, re.IGNORECASE):
                text.stylize("bold reverse", m.start(), m.end())
    return text


def write_table(
    rows: list[list[str]],
    headers: Sequence[str] | None,
    stream: IO[str],
    *,
    title: str = "",
    highlight: Sequence[str] = (),
) -> None:
    """Draw rows as a table; headers=None draws a two-column field/value table without a header."""
    terms = [t.strip() for t in highlight if t.strip()]
    console = make_console(stream)
    if headers is not None and console.width < MIN_COLUMN_WIDTH * len(headers):
        _write_stacked(console, rows, headers, title, terms)
        return
    table = Table(title=Text(title) if title else None, show_header=headers is not None)
    # overflow="fold" on every column: rich would otherwise cut long Chinese cells
    # short with "…", since it wraps only at spaces.
    if headers is None:
        table.add_column(style="bold", overflow="fold")
        table.add_column(overflow="fold")
    else:
        for header in headers:
            table.add_column(Text(header), overflow="fold")
    for row in rows:
        table.add_row(*(_cell(v, terms) for v in row))
    console.print(table)


def _write_stacked(
    console: Console, rows: list[list[str]], headers: Sequence[str], title: str, terms: Sequence[str]
) -> None:
    """Too narrow for columns: each record as `header: value` lines, folded to the width."""
    if title:
        console.print(Text(title, style="bold"), overflow="fold")
    for row in rows:
        console.print()
        for header, value in zip(headers, row, strict=False):
            if value:
                console.print(Text.assemble((f"{header}: ", "bold"), _cell(value, terms)), overflow="fold")


def write_bars(bars: list[tuple[str, str, float, str | None]], stream: IO[str], *, title: str = "") -> None:
    """Labelled horizontal bars: (label, value as written, value, group). Bars of one group
    share a scale (a ranking's scope); the bar is drawn in the terminal's own text colour,
    so it reads on dark and light backgrounds alike."""
    console = make_console(stream)
    if title:
        console.print(Text(title, style="bold"), overflow="fold")
    label_width = min(max((cell_len(b[0]) for b in bars), default=0), max(10, console.width // 3))
    value_width = max((cell_len(b[1]) for b in bars), default=0)
    room = max(5, console.width - label_width - value_width - 3)
    top: dict[str | None, float] = {}
    for _, _, value, group in bars:
        top[group] = max(top.get(group, 0.0), abs(value))
    for label, shown, value, group in bars:
        length = round(abs(value) / top[group] * room) if top[group] else 0
        line = Text()
        if cell_len(label) > label_width:  # a long label gets a line of its own, whole
            console.print(Text(label), overflow="fold")
            label = ""
        line.append(_pad(label, label_width))
        line.append(" ")
        line.append("█" * max(length, 1) if value else "", style="bold")
        line.append(" ")
        line.append(shown, style="bold")
        console.print(line, overflow="fold")


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_len(text))
