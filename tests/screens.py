"""Read a screen as a person would: the tables, the lines of each cell, and the places a
line broke a text; and say whether a break is one a typesetter would make. Written apart
from hdfacts.output.typeset, so that the two can disagree."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

CLOSING = set("，。、；：？！）」』”’》〉】,.;:?!)]}%—…")
OPENING = set("（「『“‘《〈【([{")
# Characters a number does not part from: its digits, separators and the unit after it.
_NUMBER = re.compile(r"[+\-]?\d+(?:[.,]\d+)*(?:%|个百分点|个名次|[万亿]*[\u4e00-\u9fff])?")


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def width_of(line: str) -> int:
    return sum(2 if is_wide(c) else 1 for c in line)


def bad_break(text: str, at: int) -> str | None:
    """Why breaking `text` before index `at` is wrong, or None when it is a fair break."""
    before, after = text[:at].rstrip(), text[at:].lstrip()
    if not before or not after:
        return None
    for m in _NUMBER.finditer(text):
        if m.start() < at < m.end():
            return f"splits {m.group()!r}"
    if after[0] in CLOSING:
        return f"line starts with {after[0]!r}"
    if before[-1] in OPENING:
        return f"line ends with {before[-1]!r}"
    if text[at - 1 : at + 1].isascii() and text[at - 1].isalpha() and text[at].isalpha():
        return f"breaks the word {before.split()[-1]}|{after.split()[0]}"
    if before[-1].isdigit() and re.match(r"[a-z]", after):
        # 27,868 | yuan: a figure parted from its unit word
        return f"parts {before.split()[-1]!r} from {after.split()[0]!r}"
    return None


def check_text(text: str, lines: list[str]) -> list[str]:
    """The lines a screen shows for one text: [] when they are the text, broken only where a
    typesetter would; else what is wrong."""
    joined, breaks = "", []
    for line in lines:
        piece = line.strip()
        if joined and piece:
            gap = " " if text[len(joined) : len(joined) + 1] == " " else ""
            joined += gap
            breaks.append(len(joined))
        joined += piece
    if joined != text.strip():
        return [f"lines {lines!r} are not {text!r}"]
    return [f"{why} in {text!r}" for at in breaks if (why := bad_break(text, at))]


class Table:
    """A drawn rich table: its headers and, per line, the text of each cell."""

    def __init__(self, headers: list[str], lines: list[list[str]]) -> None:
        self.headers = headers
        self.lines = lines

    def column(self, header: str) -> list[str] | None:
        if header not in self.headers:
            return None
        i = self.headers.index(header)
        return [cells[i] for cells in self.lines]


def _cells(line: str, bar: str) -> list[str]:
    return [c.strip() for c in line.strip().strip(bar).split(bar)]


def tables(screen: str) -> Iterator[Table]:
    """The tables of a screen, in order."""
    lines = screen.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith(("┏", "┌")):
            i += 1
            continue
        header_rows: list[list[str]] = []
        body: list[list[str]] = []
        i += 1
        while i < len(lines) and lines[i].lstrip().startswith("┃"):
            header_rows.append(_cells(lines[i], "┃"))
            i += 1
        while i < len(lines) and not lines[i].lstrip().startswith(("└", "┗")):
            if lines[i].lstrip().startswith("│"):
                body.append(_cells(lines[i], "│"))
            i += 1
        headers = [" ".join(p for p in parts if p) for parts in zip(*header_rows, strict=True)]
        yield Table(headers, body)


def cell_lines(column: list[str], texts: list[str]) -> list[list[str]]:
    """The lines of a wrapping column cut into cells, one per text in order: a cell ends when
    its lines add up to its text (an empty text has no lines)."""
    out: list[list[str]] = []
    lines = iter(column)
    for text in texts:
        want = re.sub(r"\s", "", text)
        got: list[str] = []
        have = ""
        while want and have != want:
            line = next(lines, None)
            if line is None:
                break
            if not line and not got:
                continue
            got.append(line)
            have += re.sub(r"\s", "", line)
            if len(have) > len(want):
                break
        out.append(got)
    return out


def stacked(screen: str) -> list[tuple[str, list[str]]]:
    """The `name: value` lines of records stacked one field a line (a table too narrow for
    columns), each with its value's lines: later lines are indented."""
    fields: list[tuple[str, list[str]]] = []
    for line in screen.splitlines():
        if line.startswith("  ") and fields:
            fields[-1][1].append(line.strip())
        elif ": " in line:
            name, value = line.split(": ", 1)
            fields.append((name, [value]))
    return fields
