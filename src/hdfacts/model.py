"""The fact base as typed, immutable objects, and their JSON contract (`to_dict`)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:  # types only: the index and the pinyin index import this module
    from .index import SearchIndex
    from .matching import PinyinIndex

Number = int | float

# The record contract: every fact serialises to exactly these keys, in this order.
FACT_FIELDS = (
    "id",
    "topic",
    "metric",
    "metric_en",
    "text",
    "value",
    "unit",
    "qualifier",
    "period",
    "growth",
    "change",
    "rank",
    "tags",
    "quote",
    "note",
    "aliases",
)
TOPIC_FIELDS = ("slug", "name", "name_en", "section", "aliases", "facts")


def fold(text: str) -> str:
    """Fold what a reader does not mean to distinguish: case and full-width forms (ＧＤＰ = gdp)."""
    return unicodedata.normalize("NFKC", text).casefold()


SCOPES_EN = {"全市": "city", "全省": "province", "全国": "country", "全县": "county"}


class Change(NamedTuple):
    """A growth rate or other change, as written and as a signed number."""

    text: str
    value: Number
    unit: str | None
    basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "unit": self.unit, "basis": self.basis}


class Rank(NamedTuple):
    """A ranking: position within a scope (全市第2 = scope 全市, position 2)."""

    scope: str
    position: int

    def to_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "position": self.position}


class Fact(NamedTuple):
    """One fact of the report. Immutable; `to_dict` is its JSON record."""

    id: str
    topic: str
    metric: str
    metric_en: str
    quote: str
    text: str | None = None
    value: Number | None = None
    unit: str | None = None
    qualifier: str | None = None
    period: str | None = None
    growth: Change | None = None
    change: Change | None = None
    rank: Rank | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "metric": self.metric,
            "metric_en": self.metric_en,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "period": self.period,
            "growth": self.growth.to_dict() if self.growth else None,
            "change": self.change.to_dict() if self.change else None,
            "rank": self.rank.to_dict() if self.rank else None,
            "tags": list(self.tags),
            "quote": self.quote,
            "note": self.note,
            "aliases": list(self.aliases),
        }

    def texts(self) -> list[str]:
        """Every text of the fact's own that a search looks at."""
        out = [self.id, *self.aliases, self.metric, self.metric_en, self.quote, *self.tags]
        out += [t for t in (self.text, self.period, self.note) if t]
        for c in (self.growth, self.change):
            if c:
                out += [c.text] + ([c.basis] if c.basis else [])
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


class ExtraStore(Protocol):
    """Where data derived from a fact base is kept between runs (the cache)."""

    def load_extra(self, name: str) -> Any: ...

    def store_extra(self, name: str, data: Any) -> None: ...


class FactBase:
    """A loaded fact base. `facts` is a sequence in report order; a base loaded from the
    cache builds each Fact only when it is first asked for."""

    def __init__(self, meta: Meta, topics: tuple[Topic, ...], facts: Sequence[Fact], path: str = ""):
        self.meta = meta
        self.topics = topics
        self.facts = facts
        self.path = path
        # Derived once per base: the search index (index.index_of), the pinyin index
        # (matching.pinyin_index), and where to keep such data between runs.
        self.index: SearchIndex | None = None
        self.pinyin: PinyinIndex | None = None
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

    @cached_property
    def facts_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

    def count(self, slug: str) -> int:
        return sum(1 for t in self.fact_topics() if t == slug)
