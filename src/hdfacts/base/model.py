"""The fact base as typed, immutable objects, and their JSON contract (`to_dict`)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any, NamedTuple, Protocol, overload

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
    report: str = ""  # the id of the report the fact comes from: its base's [report] id

    @property
    def key(self) -> str:
        """The fact's name across reports: REPORT:ID (an id is unique within its report)."""
        return f"{self.report}:{self.id}"

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
# Fields a fact file never holds: those derived, and the report, which its [report] names.
UNWRITTEN_FIELDS = (*DERIVED_FIELDS, "report")
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


class Report(NamedTuple):
    """What a fact base is taken from: its [report] table. `id` names the report across
    bases (hengdong-2023); `year` is the year it covers, added to periods that name none."""

    id: str
    title: str = ""
    region: str = ""
    year: int | None = None
    source: str = ""  # the report's file name, beside the fact file
    sha256: str | None = None  # of that file, as a check that it is the same text
    period: str | None = None  # the span of the year it covers, where not all of it: 前三季度

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


REPORT_FIELDS = Report._fields
# The name the library gave a base's report table before a base could have several.
Meta = Report


def qualified(name: str) -> tuple[str | None, str]:
    """A fact's name split into its report and its id: hengdong-2023:gdp -> (hengdong-2023,
    gdp); a bare id has no report."""
    report, sep, rest = name.partition(":")
    return (report.strip(), rest.strip()) if sep else (None, name)


class FactBase:
    """A loaded fact base. `facts` is a sequence in report order; a base loaded from the
    cache builds each Fact only when it is first asked for.

    A base of several reports (`combine`) holds its members' facts one report after
    another; `meta` is then the first report, and `reports` names them all."""

    def __init__(
        self,
        meta: Report,
        topics: tuple[Topic, ...],
        facts: Sequence[Fact],
        path: str = "",
        *,
        members: tuple[FactBase, ...] = (),
    ):
        self.meta = meta
        self.topics = topics
        self.facts = facts
        self.path = path
        self._members = members
        # Where data derived from the base (a search index, say) is kept between runs:
        # the cache entry the base was loaded from or stored in; None without a cache.
        self.store: ExtraStore | None = None

    @classmethod
    def combine(cls, bases: Sequence[FactBase]) -> FactBase:
        """One base of several reports, each fact still of its own report; a topic that
        several reports have (by slug) is one topic, named as the first names it."""
        if len(bases) == 1:
            return bases[0]
        topics: dict[str, Topic] = {}
        for b in bases:
            for t in b.topics:
                topics.setdefault(t.slug, t)
        facts = Chained([b.facts for b in bases])
        facts.ids = [i for b in bases for i in b.fact_ids()]
        facts.topic_slugs = [t for b in bases for t in b.fact_topics()]
        facts.alias_pairs = [p for b in bases for p in b.fact_aliases()]
        return cls(
            bases[0].meta,
            tuple(topics.values()),
            facts,
            ", ".join(b.path for b in bases),
            members=tuple(bases),
        )

    def __repr__(self) -> str:
        return f"FactBase({self.path!r}, {len(self.topics)} topics, {len(self.facts)} facts)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FactBase):
            return NotImplemented
        return (self.reports, self.topics) == (other.reports, other.topics) and list(self.facts) == list(
            other.facts
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def members(self) -> tuple[FactBase, ...]:
        """The bases of each report, in the order given; a base of one report is its own
        (not kept as such: a base that held itself would live until the next collection)."""
        return self._members or (self,)

    @property
    def reports(self) -> tuple[Report, ...]:
        """The reports of the base, in order: one, unless the base combines several."""
        return tuple(m.meta for m in self.members)

    @property
    def several(self) -> bool:
        return len(self.members) > 1

    def member(self, report_id: str) -> FactBase | None:
        """The base of one report, by its id (case and width folded)."""
        wanted = fold(report_id.strip())
        return next((m for m in self.members if fold(m.meta.id) == wanted), None)

    @cached_property
    def _years(self) -> dict[str, int | None]:
        return {r.id: r.year for r in self.reports}

    def years(self) -> dict[str, int | None]:
        """The year each report covers, by report id."""
        return self._years

    def year_of(self, fact: Fact) -> int | None:
        """The year of the fact's report: added to a period that names none."""
        return self._years.get(fact.report, self.meta.year)

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
        """Every fact's id, in order, without building the facts (in a base of several
        reports, an id may stand once per report)."""
        return self._ids

    def fact_topics(self) -> Sequence[str]:
        """Every fact's topic slug, in order, without building the facts."""
        return self._topic_slugs

    @cached_property
    def _reports_of_facts(self) -> Sequence[str]:
        return [m.meta.id for m in self.members for _ in range(len(m.facts))]

    def fact_reports(self) -> Sequence[str]:
        """Every fact's report id, in order, without building the facts."""
        return self._reports_of_facts

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

    def _own(self, name: str) -> Fact | None:
        # a base of one report: ids are unique in it
        i = self._index_of_id.get(name)
        if i is None:
            i = self._index_of_name.get(fold(name))
        return None if i is None else self.facts[i]

    def named(self, name: str) -> list[Fact]:
        """The facts a name names: REPORT:ID, or REPORT:OLD-ID, one at most; a bare id or
        old id, one per report that has it (case and width folded)."""
        report, bare = qualified(name)
        if report is not None:
            member = self.member(report)
            found = member._own(bare) if member is not None and not member.several else None
            return [found] if found is not None else []
        return [f for m in self.members if (f := m._own(name)) is not None]

    def fact(self, fact_id: str) -> Fact | None:
        """The one fact with this id, old id or REPORT:ID; None where there is none, or
        where a bare id stands in several reports."""
        found = self.named(fact_id)
        return found[0] if len(found) == 1 else None

    def count(self, slug: str) -> int:
        return sum(1 for t in self.fact_topics() if t == slug)


class FactSequence(Sequence[Fact]):
    """Facts each built only when asked for: a subclass says how to get the i-th one."""

    def _at(self, i: int) -> Fact:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> Fact: ...

    @overload
    def __getitem__(self, i: slice) -> list[Fact]: ...

    def __getitem__(self, i: int | slice) -> Fact | list[Fact]:
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._at(i)


class Chained(FactSequence):
    """The facts of several bases, one after another, each built only when asked for."""

    ids: Sequence[str]
    topic_slugs: Sequence[str]
    alias_pairs: Sequence[tuple[str, str]]

    def __init__(self, parts: Sequence[Sequence[Fact]]):
        self._parts = parts
        self._starts = [0]
        for part in parts:
            self._starts.append(self._starts[-1] + len(part))

    def __len__(self) -> int:
        return self._starts[-1]

    def _at(self, i: int) -> Fact:
        part = bisect_right(self._starts, i) - 1
        return self._parts[part][i - self._starts[part]]

    def __iter__(self) -> Iterator[Fact]:
        for part in self._parts:
            yield from part
