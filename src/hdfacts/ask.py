"""Answer a question in words from the fact base: one sentence and the facts behind it.

The answer is built only from facts the search finds; when it finds none, the report is
silent on the question and the answer says so (sentence None) rather than guess.
"""

from __future__ import annotations

from typing import NamedTuple

from .model import Fact, FactBase
from .query import search

# How many of the best matches stand behind an answer.
TOP = 3


class Answer(NamedTuple):
    sentence: str | None  # None: the report does not say
    lang: str  # "zh" or "en", the language of the question
    facts: list[Fact]  # the answering facts, best first; empty when sentence is None


def _language(question: str) -> str:
    return "zh" if any("\u3400" <= c <= "\u9fff" for c in question) else "en"


def _sentence(fact: Fact, lang: str) -> str:
    if lang == "zh":
        head = (f"{fact.period}," if fact.period else "") + fact.metric + (fact.text or "")
        tail = [fact.growth.text] if fact.growth else []
        if fact.rank:
            tail.append(f"排名{fact.rank.scope}第{fact.rank.position}")
        return ",".join([head, *tail]) + "。"
    words = [fact.metric_en]
    if fact.text:
        words.append(f"was {fact.text}")
    if fact.period:
        words.append(f"({fact.period})")
    if fact.growth:
        words.append(f"with growth of {fact.growth.value:+g}{fact.growth.unit or ''}")
    if fact.rank:
        words.append(f"ranking No. {fact.rank.position} in {fact.rank.scope}")
    return " ".join(words) + "."


def answer(base: FactBase, question: str) -> Answer:
    """The answer to a question, from the best matching facts; sentence None when none match."""
    lang = _language(question)
    facts = search(base, [question])[:TOP] if question.strip() else []
    if not facts:
        return Answer(None, lang, [])
    return Answer(_sentence(facts[0], lang), lang, facts)
