"""The one place that turns records into output: table, JSON, JSONL, CSV, TSV, Markdown.

Every command hands a View (plain record dicts, as in the JSON contract) to
`render`. Machine formats are written with the standard library only; rich is
imported for tables alone, so the JSON path never pays for it. Text from a fact
base is data: it is never read as rich markup, and control characters are shown
escaped wherever a terminal could see them.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from enum import Enum
from typing import IO, Any, NamedTuple

from .errors import UsageError, escape_controls
from .model import FACT_FIELDS, SCOPES_EN, TOPIC_FIELDS


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    markdown = "markdown"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class View(NamedTuple):
    """What a command shows: records of one kind, and how a table should title them."""

    kind: str  # "facts", "matches" (search results), "fact" (one record, shown whole) or "topics"
    records: list[dict[str, Any]]
    title: str = ""
    highlight: Sequence[str] = ()


PROBLEM_FIELDS = ("check", "fact_id", "detail")
SERIES_FIELDS = ("id", "metric", "metric_en", "text", "value", "unit", "scope", "period")
FIELDS = {
    "facts": FACT_FIELDS,
    "matches": FACT_FIELDS,
    "fact": FACT_FIELDS,
    "topics": TOPIC_FIELDS,
    "problems": PROBLEM_FIELDS,
    "series": SERIES_FIELDS,
}

# Default table columns; "changes" shows growth and change together. Search
# results show the quote too, since that is where a match is most often found.
TABLE_COLUMNS = {
    "facts": ("metric", "text", "period", "changes", "rank", "id"),
    "matches": ("metric", "text", "changes", "rank", "quote", "id"),
    "fact": FACT_FIELDS,
    "topics": ("slug", "name", "name_en", "facts", "aliases"),
    "problems": PROBLEM_FIELDS,
    "series": ("metric", "text", "id"),
}
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
    },
    "en": {
        "metric": "metric",
        "text": "figure",
        "changes": "growth/change",
        "name": "Chinese name",
        "name_en": "name",
        "facts": "facts",
        "quote": "source",
    },
}

UNITS_EN = {
    "元": "yuan",
    "美元": "USD",
    "亩": "mu",
    "吨": "tonnes",
    "户": "entities",
    "家": "firms",
    "个": "",
    "项": "items",
    "件": "items",
    "次": "times",
    "份": "files",
    "名次": "places",
    "个百分点": "percentage points",
    "%": "%",
    "年": "years",
    "轮": "rounds",
    "类": "",
}
QUALIFIERS_EN = {"超": "more than ", "近": "nearly "}

# json leaves these raw: DEL, C1 controls, line/paragraph separators, bidi overrides.
_JSON_UNSAFE = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


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
        raise UsageError(f"unknown field {unknown[0]!r}: valid fields are {', '.join(valid)}")
    return tuple(dict.fromkeys(fields))


def _number(value: float | int) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}" if abs(value) >= 1e6 else f"{value:g}"


def figure_en(record: dict[str, Any]) -> str:
    """The figure for readers without Chinese: 255.92亿元 -> 25,592,000,000 yuan."""
    if record.get("value") is None:
        return ""
    unit = record.get("unit")
    number = _number(record["value"])
    if unit == "类":
        return f"class {number}"
    words = UNITS_EN.get(unit, unit) if unit else ""
    sep = "" if words in ("", "%") else " "
    return f"{QUALIFIERS_EN.get(record.get('qualifier') or '', '')}{number}{sep}{words}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PERIODS_EN = {"前三季度": "Q1-Q3", "全年": "full year", "上半年": "H1", "过去一年": "past year"}
_PERIOD_RULES = (
    (r"(\d{4})年", lambda m: m.group(1)),
    (r"较(\d{4})", lambda m: f"vs {m.group(1)}"),
    (r"(\d{1,2})[—–-](\d{1,2})月", lambda m: f"{_month(m.group(1))}-{_month(m.group(2))}"),
    (r"(\d{1,2})月(\d{1,2})日", lambda m: f"{int(m.group(2))} {_month(m.group(1))}"),
)


def _month(number: str) -> str:
    n = int(number)
    return MONTHS[n - 1] if 1 <= n <= 12 else number


def period_en(text: str) -> str:
    """Periods for readers without Chinese: 前三季度 -> Q1-Q3, 1—11月 -> Jan-Nov, 2023年 -> 2023."""
    for zh, en in PERIODS_EN.items():
        text = text.replace(zh, en)
    for pattern, repl in _PERIOD_RULES:
        text = re.sub(pattern, repl, text)
    return text


CHANGE_VERBS_EN = {
    "高于全市": "above the city",
    "高于全省": "above the province",
    "低于全市": "below the city",
    "低于全省": "below the province",
    "同比": "year on year",
}


def _change_en(c: dict[str, Any]) -> str:
    unit = c.get("unit")
    sign = "+" if c["value"] > 0 else ""
    words = "%" if unit == "%" else f" {UNITS_EN.get(unit, unit)}" if unit else ""
    basis = f" ({period_en(c['basis'])})" if c.get("basis") else ""
    for verb, words_en in CHANGE_VERBS_EN.items():
        if c["text"].startswith(verb):
            basis = f" {words_en}{basis}"
            break
    return f"{sign}{_number(c['value'])}{words}{basis}"


def display(record: dict[str, Any], key: str, lang: str) -> str:
    """One cell of a table: the readable form of a record's field."""
    if key == "changes":
        return "; ".join(display(record, k, lang) for k in ("growth", "change") if record.get(k))
    if lang == "en" and key == "metric" and "metric_en" in record:
        return str(record["metric_en"])
    if lang == "en" and key == "text" and "value" in record:
        return figure_en(record) or (record.get("text") or "")
    value = record.get(key)
    if value is None:
        return ""
    if key == "period" and lang == "en":
        return period_en(str(value))
    if key == "rank":
        if lang == "en":
            return f"No. {value['position']} in {SCOPES_EN.get(value['scope'], value['scope'])}"
        return f"{value['scope']}第{value['position']}"
    if key in ("growth", "change"):
        if lang == "en":
            return _change_en(value)
        return str(value["text"]) + (f" ({value['basis']})" if value.get("basis") else "")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """Nested values as their own columns (rank_scope, growth_value...), lists joined by '; '."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for sub, v in value.items():
                out[f"{key}_{sub}"] = v
        elif key in ("growth", "change", "rank") and value is None:
            subs = ("scope", "position") if key == "rank" else ("text", "value", "unit", "basis")
            for sub in subs:
                out[f"{key}_{sub}"] = None
        elif isinstance(value, list):
            out[key] = "; ".join(str(v) for v in value)
        else:
            out[key] = value
    return out


def select(records: list[dict[str, Any]], fields: Sequence[str] | None) -> list[dict[str, Any]]:
    if not fields:
        return records
    return [{k: r.get(k) for k in fields} for r in records]


def to_json(data: Any, *, indent: int | None = 2, ascii_only: bool = False) -> str:
    """JSON text. An array of objects is written one object a line: readable, diffable, and
    fast (json's C encoder works only without indent). Single objects are indented."""
    if indent is not None and isinstance(data, list) and all(isinstance(r, dict) for r in data):
        encode = json.JSONEncoder(ensure_ascii=ascii_only).encode
        text = "[\n" + ",\n".join(" " * indent + encode(r) for r in data) + "\n]" if data else "[]"
    else:
        text = json.dumps(
            data, ensure_ascii=ascii_only, indent=indent, separators=None if indent else (",", ":")
        )
    # json leaves DEL, C1 controls and line/bidi separators raw; escape them too.
    return re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", text)


def _can_encode(stream: IO[str], sample: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        sample.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _unicode_safe(stream: IO[str]) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    return encoding.startswith(("utf", "gb18030"))


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
    if fmt in (Format.json, Format.jsonl):
        _write_json(view, select(view.records, fields), fmt, stream)
        return
    if _unicode_safe(stream):
        _write_text(view, fmt, stream, fields, lang, terminal, excel_safe)
        return
    buffer = io.StringIO()
    _write_text(view, fmt, buffer, fields, lang, terminal, excel_safe)
    text = buffer.getvalue()
    if not _can_encode(stream, text):
        encoding = getattr(stream, "encoding", None)
        raise UsageError(
            f"the output encoding ({encoding}) cannot show this text: use --json, "
            "or set PYTHONIOENCODING=utf-8 (or a UTF-8 locale)"
        )
    stream.write(text)


def _write_json(view: View, records: list[dict[str, Any]], fmt: Format, stream: IO[str]) -> None:
    data: Any = records[0] if view.kind == "fact" and fmt is Format.json else records
    if fmt is Format.json:
        text = to_json(data)
        if not _unicode_safe(stream) and not _can_encode(stream, text):
            text = to_json(data, ascii_only=True)
        stream.write(text + "\n")
        return
    ascii_only = not _unicode_safe(stream) and not _can_encode(stream, to_json(records, indent=None))
    stream.writelines(to_json(r, indent=None, ascii_only=ascii_only) + "\n" for r in records)


def _write_text(
    view: View,
    fmt: Format,
    stream: IO[str],
    fields: Sequence[str] | None,
    lang: str,
    terminal: bool | None,
    excel_safe: bool = False,
) -> None:
    if fmt in (Format.csv, Format.tsv):
        sep = "," if fmt is Format.csv else "\t"
        _write_delimited(select(view.records, fields), stream, sep, excel_safe)
        return
    # Tables read whole records (--lang en shows metric_en in the metric column).
    records = view.records
    columns = fields or TABLE_COLUMNS[view.kind]
    if fmt is Format.markdown:
        _write_markdown(view, records, columns, lang, stream)
    elif terminal is False:
        _write_plain(view, records, columns, lang, stream)
    elif view.kind == "series" and not fields:
        from .table import write_bars

        label = "metric_en" if lang == "en" else "metric"
        write_bars(
            [
                (
                    escape_controls(str(r[label])),
                    escape_controls(_series_text(r, lang)),
                    float(r["value"]),
                    r.get("scope"),
                )
                for r in records
            ],
            stream,
            title=escape_controls(view.title),
        )
    else:
        from .table import write_table

        headers = None if view.kind == "fact" else _headers(columns, lang)
        write_table(
            [[cap(cell) for cell in row] for row in _rows(view, records, columns, lang)],
            headers,
            stream,
            title=cap(escape_controls(view.title)),
            highlight=view.highlight,
        )


def _series_text(record: dict[str, Any], lang: str) -> str:
    if lang != "en":
        return str(record["text"])
    if record.get("scope"):
        return display({"rank": {"scope": record["scope"], "position": record["value"]}}, "rank", lang)
    return _change_en(record)


def _headers(columns: Sequence[str], lang: str) -> list[str]:
    return [HEADERS.get(lang, {}).get(c, c) for c in columns]


# A table shows at most this much of one cell: a terminal cannot usefully show more,
# and rich's layout grows faster than the text (1M characters took 5.4 s, 10M over 120 s).
MAX_CELL = 2_000


def cap(cell: str) -> str:
    """A table cell cut to MAX_CELL characters, saying how long the whole is."""
    if len(cell) <= MAX_CELL:
        return cell
    return f"{cell[:MAX_CELL]}… ({len(cell):,} characters; --json shows all)"


# A cell that starts with one of these is a formula to Excel, LibreOffice and Sheets.
_FORMULA = re.compile(r"[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def excel_cell(cell: str) -> str:
    """A cell a spreadsheet shows as text: a leading ' before what would start a formula
    (OWASP's advice on CSV injection); plain numbers such as -5.7 stay numbers."""
    if cell and _FORMULA.match(cell) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _write_delimited(
    records: list[dict[str, Any]], stream: IO[str], delimiter: str, excel_safe: bool = False
) -> None:
    import csv

    rows = [flatten(r) for r in records]
    header = list(rows[0]) if rows else []

    def cell(value: Any) -> str:
        text = escape_controls(_cell(value))
        return excel_cell(text) if excel_safe else text

    if delimiter == "\t":
        # TSV has no quoting: a tab or newline inside a value is written escaped.
        stream.write("\t".join(header) + "\n")
        for row in rows:
            stream.write("\t".join(cell(row[k]) for k in header) + "\n")
        return
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(row[k]) for k in header])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _rows(view: View, records: list[dict[str, Any]], columns: Sequence[str], lang: str) -> list[list[str]]:
    if view.kind == "fact":  # one record, shown whole as field / value lines
        record = records[0]
        return [[c, escape_controls(display(record, c, lang))] for c in columns]
    return [[escape_controls(display(r, c, lang)) for c in columns] for r in records]


def _write_plain(
    view: View, records: list[dict[str, Any]], columns: Sequence[str], lang: str, stream: IO[str]
) -> None:
    """Table output when stdout is not a terminal: tab-separated lines, no header (as gh does)."""
    for row in _rows(view, records, columns, lang):
        stream.write("\t".join(row) + "\n")


def _write_markdown(
    view: View, records: list[dict[str, Any]], columns: Sequence[str], lang: str, stream: IO[str]
) -> None:
    header = ["field", "value"] if view.kind == "fact" else _headers(columns, lang)
    rows = _rows(view, records, columns, lang)
    stream.write("| " + " | ".join(_md(h) for h in header) + " |\n")
    stream.write("|" + "|".join("---" for _ in header) + "|\n")
    for row in rows:
        stream.write("| " + " | ".join(_md(c) for c in row) + " |\n")


def _md(cell: str) -> str:
    return cell.replace("\\", "\\\\").replace("|", "\\|")
