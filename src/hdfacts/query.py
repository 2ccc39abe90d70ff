"""Pure queries over a FactBase: topics, lookup by id, search. Nothing here prints."""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import NamedTuple

from .errors import NotFoundError, UsageError, shown
from .model import Fact, FactBase, Topic


def normalize(text: str) -> str:
    """Fold what a reader does not mean to distinguish: case and full-width forms (ＧＤＰ = gdp)."""
    return unicodedata.normalize("NFKC", text).casefold()


def find_topic(base: FactBase, name: str) -> Topic:
    """The topic a slug, Chinese or English name or alias names; UsageError with a suggestion if none."""
    wanted = normalize(name.strip())
    for topic in base.topics:
        if wanted in (normalize(n) for n in topic.names()):
            return topic
    import difflib  # only on the error path

    names = {normalize(n): t.slug for t in base.topics for n in t.names()}
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    hint = f"did you mean {names[close[0]]}? " if close else ""
    valid = ", ".join(t.slug for t in base.topics)
    raise UsageError(f"unknown topic {shown(name)}: {hint}valid topics: {valid}")


def facts_of(base: FactBase, names: Iterable[str]) -> list[Fact]:
    """The facts of the named topics, in report order."""
    slugs = {find_topic(base, n).slug for n in names}
    return [base.facts[i] for i, t in enumerate(base.fact_topics()) if t in slugs]


def get(base: FactBase, fact_id: str) -> Fact:
    """One fact by id; NotFoundError, with close ids suggested, if there is none."""
    fact = base.fact(fact_id.strip())
    if fact is not None:
        return fact
    import difflib  # only on the error path

    close = difflib.get_close_matches(fact_id.strip().lower(), list(base.fact_ids()), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise NotFoundError(f"no fact with id {shown(fact_id)}{hint}")


SEP = "\x00"


class SearchIndex:
    """Every fact's searchable text, normalised, in one UTF-8 buffer with offsets.

    One buffer searched with bytes.find is many times faster than a loop over a
    string per fact, and loads from the cache without decoding. UTF-8 being
    self-synchronising, a needle matches only at character boundaries."""

    def __init__(self, blob: bytes, offsets: array[int]):
        self.blob = blob
        self.offsets = offsets  # len(facts) + 1 byte offsets; fact i is blob[o[i]:o[i+1]]

    @classmethod
    def build(cls, texts: Iterable[str]) -> SearchIndex:
        offsets = array("q", [0])
        parts = []
        pos = 0
        for text in texts:
            data = (text + SEP).encode("utf-8", "surrogatepass")
            parts.append(data)
            pos += len(data)
            offsets.append(pos)
        return cls(b"".join(parts), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def text(self, i: int) -> str:
        return self.blob[self.offsets[i] : self.offsets[i + 1]].decode("utf-8", "surrogatepass")

    def texts(self) -> list[str]:
        return [self.text(i) for i in range(len(self))]

    def find(self, needle: str) -> set[int]:
        """Indexes of the facts whose text contains the needle."""
        if not needle:
            return set()
        data = needle.encode("utf-8", "surrogatepass")
        blob, offsets, hits = self.blob, self.offsets, set()
        pos = blob.find(data)
        while pos != -1:
            i = bisect_right(offsets, pos) - 1
            hits.add(i)
            pos = blob.find(data, offsets[i + 1])  # on to the next fact
        return hits


def fact_text(fact: Fact, topic_names: Sequence[str]) -> str:
    """The one normalised string a fact answers to in a search."""
    return normalize(SEP.join([*fact.texts(), *topic_names, *_derived_words(fact)]))


def search_index(base: FactBase) -> SearchIndex:
    """The base's search index, built once (or loaded from the cache)."""
    index = base.derived.get("search")
    if index is None:
        names = {t.slug: t.names() for t in base.topics}
        index = base.derived["search"] = SearchIndex.build(
            fact_text(f, names.get(f.topic, ())) for f in base.facts
        )
    return index


def _derived_words(fact: Fact) -> list[str]:
    """English words a reader expects a fact to answer to, from its structure."""
    words = []
    if fact.rank:
        words.append("ranking")
    if fact.growth:
        words.append("growth")
    return words


def term_matches(base: FactBase, term: str) -> set[int]:
    """Indexes of the facts a term finds: as typed; else, for a term found nowhere,
    as an English word form, in simplified characters, or as pinyin."""
    index = search_index(base)
    wanted = normalize(term.strip())
    hits = index.find(wanted)
    if not wanted or (hits and not _only_inside_words(wanted, hits, index)):
        return hits
    from . import matching

    if hits:
        # Letters found only inside longer words ("pm" in "development") are more
        # likely pinyin initials: those win if they find anything.
        return (
            matching.pinyin_matches(base, index, wanted) if matching.is_pinyin_like(wanted) else set()
        ) or hits

    for form in matching.english_forms(wanted):
        hits = index.find(form)
        if hits:
            return hits
    converted = matching.simplified(wanted)
    if converted:
        return index.find(converted)
    if matching.is_pinyin_like(wanted):
        return matching.pinyin_matches(base, index, wanted)
    return set()


def _only_inside_words(term: str, hits: set[int], index: SearchIndex) -> bool:
    """True when a term of letters only ever occurs after another letter, never as a word start."""
    if not term.isascii() or not term.replace(" ", "").isalpha():
        return False
    start = re.compile(rf"(?<![a-z]){re.escape(term)}")
    return not any(start.search(index.text(i)) for i in hits)


def search(
    base: FactBase,
    terms: Sequence[str],
    *,
    any_term: bool = False,
    topics: Sequence[str] = (),
    filters: Filters | None = None,
) -> list[Fact]:
    """Facts that contain every term (or any, with any_term) and pass the filters, in report order."""
    slugs = {find_topic(base, n).slug for n in topics}
    wanted = [t for t in terms if t.strip()]
    if terms and not wanted:
        return []  # only blank terms: a question with no answer
    selected: set[int] | None = None
    for term in wanted:
        hits = term_matches(base, term)
        if selected is None:
            selected = hits
        else:
            selected = selected | hits if any_term else selected & hits
    indexes = range(len(base.facts)) if selected is None else sorted(selected)
    if slugs:
        fact_topics = base.fact_topics()
        indexes = [i for i in indexes if fact_topics[i] in slugs]
    # Facts are built only here, for the matches: a cached base of 100,000 facts
    # builds a handful for a narrow search.
    return (filters or Filters()).apply([base.facts[i] for i in indexes])


def suggest(base: FactBase, terms: Sequence[str]) -> str | None:
    """A close term for a search that found nothing, or None."""
    from .matching import suggestion

    for term in terms:
        if term.strip() and not term_matches(base, term):
            close = suggestion(base, normalize(term.strip()))
            if close:
                return close
    return None


class Sort(str, Enum):
    source = "source"
    value = "value"
    rank = "rank"


SCOPE_NAMES = {"city": "全市", "province": "全省", "country": "全国", "county": "全县"}


def check_scope(text: str) -> str:
    """A --scope value as it stands in the facts (city -> 全市); UsageError for an empty or
    unknown one, which would otherwise filter nothing or everything without a word."""
    wanted = normalize(text.strip())
    for name, scope in SCOPE_NAMES.items():
        if wanted in (name, scope):
            return scope
    valid = ", ".join(f"{zh} ({en})" for en, zh in SCOPE_NAMES.items())
    raise UsageError(f"unknown --scope {shown(text)}: valid scopes are {valid}")


class Filters(NamedTuple):
    """Value and ranking filters, and the order of the results."""

    min_value: float | None = None
    max_value: float | None = None
    top: int | None = None
    scope: str | None = None
    sort: Sort = Sort.source

    def active(self) -> bool:
        return any(v is not None for v in (self.min_value, self.max_value, self.top, self.scope))

    def apply(self, facts: list[Fact]) -> list[Fact]:
        scope = SCOPE_NAMES.get(self.scope.casefold(), self.scope) if self.scope else None
        out = [
            f
            for f in facts
            if (self.min_value is None or (f.value is not None and f.value >= self.min_value))
            and (self.max_value is None or (f.value is not None and f.value <= self.max_value))
            and (self.top is None or (f.rank is not None and f.rank.position <= self.top))
            and (scope is None or (f.rank is not None and f.rank.scope == scope))
        ]
        if self.sort is Sort.value:  # largest first; facts without a value last
            out.sort(key=lambda f: (f.value is None, -(f.value or 0)))
        elif self.sort is Sort.rank:  # best first; unranked last
            out.sort(key=lambda f: (f.rank is None, f.rank.position if f.rank else 0))
        return out


class ChartKind(str, Enum):
    growth = "growth"
    rank = "rank"


def chart_series(base: FactBase, kind: ChartKind) -> list[dict[str, object]]:
    """The data of a chart: growth rates, or rankings (position within their scope)."""
    out: list[dict[str, object]] = []
    for f in base.facts:
        if kind is ChartKind.growth and f.growth:
            out.append(
                {
                    "id": f.id,
                    "metric": f.metric,
                    "metric_en": f.metric_en,
                    "text": f.growth.text,
                    "value": f.growth.value,
                    "unit": f.growth.unit,
                    "scope": None,
                    "period": f.period,
                }
            )
        elif kind is ChartKind.rank and f.rank:
            out.append(
                {
                    "id": f.id,
                    "metric": f.metric,
                    "metric_en": f.metric_en,
                    "text": f"{f.rank.scope}第{f.rank.position}",
                    "value": f.rank.position,
                    "unit": None,
                    "scope": f.rank.scope,
                    "period": f.period,
                }
            )
    return out
