"""What each command shows, as a View: its records, its kind and its title, made here
and nowhere else, so that commands only choose and renders only draw."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING

from ..base.model import Fact, FactBase
from .render import View, plural

if TYPE_CHECKING:  # types only: a view of answers does not load the search for them
    from ..base.audit import Problem
    from ..lookup.query import Found
    from .answer import Answer


def topics(base: FactBase) -> View:
    records = [t.to_dict(base.count(t.slug)) for t in base.topics]
    return View("topics", records, title=base.meta.title, year=base.meta.year)


def facts_by_topic(base: FactBase, facts: Sequence[Fact], lang: str) -> tuple[View, list[View]]:
    """The facts of some topics: one view of them all (for data formats), and one titled
    view per topic (for tables), topics in the order of the facts."""
    records = [f.to_dict() for f in facts]
    year = base.meta.year
    parts = []
    order = list(dict.fromkeys(r["topic"] for r in records))
    for t in sorted((t for t in base.topics if t.slug in order), key=lambda t: order.index(t.slug)):
        mine = [r for r in records if r["topic"] == t.slug]
        if mine:
            name = t.name_en if lang == "en" else t.name
            parts.append(
                View("facts", mine, title=f"{name} ({t.slug}): {plural(len(mine), 'fact')}", year=year)
            )
    return View("facts", records, title=" / ".join(p.title for p in parts), year=year), parts


def matches(base: FactBase, found: Found, words: Sequence[str], explain: bool) -> View:
    """What a search found; with `explain`, each record says why it came back."""
    records = [f.to_dict() for f in found.facts]
    if explain:
        for record in records:
            record["explain"] = found.explain(record["id"])
    title = f"{plural(len(records), 'fact')}: {' '.join(words)}".rstrip(": ")
    kind = "explained" if explain else "matches"
    return View(kind, records, title=title, highlight=found.highlight, year=base.meta.year)


def answers(base: FactBase, answer: Answer) -> View:
    records = [f.to_dict() for f in answer.facts]
    return View("answers", records, title=answer.sentence or "", year=base.meta.year)


def fact(base: FactBase, one: Fact) -> View:
    return View("fact", [one.to_dict()], title=one.id, year=base.meta.year)


CHART_TITLES = {
    "zh": {"growth": "增长率 (%)", "rank": "排名（按范围分组）"},
    "en": {"growth": "Growth rates (%)", "rank": "Rankings, by scope"},
}


def chart(base: FactBase, kind: ChartKind, lang: str) -> View:
    title = CHART_TITLES[lang][kind.value]
    return View("series", chart_series(base, kind), title=title, year=base.meta.year)


def problems(found: Sequence[Problem]) -> View:
    return View("problems", [p._asdict() for p in found], title=plural(len(found), "problem"))


# The data a chart draws: the growth rates of the base, or its rankings.
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
