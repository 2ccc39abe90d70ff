"""The words that name a report (its region, short and long, its year, the words of its
id), from the base's [report] tables: filler in a question to the report itself, since
every fact is about it, and, among several reports, the way a question picks its report
(衡东县GDP, GDP 2022)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from ..base.model import FactBase, Report
from .index import normalize

# The suffixes of administrative units, longest first: 湖南省衡阳市衡东县 ends in 衡东县.
_UNITS = ("自治县", "自治州", "自治区", "地区", "街道", "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡")


# Reports of one region are many (a county's every year, 100 bases in the benchmark): each
# region is read once (12 ms of a search over 100 bases; measured).
@lru_cache(maxsize=256)
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


MAX_UNITS = 5  # province, city, county, town, village: a longer chain is no region


@lru_cache(maxsize=256)
def units(region: str) -> list[list[str]]:
    """The units of a region, from the largest, each with and without its suffix:
    湖南省衡阳市衡东县 -> [[湖南省, 湖南], [衡阳市, 衡阳], [衡东县, 衡东]]."""
    out: list[list[str]] = []
    region = region.strip()
    while region and len(out) < MAX_UNITS:
        names = region_names(region)
        out.insert(0, names)
        region = (
            region[: -len(names[0])] if names and region.endswith(names[0]) and names[0] != region else ""
        )
    return out


def all_places(reports: Iterable[Report]) -> frozenset[str]:
    """Every unit of the reports' regions, with and without its suffix (湖南省, 湖南, 衡阳市,
    衡阳, 衡东县, 衡东): places a question may name that are not another place."""
    regions = dict.fromkeys(r.region for r in reports)
    return frozenset(normalize(n) for region in regions for names in units(region) for n in names)


# The scope a ranking within a unit above the county is written with (排名全市第二).
_SCOPE_OF_UNIT = {"市": "全市", "州": "全市", "盟": "全市", "地区": "全市", "省": "全省", "自治区": "全省"}


def region_scopes(reports: Iterable[Report]) -> dict[str, str]:
    """The units above each report's place as the scope of a ranking within them:
    衡阳市, 衡阳, 全衡阳 -> 全市; 湖南省, 湖南, 全湖南 -> 全省."""
    out: dict[str, str] = {}
    for region in dict.fromkeys(r.region for r in reports):
        for names in units(region)[:-1]:
            suffix = next((u for u in _SCOPE_OF_UNIT if names[0].endswith(u)), None)
            if suffix is None:
                continue
            words = [*names, *(f"全{n}" for n in names[1:])]
            out.update((normalize(w), _SCOPE_OF_UNIT[suffix]) for w in words)
    return out


@lru_cache(maxsize=256)
def _chains(region: str) -> list[str]:
    """The report's place as written with the places above it: 湖南衡东县, 衡阳市衡东,
    湖南省衡阳市衡东县 (the city or the province alone is another place)."""
    levels = units(region)[-3:]  # the place with its city and province: 2 + 4 + 8 names
    chains = list(levels[-1]) if levels else []
    for above in reversed(levels[:-1]):
        chains += [a + c for a in above for c in chains]
    return chains


def year_names(report: Report) -> list[str]:
    return [f"{report.year}年", str(report.year)] if report.year is not None else []


@lru_cache(maxsize=256)
def _place_names(region: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in _chains(region))


def names(report: Report) -> frozenset[str]:
    """Every word that names the report, normalized as queries are."""
    own = [*year_names(report), *report.id.split("-")]
    return _place_names(report.region) | {normalize(w) for w in own if w}


def all_names(reports: Iterable[Report]) -> frozenset[str]:
    out: set[str] = set()
    for r in reports:
        out |= names(r)
    return frozenset(out)


def named_in(base: FactBase, text: str) -> tuple[frozenset[str] | None, list[str]]:
    """The reports a question picks out of several, by the place it names (衡东县, or a
    word of a report's id: hengdong) and then the year, and the names it used; None where
    it picks none out (all are meant). A place or a year that none of the reports left
    covers picks nothing: it stays a word of the question (衡东县2022年GDP asks the 2023
    report for 2022, and hears that it gives only 2023)."""
    if not base.several:
        return None, []
    q = normalize(text)
    words = set(q.replace("'s", " ").split())
    chosen = {r.id for r in base.reports}
    used: list[str] = []
    for by_name in (_places(base.reports), _years(base.reports)):
        hits = [n for n in by_name if (n in words if n.isascii() else n in q)]
        ids = set().union(*(by_name[n] for n in hits)) & chosen
        if ids:
            chosen = ids
            used += hits
    return (frozenset(chosen) if used else None), used


def without(text: str, names: Iterable[str]) -> str:
    """The text, normalized, without these names (a word of letters only as a whole word)."""
    q = normalize(text)
    for name in sorted(names, key=len, reverse=True):
        if name.isascii():
            q = " ".join(w for w in q.split() if w.removesuffix("'s") != name)
        else:
            q = q.replace(name, " ")
    return q


def _places(reports: Iterable[Report]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in reports:
        for n in _region_keys(r.region):
            out.setdefault(n, set()).add(r.id)
        for word in r.id.split("-"):
            if len(word) > 2 and word.isalpha():  # hengdong, qinghe: not 2023, not a letter
                out.setdefault(word, set()).add(r.id)
    return out


@lru_cache(maxsize=256)
def _region_keys(region: str) -> tuple[str, ...]:
    return tuple(normalize(n) for n in region_names(region))


def _years(reports: Iterable[Report]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in reports:
        if r.year is not None:
            out.setdefault(str(r.year), set()).add(r.id)
    return out
