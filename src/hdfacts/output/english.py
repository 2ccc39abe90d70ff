"""Fact data in English words: units (元 -> yuan), figures, periods (前三季度 -> Q1-Q3
2023) and changes, for readers without Chinese. Beside the quantity parser, which reads
the Chinese these turn into English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

UNITS_EN = {
    "元": "yuan",
    "美元": "US dollars",
    "亩": "mu",
    "吨": "tonnes",
    "户": "entities",
    "家": "firms",
    "个": "items",
    "项": "items",
    "件": "items",
    "次": "times",
    "份": "files",
    "名次": "places",
    # "pp", as economists write it: a table column of changes stays narrow enough for 60 columns.
    "个百分点": "pp",
    "%": "%",
    "年": "years",
    "轮": "rounds",
    "类": "",
    "倍": "times",
    # further units of such reports, as the quantity parser reads them
    "人": "people",
    "人次": "person-times",
    "公顷": "hectares",
    "千瓦时": "kWh",
    "吨标准煤": "tonnes of standard coal",
    "微克/立方米": "µg/m³",
    "‰": "‰",
    "个千分点": "per-mille points",
    "平方公里": "km²",
    "平方米": "m²",
    "立方米": "m³",
    "千瓦": "kW",
    "千克": "kg",
    "公斤": "kg",
    "千米": "km",
    "公里": "km",
    "米": "m",
    "天": "days",
    "辆": "vehicles",
}
# A count of one takes the singular: 一年 is "1 year".
SINGULAR_EN = {
    "entities": "entity",
    "firms": "firm",
    "items": "item",
    "times": "time",
    "files": "file",
    "places": "place",
    "years": "year",
    "rounds": "round",
    "tonnes": "tonne",
    "people": "person",
    "hectares": "hectare",
    "days": "day",
    "vehicles": "vehicle",
}
QUALIFIERS_EN = {
    "超": "more than ",
    "近": "nearly ",
    "内": "within ",
    "以内": "within ",
    "约": "about ",
    "以上": "at least ",
    "余": "over ",
    "多": "over ",
}
# 近10年来 is "the last 10 years"; 近 before an amount (近100万) is "nearly".
QUALIFIERS_BY_UNIT_EN = {("近", "年"): "the last "}
# Measure words that count whatever the sentence names (个, 项...): in English the count takes
# the noun it counts, read from the fact's Chinese label (重点项目27个 is "27 projects").
COUNTING_UNITS = frozenset({"个", "项", "件", "次", "份"})
# The nouns the report counts, as they stand in a label, with their English (singular,
# plural). The one ending last in a label is its head noun: 走访企业收集问题 counts 问题.
COUNT_NOUNS_EN = {
    "项目": ("project", "projects"),
    "实事": ("project", "projects"),
    "事项": ("item", "items"),
    "改革事项": ("reform item", "reform items"),
    "问题": ("problem", "problems"),
    "断面": ("section", "sections"),
    "示范点": ("site", "sites"),
    "接待活动": ("session", "sessions"),
    "党组织": ("organisation", "organisations"),
    "机制": ("mechanism", "mechanisms"),
    "档案": ("record", "records"),
    "产业": ("industry", "industries"),
    "企业": ("firm", "firms"),
    "浏览量": ("view", "views"),
}
# 七大重点产业, 十大改革事项: a named group (the seven key industries), said in words.
GROUP_SUFFIX = "大"
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _number(value: float | int) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}" if abs(value) >= 1e6 else f"{value:g}"


def count_noun_en(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """The noun a count counts, (singular, plural), from the head noun of its Chinese label:
    省、市重点项目 27个 -> projects, 网络浏览量 超1100万 -> views. None where the unit names what
    it counts (元, 吨, 家) or the label has no noun the vocabulary knows."""
    unit = record.get("unit")
    if unit is not None and unit not in COUNTING_UNITS:
        return None
    metric = str(record.get("metric") or "")
    found = [(metric.rfind(zh) + len(zh), len(zh), zh) for zh in COUNT_NOUNS_EN if zh in metric]
    return COUNT_NOUNS_EN[max(found)[2]] if found else None


def unit_en(unit: str | None, value: float | int | None = None, noun: tuple[str, str] | None = None) -> str:
    """A unit in English words, singular for a count of one: 吨 -> tonnes, 1 年 -> year; a
    measure word (个, 项) gives way to the noun it counts."""
    if noun:
        return noun[0] if value == 1 else noun[1]
    if not unit:
        return ""
    words = UNITS_EN.get(unit, unit)
    return SINGULAR_EN.get(words, words) if value == 1 else words


def qualifier_en(record: Mapping[str, Any]) -> str:
    """A figure's qualifier in English, with its trailing space: 超 -> "more than ", and 近
    before a span of years (近10年来) -> "the last "."""
    qualifier = record.get("qualifier") or ""
    by_unit = QUALIFIERS_BY_UNIT_EN.get((qualifier, record.get("unit") or ""))
    return by_unit or QUALIFIERS_EN.get(qualifier, "")


def figure_en(record: Mapping[str, Any]) -> str:
    """The figure for readers without Chinese: 255.92亿元 -> 25,592,000,000 yuan."""
    if record.get("value") is None:
        return ""
    unit = record.get("unit")
    value = record["value"]
    number = _number(value)
    if unit == "类":
        whole = int(value) == value and 1 <= value <= len(ROMAN_NUMERALS)
        return f"class {ROMAN_NUMERALS[int(value) - 1] if whole else number}"
    if unit == "倍":  # 翻番: a multiple, not an amount
        return f"×{number}"
    group = unit is None and str(record.get("text") or "").endswith(GROUP_SUFFIX)
    if group and int(value) == value and 0 <= value < len(NUMBER_WORDS):
        number = NUMBER_WORDS[int(value)]
    words = unit_en(unit, value, count_noun_en(record))
    sep = "" if words in ("", "%") else " "
    return f"{qualifier_en(record)}{number}{sep}{words}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PERIODS_EN = {
    "前三季度": "Q1-Q3",
    "全年": "full year",
    "上半年": "H1",
    "下半年": "H2",
    "过去一年": "past year",
}
for _n, _q in enumerate(("一", "二", "三", "四"), 1):
    PERIODS_EN[f"第{_q}季度"] = f"Q{_n}"
_PERIOD_RULES = (
    (r"(\d{4})年(\d{1,2})月(\d{1,2})日", lambda m: f"{int(m.group(3))} {_month(m.group(2))} {m.group(1)}"),
    (r"(\d{4})年", lambda m: m.group(1) + " "),
    (r"较(\d{4})", lambda m: f"vs {m.group(1)}"),
    (r"(\d{1,2})[—–-](\d{1,2})月", lambda m: f"{_month(m.group(1))}-{_month(m.group(2))}"),
    (r"(\d{1,2})月(\d{1,2})日", lambda m: f"{int(m.group(2))} {_month(m.group(1))}"),
    (r"(\d{1,2})月", lambda m: _month(m.group(1))),
)
# Periods that name a span back from the report, not a span of the calendar: no year is added.
_RELATIVE = ("过去", "近", "以来")


def _month(number: str) -> str:
    n = int(number)
    return MONTHS[n - 1] if 1 <= n <= 12 else number


def _dated(text: str, year: int | None) -> bool:
    return year is None or bool(re.search(r"\d{4}", text)) or any(w in text for w in _RELATIVE)


def period_en(text: str, year: int | None = None) -> str:
    """Periods for readers without Chinese: 前三季度 -> Q1-Q3 2023, 1—11月 -> Jan-Nov 2023,
    2023年 -> 2023. The report's year is added to a period that names no year of its own."""
    dated = _dated(text, year)
    for zh, en in PERIODS_EN.items():
        text = text.replace(zh, f" {en} ")
    for pattern, repl in _PERIOD_RULES:
        text = re.sub(pattern, repl, text)
    text = " ".join(text.split())
    return text if dated else f"{text} {year}"


def period_zh(text: str, year: int | None = None) -> str:
    """A period as the report writes it, with the report's year where it names none: 前三季度 ->
    2023年前三季度."""
    return text if _dated(text, year) else f"{year}年{text}"


# Comparisons name what they compare with, so the figure carries no sign: 6.5 pp above the city.
COMPARISONS_EN = {
    "高于全市": "above the city",
    "高于全省": "above the province",
    "低于全市": "below the city",
    "低于全省": "below the province",
    "高于": "above",
    "低于": "below",
}
CHANGE_VERBS_EN = {"同比": "year on year"}


def change_pieces_en(c: Mapping[str, Any], year: int | None = None) -> list[str]:
    """A change in English as unbreakable pieces: the figure, then what it is measured against.

    A growth rate is signed (+5.7%); a comparison says above or below (6.5 pp above the city);
    any other change says up or down (up 25 places (vs 2022)): a ranking that rose by 25 places
    has a smaller number, and "+25 places" would read as a fall."""
    unit = c.get("unit")
    value = c["value"]
    size = abs(value)
    words = "%" if unit == "%" else f" {unit_en(unit, size)}" if unit else ""
    text = str(c["text"])
    comparison = next((v for k, v in COMPARISONS_EN.items() if text.startswith(k)), None)
    if comparison:
        pieces = [f"{_number(size)}{words}", comparison]
    elif unit == "%":
        pieces = [f"{'+' if value > 0 else '-' if value < 0 else ''}{_number(size)}{words}"]
    else:
        way = "up " if value > 0 else "down " if value < 0 else ""
        pieces = [f"{way}{_number(size)}{words}"]
    pieces += [v for k, v in CHANGE_VERBS_EN.items() if text.startswith(k)]
    if basis_adds(c):
        pieces.append(f"({period_en(c['basis'], year)})")
    return pieces


def basis_adds(c: Mapping[str, Any]) -> bool:
    """Whether a change's basis says more than its text: 高于全市 already names 全市."""
    basis = c.get("basis")
    return bool(basis) and basis not in c["text"]


def change_en(c: Mapping[str, Any], year: int | None = None) -> str:
    return " ".join(change_pieces_en(c, year))
