"""Filters by value and ranking, read from what a reader wrote: one reading for the
command line and the MCP server alike, with the rule for a search that asks nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import NamedTuple

from ..base.model import Fact, FactBase
from ..errors import UsageError


class Sort(str, Enum):
    relevance = "relevance"
    source = "source"
    value = "value"
    rank = "rank"


class Filters(NamedTuple):
    """Value and ranking filters, and the order of the results."""

    min_value: float | None = None
    max_value: float | None = None
    top: int | None = None
    scope: str | None = None
    sort: Sort = Sort.relevance
    # What the bounds measure (quantities.unit_family): 10万元 compares only 元 figures. None: all.
    unit: str | None = None
    # The filters as the reader gave them (--min 100亿), for messages.
    said: str = ""

    def active(self) -> bool:
        return any(v is not None for v in (self.min_value, self.max_value, self.top, self.scope))

    def apply(self, facts: list[Fact]) -> list[Fact]:
        scope = self.scope  # as the facts write it: parse_filters reads readers' names (city, 市级)
        out = [
            f
            for f in facts
            if (self.unit is None or _unit_family(f.unit) == self.unit)
            and (self.min_value is None or (f.value is not None and f.value >= self.min_value))
            and (self.max_value is None or (f.value is not None and f.value <= self.max_value))
            and (self.top is None or (f.rank is not None and f.rank.position <= self.top))
            and (scope is None or (f.rank is not None and f.rank.scope == scope))
        ]
        if self.sort is Sort.value:  # largest first; facts without a value last
            out.sort(key=lambda f: (f.value is None, -(f.value or 0)))
        elif self.sort is Sort.rank:  # best first; unranked last
            out.sort(key=lambda f: (f.rank is None, f.rank.position if f.rank else 0))
        return out


def _unit_family(unit: str | None) -> str | None:
    from ..base.quantities import unit_family  # only for a bound with a unit

    return unit_family(unit)


# How the command line names each filter; the MCP server passes its own argument names.
OPTION_NAMES = {"min": "--min", "max": "--max", "top": "--top", "scope": "--scope"}


def asks_nothing(terms: Sequence[str], topics: Sequence[str], filters: Sequence[object]) -> bool:
    """A search with no term, no topic and no filter (each of `filters` None, as given):
    a usage error, not an empty result. A blank term is a term: it finds nothing."""
    return not terms and not topics and all(value is None for value in filters)


def parse_filters(
    base: FactBase,
    min_text: str | float | None = None,
    max_text: str | float | None = None,
    top: int | None = None,
    scope: str | None = None,
    sort: Sort = Sort.relevance,
    names: Mapping[str, str] = OPTION_NAMES,
) -> Filters:
    """Filters from what a reader wrote: bounds as figures (10万元 compares only 元
    figures), a scope in the readers' words (city, 市里); UsageError for what cannot be."""
    low = high = unit = found_scope = None
    if min_text is not None or max_text is not None or scope is not None:
        from ..base.quantities import parse_scope
        from ..errors import QuantityError  # the quantity parser: 2 ms, for filters only

        low, high, unit = _bounds(min_text, max_text, names)
        if scope is not None:
            try:
                found_scope = parse_scope(scope, {f.rank.scope for f in base.facts if f.rank})
            except QuantityError as e:
                raise UsageError(f"{names['scope']}: {e}") from e
    given = (("min", min_text), ("max", max_text), ("top", top), ("scope", scope))
    said = " ".join(f"{names[key]} {value}" for key, value in given if value is not None)
    return Filters(low, high, top, found_scope, sort, unit, said)


def _bounds(
    min_text: str | float | None, max_text: str | float | None, names: Mapping[str, str]
) -> tuple[float | None, float | None, str | None]:
    """The two bounds as numbers, and the unit family they name (None: all units)."""
    from ..base.quantities import parse_bound, unit_family
    from ..errors import QuantityError

    families: dict[str, str] = {}
    bounds: list[float | None] = []
    for key, text in (("min", min_text), ("max", max_text)):
        if text is None or isinstance(text, int | float):
            bounds.append(text)
            continue
        try:
            bound = parse_bound(text)
        except QuantityError as e:
            raise UsageError(f"{names[key]}: {e}") from e
        bounds.append(bound.value)
        family = unit_family(bound.unit)
        if family:
            families[key] = family
    if len(set(families.values())) > 1:
        raise UsageError(
            f"{names['min']} {min_text} and {names['max']} {max_text} name different units: "
            "give one unit, or none"
        )
    return bounds[0], bounds[1], next(iter(families.values()), None)
