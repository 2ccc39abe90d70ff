"""Text typeset for a terminal: where a line may break, and lines filled to a width.

One set of rules for every screen (tables, `ask`'s sentences, charts, help):

- a figure is one unit: its sign, digits, decimal point and unit (255.92亿元, 6.5个百分点,
  30.2%, 2022年, 第一, 27,868 yuan, No. 1) never part;
- Chinese may break between any two characters except where W3C's Requirements for Chinese
  Text Layout (clreq) forbid it: no line starts with closing punctuation, a comma, a full
  stop and their kind, and no line ends with opening punctuation;
- English breaks at spaces and after a hyphen between letters, never inside a word.

Standard library only: `ask` wraps its sentences without loading rich.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# clreq 3.1.7: characters not allowed at the start of a line (closing brackets and quotes,
# commas, stops, colons, the middle dot, ellipsis and dash), and at the end of one (opening
# brackets and quotes). ASCII forms are included: the report writes 27868元,增长6.1%.
NO_START = frozenset("，。、；：？！）」』”’》〉】〕〗〙〛｝］,.;:?!)]}%‰…—·～・'\"")
NO_END = frozenset("（「『“‘《〈【〔〖〘〚｛［([{")
# Units of several characters that stay with the number before them; any other number keeps
# the one Chinese character after it, its unit or measure word (27个, 2022年, 500强).
_ZH_UNITS = "个百分点|个名次|名次|美元|人次|季度|平方米|平方公里|公里|千米|千瓦"
# A figure: an optional sign, digits with their separators and decimal point, then % or its
# unit, a multiplier first (255.92亿元); or 第 with its number (第一, 第2). Written so that
# nothing backtracks: every separator is followed by digits. A Chinese numeral
# with its measure word is left breakable (七大重点产业 reads as words).
_FIGURE = re.compile(
    r"[+\-−±×~～]?\d+(?:[,.]\d+)*(?:%|‰|[万亿千百]*(?:" + _ZH_UNITS + r"|[\u4e00-\u9fff]))?"
    r"|第[\d一二三四五六七八九十百零〇两]+"
)
# English: a number keeps its unit word (27,868 yuan, 6.5 percentage points, 3 firms);
# No. 1 and a period (Q1-Q3 2023, Jan-Nov 2023) keep their parts.
_EN_GLUE = re.compile(
    r"\d%?( )(?=[a-zA-Z])|\bNo\.( )(?=\d)|\bpercentage( )points\b|(?:\bQ\d|\b[A-Z][a-z]{2})( )(?=\d{4}\b)"
)


@lru_cache(maxsize=4096)
def char_cells(char: str) -> int:
    """The columns a character takes on a terminal: 2 for wide (Chinese) characters."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def cells(text: str) -> int:
    """The columns a text takes on a terminal."""
    return sum(char_cells(c) for c in text)


def _wide(char: str) -> bool:
    return char_cells(char) == 2


def _glued(text: str, keep: Sequence[str] = ()) -> list[bool]:
    """glued[i]: no line may begin at text[i] (the rules above, clreq's, and no break
    inside a phrase of `keep`)."""
    n = len(text)
    glue = [True] * (n + 1)  # a break before i is allowed only where a rule below opens one
    glue[0] = glue[n] = False
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        if a.isspace() and not b.isspace():
            glue[i] = False  # after spaces (the spaces stay on the line before)
        elif _wide(a) or _wide(b):
            glue[i] = b.isspace()
        elif a in "-/" and i >= 2 and text[i - 2].isalpha() and b.isalpha():
            glue[i] = False  # Investment-|promotion, growth/|change
    for match in _FIGURE.finditer(text):
        for i in range(match.start() + 1, match.end()):
            glue[i] = True
    for match in _EN_GLUE.finditer(text):
        for g in range(1, 5):
            if match.start(g) >= 0:
                glue[match.end(g)] = True
    for phrase in keep:
        for match in re.finditer(re.escape(phrase), text) if phrase else ():
            for i in range(match.start() + 1, match.end()):
                glue[i] = True
    for i in range(1, n):
        if text[i] in NO_START or text[i - 1] in NO_END:
            glue[i] = True
    return glue


def _pieces(text: str, keep: Sequence[str] = ()) -> list[tuple[int, int]]:
    """The text cut at every place a line may break: (start, end) of each piece."""
    glue = _glued(text, keep)
    starts = [i for i in range(len(text)) if not glue[i]] or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def longest_piece(text: str) -> int:
    """The width of the widest part of text that no line may break: the least a column
    holding it needs to keep every figure and word whole."""
    widest = 0
    for paragraph in text.split("\n"):
        for start, end in _pieces(paragraph):
            widest = max(widest, cells(paragraph[start:end].rstrip()))
    return widest


def _fill(text: str, pieces: list[tuple[int, int]], width: int, first: int) -> list[tuple[int, int]]:
    """Greedy lines of at most `width` cells (`first` for the first line): their spans."""
    lines: list[tuple[int, int]] = []
    start = end = used = 0
    room = first
    for p_start, p_end in _fitted(text, pieces, min(width, first)):
        size = cells(text[p_start:p_end].rstrip())
        if used and used + size > room:
            lines.append((start, end))
            start, used, room = p_start, 0, width
        used += cells(text[p_start:p_end])
        end = p_start + len(text[p_start:p_end].rstrip()) if size else end
    lines.append((start, max(start, end)))
    return lines


def _fitted(text: str, pieces: list[tuple[int, int]], width: int) -> list[tuple[int, int]]:
    """The pieces, any wider than a whole line (a long id or address) cut by columns: the
    one place a line breaks where no rule allows it, since the line cannot hold it."""
    out: list[tuple[int, int]] = []
    for start, end in pieces:
        if cells(text[start:end].rstrip()) <= width:
            out.append((start, end))
            continue
        used, line_start = 0, start
        for i in range(start, end):
            w = char_cells(text[i])
            if used + w > width and i > line_start:
                out.append((line_start, i))
                line_start, used = i, 0
            used += w
        out.append((line_start, end))
    return out


def spans(
    text: str, width: int, *, first: int | None = None, balance: bool = False, keep: Sequence[str] = ()
) -> list[tuple[int, int]]:
    """Where each line of one paragraph (no newlines) begins and ends, filled to `width`
    cells (`first` cells on the first line). With `balance`, a last line shorter than a
    third of the width is avoided: the lines are made as even as the same number of lines
    allows, so that no last line holds a lone character. The
    phrases of `keep` (a figure with its words: 增长11.5%, more than 100 yuan) are not
    broken where the line has room for them."""
    width = max(width, 1)
    first = width if first is None else max(first, 1)
    pieces = _pieces(text, keep)
    lines = _fill(text, pieces, width, first)
    last = cells(text[lines[-1][0] : lines[-1][1]])
    if balance and len(lines) > 1 and first == width and last * 3 < width:
        low = max(min(cells(text[s:e].rstrip()), width) for s, e in pieces)
        high = width
        while low < high:  # the narrowest width that needs no more lines
            mid = (low + high) // 2
            if len(_fill(text, pieces, mid, mid)) <= len(lines):
                high = mid
            else:
                low = mid + 1
        lines = _fill(text, pieces, low, low)
    return lines


def wrap(
    text: str, width: int, *, first: int | None = None, balance: bool = False, keep: Sequence[str] = ()
) -> list[str]:
    """The lines of a text filled to `width` cells; its own newlines are kept."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        for s, e in spans(paragraph, width, first=first, balance=balance, keep=keep):
            out.append(paragraph[s:e])
        first = None
    return out


def hang(text: str, width: int, lead: str, indent: int | None = None, keep: Sequence[str] = ()) -> list[str]:
    """A paragraph after `lead` (a number, a label), its later lines indented by the lead's
    width or `indent`: the hanging indent of a list."""
    step = cells(lead) if indent is None else indent
    lines = wrap(text, max(width - step, 1), first=max(width - cells(lead), 1), keep=keep)
    return [lead + lines[0], *(" " * step + line for line in lines[1:])]
