"""The words that name a report (its region, short and long, its year, the words of its
id), from the base's [report] tables: filler in a question to the report itself, since
every fact is about it, and, among several reports, the way a question picks its report
(衡东县GDP, GDP 2022)."""

from __future__ import annotations

from collections.abc import Iterable

from ..base.model import FactBase, Report
from .index import normalize

# The suffixes of administrative units, longest first: 湖南省衡阳市衡东县 ends in 衡东县.
_UNITS = ("自治县", "自治州", "自治区", "地区", "街道", "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡")


def region_names(region: str) -> list[str]:
    """The names of the place a report is about: the last unit of its region, with and
    without its suffix (衡东县, 衡东); the whole region where it has no suffix."""
    region = region.strip()
    if not region:
        return []
    suffix = next((u for u in _UNITS if region.endswith(u)), None)
    if suffix is None:
        return [region]
    head = region[: -len(suffix)]
    start = max((head.rfind(u) + len(u) for u in _UNITS if u in head), default=0)
    name = head[start:]
    return [name + suffix, name] if len(name) >= 2 else [name + suffix]


def year_names(report: Report) -> list[str]:
    return [f"{report.year}年", str(report.year)] if report.year is not None else []


def names(report: Report) -> frozenset[str]:
    """Every word that names the report, normalized as queries are."""
    words = [*region_names(report.region), *year_names(report), *report.id.split("-")]
    return frozenset(normalize(w) for w in words if w)


def all_names(reports: Iterable[Report]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for r in reports:
        out |= names(r)
    return out


def named_in(base: FactBase, text: str) -> tuple[frozenset[str] | None, list[str]]:
    """The reports a question picks out of several, by the place and the year it names,
    and the names it used; None where it picks none out (all are meant). A place or a
    year that no loaded report covers picks nothing: it stays a word of the question."""
    if not base.several:
        return None, []
    q = normalize(text)
    chosen: set[str] | None = None
    used: list[str] = []
    for kind in (_places, _years):
        by_name = kind(base.reports)
        hits = [n for n in by_name if n in q]
        if not hits:
            continue
        ids = set().union(*(by_name[n] for n in hits))
        used += hits
        chosen = ids if chosen is None else chosen & ids
    return (frozenset(chosen) if chosen is not None else None), used


def _places(reports: Iterable[Report]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in reports:
        for n in region_names(r.region):
            out.setdefault(normalize(n), set()).add(r.id)
    return out


def _years(reports: Iterable[Report]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in reports:
        if r.year is not None:
            out.setdefault(str(r.year), set()).add(r.id)
    return out
