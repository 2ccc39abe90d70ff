"""The one place that turns records into output: table, JSON, JSONL, CSV, TSV, Markdown.

Every command hands a View (plain record dicts, as in the JSON contract) to
`render`. Machine formats are written with the standard library only; rich is
imported for tables alone, so the JSON path never pays for it. Text from a fact
base is data: it is never read as rich markup, and control characters are shown
escaped wherever a terminal could see them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from enum import Enum
from typing import IO, Any

from ..base.words import SCOPES_EN
from ..errors import UsageError, escape_controls, shown
from .display import display, explain_text, pieces, plural, rank_label, sentence
from .english import change_en, period_en, period_zh
from .views import FIELDS, KINDS, View, one_record
from .writers import (
    can_encode,
    cap,
    select,
    terminal_width,
    unicode_safe,
    write_answers,
    write_delimited,
    write_json,
    write_markdown,
    write_plain,
)
from .writers import rows as cell_rows

# Part of this module's interface, as they were when it held them.
__all__ = [
    "FIELDS",
    "Format",
    "Lang",
    "View",
    "display",
    "explain_text",
    "pieces",
    "plural",
    "render",
    "sentence",
]


class Format(str, Enum):
    """Every format hdfacts writes. A table is for a person at a terminal; a SQLite
    database is a file that `export` writes (export/sqlite.py); the rest go anywhere."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    markdown = "markdown"
    sqlite = "sqlite"


# The file extensions that name a format (export -o facts.csv).
EXTENSIONS = {
    ".json": Format.json,
    ".jsonl": Format.jsonl,
    ".csv": Format.csv,
    ".tsv": Format.tsv,
    ".md": Format.markdown,
    ".markdown": Format.markdown,
    ".db": Format.sqlite,
    ".sqlite": Format.sqlite,
    ".sqlite3": Format.sqlite,
}


class Lang(str, Enum):
    zh = "zh"
    en = "en"


HEADERS = {
    "zh": {
        "metric": "指标",
        "text": "数值",
        "period": "时期",
        "changes": "增长/变化",
        "rank": "排名",
        "name": "名称",
        "facts": "条数",
        "aliases": "别名",
        "quote": "原文",
        "explain": "匹配依据",
        "report": "报告",
        "missing": "无答案",
    },
    "en": {
        "metric": "metric",
        "text": "figure",
        "changes": "growth/change",
        "name": "Chinese name",
        "name_en": "name",
        "facts": "facts",
        "quote": "source (Chinese)",
        "explain": "why",
        "missing": "no answer",
    },
}
# Columns a table may break across lines: labels and quotes. Every other cell (a figure, a
# ranking, a period, an id) is kept whole, wider than its header if need be.
WRAPPING = frozenset(
    {
        "metric",
        "metric_en",
        "quote",
        "tags",
        "name",
        "name_en",
        "aliases",
        "section",
        "detail",
        "explain",
        "missing",
    }
)
# How wide a wrapping column must be to read well (in terminal columns; a Chinese character
# takes two); other wrapping columns take table.MIN_LABEL_WIDTH.
READABLE = {"quote": 22, "metric": 12, "metric_en": 12, "explain": 22, "detail": 22, "missing": 22}
# What a table leaves out when its columns do not fit, first to last, and where to find it instead.
DROPPABLE = {
    "id": "ids: --fields id or --json",
    "quote": "quotes: hdfacts get ID, --fields quote or --json",
    "aliases": "aliases: --fields slug,aliases or --json",
}


def parse_fields(text: str | None) -> list[str] | None:
    """A --fields value (id,text,rank) as a list; None when the option was not given."""
    if text is None:
        return None
    names = [f.strip() for f in text.split(",") if f.strip()]
    if not names:
        raise UsageError("--fields needs at least one field name")
    return names


def check_fields(kind: str, fields: Sequence[str] | None) -> tuple[str, ...] | None:
    """Validate a --fields list; UsageError names the valid ones."""
    if not fields:
        return None
    valid = FIELDS[kind]
    unknown = [f for f in fields if f not in valid]
    if unknown:
        from ..errors import close_matches

        close = close_matches(unknown[0], valid)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise UsageError(f"unknown field {shown(unknown[0])}{hint}: valid fields are {', '.join(valid)}")
    return tuple(dict.fromkeys(fields))


def render(
    view: View,
    fmt: Format,
    stream: IO[str],
    *,
    fields: Sequence[str] | None = None,
    lang: str = "zh",
    terminal: bool | None = None,
    excel_safe: bool = False,
) -> None:
    """Write a view to a stream in one format. `terminal` says whether a person is reading;
    `excel_safe` keeps spreadsheets from reading CSV/TSV cells as formulas.

    JSON falls back to \\u escapes where the stream cannot encode the text; other formats
    would be unreadable or wrong that way, and raise UsageError before writing anything.
    """
    fields = check_fields(view.kind, fields)
    if fmt not in WRITERS:  # a database is a file: export writes it
        raise UsageError(f"--format {fmt.value} writes a file: use hdfacts export -o FILE")
    write, escapes = WRITERS[fmt]
    out = Out(fields, lang, terminal, excel_safe)
    if escapes or unicode_safe(stream):
        write(view, stream, out)
        return
    buffer = io.StringIO()
    write(view, buffer, out)
    text = buffer.getvalue()
    if not can_encode(stream, text):
        encoding = getattr(stream, "encoding", None)
        raise UsageError(
            f"the output encoding ({encoding}) cannot show this text: use --json, "
            "or set PYTHONIOENCODING=utf-8 (or a UTF-8 locale)"
        )
    stream.write(text)


class Out:
    """How a view is to be written, besides its format (a plain class: see kinds.Kind)."""

    __slots__ = ("excel_safe", "fields", "lang", "terminal")

    def __init__(self, fields: Sequence[str] | None, lang: str, terminal: bool | None, excel_safe: bool):
        self.fields = fields
        self.lang = lang
        self.terminal = terminal
        self.excel_safe = excel_safe


def _json(view: View, stream: IO[str], out: Out) -> None:
    write_json(select(view.records, out.fields), stream, lines=False, single=one_record(view.kind))


def _jsonl(view: View, stream: IO[str], out: Out) -> None:
    write_json(select(view.records, out.fields), stream, lines=True, single=one_record(view.kind))


def _csv(view: View, stream: IO[str], out: Out) -> None:
    write_delimited(select(view.records, out.fields), stream, ",", out.excel_safe)


def _tsv(view: View, stream: IO[str], out: Out) -> None:
    write_delimited(select(view.records, out.fields), stream, "\t", out.excel_safe)


def _columns(view: View, out: Out) -> Sequence[str]:
    # Tables read whole records (--lang en shows metric_en in the metric column). With
    # several reports, each row says whose it is.
    if out.fields:
        return out.fields
    columns = view.columns or KINDS[view.kind].columns
    if not view.years.several:  # one report: every row is of it
        return tuple(c for c in columns if c != "report")
    if "report" in KINDS[view.kind].fields and "report" not in columns:
        return ("report", *columns)
    return columns


def _markdown(view: View, stream: IO[str], out: Out) -> None:
    columns = _columns(view, out)
    header = ["field", "value"] if one_record(view.kind) else _headers(columns, out.lang)
    write_markdown(header, cell_rows(view.kind, view.records, columns, out.lang, view.years), stream)


def _table(view: View, stream: IO[str], out: Out) -> None:
    """What a person sees: the view's kind says how (sentences, bars, one record or a table);
    a pipe gets plain tab-separated lines."""
    records, columns, seen_as = view.records, _columns(view, out), KINDS[view.kind].shown
    if seen_as == "sentences" and not out.fields:
        write_answers(records, out.lang, view.years, stream, terminal_width() if out.terminal else None)
    elif out.terminal is False:
        write_plain(cell_rows(view.kind, records, columns, out.lang, view.years), stream)
    elif not records:
        return  # an empty table says nothing that the exit status and stderr do not
    elif seen_as == "bars" and not out.fields:
        from .table import write_bars

        write_bars(_bars(view, out.lang), stream, title=escape_controls(view.title))
    else:
        from .table import Column, write_table

        table = _table_columns(view, columns, out.fields, out.lang, Column)
        write_table(
            table,
            stream,
            title=cap(escape_controls(view.title)),
            highlight=view.highlight,
            show_header=seen_as != "record",
            narrower=[] if seen_as == "record" else _compact(table, columns),
        )


# Each format's writer, and whether it escapes what the stream cannot encode (JSON's \u)
# rather than needing an encoding that can show the text.
WRITERS: dict[Format, tuple[Callable[[View, IO[str], Out], None], bool]] = {
    Format.table: (_table, False),
    Format.json: (_json, True),
    Format.jsonl: (_jsonl, True),
    Format.csv: (_csv, False),
    Format.tsv: (_tsv, False),
    Format.markdown: (_markdown, False),
}


def _table_columns(
    view: View, columns: Sequence[str], fields: Sequence[str] | None, lang: str, column: Any
) -> list[Any]:
    """The columns of a rich table (table.Column, passed in: rich loads with table.py only)."""
    records = view.records
    if one_record(view.kind):  # one record, shown whole as field / value lines
        if lang == "en" and not fields:  # the metric row is already in English
            columns = [c for c in columns if c != "metric_en"]
        rows = [(c, _table_cell(view, records[0], c, lang)) for c in columns]
        rows = [(c, v) for c, v in rows if v]
        return [column("", [c for c, _ in rows], whole=True), column("", [v for _, v in rows], whole=False)]
    return [
        column(
            header,
            [_table_cell(view, r, c, lang) for r in records],
            whole=c not in WRAPPING,
            # Asked for by name, a column is never left out.
            drop=None if fields else DROPPABLE.get(c),
            drop_order=list(DROPPABLE).index(c) if c in DROPPABLE else 0,
            **({"readable": READABLE[c]} if c in READABLE else {}),
        )
        for c, header in zip(columns, _headers(columns, lang), strict=True)
    ]


def _compact(table: list[Any], columns: Sequence[str]) -> list[list[Any]]:
    """Narrower layouts of a table, narrowest last: each figure with its period below it in
    one column; then each ranking below the changes as well."""
    import dataclasses

    layouts: list[list[Any]] = []
    current, names = list(table), list(columns)
    for over, under in (("text", "period"), ("changes", "rank")):
        if over not in names or under not in names:
            break
        i, j = names.index(over), names.index(under)
        top, below = current[i], current[j]
        merged = dataclasses.replace(
            top,
            header=f"{top.header}/{below.header}",
            cells=["\n".join(x for x in pair if x) for pair in zip(top.cells, below.cells, strict=True)],
        )
        current = [merged if k == i else c for k, c in enumerate(current) if k != j]
        names = [n for k, n in enumerate(names) if k != j]
        layouts.append(current)
    return layouts


def _table_cell(view: View, record: dict[str, Any], key: str, lang: str) -> str:
    # One line per piece: a table may put a figure and its basis on two lines, never split either.
    return "\n".join(
        cap(escape_controls(p))
        for p in pieces(record, key, lang, view.years.of(record), view.years.several)
        if p
    )


def _bars(view: View, lang: str) -> list[tuple[str, str, float, str | None]]:
    """A chart's bars: (label, value as shown with its period, length from 0 to 1, group heading).

    Rankings are grouped by scope, since 全市第2 and 全省第67 are not on one scale, and drawn
    so that a better rank is a longer bar: within a group, first place is the full length."""
    label = "metric_en" if lang == "en" else "metric"
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for r in view.records:
        groups.setdefault(r.get("scope"), []).append(r)
    bars = []
    for scope, records in groups.items():
        heading = None
        if scope is not None:
            worst = max(int(r["value"]) for r in records)
            scope_en = escape_controls(SCOPES_EN.get(scope, scope))
            scope = escape_controls(scope)
            heading = (
                f"Rankings within the {scope_en}: 1st is the longest bar"
                if lang == "en"
                else f"{scope}排名：第1名的条最长"
            )
        top = max((abs(float(r["value"])) for r in records), default=0.0)
        for r in records:
            value = float(r["value"])
            if scope is not None:
                length = (worst + 1 - value) / worst if worst else 0.0
            else:
                length = abs(value) / top if top else 0.0
            bars.append(
                (
                    # a draft may lack English; beside other reports, a bar names its own
                    escape_controls(f"{r['report']}: " * view.years.several + str(r[label] or r["metric"])),
                    escape_controls(_series_text(r, lang, view.years.of(r), view.years.several)),
                    length,
                    heading,
                )
            )
    return bars


def _series_text(record: dict[str, Any], lang: str, year: int | None = None, dated: bool = False) -> str:
    if lang != "en":
        text = str(record["text"])
        period = record.get("period")
        if period and dated and year is not None:  # beside reports of other years
            period = period_zh(period, year)
        return f"{text} ({period})" if period else text
    if record.get("scope"):
        text = rank_label({"scope": record["scope"], "position": record["value"]}, lang)
    else:
        text = change_en(record, year)
    period = record.get("period")
    return f"{text} ({period_en(period, year)})" if period else text


def _headers(columns: Sequence[str], lang: str) -> list[str]:
    return [HEADERS.get(lang, {}).get(c, c) for c in columns]
