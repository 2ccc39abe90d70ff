"""Parse figures the way the report writes them into numbers and units.

    255.92亿元   -> 25592000000 元
    1119万美元   -> 11190000 美元
    超1100万     -> 11000000, qualifier 超 (more than)
    一年内       -> 1 年, qualifier 内 (within)
    翻番         -> 2 倍 (doubled)
    七大         -> 7
    增长5.7%     -> +5.7 %
    排名全省第67 -> scope 全省, position 67

Arithmetic is done in Decimal so that 1.49亿 is exactly 149000000.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Context, Decimal, Inexact, InvalidOperation
from typing import NamedTuple

from ..errors import QuantityError, shown
from .model import Number, rank_text
from .words import SCOPES, SCOPES_EN, UNIT_FAMILIES, fold

MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
# 千 scales only the units it is a prefix of as a multiplier (千公顷, 千吨); elsewhere it is
# part of the unit (千瓦时, 千克, 千米).
KILO = Decimal(1000)
KILO_UNITS = frozenset({"公顷", "亩", "吨", "户", "人"})

# The units hdfacts names (English words, unit families). Longest first, so that 个百分点
# wins over 个 and 美元 over 元.
UNITS = (
    "个百分点",
    "个名次",
    "名次",
    "个位次",
    "位次",
    "美元",
    "%",
    "元",
    "亩",
    "吨",
    "户",
    "家",
    "个",
    "项",
    "件",
    "次",
    "份",
    "人",
    "年",
    "轮",
    "类",
    "倍",
    "大",
)
# Further units of measure, kept as written: a figure in them is read, its unit carried.
_MEASURE_WORDS = (
    "微克/立方米 毫克/立方米 毫克/升 元/平方米 元/吨 元/亩 元/人 家次 户次 台次 个千分点 吨标准煤 标准煤 "
    "平方公里 平方米 立方米 千瓦时 千瓦 千克 公斤 千米 公里 公顷 人次 ‰ 米 度 辆 座 所 张 条 台 套 头 "
    "只 名 位 处 栋 场 批 天 个工作日 工作日 艘 架 株 棵 盏 块 篇 间 宗 起 例 支 箱"
)
MEASURES = tuple(_MEASURE_WORDS.split())
# Every unit a figure may end with, longest first (one of a length can be a suffix only once).
ALL_UNITS = tuple(sorted((*UNITS, *MEASURES), key=len, reverse=True))
# Spellings of one unit: 提升25个名次 counts 名次 with a measure word.
UNIT_ALIASES = {"个名次": "名次", "个位次": "位次"}
# Suffixes that count without naming a unit: 七大重点产业 is seven industries.
UNITLESS = {"大"}

QUALIFIERS = {"超": "more than", "近": "nearly", "约": "about"}
# Qualifiers written after the figure: 一年内 is within a year, not exactly one.
SUFFIX_QUALIFIERS = {"以内": "within", "内": "within", "以上": "or more"}
# Figures written as a word: 翻番 (to double) is a multiple of two.
# ... and between the figure and its unit: 1000余人 is more than a thousand people.
INFIX_QUALIFIERS = {"余": "over", "多": "over"}
WORDS = {"翻番": (Decimal(2), "倍"), "翻一番": (Decimal(2), "倍"), "翻了一番": (Decimal(2), "倍")}

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
POWERS = {"十": 10, "百": 100, "千": 1000}
ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "Ⅵ": 6, "Ⅶ": 7, "Ⅷ": 8, "Ⅸ": 9, "Ⅹ": 10}

# Words that may stand before a change figure, with the sign they give it.
CHANGE_VERBS = {
    "同比增长": 1,
    "增长": 1,
    "提升": 1,
    "提高": 1,
    "高于全市": 1,
    "高于全省": 1,
    "高于": 1,
    "前移": 1,
    "上升": 1,
    "同比提高": 1,
    "同比提升": 1,
    "同比增加": 1,
    "增加": 1,
    "增幅": 1,
    "同比下降": -1,
    "同比减少": -1,
    "同比回落": -1,
    "下降": -1,
    "减少": -1,
    "回落": -1,
    "降低": -1,
    "后移": -1,
    "低于全市": -1,
    "低于全省": -1,
    "低于": -1,
}

# Full-width letters, digits and signs read as their ASCII forms: ６.３％ is 6.3%.
HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_CHINESE = re.compile(f"[{''.join(DIGITS)}{''.join(POWERS)}]+")
_ROMAN_RE = re.compile(f"[{''.join(ROMAN)}]")
_RANK = re.compile(r"^(?:排名)?(?P<scope>\D*?)第(?P<pos>\d+|[零〇一二两三四五六七八九十百千]+)(?:名|位)?$")


class Quantity(NamedTuple):
    """A figure as a number, its unit (None where the figure counts without one) and a qualifier."""

    value: Number
    unit: str | None
    qualifier: str | None = None


class ParsedRank(NamedTuple):
    scope: str
    position: int


def chinese_to_int(word: str) -> int:
    """Read a Chinese numeral below 10,000: 七 -> 7, 十 -> 10, 二十五 -> 25, 两 -> 2."""
    if not word or not _CHINESE.fullmatch(word):
        raise QuantityError(f"not a Chinese numeral: {word!r}")
    total = 0
    digit: int | None = None
    last_power = 10_000
    for ch in word:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0:
                raise QuantityError(f"not a Chinese numeral: {word!r}")
            digit = DIGITS[ch] if DIGITS[ch] != 0 else None
        else:
            power = POWERS[ch]
            if power >= last_power:
                raise QuantityError(f"not a Chinese numeral: {word!r}")
            total += (1 if digit is None else digit) * power
            digit = None
            last_power = power
    if digit is not None:
        total += digit
    return total


def int_to_chinese(n: int) -> str:
    """Write 0 <= n < 10,000 the way the report does: 2 -> 二, 10 -> 十, 67 -> 六十七."""
    if not 0 <= n < 10_000:
        raise ValueError(f"out of range: {n}")
    if n == 0:
        return "零"
    names = "零一二三四五六七八九"
    out: list[str] = []
    zero_pending = False
    for power, sign in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // power % 10
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        if not (power == 10 and d == 1 and not out):
            out.append(names[d])
        out.append(sign)
    return "".join(out)


# The largest whole number every reader of the data holds exactly: a JSON number in
# JavaScript, a float, a SQLite INTEGER (2**53, about 9 千万亿).
MAX_EXACT = 2**53
# Enough digits for any figure the fact base can hold; a longer figure is refused
# before any arithmetic on it (1e999999999 would otherwise build a billion-digit int).
MAX_DIGITS = 40
# Arithmetic that raises rather than rounds: a figure is carried exactly or refused.
_EXACT = Context(prec=MAX_DIGITS * 2, traps=[Inexact, InvalidOperation])


def _to_number(d: Decimal) -> Number:
    """An int where the value is whole, else a float: JSON gets 25592000000, not 25592000000.0.
    QuantityError where neither can carry the figure exactly."""
    if not d.is_finite() or abs(d.adjusted()) > MAX_DIGITS:
        raise QuantityError(f"{d} is beyond what hdfacts can carry exactly")
    if d == d.to_integral_value():
        if abs(d) > MAX_EXACT:
            raise QuantityError(f"{d:f} is beyond what hdfacts can carry exactly (at most {MAX_EXACT:,})")
        return int(d)
    f = float(d)
    if Decimal(repr(f)) != d:  # more digits than a float holds, or too small for one
        raise QuantityError(f"{d:f} has more digits than hdfacts can carry exactly")
    return f


def _qualifier(rest: str) -> tuple[str | None, str]:
    """A qualifier written before (超, 近, 约) or after (内, 以上) the figure, and the rest."""
    if rest[0] in QUALIFIERS:
        return rest[0], rest[1:]
    for suffix in SUFFIX_QUALIFIERS:
        if rest.endswith(suffix) and len(rest) > len(suffix):
            return suffix, rest[: -len(suffix)]
    return None, rest


def parse_quantity(text: str) -> Quantity:
    """Parse `[qualifier] number [万|亿|千] [unit]`; raise QuantityError on anything else.
    White space inside the figure (`6.3 %`) is not part of it."""
    rest = "".join(text.translate(HALF_WIDTH).split())
    if not rest:
        raise QuantityError("empty figure")
    if rest in WORDS:
        number, word_unit = WORDS[rest]
        return Quantity(_to_number(number), word_unit)
    qualifier, rest = _qualifier(rest)
    unit = None
    for candidate in ALL_UNITS:
        if rest.endswith(candidate):
            unit, rest = UNIT_ALIASES.get(candidate, candidate), rest[: -len(candidate)]
            break
    if qualifier is None and len(rest) > 1 and rest[-1] in INFIX_QUALIFIERS:  # 1000余人, 3万多户
        qualifier, rest = rest[-1], rest[:-1]
    multiplier = Decimal(1)
    if rest and rest[-1] in MULTIPLIERS:
        multiplier, rest = MULTIPLIERS[rest[-1]], rest[:-1]
        if not rest and qualifier:  # 超亿元: more than one 亿
            rest = "1"
    elif unit in KILO_UNITS and len(rest) > 1 and rest[-1] == "千" and _ARABIC.fullmatch(rest[:-1]):
        multiplier, rest = KILO, rest[:-1]  # 3.5千公顷; 三千吨 stays a Chinese numeral
    if not rest:
        raise QuantityError(f"no number in {text!r}")
    if _ARABIC.fullmatch(rest):
        if len(rest) > MAX_DIGITS:
            raise QuantityError(f"{text!r} has more digits than hdfacts can carry exactly")
        try:
            number = Decimal(rest)
        except InvalidOperation as e:  # pragma: no cover - the regex admits only valid decimals
            raise QuantityError(f"not a number: {text!r}") from e
    elif _ROMAN_RE.fullmatch(rest):
        number = Decimal(ROMAN[rest])
    else:
        try:
            number = Decimal(chinese_to_int(rest))
        except QuantityError:
            raise QuantityError(f"cannot read the figure {text!r}") from None
    if unit in UNITLESS:
        unit = None
    return Quantity(_to_number(_EXACT.multiply(number, multiplier)), unit, qualifier)


# A comparison names what it compares with between the verb and the figure:
# 高于全省平均水平1.2个百分点.
_COMPARED = re.compile(r"(?P<verb>高于|低于)(?P<basis>[^\d\s]{1,12}?)(?=[超近约]?\s*\d)")
_VERBS_LONGEST_FIRST = sorted(CHANGE_VERBS, key=len, reverse=True)


def parse_change(text: str) -> Quantity:
    """Parse a change as written (增长5.7%, 高于全市6.5个百分点, 提升25个名次) into a signed quantity."""
    stripped = text.translate(HALF_WIDTH).strip()
    compared = _COMPARED.match(stripped)
    if compared and compared.group("verb") + compared.group("basis") not in CHANGE_VERBS:
        q = parse_quantity(stripped[compared.end() :])
        sign = CHANGE_VERBS[compared.group("verb")]
        return Quantity(q.value * sign, q.unit, q.qualifier)
    for verb in _VERBS_LONGEST_FIRST:
        if stripped.startswith(verb):
            q = parse_quantity(stripped[len(verb) :])
            sign = CHANGE_VERBS[verb]
            return Quantity(q.value * sign, q.unit, q.qualifier)
    raise QuantityError(
        f"cannot read the change {text!r}: it must start with one of {', '.join(CHANGE_VERBS)}"
    )


def parse_rank(text: str) -> ParsedRank:
    """Parse 排名全市第一 / 全省第67 into a scope and a position."""
    m = _RANK.match(text.strip())
    if not m or not m.group("scope"):
        raise QuantityError(f"cannot read the ranking {text!r}")
    pos = m.group("pos")
    position = int(pos) if pos.isdigit() else chinese_to_int(pos)
    return ParsedRank(m.group("scope"), position)


def rank_phrases(scope: str, position: int) -> tuple[str, ...]:
    """The ways the report may write a ranking: 全市第一, 全市第1."""
    phrases = [rank_text(scope, position)]
    if 0 <= position < 10_000:
        phrases.insert(0, f"{scope}第{int_to_chinese(position)}")
    return tuple(phrases)


def parse_number(text: str) -> Number:
    """Read a bound given on the command line: 100亿, 1万, 1000, 5.7, 超1100万."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    if len(cleaned) > MAX_DIGITS:  # 1e999999999 is short, but its exponent is checked below
        raise QuantityError(f"not a number or Chinese figure of at most {MAX_DIGITS} characters")
    try:
        return parse_quantity(cleaned).value
    except QuantityError:
        pass
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise QuantityError(f"not a number or Chinese figure: {text!r}")
    return _to_number(number)


def unit_family(unit: str | None) -> str | None:
    """What a unit measures, for comparing figures: 元 -> 元, 项 and 件 -> items; None for none."""
    return UNIT_FAMILIES.get(unit, unit) if unit else None


def parse_bound(text: str) -> Quantity:
    """Read a bound given on the command line, with its unit if it names one:
    10万元 -> 100000 元, 1万吨 -> 10000 吨, 100亿 and 5.7 -> no unit."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        return parse_quantity(cleaned)
    except QuantityError:
        pass
    return Quantity(parse_number(text), None)


def parse_scope(text: str, known: Iterable[str]) -> str:
    """The scope a --scope value names (市, City, provincial...), among the scopes `known`;
    QuantityError naming the valid ones otherwise."""
    known = [s for s in SCOPES if s in set(known)] + sorted(set(known) - set(SCOPES))
    wanted = fold(text.strip())
    for scope in known:
        if wanted == fold(scope) or (scope in SCOPES and wanted in SCOPES[scope].names()):
            return scope
    valid = ", ".join(f"{s} ({SCOPES_EN[s]})" if s in SCOPES_EN else s for s in known)
    if not wanted:
        raise QuantityError(f"the scope is empty: valid scopes are {valid}")
    raise QuantityError(f"unknown scope {shown(text.strip())}: valid scopes are {valid}")
