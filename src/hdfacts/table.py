"""Rich tables for a person at a terminal. Imported only when a table is drawn."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import IO

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .errors import escape_controls


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


# Below this width a table of figures cannot keep every figure whole beside its label:
# records are stacked as `field: value` lines instead.
MIN_TABLE_WIDTH = 60
# The narrowest a wrapping column (a label, a quote) is made: four Chinese characters.
MIN_LABEL_WIDTH = 8
# Words longer than this in a label may be cut at the column's edge.
MAX_WORD_WIDTH = 10


@dataclass(frozen=True)
class Column:
    """One column of a table. Lines of a cell are separated by newlines.

    `whole` cells (figures, ranks, periods, ids) are never broken: the column is as wide as
    its widest line. Other cells wrap. `drop`, when set, lets the table leave the column out
    when the columns do not fit, and is the note that says where to find it instead; columns
    are left out in the order of `drop_order`."""

    header: str
    cells: list[str]
    whole: bool
    drop: str | None = None
    drop_order: int = 0

    @cached_property  # asked for again for every layout tried: computed once per column
    def natural(self) -> int:
        lines = [line for cell in self.cells for line in cell.split("\n")]
        if self.whole:
            lines += self.header.split("\n")
        return max((cell_len(line) for line in lines), default=0)

    @cached_property
    def least(self) -> int:
        if self.whole:
            return self.natural
        # English labels wrap at spaces: room for a usual word, so that few are cut.
        words = [cell_len(w) for cell in self.cells for w in cell.split()]
        return min(self.natural, max(MIN_LABEL_WIDTH, min(max(words, default=0), MAX_WORD_WIDTH)))


def _cell(value: str, terms: Sequence[str]) -> Text:
    # Text, never a markup string: "[bold]" in the data is shown as written.
    text = Text(value)
    for term in terms:
        if term:
            for m in re.finditer(re.escape(term), value, re.IGNORECASE):
                text.stylize("bold reverse", m.start(), m.end())
    return text


def _frame(columns: Sequence[Column]) -> int:
    # A padding cell either side of each column, and a rule between and around them.
    return 3 * len(columns) + 1


def _fits(columns: Sequence[Column], width: int) -> bool:
    return bool(columns) and sum(c.least for c in columns) + _frame(columns) <= width


def _fit(layouts: Sequence[Sequence[Column]], width: int) -> tuple[list[Column], list[str]]:
    """The first layout that fits, leaving out as few droppable columns as it can (in their
    order); the columns and the notes for what was left out. ([], []) if none fits."""
    most = max((sum(1 for c in cols if c.drop) for cols in layouts), default=0)
    for dropped in range(most + 1):
        for columns in layouts:
            droppable = sorted((c for c in columns if c.drop), key=lambda c: c.drop_order)
            if dropped > len(droppable):
                continue
            gone = droppable[:dropped]
            kept = [c for c in columns if all(c is not g for g in gone)]
            if _fits(kept, width):
                return kept, [g.drop or "" for g in gone]
    return [], []


def _widths(columns: Sequence[Column], width: int) -> list[int]:
    """Whole columns at their natural width; the room left shared among wrapping columns,
    in proportion to what each would need to be one line."""
    widths = [c.least for c in columns]
    room = width - sum(widths) - _frame(columns)
    wants = [c.natural - w for c, w in zip(columns, widths, strict=True)]
    total = sum(wants)
    if total <= room:
        return [c.natural for c in columns]
    extra = [want * room // total for want in wants]
    left = room - sum(extra)
    for i in sorted(range(len(columns)), key=lambda i: wants[i] - extra[i], reverse=True):
        if left <= 0:
            break
        if wants[i] > extra[i]:
            extra[i] += 1
            left -= 1
    return [w + e for w, e in zip(widths, extra, strict=True)]


def write_table(
    columns: Sequence[Column],
    stream: IO[str],
    *,
    title: str = "",
    highlight: Sequence[str] = (),
    show_header: bool = True,
    narrower: Sequence[Sequence[Column]] = (),
) -> None:
    """Draw columns as a table that keeps figures, ranks, periods and ids whole.

    Columns empty in every row are not drawn. Too narrow for that: droppable columns are
    left out (with a dim note saying so), and the `narrower` layouts (the same cells,
    some columns stacked in one) are tried in turn; below MIN_TABLE_WIDTH, or when even that is not
    enough, each record is stacked as `header: value` lines."""
    terms = [t.strip() for t in highlight if t.strip()]
    console = make_console(stream)
    width = console.width
    layouts = [
        [c for c in cols if any(c.cells)] if show_header else list(cols) for cols in (columns, *narrower)
    ]
    shown, notes = _fit([cols for cols in layouts if cols], width)
    if width < MIN_TABLE_WIDTH or not shown:
        _write_stacked(console, [c for c in columns if any(c.cells)], title, terms, show_header)
        return
    table = Table(title=Text(escape_controls(title)) if title else None, show_header=show_header)
    for column, cells in zip(shown, _widths(shown, width), strict=True):
        table.add_column(
            Text(column.header),
            width=cells,
            no_wrap=column.whole,
            # fold: rich otherwise wraps only at spaces and cuts long Chinese cells short with "…"
            overflow="ignore" if column.whole else "fold",
            style="bold" if not show_header and column is shown[0] else "",
        )
    rows = len(shown[0].cells) if shown else 0
    for i in range(rows):
        table.add_row(*(_cell(c.cells[i], terms) for c in shown))
    console.print(table)
    for note in notes:
        console.print(Text(note, style="dim"), overflow="fold")


def _write_stacked(
    console: Console, columns: Sequence[Column], title: str, terms: Sequence[str], show_header: bool
) -> None:
    """Too narrow for columns: each record as `header: value` lines, folded to the width."""
    if title:
        console.print(Text(escape_controls(title), style="bold"), overflow="fold")
    if not show_header:  # a field / value table: its first column names the fields
        names, values = columns[0].cells, columns[1].cells
        console.print()
        for name, value in zip(names, values, strict=True):
            line = Text.assemble((f"{name}: ", "bold"), _cell(value.replace("\n", "; "), terms))
            console.print(line, overflow="fold")
        return
    rows = len(columns[0].cells) if columns else 0
    for i in range(rows):
        console.print()
        for column in columns:
            value = column.cells[i]
            if value:
                line = Text.assemble((f"{column.header}: ", "bold"), _cell(value.replace("\n", "; "), terms))
                console.print(line, overflow="fold")


def write_bars(bars: list[tuple[str, str, float, str | None]], stream: IO[str], *, title: str = "") -> None:
    """Labelled horizontal bars: (label, value as shown, length from 0 to 1, group heading).
    A heading is printed where its group begins. The bar is drawn in the terminal's own
    text colour, so it reads on dark and light backgrounds alike; the value as shown is
    never broken (it goes to a line of its own when the width leaves no room)."""
    console = make_console(stream)
    if title:
        console.print(Text(escape_controls(title), style="bold"), overflow="fold")
    label_width = min(max((cell_len(b[0]) for b in bars), default=0), max(10, console.width // 3))
    value_width = max((cell_len(b[1]) for b in bars), default=0)
    room = console.width - label_width - value_width - 3
    value_apart = room < 5
    if value_apart:
        room = max(5, console.width - label_width - 2)
    heading: str | None = None
    for label, shown, length, group in bars:
        if group != heading and group is not None:
            console.print()
            # a heading names a scope from the fact file: text, never terminal commands
            console.print(Text(escape_controls(group), style="bold"), overflow="fold")
        heading = group
        cells = round(length * room)
        line = Text()
        if cell_len(label) > label_width:  # a long label gets a line of its own, whole
            console.print(Text(label), overflow="fold")
            label = ""
        line.append(_pad(label, label_width))
        line.append(" ")
        line.append("█" * max(cells, 1) if length else "", style="bold")
        if value_apart:
            console.print(line, overflow="crop")
            console.print(Text(" " * (label_width + 1) + shown, style="bold"), overflow="fold")
            continue
        line.append(" ")
        line.append(shown, style="bold")
        console.print(line, overflow="fold")


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_len(text))
