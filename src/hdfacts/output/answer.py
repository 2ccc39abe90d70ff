"""Answers to questions: the facts lookup/ask.py chooses, stated as one sentence each."""

from __future__ import annotations

from typing import NamedTuple

from ..base.model import Fact, FactBase
from ..lookup.ask import choose
from ..lookup.query import Found
from .display import sentence


class Answer(NamedTuple):
    """What the report says to a question. sentence is None and facts [] when it is silent."""

    sentence: str | None  # one line per answering fact
    lang: str  # "zh" or "en": the language of the sentence
    facts: list[Fact]
    more: int = 0  # equally good facts not shown (see `hdfacts search`)
    found: Found | None = None  # the search behind the answer (its parts explain a silence)
    compared: str | None = None  # how the facts were compared, when the question asked to


def answer(base: FactBase, question: str, lang: str | None = None) -> Answer:
    """The answer to `question`: the facts chosen for it, each as a sentence."""
    chosen = choose(base, question, lang)
    if not chosen.facts:
        return Answer(None, *chosen)
    text = "\n".join(sentence(f, chosen.lang, year=base.year_of(f)) for f in chosen.facts)
    return Answer(text, *chosen)
