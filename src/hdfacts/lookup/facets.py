"""What a question asks of a fact besides its subject: a year, the whole year, an amount,
a growth rate, a comparison with the city. A fact that is about the right thing but
lacks what is asked does not answer: the report is silent, and says what it gives.

The words that ask for each facet are general words of statistical reporting, not of
one report; the facts' own data (period, figure, growth, change) decide the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from ..base.model import Fact

# the whole year, where a fact may give only part of it
_FULL_YEAR = ("全年", "一整年", "整年", "full year", "full-year", "whole year", "annual", "for the year")
# parts of a year: a fact with one of these periods does not give the whole year
_PART_YEAR = ("季度", "上半年", "下半年", "月", "q1", "q2", "q3", "jan", "first half")
# an amount: a sum of money or a total, where a fact may give only its growth
_AMOUNT = (
    "总额", "总量", "金额", "完成额", "多少钱", "好多钱", "多少亿", "几个亿", "好多亿", "多少万", "多少元",
    "亿元", "万元", "美元", "total value", "value", "amount", "how much money", "in yuan", "in us dollars",
    "in dollars", "dollar value", "total",
)  # fmt: skip
# a growth rate or change, where a fact may give only its figure
_CHANGE = (
    "增长", "增速", "增幅", "涨", "同比", "比上年", "较上年", "比去年", "growth", "grow", "grew",
    "increase", "rise", "rose", "change", "year on year", "year-on-year", "yoy",
)  # fmt: skip
# a comparison with the city's average, which the report gives for a few facts only
_VERSUS_CITY = ("比全市", "高于全市", "全市平均", "than the city", "city average", "hengyang average")


def part_of_year(period: str | None) -> bool:
    """Whether a period covers only part of a year (前三季度, 1—11月), not all of it."""
    return any(p in (period or "").casefold() for p in _PART_YEAR)


def spans_differ(periods: Iterable[str | None]) -> bool:
    """Whether periods cover different spans of their years (全年 beside 前三季度): the
    figures of such periods do not compare as they stand."""
    return len({part_of_year(p) for p in periods}) > 1


class Gap(NamedTuple):
    """What a question asked (a facet name) that a fact about its subject does not give."""

    asked: str
    fact: Fact


def asked_facets(question: str) -> list[str]:
    """The facets a question asks for, as names: year:2022, full-year, amount, change, versus-city."""
    q = question.casefold()
    out = [f"year:{y}" for y in dict.fromkeys(_years(q))]
    out += [name for name, words in _ASKING.items() if any(_asks(q, w) for w in words)]
    return out


def without_facets(question: str) -> str:
    """The question less the words that ask for a facet: its subject."""
    q = question.casefold()
    for y in _years(q):
        q = q.replace(y, " ")
    for words in _ASKING.values():
        for w in words:
            while _asks(q, w):
                at = _at(q, w)
                q = q[:at] + " " + q[at + len(w) :]
    return q


def _years(q: str) -> list[str]:
    """The years a question names: four digits 19xx or 20xx, not part of a longer number."""
    if not any(c.isdigit() for c in q):
        return []

    return re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", q)


def _asks(q: str, word: str) -> bool:
    return _at(q, word) != -1


def _at(q: str, word: str) -> int:
    """Where the word stands in the question, -1 if nowhere; an English one only at the
    start of a word (rise, not the rise of enterprises). Plain string search: patterns
    would cost 1.5 ms at every start."""
    at = q.find(word)
    if not word.isascii():
        return at
    while at != -1 and at > 0 and q[at - 1].isalpha():
        at = q.find(word, at + 1)
    return at


_ASKING = {
    "full-year": _FULL_YEAR,
    "amount": _AMOUNT,
    "change": _CHANGE,
    "versus-city": _VERSUS_CITY,
}


def gap(fact: Fact, facets: list[str], year: int | None) -> Gap | None:
    """The first facet asked that the fact does not give; None when it gives them all."""
    for facet in facets:
        found = _gap(fact, facet, year)
        if found is not None:
            return found
    return None


def _gap(fact: Fact, facet: str, year: int | None) -> Gap | None:
    if facet.startswith("year:"):
        said = " ".join(filter(None, [fact.period, fact.quote, fact.note, _change_text(fact)]))
        lacks = facet[5:] != str(year) and facet[5:] not in said
    elif facet == "full-year":
        lacks = part_of_year(fact.period)
    elif facet == "amount":
        lacks = fact.text is None and bool(fact.growth or fact.change)
    elif facet == "change":
        lacks = fact.growth is None and fact.change is None and fact.text is not None
    else:  # versus-city
        lacks = "全市" not in " ".join(c.basis or c.text for c in (fact.growth, fact.change) if c)
    return Gap(facet, fact) if lacks else None


def _change_text(fact: Fact) -> str:
    return "，".join(c.text + (f"（{c.basis}）" if c.basis else "") for c in (fact.growth, fact.change) if c)
