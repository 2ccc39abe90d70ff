"""One question put to each report on its own: the fact that best answers it there, or
the report's silence. Each report is searched with its own index and weights, so that
one report's answer never stands in for another's, and a report without an answer has
none (never the nearest fact)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..base.model import Fact, FactBase, Report
from .query import Found, find


class Answered(NamedTuple):
    """What one report gives for the question: its best fact, or None, and the search
    behind it (which says why there is none)."""

    report: Report
    base: FactBase  # the report's own base
    fact: Fact | None
    found: Found


def compare(base: FactBase, terms: Sequence[str]) -> list[Answered]:
    """For each report of the base, in order, the fact that best answers `terms`."""
    text = _without_report_names(base, " ".join(t for t in terms if t.strip()))
    out = []
    for member in base.members:
        found = find(member, [text])
        out.append(Answered(member.meta, member, found.facts[0] if found.facts else None, found))
    return out


def _without_report_names(base: FactBase, text: str) -> str:
    """The question without the places and id words that name the reports: a comparison
    asks every report the same thing (衡东县和青禾县的GDP is GDP, asked of each). A year
    stays: it asks for that year, of each."""
    from .reports import all_names, without

    return without(
        text, [n for n in all_names(base.reports) if len(n) > 1 and not any(c.isdigit() for c in n)]
    )
