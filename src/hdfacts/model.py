"""The fact base as typed, immutable objects, and their JSON contract (`to_dict`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .quantities import Number

# The record contract: every fact serialises to exactly these keys, in this order.
FACT_FIELDS = (
    "id", "topic", "metric", "metric_en", "text", "value", "unit", "qualifier",
    "period", "growth", "change", "rank", "tags", "quote",
)
TOPIC_FIELDS = ("slug", "name", "name_en", "section", "aliases", "facts")

SCOPES_EN = {"全市": "city", "全省": "province", "全国": "country", "全县": "county"}


@dataclass(frozen=True)
class Change:
    """A growth rate or other change, as written and as a signed number."""

    text: str
    value: Number
    unit: str | None
    basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "unit": self.unit, "basis": self.basis}


@dataclass(frozen=True)
class Rank:
    """A ranking: position within a scope (全市第2 = scope 全市, position 2)."""

    scope: str
    position: int

    def to_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "position": self.position}

    def label(self, lang: str = "zh") -> str:
        if lang == "en":
            scope = SCOPES_EN.get(self.scope, self.scope)
            return f"No. {self.position} in {scope}"
        return f"{self.scope}第{self.position}"


@dataclass(frozen=True)
class Fact:
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
        }

    def texts(self) -> list[str]:
        """Every text of the fact's own that a search looks at."""
        out = [self.id, self.metric, self.metric_en, self.quote, *self.tags]
        out += [t for t in (self.text, self.period) if t]
        for c in (self.growth, self.change):
            if c:
                out += [c.text] + ([c.basis] if c.basis else [])
        return out


@dataclass(frozen=True)
class Topic:
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


@dataclass(frozen=True)
class Meta:
    title: str
    region: str
    year: int
    source: str


@dataclass(frozen=True)
class FactBase:
    meta: Meta
    topics: tuple[Topic, ...]
    facts: tuple[Fact, ...]
    path: str = field(default="", compare=False)
    # Derived data (search texts, indexes) that queries compute once per fact base.
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def topics_by_slug(self) -> dict[str, Topic]:
        return {t.slug: t for t in self.topics}

    @cached_property
    def facts_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

    def count(self, slug: str) -> int:
        return sum(1 for f in self.facts if f.topic == slug)
