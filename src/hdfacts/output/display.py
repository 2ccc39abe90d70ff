"""The readable form of a record's fields, in Chinese or English: table cells, the
pieces a table keeps whole, an explanation of a match, a fact as one sentence."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..base.model import Fact, rank_text
from ..base.words import HAN_RANGES, SCOPES_EN
from .english import (
    basis_adds,
    change_en,
    change_pieces_en,
    count_noun_en,
    figure_en,
    period_en,
    period_zh,
    qualifier_en,
    unit_en,
)

_HAN = f"[\u3000-\u33ff{HAN_RANGES}\uff00-\uffef]"  # Chinese text with its punctuation and kana


class Years(dict[str, "int | None"]):
    """The year each report covers, by report id: added to a period that names none."""

    def of(self, record: Mapping[str, Any]) -> int | None:
        """The year of a record's report (of the only report, where there is one)."""
        if len(self) == 1:
            return next(iter(self.values()))
        return self.get(record.get("report") or "")

    @property
    def several(self) -> bool:
        return len(self) > 1


def plural(count: int, noun: str) -> str:
    """`1 fact`, `2 facts`: a count with its noun in the right number."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def rank_label(rank: Mapping[str, Any], lang: str) -> str:
    if lang == "en":
        return f"No. {rank['position']} in {SCOPES_EN.get(rank['scope'], rank['scope'])}"
    return rank_text(rank["scope"], rank["position"])


def pieces(
    record: Mapping[str, Any], key: str, lang: str, year: int | None = None, dated: bool = False
) -> list[str]:
    """One field of a record in readable form, as pieces a table may put on separate lines but
    never breaks: a figure, a ranking, a period, an id. English periods carry the report's
    year; Chinese ones only where `dated` (beside reports of other years)."""
    if key == "changes":
        return [p for k in ("growth", "change") if record.get(k) for p in pieces(record, k, lang, year)]
    if key == "explain":
        return [explain_text(record.get("explain") or {})]
    value = record.get(key)
    if lang == "en":
        if key == "metric" and record.get("metric_en"):  # a drafted base may lack English
            return [str(record["metric_en"])]
        if key == "text" and "value" in record:
            figure = figure_en(record)
            return [figure] if figure else ([str(record["text"])] if record.get("text") else [])
        if key in ("growth", "change") and value:
            return change_pieces_en(value, year)
        if key == "unit" and value:
            return [unit_en(str(value), noun=count_noun_en(record)) or "-"]
        if key == "qualifier" and value:
            return [qualifier_en(record).strip() or str(value)]
        if key == "tags" and isinstance(value, list):
            # Chinese tags are search words for Chinese readers; English ones stand for them.
            return [", ".join(str(v) for v in value if not re.search(_HAN, str(v)))]
    if value is None:
        return []
    if key == "period":
        if lang == "en":
            return [period_en(str(value), year)]
        return [period_zh(str(value), year) if dated and year is not None else str(value)]
    if key == "rank":
        return [rank_label(value, lang)]
    if key in ("growth", "change"):
        return [str(value["text"])] + ([f"({value['basis']})"] if basis_adds(value) else [])
    if isinstance(value, list):
        return [", ".join(str(v) for v in value)]
    return [str(value)]


def display(
    record: Mapping[str, Any], key: str, lang: str, year: int | None = None, dated: bool = False
) -> str:
    """One cell of a table: the readable form of a record's field."""
    if key == "changes":
        return "; ".join(display(record, k, lang, year) for k in ("growth", "change") if record.get(k))
    return " ".join(p for p in pieces(record, key, lang, year, dated) if p)


def explain_text(explain: Mapping[str, Any]) -> str:
    """Why a search returned a record: 产量 → metric 总产量 (synonym); score 23.4."""
    parts = []
    for m in explain.get("matches", []):
        found = f" {m['found']}" if m["found"] and m["found"] != m["part"] else ""
        how = f" ({m['via']})" if m["via"] != "typed" else ""
        parts.append(f"{m['part']} → {m['field']}{found}{how}")
    score = explain.get("score")
    return "; ".join(parts) + (f"; score {score:g}" if score is not None else "")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def sentence(fact: Fact | Mapping[str, Any], lang: str = "zh", *, year: int | None = None) -> str:
    """A fact in one line: its label, period, figure, growth, other change and ranking.

    `year` is the report's year (FactBase.meta.year), added to a period that names none,
    so that 前三季度 reads 2023年前三季度 / Q1-Q3 2023. Chinese text is as the report writes
    it; English is derived from the parsed values. Plain text, no markup:

        地区生产总值(GDP)（2023年前三季度）：255.92亿元，增长5.7%
        Gross regional product (GDP) (Q1-Q3 2023): 25,592,000,000 yuan, +5.7%
    """
    record: Mapping[str, Any] = fact.to_dict() if isinstance(fact, Fact) else fact
    period = record.get("period")
    parts: list[str] = []
    if lang == "en":
        if record.get("value") is not None:
            parts.append(figure_en(record))
        elif record.get("text"):
            parts.append(str(record["text"]))
        parts += [
            change_en(record[k], year).replace(" pp", " percentage points")
            for k in ("growth", "change")
            if record.get(k)
        ]
        rank = record.get("rank")
        if rank:
            scope = SCOPES_EN.get(rank["scope"], rank["scope"])
            parts.append(f"ranked {_ordinal(rank['position'])} in the {scope}")
        label = str(record.get("metric_en") or record.get("metric") or "")
        head = f"{label} ({period_en(period, year)})" if period else label
        return head + (": " + ", ".join(parts) if parts else "")
    if record.get("text"):
        parts.append(str(record["text"]))
    for key in ("growth", "change"):
        c = record.get(key)
        if c:
            parts.append(str(c["text"]) + (f"（{c['basis']}）" if basis_adds(c) else ""))
    if record.get("rank"):
        parts.append("排名" + rank_label(record["rank"], "zh"))
    label = str(record.get("metric") or "")
    head = f"{label}（{period_zh(period, year)}）" if period else label
    return head + ("：" + "，".join(parts) if parts else "")
