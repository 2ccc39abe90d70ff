"""What each kind of view holds and how a person sees it, described once per kind: its
fields (what --fields accepts and the data formats write), its default table columns, and
its shape on a terminal: a table, one record field by field, bars, or sentences."""

from __future__ import annotations

from ..base.model import FACT_FIELDS, TOPIC_FIELDS


class Kind:
    """One kind of view. A plain class: a NamedTuple's creation costs 0.1 ms of every start."""

    __slots__ = ("columns", "fields", "shown")

    def __init__(self, fields: tuple[str, ...], columns: tuple[str, ...], shown: str) -> None:
        self.fields = fields
        self.columns = columns  # a table's columns unless --fields names others
        self.shown = shown  # "table", "record" (one record, field by field), "bars" or "sentences"


PROBLEM_FIELDS = ("check", "fact_id", "detail")
SERIES_FIELDS = ("id", "metric", "metric_en", "text", "value", "unit", "scope", "period")

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
}
# The fields of each kind, as --fields help and checks read them.
FIELDS = {name: kind.fields for name, kind in KINDS.items()}


def one_record(kind: str) -> bool:
    """A view of one record, shown field by field (and a JSON object, not a list)."""
    return KINDS[kind].shown == "record"
