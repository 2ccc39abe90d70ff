"""Pure queries over a FactBase: topics, lookup by id, search. Nothing here prints."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence

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
            normalize("\x00".join([*f.texts(), *topic_names.get(f.topic, ())]))
            for f in base.facts
        ]
        base.derived["search_texts"] = texts
    return texts


def search(base: FactBase, terms: Sequence[str], *, any_term: bool = False,
           topics: Sequence[str] = ()) -> list[Fact]:
    """Facts whose texts contain every term (or any, with any_term), in report order."""
    wanted = [normalize(t) for t in terms if t.strip()]
    slugs = {find_topic(base, n).slug for n in topics}
    combine = any if any_term else all
    out = []
    for fact, text in zip(base.facts, search_texts(base)):
        if slugs and fact.topic not in slugs:
            continue
        if not wanted or combine(w in text for w in wanted):
            out.append(fact)
    return out
