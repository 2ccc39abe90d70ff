"""Find what a clause states in numbers: figures, growth and other changes, rankings,
periods and dates, and the numbers that are no figure at all.

Every figure is read by the quantity parser (quantities.py): a number it cannot read is
no figure. The scanner only finds where a figure starts and ends, by regular expressions
without nested repetition (nothing here can backtrack badly on any text).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..base.quantities import ALL_UNITS, CHANGE_VERBS, WORDS, chinese_to_int, parse_change, parse_quantity
from ..errors import QuantityError

CN_DIGITS = "零〇一二两三四五六七八九十百千"
# Count units after which a Chinese numeral is a figure (七大, 两轮, 五项); a Chinese
# numeral followed by anything else is part of a word (一般, 统一, 三农).
_COUNT_WORDS = "个 项 件 次 轮 大 家 户 份 名 人 年 类 批 所 座 条 倍"
COUNT_UNITS = tuple(_COUNT_WORDS.split())
SCOPES = "全市|全省|全国|全县|全区|全州"

_UNIT = "|".join(re.escape(u) for u in ALL_UNITS)
_NUMBER = rf"\d+(?:\.\d+)?|[{CN_DIGITS}]+|[Ⅰ-Ⅹ]"
_FIGURE = re.compile(
    rf"(?:(?P<q>[超近约])\s*)?(?:(?P<n>{_NUMBER})\s*(?P<m>[万亿千])?(?P<i>[余多](?={_UNIT}))?"
    rf"|(?<=[超近约])(?P<bare>[万亿]))\s*(?P<u>{_UNIT})?(?P<s>以内|内|以上)?"
)
_WORD = re.compile("|".join(sorted(WORDS, key=len, reverse=True)))
# A period, with the year where the report writes it (2023年1—11月 is one period).
_PART = (
    r"前[一二三1-3]季度|第?[一二三四1-4]季度|[上下]半年|全年|前\d{1,2}个月"
    r"|\d{1,2}\s*[—–\-~～至]\s*\d{1,2}\s*月份?"
)
PERIOD = re.compile(
    rf"(?<![\d较比与])(?:\d{{4}}\s*年\s*)?(?:{_PART})|过去(?:的)?一年|今年以来"
    r"|截至(?:\d{4}年)?\d{1,2}月(?:底|末)?|(?<![\d较比与])\d{4}\s*年(?![\d—–\-~～至])"
)
DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日")
BASIS_YEAR = re.compile(r"(?:较|比|与|同)\s*(?:\d{4}\s*年|上年同期|上年|去年同期|去年|同期)")
RANK = re.compile(
    rf"(?P<verb>排名|排|位居|位列|居|列)?(?P<scope>{SCOPES})?第\s*(?P<pos>\d+|[一二三四五六七八九十百]+)(?:名|位)?"
)
TOP = re.compile(rf"(?P<scope>{SCOPES})(?:前\s*(?P<n>\d+|[一二三四五六七八九十]+)(?:名|位)?|(?P<h>百|千)强)")
_VERB_BEFORE = re.compile(
    "(?:" + "|".join(re.escape(v) for v in sorted(CHANGE_VERBS, key=len, reverse=True)) + r")(?:了)?\s*$"
)
_COMPARED_BEFORE = re.compile(r"(?:高于|低于)[^\d,;。]{1,12}$")
MEETING = re.compile(r"(?:次)(?:全体会议|全会|会议|代表大会)|届")


class Item(NamedTuple):
    """One thing a clause states, at [start, end) of the report."""

    kind: str  # figure, growth, change, rank, top, period, date, basis
    start: int
    end: int
    text: str  # as the report writes it
    position: int = 0  # a rank's or top-N's position
    scope: str = ""  # a rank's scope; a change's basis


class Skipped(NamedTuple):
    """A number that is no figure, and why."""

    start: int
    end: int
    text: str
    reason: str


def cn_number(word: str) -> int:
    """A position as written: 67 or 六十七."""
    return int(word) if word.isdigit() else chinese_to_int(word)


def spans(folded: str, start: int, end: int, text: str) -> list[Item]:
    """Periods, dates, comparison bases, rankings and top-N phrases of a clause, in order."""
    found: list[Item] = []
    clause = folded[start:end]
    for kind, pattern in (("date", DATE), ("basis", BASIS_YEAR), ("period", PERIOD)):
        for m in pattern.finditer(clause):
            s, e = start + m.start(), start + m.end()
            if not any(i.start < e and s < i.end for i in found):
                found.append(Item(kind, s, e, text[s:e]))
    for m in RANK.finditer(clause):
        if m.group("verb") or m.group("scope"):
            s, e = start + m.start(), start + m.end()
            found.append(Item("rank", s, e, text[s:e], cn_number(m.group("pos")), m.group("scope") or ""))
    for m in TOP.finditer(clause):
        s, e = start + m.start(), start + m.end()
        n = {"百": 100, "千": 1000}.get(m.group("h") or "") or cn_number(m.group("n"))
        found.append(Item("top", s, e, text[s:e], n, m.group("scope")))
    return sorted(found, key=lambda i: i.start)


def _inside_quotes(folded: str, start: int, end: int, at: int) -> tuple[bool, bool]:
    """Whether `at` is inside “…” or 《…》 within the clause, and whether it opens them."""
    depth, opened = 0, -1
    for i in range(start, at):
        if folded[i] in "“《":
            depth, opened = depth + 1, i
        elif folded[i] in "”》":
            depth = max(0, depth - 1)
    return depth > 0, opened == at - 1


def figures(
    folded: str, start: int, end: int, text: str, taken: list[Item]
) -> tuple[list[Item], list[Skipped]]:
    """The figures of a clause outside the spans already `taken`, with the change each
    is (growth, change) where a verb of change stands before it; and the numbers skipped."""
    out: list[Item] = []
    skipped: list[Skipped] = []
    clause = folded[start:end]
    for m in (*_FIGURE.finditer(clause), *_WORD.finditer(clause)):
        s, e = start + m.start(), start + m.end()
        if s == e or any(i.start < e and s < i.end for i in taken + out):
            continue
        reason = _no_figure(folded, start, end, s, e, m)
        if reason:
            if reason != "a word":
                skipped.append(Skipped(s, e, text[s:e], reason))
            continue
        out.append(_as_change(folded, start, s, e, text))
    return sorted(out, key=lambda i: i.start), skipped


def _no_figure(folded: str, start: int, end: int, s: int, e: int, m: re.Match[str]) -> str | None:
    """Why the match [s, e) is no figure, or None if it is one."""
    if m.re is _WORD:
        return None
    number, unit = m.group("n") or "", m.group("u") or ""
    try:
        parse_quantity(folded[s:e])
    except QuantityError:
        return "a word" if not re.search(r"\d", number) else "not a figure the parser reads"
    before, after = folded[max(start, s - 1) : s], folded[e:end]
    arabic = bool(re.fullmatch(r"[\d.]+", number))
    if before == "第" or (number and folded[s:e] == number and before.endswith("第")):
        return "an ordinal"
    if MEETING.match(folded[s + len(number) : e + 6]) or after.startswith("届"):
        return "the ordinal of a meeting or session"
    if folded[s + len(number) : e + 2] == "次产业":
        return "a word (三次产业: the three sectors of the economy)"
    if re.match(r":\s*\d", after) or re.search(r"\d\s*:$", folded[start:s]):
        return "a term of a ratio (13.2:41.1:45.7)"
    quoted, opens = _inside_quotes(folded, start, end, s)
    if not arabic and number and not (unit in COUNT_UNITS or m.group("m") or m.group("q") or m.group("s")):
        return "a numeral in a slogan or name" if quoted else "a word"
    if not arabic and number and quoted and not opens:
        return "a numeral in a slogan or name"
    bare = not (unit or m.group("m") or m.group("q") or m.group("s"))
    line_start = s == start and (s == 0 or folded[s - 1] == "\n")
    if bare and arabic and line_start and re.match(r"[.、]\D", after):
        return "a section number"
    if bare and arabic and (re.match(r"[^\s,;:。!?、)”》]", after) or (before and before in "+-/")):
        return "part of a name: kept in the metric of the fact that quotes it"
    return None


def _as_change(folded: str, start: int, s: int, e: int, text: str) -> Item:
    """The figure [s, e), or the growth or change it states with the verb before it."""
    before = folded[max(start, s - 16) : s]
    compared = _COMPARED_BEFORE.search(before)
    verb = _VERB_BEFORE.search(before)
    if compared:
        vs = s - (len(before) - compared.start())
        basis = re.sub(r"^(?:高于|低于)", "", folded[vs:s]).strip()
        return Item("change", vs, e, text[vs:e], scope=text[vs + 2 : vs + 2 + len(basis)])
    if verb:
        vs = s - (len(before) - verb.start())
        try:
            q = parse_change(folded[vs:e])
        except QuantityError:
            return Item("figure", s, e, text[s:e])
        kind = "growth" if q.unit == "%" else "change"
        return Item(kind, vs, e, text[vs:e])
    return Item("figure", s, e, text[s:e])


def leftover_numbers(folded: str, text: str, used: list[tuple[int, int]]) -> list[Skipped]:
    """Numbers of the whole report no clause reading accounted for: 扫一扫, 镜头一."""
    out = []
    seen = bytearray(len(folded) + 1)
    for a, b in used:
        seen[a:b] = b"\x01" * (b - a)
    for m in re.finditer(rf"\d+(?:\.\d+)?|[{CN_DIGITS}]+", folded):
        s, e = m.span()
        if seen[s] and seen[e - 1]:
            continue
        line_start = s == 0 or folded[s - 1] == "\n"
        if (
            folded[s - 1 : s] == "【"
            or folded[max(0, s - 2) : s] in ("镜头", "第")
            or (line_start and folded[e : e + 1] in ("、", "."))
        ):
            out.append(Skipped(s, e, text[s:e], "a section number"))
        elif folded[max(0, s - 1) : e + 1] == "扫一扫":
            out.append(Skipped(s, e, "扫一扫", "a reader's instruction (scan the code)"))
    return out
