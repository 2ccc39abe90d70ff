"""Pure queries over a FactBase: topics, lookup by id, search. Nothing here prints."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

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
    names = {normalize(n): t.slug for t in base.topics for n in t.names()}
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    hint = f"did you mean {names[close[0]]}? " if close else ""
    valid = ", ".join(t.slug for t in base.topics)
    raise UsageError(f"unknown topic {shown(name)}: {hint}valid topics: {valid}")


def facts_of(base: FactBase, names: Iterable[str]) -> list[Fact]:
    """The facts of the named topics, in report order."""
    slugs = {find_topic(base, n).slug for n in names}
    return [f for f in base.facts if f.topic in slugs]


def get(base: FactBase, fact_id: str) -> Fact:
    """One fact by id; NotFoundError, with close ids suggested, if there is none."""
    fact = base.facts_by_id.get(fact_id.strip())
    if fact is not None:
        return fact
    close = difflib.get_close_matches(fact_id.strip().lower(), list(base.facts_by_id), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise NotFoundError(f"no fact with id {shown(fact_id)}{hint}")


def search_texts(base: FactBase) -> list[str]:
    """One normalised string per fact holding every text it answers to, built once per base."""
    texts = base.derived.get("search_texts")
    if texts is None:
        topic_names = {t.slug: t.names() for t in base.topics}
        texts = [
            normalize(SEP.join([*f.texts(), *topic_names.get(f.topic, ()), *_derived_words(f)]))
            for f in base.facts
        ]
        base.derived["search_texts"] = texts
    return texts


SEP = "\x00"


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
    texts = search_texts(base)
    wanted = normalize(term.strip())
    hits = {i for i, text in enumerate(texts) if wanted in text}
    if not wanted or (hits and not _only_inside_words(wanted, hits, texts)):
        return hits
    from . import matching

    if hits:
        # Letters found only inside longer words ("pm" in "development") are more
        # likely pinyin initials: those win if they find anything.
        return (matching.pinyin_matches(base, texts, wanted) if matching.is_pinyin_like(wanted)
                else set()) or hits

    for form in matching.english_forms(wanted):
        hits = {i for i, text in enumerate(texts) if form in text}
        if hits:
            return hits
    converted = matching.simplified(wanted)
    if converted:
        return {i for i, text in enumerate(texts) if converted in text}
    if matching.is_pinyin_like(wanted):
        return matching.pinyin_matches(base, texts, wanted)
    return set()


def _only_inside_words(term: str, hits: set[int], texts: list[str]) -> bool:
    """True when a term of letters only ever occurs after another letter, never as a word start."""
    if not term.isascii() or not term.replace(" ", "").isalpha():
        return False
    start = re.compile(rf"(?<![a-z]){re.escape(term)}")
    return not any(start.search(texts[i]) for i in hits)


def search(base: FactBase, terms: Sequence[str], *, any_term: bool = False,
           topics: Sequence[str] = (), filters: Filters | None = None) -> list[Fact]:
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
    facts = [f for i, f in enumerate(base.facts)
             if (selected is None or i in selected) and (not slugs or f.topic in slugs)]
    return (filters or Filters()).apply(facts)


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


@dataclass(frozen=True)
class Filters:
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
            f for f in facts
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
