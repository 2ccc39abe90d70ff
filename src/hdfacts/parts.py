"""A query as read: its parts (words, concepts, filler dropped), the ranking it asks
for, and the small readers of Chinese numbers and characters that reading needs."""

from __future__ import annotations

from typing import NamedTuple


def is_han(char: str) -> bool:
    """A Chinese character (CJK unified ideographs, extension A, compatibility forms).
    A comparison, not a regex: compiling the character class costs 2 ms at every start."""
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def chinese_number(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 67 -> 67; None for 几 (a question) or what is not a number."""
    if text.isdigit():
        return int(text)
    # The quantity parser only here: its import (2 ms) is for queries with 第一 or 前三.
    from .errors import QuantityError
    from .quantities import chinese_to_int

    try:
        return chinese_to_int(text)
    except QuantityError:
        return None


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
    kind: str  # "word", "growth", "rank", "count", "soft" (a lone character) or "unknown"
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

    def content(self) -> list[Part]:
        return [p for p in self.parts if p.required]
