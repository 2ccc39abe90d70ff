"""The fact base as typed, immutable objects, and their JSON contract (`to_dict`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any, NamedTuple, Protocol

from .words import fold


class ExtraStore(Protocol):
    """Where data derived from a fact base is kept between runs (the cache)."""

    def load_extra(self, name: str) -> Any: ...

    def store_extra(self, name: str, data: Any) -> bool: ...


Number = int | float

TOPIC_FIELDS = ("slug", "name", "name_en", "section", "aliases", "facts")


def rank_text(scope: str, position: int) -> str:
    """A ranking as every output writes it: 全市第2 (the report writes 全市第二)."""
    return f"{scope}第{position}"


class Change(NamedTuple):
    """A growth rate or other change, as written and as a signed number."""

    text: str
    value: Number
    unit: str | None
    basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class Rank(NamedTuple):
    """A ranking: position within a scope (全市第2 = scope 全市, position 2)."""

    scope: str
    position: int

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()

    def text(self) -> str:
        """The ranking as tables print it: 全市第2."""
        return rank_text(self.scope, self.position)


class Fact(NamedTuple):
    """One fact of the report. Immutable; `to_dict` is its JSON record.

    The record's shape is declared here, once: its fields in this order are the JSON
    record's keys, the cache's row, and (flattened by `flatten`) the CSV/TSV header and
    the SQLite columns."""

    id: str
    topic: str
    metric: str
    metric_en: str
    text: str | None = None
    value: Number | None = None  # }
    unit: str | None = None  # } read from `text` by the quantity parser, never written
    qualifier: str | None = None  # }
    period: str | None = None
    growth: Change | None = None
    change: Change | None = None
    rank: Rank | None = None
    tags: tuple[str, ...] = ()
    quote: str = ""  # never empty in a valid base: a default only to keep the order above
    note: str | None = None
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = dict(zip(FACT_FIELDS, self, strict=True))
        for key in NESTED_TYPES:
            if record[key] is not None:
                record[key] = record[key]._asdict()
        record["tags"], record["aliases"] = list(self.tags), list(self.aliases)
        return record


# The record contract: every fact serialises to exactly these keys, in this order.
FACT_FIELDS: tuple[str, ...] = Fact._fields
# Fields the quantity parser derives from `text`: a fact file never holds them.
DERIVED_FIELDS = ("value", "unit", "qualifier")
# Fields that hold a record of their own, the record's type, and its fields.
NESTED_TYPES: dict[str, type[Change] | type[Rank]] = {"growth": Change, "change": Change, "rank": Rank}
NESTED_FIELDS = {key: kind._fields for key, kind in NESTED_TYPES.items()}


def flatten(record: dict[str, Any], lists: Any = "; ".join) -> dict[str, Any]:
    """A record as one flat row: a nested value as columns of its own (rank_scope,
    growth_value...; all of them, None, where the value is absent), a list through
    `lists` (joined by '; ' by default). The CSV/TSV rows and the SQLite rows alike."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in NESTED_FIELDS:
            for sub in NESTED_FIELDS[key]:
                out[f"{key}_{sub}"] = value.get(sub) if value else None
        elif isinstance(value, list):
            out[key] = lists([str(v) for v in value])
        else:
            out[key] = value
    return out


class Topic(NamedTuple):
    slug: str
    name: str
    name_en: str
    section: str | None = None
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every name the topic answers to on the command line."""
        return (self.slug, self.name, self.name_en, *self.aliases)

    def to_dict(self, facts: int | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {
            "slug": self.slug,
            "name": self.name,
            "name_en": self.name_en,
            "section": self.section,
            "aliases": list(self.aliases),
        }
        if facts is not None:
            d["facts"] = facts
        return d


class Meta(NamedTuple):
    title: str
    region: str
    year: int
    source: str


class FactBase:
    """A loaded fact base. `facts` is a sequence in report order; a base loaded from the
    cache builds each Fact only when it is first asked for."""

    def __init__(self, meta: Meta, topics: tuple[Topic, ...], facts: Sequence[Fact], path: str = ""):
        self.meta = meta
        self.topics = topics
        self.facts = facts
        self.path = path
        # Where data derived from the base (a search index, say) is kept between runs:
        # the cache entry the base was loaded from or stored in; None without a cache.
        self.store: ExtraStore | None = None

    def __repr__(self) -> str:
        return f"FactBase({self.path!r}, {len(self.topics)} topics, {len(self.facts)} facts)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FactBase):
            return NotImplemented
        return (self.meta, self.topics) == (other.meta, other.topics) and list(self.facts) == list(
            other.facts
        )

    __hash__ = None  # type: ignore[assignment]

    # Computed once: callers index these in loops, and a parsed base of 100,000 facts
    # would otherwise build a new list per call (a search took 48 s instead of 0.5 s).
    @cached_property
    def _ids(self) -> Sequence[str]:
        ids = getattr(self.facts, "ids", None)
        return ids if ids is not None else [f.id for f in self.facts]

    @cached_property
    def _topic_slugs(self) -> Sequence[str]:
        topics = getattr(self.facts, "topic_slugs", None)
        return topics if topics is not None else [f.topic for f in self.facts]

    def fact_ids(self) -> Sequence[str]:
        """Every fact's id, in order, without building the facts."""
        return self._ids

    def fact_topics(self) -> Sequence[str]:
        """Every fact's topic slug, in order, without building the facts."""
        return self._topic_slugs

    def fact_aliases(self) -> Sequence[tuple[str, str]]:
        """Every (alias, fact id) pair: the old ids of renamed facts, without building the facts."""
        pairs = getattr(self.facts, "alias_pairs", None)
        return pairs if pairs is not None else [(a, f.id) for f in self.facts for a in f.aliases]

    @cached_property
    def _index_of_id(self) -> dict[str, int]:
        return {fid: i for i, fid in enumerate(self.fact_ids())}

    @cached_property
    def _index_of_name(self) -> dict[str, int]:
        # Ids and aliases, folded; validation keeps them apart, so none shadows another.
        index = {fold(alias): self._index_of_id[fid] for alias, fid in self.fact_aliases()}
        index.update((fold(fid), i) for fid, i in self._index_of_id.items())
        return index

    def fact(self, fact_id: str) -> Fact | None:
        """The fact with this id, or with this old id (an alias); case and width folded."""
        i = self._index_of_id.get(fact_id)
        if i is None:
            i = self._index_of_name.get(fold(fact_id))
        return None if i is None else self.facts[i]

    def count(self, slug: str) -> int:
        return sum(1 for t in self.fact_topics() if t == slug)
