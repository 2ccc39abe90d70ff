"""A query as read: its parts (words, concepts, filler dropped), the ranking it asks
for, and the small readers of Chinese numbers and characters that reading needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..base.words import is_han as is_han  # read here by the modules that read queries


def chinese_number(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 67 -> 67; None for 几 (a question) or what is not a number."""
    if text.isdigit():
        return int(text)
    # The quantity parser only here: its import (2 ms) is for queries with 第一 or 前三.
    from ..base.quantities import chinese_to_int
    from ..errors import QuantityError

    try:
        return chinese_to_int(text)
    except QuantityError:
        return None


_NUMERALS = "零一二两三四五六七八九十百千"
_SPOKEN_DIGITS = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"两": "2"}


def spoken_numbers(text: str, known: Callable[[str], bool]) -> str:
    """Numbers spelt out, as a voice transcript writes them, in digits: 二百五十五亿 ->
    255亿, 百分之六点一 -> 6.1%, 一千万 -> 1000万. Only a numeral of two characters or more
    (or one after 百分之) that the base does not write so itself: 十大, 三高四新 and
    一金一药 stay words."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        percent = text.startswith("百分之", i)
        j = k = i + 3 if percent else i
        while k < n and text[k] in _NUMERALS:
            k += 1
        whole = text[j:k]
        decimals = ""
        if whole and k + 1 < n and text[k] == "点" and text[k + 1] in _SPOKEN_DIGITS:
            m = k + 1
            while m < n and text[m] in _SPOKEN_DIGITS:
                m += 1
            decimals, k = "." + "".join(_SPOKEN_DIGITS[c] for c in text[k + 1 : m]), m
        value = chinese_number(whole) if whole else None
        if value is not None and (percent or len(whole) > 1 or decimals) and not known(text[i:k]):
            out.append(f"{value}{decimals}" + ("%" if percent else ""))
            i = k
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class RankWant(NamedTuple):
    """What a query asks of a ranking: any (all None), a scope, a position, the top N."""

    scope: str | None = None
    position: int | None = None
    top: int | None = None

    def merge(self, other: RankWant) -> RankWant:
        return RankWant(self.scope or other.scope, self.position or other.position, self.top or other.top)

    def describe(self) -> str:
        where = self.scope or ""
        if self.position:
            return f"{where}第{self.position}"
        if self.top:
            return f"{where}前{self.top}"
        return f"{where}排名" if where else "排名"


class Part(NamedTuple):
    """One meaningful piece of a query."""

    text: str  # as the reader typed it, normalised
    # "word", "growth", "rank", "count", "soft" (a lone character), "unknown" (a word no fact
    # has) or "place" (a place that is not the report's)
    kind: str
    alternatives: tuple[tuple[str, str], ...] = ()  # (text to find, how: typed, synonym, pinyin...)

    @property
    def required(self) -> bool:
        return self.kind in ("word", "growth", "rank", "unknown")


class Query(NamedTuple):
    text: str
    parts: tuple[Part, ...]
    rank: RankWant | None
    converted: bool = False  # read in simplified characters (the reader typed traditional ones)

    def unknown(self) -> list[Part]:
        return [p for p in self.parts if p.kind == "unknown"]

    def places(self) -> list[Part]:
        """Places the query names that no report of the base is about."""
        return [p for p in self.parts if p.kind == "place"]

    def content(self) -> list[Part]:
        return [p for p in self.parts if p.required]
