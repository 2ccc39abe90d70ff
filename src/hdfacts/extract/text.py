"""A report's text cut into what the drafter reads: paragraphs, sentences and clauses,
with the headings that govern them.

Offsets are into the report as given. The drafter reads a copy in which full-width
letters, digits and punctuation are half-width (one character for one, so offsets
agree), so that `，` and `,`, `５` and `5` are the same to it; what it copies out is
always the report's own text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..base.quantities import HALF_WIDTH

# Full-width ASCII (！ to ～) and the ideographic space, one character for one.
_HALF = HALF_WIDTH | {0x3000: 0x20}

SENTENCE_ENDS = "。！？!?"
CLAUSE_ENDS = ",;:，；："  # after half-width folding only the first three occur
OPENING = "“‘《(【「『"
CLOSING = "”’》)】」』"
# A paragraph that opens with a letter and a dot (A.奋力推动...) or a Chinese numeral
# and a comma (一、...) is a section heading.
_SECTION = re.compile(r"(?P<label>[A-Z]|[一二三四五六七八九十]+)[.、]\s*(?P<name>\S.*)")
# 【镜头一】 labels the paragraph it opens; its first sentence is the heading.
_LABEL = re.compile(r"【(?P<label>[^】]{1,10})】")
# A short sentence with no comma, standing alone, is a paragraph's heading: 实体经济不断壮大。
HEADING_MAX = 12
CAPTION_MARKS = "▲△■●"


def half_width(text: str) -> str:
    return text.translate(_HALF)


class Clause(NamedTuple):
    start: int
    end: int
    sentence: int  # which sentence of the report
    caption: bool  # a photo caption: no narrative period governs it
    heading: str | None  # the heading that governs the clause
    section: str | None  # the section label (A, B·镜头一)


class Reading(NamedTuple):
    """The report, its half-width copy, and its clauses in order."""

    text: str
    folded: str
    clauses: tuple[Clause, ...]
    headings: tuple[str, ...]


def _pieces(folded: str, start: int, end: int, stops: str) -> list[tuple[int, int]]:
    """Cut [start, end) after each stop character that is outside quotes and brackets."""
    out, depth, begin = [], 0, start
    for i in range(start, end):
        ch = folded[i]
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            depth = max(0, depth - 1)
        elif ch in stops and depth == 0 and not _ratio(folded, i):
            out.append((begin, i + 1))
            begin = i + 1
    if begin < end:
        out.append((begin, end))
    return [(s, e) for s, e in out if folded[s:e].strip(stops + " ")]


def _ratio(folded: str, i: int) -> bool:
    """A colon between digits (13.2:41.1) is a ratio, not the end of a clause."""
    return folded[i] == ":" and folded[i - 1 : i].isdigit() and folded[i + 1 : i + 2].isdigit()


def _trimmed(folded: str, start: int, end: int, stops: str) -> tuple[int, int]:
    while start < end and (folded[start].isspace() or folded[start] in stops):
        start += 1
    while end > start and (folded[end - 1].isspace() or folded[end - 1] in stops):
        end -= 1
    return start, end


def _is_heading(sentence: str) -> bool:
    body = sentence.strip().rstrip(SENTENCE_ENDS)
    return 0 < len(body) <= HEADING_MAX and not re.search(r"[,;:、\d]", body)


class _State:
    def __init__(self) -> None:
        self.heading: str | None = None
        self.section: str | None = None
        self.label: str | None = None
        self.sentence = 0


def read(text: str) -> Reading:
    """Cut the report into clauses, each with its sentence and governing heading."""
    folded = half_width(text)
    clauses: list[Clause] = []
    headings: list[str] = []
    state = _State()
    pos = 0
    for line in folded.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        body = folded[start:end].strip()
        if not body:
            continue
        section = _SECTION.fullmatch(body)
        if section and not re.search(r"\d", section.group("name")):
            state.section, state.heading = section.group("label"), section.group("name").rstrip("。")
            state.label = None
            headings.append(state.heading)
            continue
        caption = body[0] in CAPTION_MARKS
        label = _LABEL.match(body)
        if label:
            state.label = label.group("label")
            start = folded.index("】", start) + 1
        _paragraph(folded, start, end, caption, bool(label), state, clauses, headings)
    return Reading(text, folded, tuple(clauses), tuple(headings))


def _paragraph(
    folded: str,
    start: int,
    end: int,
    caption: bool,
    labelled: bool,
    state: _State,
    clauses: list[Clause],
    headings: list[str],
) -> None:
    section = f"{state.section}·{state.label}" if state.section and state.label else state.section
    for n, (s, e) in enumerate(_pieces(folded, start, end, SENTENCE_ENDS)):
        sentence = folded[s:e].strip()
        if not caption and labelled and n == 0:  # 【镜头二】加快农业产业发展,成功创建...
            first = _pieces(folded, s, e, CLAUSE_ENDS + SENTENCE_ENDS)[0]
            state.heading = folded[slice(*_trimmed(folded, *first, CLAUSE_ENDS + SENTENCE_ENDS))]
            headings.append(state.heading)
        elif not caption and _is_heading(sentence):
            state.heading = sentence.rstrip(SENTENCE_ENDS)
            headings.append(state.heading)
            continue
        state.sentence += 1
        for cs, ce in _pieces(folded, s, e, CLAUSE_ENDS + SENTENCE_ENDS):
            cs, ce = _trimmed(folded, cs, ce, CLAUSE_ENDS + SENTENCE_ENDS + CAPTION_MARKS)
            if cs < ce:
                clauses.append(Clause(cs, ce, state.sentence, caption, state.heading, section))
