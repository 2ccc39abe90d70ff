"""Views: what each kind of view holds and how a person sees it, described once per kind
(its fields, what --fields accepts and the data formats write; its default table columns;
its shape on a terminal: a table, one record field by field, bars, or sentences), and what
each command shows, as a View of one of those kinds with its title, made here and nowhere
else, so that commands only choose and renders only draw. A new command touches this one
module of the output, for its kind and its view alike."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple

from ..base.model import FACT_FIELDS, TOPIC_FIELDS, Fact, FactBase
from .display import Years, plural
from .english import period_en, period_zh

if TYPE_CHECKING:  # types only: a view of answers does not load the search for them
    from ..base.audit import Problem
    from ..lookup.compare import Answered
    from ..lookup.query import Found
    from .answer import Answer


class View(NamedTuple):
    """What a command shows: records of one kind, and how a table should title them."""

    # "facts", "matches" (search results), "explained" (search results with the reasons),
    # "answers" (what `ask` found), "fact" (one record, shown whole) or "topics"
    kind: str
    records: list[dict[str, Any]]
    title: str = ""
    highlight: Sequence[str] = ()
    # the year of each report, for periods that name none (前三季度 -> Q1-Q3 2023)
    years: Years = Years()
    columns: tuple[str, ...] | None = None  # a table's columns, where the view chooses them


class Kind:
    """One kind of view. A plain class: a NamedTuple's creation costs 0.1 ms of every start."""

    __slots__ = ("columns", "fields", "shown")

    def __init__(self, fields: tuple[str, ...], columns: tuple[str, ...], shown: str) -> None:
        self.fields = fields
        self.columns = columns  # a table's columns unless --fields names others
        self.shown = shown  # "table", "record" (one record, field by field), "bars" or "sentences"


PROBLEM_FIELDS = ("check", "fact_id", "detail")
# A report's answer beside the others: the report, then its fact (every field null where it
# has none), then why it has none.
COMPARED_FIELDS = ("report", "title", "year", *(f for f in FACT_FIELDS if f != "report"), "missing")
SERIES_FIELDS = ("id", "metric", "metric_en", "text", "value", "unit", "scope", "period", "report")

# "changes" shows growth and change together. Search results show the quote too, since
# that is where a match is most often found.
KINDS = {
    "facts": Kind(FACT_FIELDS, ("metric", "text", "period", "changes", "rank", "id"), "table"),
    "matches": Kind(FACT_FIELDS, ("metric", "text", "period", "changes", "rank", "quote", "id"), "table"),
    "explained": Kind(
        (*FACT_FIELDS, "explain"), ("metric", "text", "period", "rank", "explain", "id"), "table"
    ),
    "answers": Kind(FACT_FIELDS, ("metric", "text", "period", "changes", "rank", "quote", "id"), "sentences"),
    "fact": Kind(FACT_FIELDS, FACT_FIELDS, "record"),
    "topics": Kind(TOPIC_FIELDS, ("slug", "name", "name_en", "facts", "aliases"), "table"),
    "problems": Kind(PROBLEM_FIELDS, PROBLEM_FIELDS, "table"),
    "series": Kind(SERIES_FIELDS, ("metric", "text", "id"), "bars"),
    "compared": Kind(
        COMPARED_FIELDS, ("report", "metric", "text", "period", "changes", "rank", "id"), "table"
    ),
}
# The fields of each kind, as --fields help and checks read them.
FIELDS = {name: kind.fields for name, kind in KINDS.items()}


def one_record(kind: str) -> bool:
    """A view of one record, shown field by field (and a JSON object, not a list)."""
    return KINDS[kind].shown == "record"


def years_of(base: FactBase) -> Years:
    return Years(base.years())


def title_of(base: FactBase) -> str:
    """The title of what a base holds: its report's, or the reports' ids."""
    if not base.several:
        return base.meta.title
    return f"{plural(len(base.reports), 'report')}: {', '.join(r.id for r in base.reports)}"


def topics(base: FactBase) -> View:
    records = [t.to_dict(base.count(t.slug)) for t in base.topics]
    return View("topics", records, title=title_of(base), years=years_of(base))


def every_fact(base: FactBase) -> View:
    """Every fact of the base, in report order (report after report)."""
    return View("facts", [f.to_dict() for f in base.facts], years=years_of(base))


def facts_by_topic(base: FactBase, facts: Sequence[Fact], lang: str) -> tuple[View, list[View]]:
    """The facts of some topics: one view of them all (for data formats), and one titled
    view per topic (for tables), topics in the order of the facts."""
    records = [f.to_dict() for f in facts]
    years = years_of(base)
    parts = []
    order = list(dict.fromkeys(r["topic"] for r in records))
    for t in sorted((t for t in base.topics if t.slug in order), key=lambda t: order.index(t.slug)):
        mine = [r for r in records if r["topic"] == t.slug]
        if mine:
            name = t.name_en if lang == "en" else t.name
            parts.append(
                View("facts", mine, title=f"{name} ({t.slug}): {plural(len(mine), 'fact')}", years=years)
            )
    return View("facts", records, title=" / ".join(p.title for p in parts), years=years), parts


def matches(base: FactBase, found: Found, words: Sequence[str], explain: bool) -> View:
    """What a search found; with `explain`, each record says why it came back."""
    records = [f.to_dict() for f in found.facts]
    if explain:
        for fact, record in zip(found.facts, records, strict=True):
            record["explain"] = found.explain(fact)
    title = f"{plural(len(records), 'fact')}: {' '.join(words)}".rstrip(": ")
    kind = "explained" if explain else "matches"
    return View(kind, records, title=title, highlight=found.highlight, years=years_of(base))


def answers(base: FactBase, answer: Answer) -> View:
    records = [f.to_dict() for f in answer.facts]
    return View("answers", records, title=answer.sentence or "", years=years_of(base))


def fact(base: FactBase, one: Fact) -> View:
    return View("fact", [one.to_dict()], title=one.key if base.several else one.id, years=years_of(base))


CHART_TITLES = {
    "zh": {"growth": "增长率 (%)", "rank": "排名（按范围分组）"},
    "en": {"growth": "Growth rates (%)", "rank": "Rankings, by scope"},
}


def chart(base: FactBase, kind: ChartKind, lang: str) -> View:
    title = CHART_TITLES[lang][kind.value]
    return View("series", chart_series(base, kind), title=title, years=years_of(base))


def compared(base: FactBase, answers: Sequence[Answered], terms: Sequence[str], lang: str) -> View:
    """Each report's answer to one question, side by side; a report without one says why."""
    from .why import why_nothing

    records = []
    for a in answers:
        record: dict[str, Any] = {"report": a.report.id, "title": a.report.title, "year": a.report.year}
        fact = a.fact.to_dict() if a.fact is not None else dict.fromkeys(FACT_FIELDS)
        record.update((k, v) for k, v in fact.items() if k != "report")
        record["missing"] = None if a.fact is not None else _why(why_nothing(a.base, terms, a.found), terms)
        records.append(record)
    columns = KINDS["compared"].columns
    if any(r["missing"] for r in records):
        columns = (*columns, "missing")
    asked = " ".join(terms)
    title = f"{asked}: {plural(len(records), 'report')}" if lang == "en" else f"{asked}：{len(records)}份报告"
    # periods carry their years: the reports may be of different years
    years = Years(base.years())
    return View("compared", records, title=title, years=years, columns=columns)


def _why(said: str, terms: Sequence[str]) -> str:
    # each row is of one report and one question: the reason alone says it
    from ..errors import shown

    head = f"no facts match {shown(' '.join(terms))}: "
    return said[len(head) :] if said.startswith(head) else said


def compare_note(answers: Sequence[Answered], lang: str) -> str | None:
    """A warning where the answers cover different spans of their years (全年 beside
    前三季度): their figures do not compare as they stand."""
    found = [(a.report, a.fact) for a in answers if a.fact is not None and a.fact.period]
    if not _spans_differ([f for _, f in found]):
        return None
    if lang == "en":
        said = "; ".join(f"{r.id}: {period_en(f.period or '', r.year)}" for r, f in found)
    else:
        said = "；".join(f"{r.id}为{period_zh(f.period or '', r.year)}" for r, f in found)
    return _differ(said, lang)


def ranked_note(base: FactBase, facts: Sequence[Fact], lang: str) -> str | None:
    """The same warning for facts that `ask` put in order, naming their periods."""
    dated = [f for f in facts if f.period]
    if not _spans_differ(dated):
        return None
    if lang == "en":
        return _differ(
            ", ".join(dict.fromkeys(period_en(f.period or "", base.year_of(f)) for f in dated)), lang
        )
    return _differ("、".join(dict.fromkeys(period_zh(f.period or "", base.year_of(f)) for f in dated)), lang)


def _spans_differ(facts: Sequence[Fact]) -> bool:
    from ..lookup.facets import spans_differ

    return spans_differ(f.period for f in facts)


def _differ(said: str, lang: str) -> str:
    if lang == "en":
        return f"Note: the periods differ ({said}): the figures do not compare as they stand."
    return f"注意：时期不同（{said}），数值不能直接相比。"


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
                    "report": f.report,
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
                    "report": f.report,
                }
            )
    return out
