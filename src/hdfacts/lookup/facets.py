"""What a question asks of a fact besides its subject: a year, the whole year, an amount,
a growth rate, a comparison with the city. A fact that is about the right thing but
lacks what is asked does not answer: the report is silent, and says what it gives.

The words that ask for each facet are general words of statistical reporting, not of
one report; the facts' own data (period, figure, growth, change) decide the rest.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..base.model import Fact

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# the whole year, where a fact may give only part of it
_FULL_YEAR = ("全年", "一整年", "整年", "full year", "full-year", "whole year", "annual", "for the year")
# parts of a year: a fact with one of these periods does not give the whole year
_PART_YEAR = ("季度", "上半年", "下半年", "月", "q1", "q2", "q3", "jan", "first half")
# an amount: a sum of money or a total, where a fact may give only its growth
_AMOUNT = (
    "总额", "总量", "金额", "完成额", "多少钱", "好多钱", "多少亿", "几个亿", "好多亿", "多少万", "多少元",
    "亿元", "万元", "美元", "total value", "amount", "how much money", "in yuan", "in us dollars",
    "in dollars", "dollar value",
)  # fmt: skip
# a growth rate or change, where a fact may give only its figure
_CHANGE = (
    "增长", "增速", "增幅", "涨", "同比", "比上年", "较上年", "比去年", "growth", "grow", "grew",
    "increase", "rise", "rose", "change", "year on year", "year-on-year", "yoy",
)  # fmt: skip
# a comparison with the city's average, which the report gives for a few facts only
_VERSUS_CITY = ("比全市", "高于全市", "全市平均", "than the city", "city average", "hengyang average")


class Gap(NamedTuple):
    """What a question asked that a fact does not give, and what the fact gives instead."""

    asked: str
    gives: str


def asked_facets(question: str) -> list[str]:
    """The facets a question asks for, as names: year:2022, full-year, amount, change, versus-city."""
    q = question.casefold()
    out = [f"year:{y}" for y in dict.fromkeys(_YEAR.findall(q))]
    out += [name for name, pattern in _ASKING.items() if pattern.search(q)]
    return out


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the words; an English one only at the start of a word (rise, not enterprises)."""
    return re.compile("|".join(rf"(?<![a-z]){re.escape(w)}" if w.isascii() else re.escape(w) for w in words))


_ASKING = {
    "full-year": _pattern(_FULL_YEAR),
    "amount": _pattern(_AMOUNT),
    "change": _pattern(_CHANGE),
    "versus-city": _pattern(_VERSUS_CITY),
}


def gap(fact: Fact, facets: list[str], year: int) -> Gap | None:
    """The first facet asked that the fact does not give; None when it gives them all."""
    for facet in facets:
        found = _gap(fact, facet, year)
        if found is not None:
            return found
    return None


def _gap(fact: Fact, facet: str, year: int) -> Gap | None:
    label = fact.metric
    if facet.startswith("year:"):
        asked = facet[5:]
        said = " ".join(filter(None, [fact.period, fact.quote, fact.note, _change_text(fact)]))
        if asked != str(year) and asked not in said:
            return Gap(f"{asked}年", f"{year}年")
    elif facet == "full-year":
        period = (fact.period or "").casefold()
        if any(p in period for p in _PART_YEAR):
            return Gap("全年", f"{label}（{fact.period}）")
    elif facet == "amount":
        if fact.text is None and (fact.growth or fact.change):
            return Gap("总量", f"{label}的{_change_text(fact)}")
    elif facet == "change":
        if fact.growth is None and fact.change is None and fact.text is not None:
            return Gap("增长", f"{label}：{fact.text}")
    elif facet == "versus-city":
        basis = " ".join(c.basis or c.text for c in (fact.growth, fact.change) if c)
        if "全市" not in basis:
            return Gap("与全市比较", f"{label}：{_change_text(fact) or fact.text or ''}")
    return None


def _change_text(fact: Fact) -> str:
    return "，".join(c.text + (f"（{c.basis}）" if c.basis else "") for c in (fact.growth, fact.change) if c)
