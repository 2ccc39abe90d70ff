"""Answer a question: the best facts of a relevance-ranked search, stated as sentences
built from their data, or nothing when the report does not say it."""

from __future__ import annotations

from typing import NamedTuple

from .model import Fact, FactBase
from .parts import is_han
from .query import Found, find

ASK_TIE = 0.9  # facts scoring within 10% of the best are "about equally good": all are shown
ASK_SHOWN = 3  # at most this many answers; the rest are counted and left to `search`


class Answer(NamedTuple):
    """What the report says to a question. sentence is None and facts [] when it is silent."""

    sentence: str | None  # one line per answering fact
    lang: str  # "zh" or "en": the language of the sentence
    facts: list[Fact]
    more: int = 0  # equally good facts not shown (see `hdfacts search`)
    found: Found | None = None  # the search behind the answer (its parts explain a silence)


def question_lang(question: str) -> str:
    """A question with Chinese characters is answered in Chinese, any other in English."""
    return "zh" if any(is_han(c) for c in question) else "en"


def answer(base: FactBase, question: str, lang: str | None = None) -> Answer:
    lang = lang or question_lang(question)
    found = find(base, [question])
    if not found.facts:
        return Answer(None, lang, [], 0, found)
    hits = [found.hits[f.id] for f in found.facts]
    best = hits[0].score
    equal = [f for f, h in zip(found.facts, hits, strict=True) if h.score >= ASK_TIE * best]
    shown = equal[:ASK_SHOWN]
    from .display import sentence

    text = "\n".join(sentence(f, lang, year=base.meta.year) for f in shown)
    return Answer(text, lang, shown, len(equal) - len(shown), found)
