"""The data a chart draws: the growth rates of the base, or its rankings."""

from __future__ import annotations

from enum import Enum

from ..base.model import FactBase


class ChartKind(str, Enum):
    growth = "growth"
    rank = "rank"


def chart_series(base: FactBase, kind: ChartKind) -> list[dict[str, object]]:
    """The data of a chart: growth rates, or rankings (position within their scope)."""
    out: list[dict[str, object]] = []
    for f in base.facts:
        if kind is ChartKind.growth and f.growth:
            out.append(
                {
                    "id": f.id,
                    "metric": f.metric,
                    "metric_en": f.metric_en,
                    "text": f.growth.text,
                    "value": f.growth.value,
                    "unit": f.growth.unit,
                    "scope": None,
                    "period": f.period,
                }
            )
        elif kind is ChartKind.rank and f.rank:
            out.append(
                {
                    "id": f.id,
                    "metric": f.metric,
                    "metric_en": f.metric_en,
                    "text": f.rank.text(),
                    "value": f.rank.position,
                    "unit": None,
                    "scope": f.rank.scope,
                    "period": f.period,
                }
            )
    return out
