"""The words and text tests that every layer shares, each kept here once: the scopes of
rankings with their English and the names readers give them, units that count things,
what a Chinese character is, and how text is folded before it is compared."""

from __future__ import annotations

import unicodedata

# CJK unified ideographs with extension A, and the compatibility ideographs.
HAN_RANGES = "\u3400-\u9fff\uf900-\ufaff"
HAN = f"[{HAN_RANGES}]"  # the same test as a regular-expression class


def is_han(char: str) -> bool:
    """A Chinese character. A comparison, not a regex: compiling the character class
    costs 2 ms at every start."""
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def fold(text: str) -> str:
    """Fold what a reader does not mean to distinguish: case and full-width forms (ＧＤＰ = gdp)."""
    return unicodedata.normalize("NFKC", text).casefold()


class Scope:
    """A ranking's scope as the report writes it (全市), and what readers call it. A plain
    class: a NamedTuple's creation costs 0.1 ms of every run's start."""

    __slots__ = ("alone", "english", "words")

    def __init__(self, english: str, words: tuple[str, ...], alone: tuple[str, ...] = ()) -> None:
        self.english = english
        # Names that mean the scope wherever they stand, in a question or a --scope value.
        self.words = words
        # Names that mean it only standing alone (a --scope value) or right before 第 or 前
        # (市第一): inside a question they are parts of other words (城市, 国家级, the county).
        self.alone = alone

    def names(self) -> tuple[str, ...]:
        return (*self.words, *self.alone)


SCOPES = {
    "全市": Scope(
        "city",
        (
            *("全市", "市里", "市内", "市级", "全衡阳", "衡阳市"),
            *("city", "city-wide", "citywide", "municipal", "municipality", "hengyang"),
        ),
        ("市",),
    ),
    "全省": Scope(
        "province",
        (
            *("全省", "省里", "省内", "省级", "全湖南", "湖南省"),
            *("province", "province-wide", "provincewide", "provincial", "hunan"),
        ),
        ("省",),
    ),
    "全国": Scope("country", ("全国", "national", "nationwide", "country"), ("国", "国家")),
    # The county is the report's own: 全县 and "county" are filler in a question.
    "全县": Scope("county", (), ("县", "县级", "county", "countywide")),
}
SCOPES_EN = {scope: s.english for scope, s in SCOPES.items()}


def scope_named(text: str) -> str | None:
    """The scope a reader's name stands for, given alone (市, City, 全省, 市里); None if none."""
    wanted = fold(text.strip())
    for scope, s in SCOPES.items():
        if wanted == scope or wanted in s.names():
            return scope
    return None


# Units that count things (个, 家, 户): "how many" prefers facts in them.
COUNT_UNITS = frozenset("个家户项件份次轮所名处座条")
# The magnitudes a figure is written with (255.92亿).
MAGNITUDES = frozenset("亿万千百")
# The unit words a reader puts beside a word (多少亿, 几个, 多少吨): a hint for the order of
# results, never a word to find.
UNIT_WORDS = MAGNITUDES | COUNT_UNITS | {"元", "吨", "亩", "年", "月", "%", "美元"}
# Units that count the same kind of thing, so that a bound in one compares figures in all.
UNIT_FAMILIES = {"个": "items", "项": "items", "件": "items"}
