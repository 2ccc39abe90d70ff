"""Draft a fact base from a report's text: `hdfacts extract REPORT.txt`.

The draft is in the shipped schema and passes `validate` and `verify --source` as it is:
every figure with its metric, period, growth, change and ranking, quoted verbatim; the
numbers that are no figure are listed, with the reason, at the end of the file. What a
person still has to do is the English labels, the topics and a review.

Not imported by any lookup: only `hdfacts extract` loads this package.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import groupby
from typing import NamedTuple

from ..base.audit import flat, own_number
from ..base.words import HAN
from ..errors import NotFoundError, UsageError
from .build import Draft, Sentence, clean
from .figures import Skipped, leftover_numbers
from .text import Clause, Reading, half_width, read

__all__ = ["MAX_REPORT", "Drafted", "draft"]

# A county's report is some 10 KB; drafting takes about 4 s a MiB, so a larger file is
# refused before it is read rather than drafted for minutes.
MAX_REPORT = 2 << 20


class Drafted(NamedTuple):
    """A drafted base: its meta table, drafts in report order, and the numbers skipped."""

    reading: Reading
    title: str
    region: str
    year: int
    source: str
    drafts: list[Draft]
    skipped: list[Skipped]


def report_year(folded: str) -> int | None:
    """The year the report is about: the latest year it names other than as a basis (较2022年)."""
    years = [int(y) for y in re.findall(r"(?<![\d较比与同])(\d{4})\s*年", folded) if 1900 < int(y) < 2200]
    return max(years) if years else None


def _region(folded: str) -> str | None:
    """The county (or district, city) the report is about: the one it names most."""
    for kind in "县区市":
        names = Counter(n for n in re.findall(rf"{HAN}{{2}}{kind}", folded) if "全" not in n)
        if names:
            return str(names.most_common(1)[0][0])
    return None


def draft(text: str, source: str, year: int | None = None) -> Drafted:
    """Draft the facts of a report; UsageError where it names no year and none is given."""
    reading = read(text)
    year = year or report_year(reading.folded)
    if year is None:
        raise UsageError(f"{source}: the report names no year (as 2023年): give it with --year")
    period = f"{year}年"
    drafts: list[Draft] = []
    skipped: list[Skipped] = []
    used: list[tuple[int, int]] = []
    for _, group in groupby(reading.clauses, key=lambda c: c.sentence):
        clauses = list(group)
        sentence = Sentence(reading, None if clauses[0].caption else period)
        for clause in clauses:
            sentence.clause(clause)
        drafts += sentence.drafts
        skipped += sentence.skipped
        used += sentence.used
    skipped += leftover_numbers(reading.folded, text, used + [(s.start, s.end) for s in skipped])
    drafts += _covering(reading, drafts, period)
    _unique_quotes(reading, drafts)
    if not drafts:
        raise NotFoundError(f"{source}: no figure to draft: the report states no number as a figure")
    first = next((line.strip(" ▲\t") for line in text.splitlines() if line.strip()), source)
    title = first.rstrip("。") or source
    region = _region(reading.folded) or source
    return Drafted(reading, title, region, year, source, sorted(drafts, key=lambda d: d.anchor), skipped)


def stated(d: Draft) -> str:
    """Everything a draft states, as the audit reads it."""
    parts = [d.metric, d.text or "", d.period or "", d.growth or ""]
    if d.change:
        parts += [d.change[0], d.change[1] or ""]
    if d.rank:
        parts.append(f"{d.rank[0]}第{d.rank[1]}")
    return " ".join(parts)


def _covering(reading: Reading, drafts: list[Draft], period: str) -> list[Draft]:
    """A fact for each number written in digits that no figure states (1+8+N, 500强):
    its clause, whose name the number is part of, so that nothing of the report is lost."""
    out: list[Draft] = []
    ordered = sorted(drafts, key=lambda d: d.start)
    starts = [d.start for d in ordered]
    longest = max((d.end - d.start for d in ordered), default=0)
    says = [half_width(stated(d)) for d in ordered]
    clause_starts = [c.start for c in reading.clauses]
    for m in re.finditer(r"\d+(?:\.\d+)?", reading.folded):
        number, s, e = m.group(), m.start(), m.end()
        if f"{number}年" == period and reading.folded[e : e + 1] == "年":
            continue
        own = own_number(number)
        near = range(bisect_left(starts, s - longest), bisect_right(starts, s))  # quotes that may hold it
        if any(ordered[i].end >= e and own.search(says[i]) for i in near) or any(
            d.start <= s and e <= d.end and own.search(half_width(stated(d))) for d in out
        ):
            continue
        i = bisect_right(clause_starts, s) - 1
        clause = reading.clauses[i] if i >= 0 and e <= reading.clauses[i].end else None
        if clause is None:  # in a heading or a label (【镜头1】): the line is the quote
            a = reading.text.rfind("\n", 0, s) + 1
            b = len(reading.text) if (b := reading.text.find("\n", e)) < 0 else b
            clause = Clause(a, b, 0, False, None, None)
        quote = reading.text[clause.start : clause.end]
        d = Draft(clause.start, clause.end, s, clean(quote) or quote, "", None, clause)
        d.notes.append(f"{number} is no figure of its own here (see the list at the end of the file)")
        out.append(d)
    return out


def _unique_quotes(reading: Reading, drafts: list[Draft]) -> None:
    """Lengthen a quote that stands earlier in the report too (接待企业42家, twice) by the
    clauses before it, until it is found where it stands: the audit finds a quote by its
    first place in the report."""
    text = reading.text
    solid = [0]  # how many characters other than white space precede each offset
    for ch in text:
        solid.append(solid[-1] + (not ch.isspace()))
    report = flat(text)
    starts = [c.start for c in reading.clauses]
    for d in drafts:
        for _ in range(8):
            quote = flat(text[d.start : d.end])
            if not quote or report.find(quote) == solid[d.start]:
                break
            i = bisect_left(starts, d.start)
            if i == 0:
                break
            d.start = starts[i - 1]
