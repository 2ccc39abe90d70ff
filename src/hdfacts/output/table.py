"""Rich tables for a person at a terminal. Imported only when a table is drawn."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import IO, NamedTuple

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import escape_controls
from .typeset import hang, longest_piece, spans, wrap


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
# The narrowest a wrapping column (a label) is made, when tight: four Chinese characters.
MIN_LABEL_WIDTH = 8
# How wide a wrapping column must be to read well, unless told otherwise: five.
READABLE_WIDTH = 10


@dataclass(frozen=True)
class Column:
    """One column of a table. Lines of a cell are separated by newlines.

    `whole` cells (figures, ranks, periods, ids) are never broken: the column is as wide as
    its widest line. Other cells wrap (typeset.py: figures and words stay whole), in a
    column at least `readable` wide, below which the table is laid out otherwise. `drop`,
    when set, lets the table leave the column out when the columns do not fit, and is the
    note that says where to find it instead; columns are left out in the order of
    `drop_order`."""

    header: str
    cells: list[str]
    whole: bool
    drop: str | None = None
    drop_order: int = 0
    readable: int = READABLE_WIDTH

    @cached_property  # asked for again for every layout tried: computed once per column
    def natural(self) -> int:
        lines = [line for cell in self.cells for line in cell.split("\n")]
        if self.whole:
            lines += self.header.split("\n")
        return max((cell_len(line) for line in lines), default=0)

    @cached_property
    def widest(self) -> int:
        """The widest figure or word of the column's cells: it is never broken."""
        return max((longest_piece(cell) for cell in self.cells), default=0)

    def least(self, tight: bool = False) -> int:
        """The narrowest the column is made: `readable` wide (two thirds of it when `tight`),
        and room for its widest figure or word."""
        if self.whole:
            return self.natural
        readable = self.readable * 5 // 3 if self.latin else self.readable
        room = max(MIN_LABEL_WIDTH, readable * 2 // 3) if tight else readable
        return min(self.natural, max(room, self.widest))

    @cached_property
    def latin(self) -> bool:
        """Mostly letters of one column each (English): words are longer than Chinese ones,
        so a readable column is wider."""
        text = "".join(self.cells)
        return cell_len(text) < 1.3 * len(text)


def _cell(value: str, terms: Sequence[str], width: int | None = None) -> Text:
    """A cell as Text (never a markup string: "[bold]" in the data is shown as written),
    the words looked for highlighted; with `width`, typeset in lines of that width."""
    text = Text(value)
    for term in terms:
        if term:
            for m in re.finditer(re.escape(term), value, re.IGNORECASE):
                text.stylize("bold reverse", m.start(), m.end())
    if width is None:
        return text
    lines: list[Text] = []
    offset = 0
    for paragraph in value.split("\n"):
        lines += [text[offset + s : offset + e] for s, e in spans(paragraph, width, balance=True)]
        offset += len(paragraph) + 1
    return Text("\n").join(lines)


def _frame(columns: Sequence[Column]) -> int:
    # A padding cell either side of each column, and a rule between and around them.
    return 3 * len(columns) + 1


def _fits(columns: Sequence[Column], width: int, tight: bool) -> bool:
    return bool(columns) and sum(c.least(tight) for c in columns) + _frame(columns) <= width


class Layout(NamedTuple):
    columns: list[Column]
    notes: list[str]  # what was left out, and where to find it
    tight: bool  # wrapping columns narrower than readable (see Column.least)


def _fit(layouts: Sequence[Sequence[Column]], width: int) -> Layout:
    """The first layout that fits, leaving out as few droppable columns as it can (in their
    order). Labels and quotes are made narrower than readable only once the first droppable
    column (the ids) is left out: an id never takes the room a quote needs. Layout([], [],
    False) if none fits."""
    most = max((sum(1 for c in cols if c.drop) for cols in layouts), default=0)
    for dropped in range(most + 1):
        for tight in (False, True):
            for columns in layouts:
                droppable = sorted((c for c in columns if c.drop), key=lambda c: c.drop_order)
                if dropped > len(droppable) or (tight and dropped == 0 and droppable):
                    continue
                gone = droppable[:dropped]
                kept = [c for c in columns if all(c is not g for g in gone)]
                if _fits(kept, width, tight):
                    return Layout(kept, [g.drop or "" for g in gone], tight)
    return Layout([], [], False)


def _widths(columns: Sequence[Column], width: int, tight: bool) -> list[int]:
    """Whole columns at their natural width; the room left shared among wrapping columns,
    in proportion to what each would need to be one line."""
    widths = [c.least(tight) for c in columns]
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
    shown, notes, tight = _fit([cols for cols in layouts if cols], width)
    if width < MIN_TABLE_WIDTH or not shown:
        _write_stacked(console, [c for c in columns if any(c.cells)], title, terms, show_header)
        return
    widths = _widths(shown, width, tight)
    table_width = sum(widths) + _frame(shown)
    table = Table(
        title=Text("\n".join(wrap(escape_controls(title), table_width))) if title else None,
        show_header=show_header,
    )
    for column, cells in zip(shown, widths, strict=True):
        table.add_column(
            _cell(column.header, (), None if column.whole else cells),
            width=cells,
            # Cells come typeset (never broken by rich, which would split figures and words).
            no_wrap=True,
            overflow="ignore",
            style="bold" if not show_header and column is shown[0] else "",
        )
    rows = len(shown[0].cells) if shown else 0
    for i in range(rows):
        table.add_row(
            *(_cell(c.cells[i], terms, None if c.whole else w) for c, w in zip(shown, widths, strict=True))
        )
    console.print(table)
    for note in notes:
        _print_lines(console, wrap(note, width), "dim")


def _write_stacked(
    console: Console, columns: Sequence[Column], title: str, terms: Sequence[str], show_header: bool
) -> None:
    """Too narrow for columns: each record as `header: value` lines, wrapped to the width."""
    if title:
        _print_lines(console, wrap(escape_controls(title), console.width), "bold")
    if not show_header:  # a field / value table: its first column names the fields
        names, values = columns[0].cells, columns[1].cells
        console.print()
        for name, value in zip(names, values, strict=True):
            _field(console, name, value, terms)
        return
    rows = len(columns[0].cells) if columns else 0
    for i in range(rows):
        console.print()
        for column in columns:
            if column.cells[i]:
                _field(console, column.header, column.cells[i], terms)


def _field(console: Console, name: str, value: str, terms: Sequence[str]) -> None:
    """`name: value`, the value's later lines indented under its start."""
    lead = f"{name}: "
    lines = hang(value.replace("\n", "; "), console.width, lead, indent=2)
    text = _cell("\n".join(lines), terms)
    text.stylize("bold", 0, len(lead))
    console.print(text, overflow="ignore", crop=False)


def _print_lines(console: Console, lines: Sequence[str], style: str = "") -> None:
    for line in lines:
        console.print(Text(line, style=style), overflow="ignore", crop=False)


def write_bars(bars: list[tuple[str, str, float, str | None]], stream: IO[str], *, title: str = "") -> None:
    """Labelled horizontal bars: (label, value as shown, length from 0 to 1, group heading).
    A heading is printed where its group begins. The bar is drawn in the terminal's own
    text colour, so it reads on dark and light backgrounds alike; the value as shown is
    never broken (it goes to a line of its own when the width leaves no room)."""
    console = make_console(stream)
    if title:
        _print_lines(console, wrap(escape_controls(title), console.width), "bold")
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
            _print_lines(console, wrap(escape_controls(group), console.width), "bold")
        heading = group
        cells = round(length * room)
        line = Text()
        if cell_len(label) > label_width:  # a long label gets a line of its own, whole
            _print_lines(console, wrap(label, console.width))
            label = ""
        line.append(_pad(label, label_width))
        line.append(" ")
        line.append("█" * max(cells, 1) if length else "", style="bold")
        if value_apart:
            console.print(line, overflow="crop")
            lead = " " * (label_width + 1)
            _print_lines(console, hang(shown, console.width, lead), "bold")
            continue
        line.append(" ")
        line.append(shown, style="bold")
        console.print(line, overflow="crop")


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_len(text))
