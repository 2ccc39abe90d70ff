"""Rankings in a query: the phrases that ask for one (全市第一, 排名第几, 前三, No. 1, top 3),
and how the signs of a ranking in a query settle into one ranking part."""

from __future__ import annotations

import re

from ..base.words import SCOPES
from .lexicon import Lexicon
from .parts import Part, RankWant, chinese_number

EN_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "best": 1,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
}
# A scope right before 第 or 前: its Chinese names, longest first (全市 before 市).
_SCOPE_NAMES = {w: scope for scope, s in SCOPES.items() for w in s.names() if not w.isascii()}
_SCOPE_ZH = "(" + "|".join(sorted(_SCOPE_NAMES, key=len, reverse=True)) + ")"
_NUM_ZH = r"(\d+|[一二两三四五六七八九十百]+|几)"
# 全市第一, 全市排名第2, 排名第几, 第一名, 排第几: a position, with or without a scope.
_RANK_WORD = r"(排名|排行|排|位列|位居)"
# 全市第一, 排名全市第一, 全市排名第2, 排名第几, 第一名, 排第几; 全市前三: a position, or the top N.
# Compiled on the first query with a 第 or 前, which every match needs (0.9 ms of a start
# that a query such as 排名 or GDP does not pay).
_RANK_ZH_PATTERN = (
    rf"{_RANK_WORD}?{_SCOPE_ZH}?{_RANK_WORD}?第{_NUM_ZH}(名|位)?"
    rf"|{_RANK_WORD}?{_SCOPE_ZH}?{_RANK_WORD}?前{_NUM_ZH}(名|位)?"
)
_compiled: list[re.Pattern[str]] = []


def _rank_zh() -> re.Pattern[str]:
    if not _compiled:
        _compiled.append(re.compile(_RANK_ZH_PATTERN))
    return _compiled[0]


# No. 1, number 2, #3; top 3, top ten
_RANK_EN = re.compile(r"(?:no\.?|number|#)\s*(\d+)(?![\d.])")
_TOP_EN = re.compile(r"top\s*(\d{1,2}|two|three|four|five|ten)(?!\d)")  # top 500 is a list of firms
_EN_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}


def word_end(q: str, end: int) -> bool:
    return end >= len(q) or not q[end].isalnum() or not q[end].isascii()


def _scope(word: str | None, lex: Lexicon) -> str | None:
    if not word:
        return None
    return lex.scopes.get(word) or _SCOPE_NAMES.get(word)


def rank_pieces(q: str, i: int, lex: Lexicon) -> list[tuple[str, str, object]]:
    """The ranking phrases that start at position i of the query: (text, "rank", RankWant)."""
    out: list[tuple[str, str, object]] = []
    m = _rank_zh().match(q, i) if "第" in q or "前" in q else None
    # 第一 alone is text (第一议题); with a scope, 排名 or 名 it is a position.
    if m and m.group(4) is not None and any(m.group(k) for k in (1, 2, 3, 5)):
        out.append((m.group(0), "rank", RankWant(_scope(m.group(2), lex), chinese_number(m.group(4)))))
    elif m and m.group(9) is not None and any(m.group(k) for k in (6, 7, 8, 10)):
        out.append((m.group(0), "rank", RankWant(_scope(m.group(7), lex), None, chinese_number(m.group(9)))))
    for pattern, top in ((_RANK_EN, False), (_TOP_EN, True)):
        m = pattern.match(q, i)
        if m and word_end(q, m.end()):
            number = _EN_NUMBERS.get(m.group(1)) or int(m.group(1))
            out.append((m.group(0), "rank", RankWant(None, None, number) if top else RankWant(None, number)))
    return out


def settle_ranking(
    parts: list[Part], rank: RankWant | None, scopes: list[str], ordinals: list[int]
) -> tuple[list[Part], RankWant | None]:
    """Every sign of a ranking in the query, as one ranking part. English ordinals and
    scope words are a ranking only beside another sign of one: "first in the city" is,
    "first batch" is not."""
    rank_words = [p for p in parts if p.kind == "rank"]
    if ordinals and (scopes or rank_words or rank):
        rank = (rank or RankWant()).merge(RankWant(None, ordinals[0]))
        parts = [p for p in parts if p.text not in EN_ORDINALS]
    if scopes and (rank or rank_words):
        rank = (rank or RankWant()).merge(RankWant(scopes[0]))
        parts = [p for p in parts if p.kind != "scope-word"]
    # without a ranking, a scope (省里, the city) only qualifies the thing asked: it orders
    # the answers (省重点民生实事 before 市级), and decides nothing
    parts = [p._replace(kind="soft") if p.kind == "scope-word" else p for p in parts]
    if rank_words and rank is None:
        rank = RankWant()
    parts = [p for p in parts if p.kind != "rank"]
    if rank is not None:
        parts.append(Part(rank.describe(), "rank"))
    return parts, rank
