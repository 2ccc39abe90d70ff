"""Rich tables for a person at a terminal. Imported only when a table is drawn."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text


def make_console(stream: IO[str]) -> Console:
    # NO_COLOR is honoured by rich itself; highlight=False keeps rich from
    # colouring numbers and words in the data on its own.
    return Console(file=stream, highlight=False, emoji=False, markup=False,
                   soft_wrap=False, no_color="NO_COLOR" in os.environ or None)


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


def write_table(rows: list[list[str]], headers: Sequence[str] | None, stream: IO[str], *,
                title: str = "", highlight: Sequence[str] = ()) -> None:
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


def _write_stacked(console: Console, rows: list[list[str]], headers: Sequence[str], title: str,
                   terms: Sequence[str]) -> None:
    """Too narrow for columns: each record as `header: value` lines, folded to the width."""
    if title:
        console.print(Text(title, style="bold"), overflow="fold")
    for row in rows:
        console.print()
        for header, value in zip(headers, row):
            if value:
                console.print(Text.assemble((f"{header}: ", "bold"), _cell(value, terms)),
                              overflow="fold")
