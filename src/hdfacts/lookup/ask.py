"""Choose the facts that answer a question: the best of a relevance-ranked search, or
none when the report does not say it (output/answer.py states them as sentences).

Three kinds of question get more than the best match:
- a set question (哪些, which ...s, list) gets every fact that qualifies;
- a comparison or superlative (增长最快, 排名最好, which grew faster) gets the facts
  compared on their data (growth rate, ranking, or value within one unit), the winner
  first;
- a yes/no question (是不是超过, did it beat) gets the fact that settles it, as any other.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..base.model import Fact, FactBase
from .parts import is_han
from .query import Found, find

ASK_TIE = 0.9  # facts scoring within 10% of the best are "about equally good": all are shown
ASK_SHOWN = 3  # at most this many answers; the rest are counted and left to `search`
SET_SHOWN = 12  # a set question shows its members up to this many

_SET = re.compile(r"哪些|哪几|有几项|分别|各有|\blist\b|\bwhat are\b|\bwhich \w+s\b|\ball the\b")


class Comparison(NamedTuple):
    """A comparison asked for: the words that ask it, the data compared, which way."""

    words: tuple[str, ...]
    by: str  # "growth", "rank" or "value"
    best_high: bool
    zh: str
    en: str


COMPARISONS = (
    Comparison(
        ("增长最快", "增速最快", "增速最高", "增幅最大", "涨得最快", "涨幅最大", "增长最多", "增长更快",
         "fastest", "grew faster", "grew the most", "grow faster", "faster growth", "highest growth"),
        "growth", True, "按增长率，从高到低", "by growth rate, highest first",
    ),
    Comparison(
        ("排名最好", "排名最高", "排名最靠前", "名次最好", "排名更好", "排名更高", "best rank", "best ranked",
         "highest ranked", "ranked best", "ranks best", "ranked higher", "better rank", "best ranking"),
        "rank", False, "按排名，从前到后", "by ranking, best first",
    ),
    Comparison(
        ("最多", "最大", "最高", "更多", "更大", "更高", "largest", "biggest", "the most", "highest",
         "larger", "bigger"),
        "value", True, "按数值，从大到小", "by value, largest first",
    ),
    Comparison(
        ("最少", "最小", "最低", "更少", "更小", "更低", "smallest", "the least", "lowest", "smaller"),
        "value", False, "按数值，从小到大", "by value, smallest first",
    ),
)  # fmt: skip


class Choice(NamedTuple):
    """The facts that answer a question, best first; [] when the report is silent."""

    lang: str  # "zh" or "en": the language to answer in
    facts: list[Fact]
    more: int = 0  # equally good facts not shown (see `hdfacts search`)
    found: Found | None = None  # the search behind the answer (its parts explain a silence)
    compared: str | None = None  # how the facts were compared, when the question asked to


def question_lang(question: str) -> str:
    """A question with Chinese characters is answered in Chinese, any other in English."""
    return "zh" if any(is_han(c) for c in question) else "en"


def asked_comparison(question: str) -> Comparison | None:
    q = question.casefold()
    return next((c for c in COMPARISONS if any(w in q for w in c.words)), None)


def compare(facts: list[Fact], how: Comparison) -> list[Fact]:
    """The facts that carry the data compared, best first (values only within the unit of
    the best match, since 亿元 and 家 do not compare); [] where fewer than two carry it."""
    if how.by == "growth":
        keyed = [(f.growth.value, f) for f in facts if f.growth and f.growth.value is not None]
    elif how.by == "rank":
        scope = next((f.rank.scope for f in facts if f.rank), None)
        keyed = [(float(f.rank.position), f) for f in facts if f.rank and f.rank.scope == scope]
    else:
        from ..base.quantities import unit_family

        family = next((unit_family(f.unit) for f in facts if f.value is not None), None)
        keyed = [(f.value, f) for f in facts if f.value is not None and unit_family(f.unit) == family]
    if len(keyed) < 2:
        return []
    keyed.sort(key=lambda kf: -kf[0] if how.best_high else kf[0])  # stable: ties keep relevance order
    return [f for _, f in keyed]


def choose(base: FactBase, question: str, lang: str | None = None) -> Choice:
    """The facts that answer `question`, in the language to answer in."""
    lang = lang or question_lang(question)
    found = find(base, [question])
    if not found.facts:
        return Choice(lang, [], 0, found)
    how = asked_comparison(question)
    ordered = compare(found.facts, how) if how else []
    if ordered and how:
        shown, compared = ordered[:SET_SHOWN], how.en if lang == "en" else how.zh
        more = len(ordered) - len(shown)
    elif _SET.search(question.casefold()):
        shown, compared = found.facts[:SET_SHOWN], None
        more = len(found.facts) - len(shown)
    else:
        hits = [found.hits[f.key] for f in found.facts]
        best = hits[0].score
        equal = [f for f, h in zip(found.facts, hits, strict=True) if h.score >= ASK_TIE * best]
        shown, compared, more = equal[:ASK_SHOWN], None, len(equal) - min(len(equal), ASK_SHOWN)
    return Choice(lang, shown, more, found, compared)
