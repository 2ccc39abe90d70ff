"""Draft a fact base from a report's text: `hdfacts extract REPORT.txt`.

The draft is in the shipped schema and passes `validate` and `verify --source` as it is:
every figure with its metric, period, growth, change and ranking, quoted verbatim; the
numbers that are no figure are listed, with the reason, at the end of the file. What a
person still has to do is the English labels, the topics and a review.

Not imported by any lookup: only `hdfacts extract` loads this package.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import groupby
from pathlib import Path
from typing import NamedTuple

from ..base.audit import flat, own_number
from ..base.words import HAN, fold
from ..errors import NotFoundError, UsageError
from .build import Draft, Sentence, clean
from .figures import Skipped, leftover_numbers
from .text import Clause, Reading, half_width, read

__all__ = ["MAX_REPORT", "Drafted", "draft"]

# A county's report is some 10 KB; drafting takes about 4 s a MiB, so a larger file is
# refused before it is read rather than drafted for minutes.
MAX_REPORT = 2 << 20

# The provinces, autonomous regions and municipalities of the mainland, as written in a
# region's full name (湖南省衡阳市衡东县).
_PROVINCES = """北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省
福建省 江西省 山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省
内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区"""
PROVINCES = tuple(_PROVINCES.split())
# Characters of the two before 市 that make them no city's name: 全市, 本市, 该市, 我市,
# 各市, 省市, 县市, and 城市 (文明城市; a city named ...城 is missed: a draft is reviewed).
NOT_A_CITY = "全本该我各每省县区城"
# Verbs of a report that stand before 市级 or 市场 (新增市场主体, 获评市级示范).
_CITY_VERBS = "完成 实现 实施 争取 达到 新增 净增 增加 减少 获评 评为 入选 创建"
CITY_VERBS = tuple(_CITY_VERBS.split())


class Drafted(NamedTuple):
    """A drafted base: its report table, drafts in report order, and the numbers skipped."""

    reading: Reading
    title: str
    region: str
    year: int
    source: str
    drafts: list[Draft]
    skipped: list[Skipped]
    id: str = ""
    sha256: str | None = None


def report_year(folded: str) -> int | None:
    """The year the report is about: the latest year it names other than as a basis (较2022年)."""
    years = [int(y) for y in re.findall(r"(?<![\d较比与同])(\d{4})\s*年", folded) if 1900 < int(y) < 2200]
    return max(years) if years else None


def _region(folded: str) -> str | None:
    """The county (or district, city) the report is about: the one it names most, after
    the province and the city the report names (湖南省衡阳市衡东县), where it names them."""
    for kind in "县区市":
        names = Counter(n for n in re.findall(rf"{HAN}{{2}}{kind}", folded) if "全" not in n)
        if names:
            county = str(names.most_common(1)[0][0])
            return _province(folded) + (_city(folded, county) if kind != "市" else "") + county
    return None


def _most_named(names: list[str]) -> str:
    return Counter(names).most_common(1)[0][0] if names else ""


def _province(folded: str) -> str:
    """The province the report names most: the names are a closed list."""
    return _most_named(re.findall("|".join(PROVINCES), folded))


def _city(folded: str, county: str) -> str:
    """The city the report names most (衡阳市); not 全市, 城市, 市场 or a verb before 市级."""
    names = [
        m.group(1)
        for m in re.finditer(rf"(?=({HAN}{{2}}市))", folded)
        if not any(ch in NOT_A_CITY for ch in m.group(1)[:2])
        and m.group(1)[:2] not in CITY_VERBS
        and m.group(1) != county
        and folded[m.start() + 3 : m.start() + 4] != "场"
        and m.group(1) not in PROVINCES
    ]
    return _most_named(names)


def report_id(file_name: str) -> str:
    """The report id a file name gives: qinghe-2023-report.txt -> qinghe-2023 (lower-case
    words of letters and digits, Chinese in pinyin, a last word `report` or 报告 dropped);
    "report" where none is left."""
    from .naming import slug

    stem = Path(file_name).stem.strip()
    stem = stem.removesuffix("报告") if len(stem) > 2 else stem
    words = re.findall(r"[a-z0-9]+", fold(stem)) if stem.isascii() else slug(stem).split("-")
    while len(words) > 1 and words[-1] in ("report", "reports"):
        words.pop()
    return "-".join(words) or "report"


def _title(text: str, county: str | None, year: int, source: str) -> str:
    """The report's title: a line of its own before the first sentence (not a photo caption,
    ▲...); where the report opens without one, its county and year (衡东县2023年报告)."""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("▲"):
            continue
        if re.search("[。,，;；:：!！?？]", line) or len(line) > 40 or not re.search(HAN, line):
            break  # the first sentence: the report opens without a title
        return line
    return f"{county}{year}年报告" if county else source


def draft(
    text: str, source: str, year: int | None = None, *, report: str | None = None, sha256: str | None = None
) -> Drafted:
    """Draft the facts of a report; UsageError where it names no year and none is given.
    `report` is its id (by default from the file name), `sha256` that of its bytes."""
    reading = read(text)
    year = year or report_year(reading.folded)
    if year is None:
        raise UsageError(f"{source}: the report names no year (as 2023年): give it with --year")
    period = f"{year}年"
    drafts: list[Draft] = []
    skipped: list[Skipped] = []
    used: list[tuple[int, int]] = []
    for _, group in groupby(reading.clauses, key=lambda c: c.sentence):
        clauses = list(group)
        sentence = Sentence(reading, None if clauses[0].caption else period)
        for clause in clauses:
            sentence.clause(clause)
        drafts += sentence.drafts
        skipped += sentence.skipped
        used += sentence.used
    skipped += leftover_numbers(reading.folded, text, used + [(s.start, s.end) for s in skipped])
    drafts += _covering(reading, drafts, period)
    _unique_quotes(reading, drafts)
    if not drafts:
        raise NotFoundError(f"{source}: no figure to draft: the report states no number as a figure")
    region = _region(reading.folded)
    county = re.search(rf"{HAN}{{2}}[县区市]$", region) if region else None
    title = _title(text, county.group() if county else None, year, source)
    ordered = sorted(drafts, key=lambda d: d.anchor)
    return Drafted(
        reading, title, region or source, year, source, ordered, skipped, report or report_id(source), sha256
    )


def stated(d: Draft) -> str:
    """Everything a draft states, as the audit reads it."""
    parts = [d.metric, d.text or "", d.period or "", d.growth or ""]
    if d.change:
        parts += [d.change[0], d.change[1] or ""]
    if d.rank:
        parts.append(f"{d.rank[0]}第{d.rank[1]}")
    return " ".join(parts)


def _covering(reading: Reading, drafts: list[Draft], period: str) -> list[Draft]:
    """A fact for each number written in digits that no figure states (1+8+N, 500强):
    its clause, whose name the number is part of, so that nothing of the report is lost."""
    out: list[Draft] = []
    ordered = sorted(drafts, key=lambda d: d.start)
    starts = [d.start for d in ordered]
    longest = max((d.end - d.start for d in ordered), default=0)
    says = [half_width(stated(d)) for d in ordered]
    clause_starts = [c.start for c in reading.clauses]
    for m in re.finditer(r"\d+(?:\.\d+)?", reading.folded):
        number, s, e = m.group(), m.start(), m.end()
        if f"{number}年" == period and reading.folded[e : e + 1] == "年":
            continue
        own = own_number(number)
        near = range(bisect_left(starts, s - longest), bisect_right(starts, s))  # quotes that may hold it
        if any(ordered[i].end >= e and own.search(says[i]) for i in near) or any(
            d.start <= s and e <= d.end and own.search(half_width(stated(d))) for d in out
        ):
            continue
        i = bisect_right(clause_starts, s) - 1
        clause = reading.clauses[i] if i >= 0 and e <= reading.clauses[i].end else None
        if clause is None:  # in a heading or a label (【镜头1】): the line is the quote
            a = reading.text.rfind("\n", 0, s) + 1
            b = len(reading.text) if (b := reading.text.find("\n", e)) < 0 else b
            clause = Clause(a, b, 0, False, None, None)
        quote = reading.text[clause.start : clause.end]
        d = Draft(clause.start, clause.end, s, clean(quote) or quote, "", None, clause)
        d.notes.append(f"{number} is no figure of its own here (see the list at the end of the file)")
        out.append(d)
    return out


def _unique_quotes(reading: Reading, drafts: list[Draft]) -> None:
    """Lengthen a quote that stands earlier in the report too (接待企业42家, twice) by the
    clauses before it, until it is found where it stands: the audit finds a quote by its
    first place in the report."""
    text = reading.text
    solid = [0]  # how many characters other than white space precede each offset
    for ch in text:
        solid.append(solid[-1] + (not ch.isspace()))
    report = flat(text)
    starts = [c.start for c in reading.clauses]
    for d in drafts:
        for _ in range(8):
            quote = flat(text[d.start : d.end])
            if not quote or report.find(quote) == solid[d.start]:
                break
            i = bisect_left(starts, d.start)
            if i == 0:
                break
            d.start = starts[i - 1]
