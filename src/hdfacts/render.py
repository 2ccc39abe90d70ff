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

from .errors import UsageError
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

    # "facts", "matches" (search results), "explained" (search results with the reasons),
    # "answers" (what `ask` found), "fact" (one record, shown whole) or "topics"
    kind: str
    records: list[dict[str, Any]]
    title: str = ""
    highlight: Sequence[str] = ()


PROBLEM_FIELDS = ("check", "fact_id", "detail")
SERIES_FIELDS = ("id", "metric", "metric_en", "text", "value", "unit", "scope", "period")
FIELDS = {
    "facts": FACT_FIELDS,
    "matches": FACT_FIELDS,
    "explained": (*FACT_FIELDS, "explain"),
    "answers": FACT_FIELDS,
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
    "explained": ("metric", "text", "rank", "explain", "id"),
    "answers": ("metric", "text", "period", "changes", "rank", "quote", "id"),
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
        "explain": "匹配依据",
    },
    "en": {
        "metric": "metric",
        "text": "figure",
        "changes": "growth/change",
        "name": "Chinese name",
        "name_en": "name",
        "facts": "facts",
        "quote": "source",
        "explain": "why",
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
    "倍": "times",
}
QUALIFIERS_EN = {"超": "more than ", "近": "nearly ", "内": "within "}

# C0 and C1 control characters, DEL, and the bidirectional overrides that can
# disguise text: none of them may reach a terminal raw.
# (Patterns are compiled on first use, through re's own cache: start-up is a feature.)
_UNSAFE = "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
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


def escape_controls(text: str) -> str:
    """Show control characters as escapes (\\x1b, \\n) so a terminal never acts on them."""

    def repl(m: re.Match[str]) -> str:
        ch = m.group()
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch) or (
            f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
        )

    return re.sub(_UNSAFE, repl, text)


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
    if unit == "倍":  # 翻番: a multiple, not an amount
        return f"×{number}"
    words = UNITS_EN.get(unit, unit) if unit else ""
    if record["value"] == 1 and words.endswith("s"):  # within 1 year, not 1 years
        words = words[:-3] + "y" if words.endswith("ies") else words[:-1]
    sep = "" if words in ("", "%") else " "
    qualifier = record.get("qualifier") or ""
    # 近10年来 is "the last 10 years"; 近 before an amount (近100万) is "nearly".
    said = "the last " if qualifier == "近" and unit == "年" else QUALIFIERS_EN.get(qualifier, "")
    return f"{said}{number}{sep}{words}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PERIODS_EN = {"前三季度": "Q1-Q3", "全年": "full year", "上半年": "H1", "过去一年": "past year"}
_PERIOD_RULES = (
    (r"(\d{4})年(\d{1,2})月(\d{1,2})日", lambda m: f"{int(m.group(3))} {_month(m.group(2))} {m.group(1)}"),
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
    basis = f" ({period_en(c['basis'])})" if _basis_adds(c) else ""
    for verb, words_en in CHANGE_VERBS_EN.items():
        if c["text"].startswith(verb):
            basis = f" {words_en}{basis}"
            break
    return f"{sign}{_number(c['value'])}{words}{basis}"


def explain_text(explain: dict[str, Any]) -> str:
    """Why a search returned a record: 产量 → metric 总产量 (synonym); score 23.4."""
    parts = []
    for m in explain.get("matches", []):
        found = f" {m['found']}" if m["found"] and m["found"] != m["part"] else ""
        how = f" ({m['via']})" if m["via"] != "typed" else ""
        parts.append(f"{m['part']} → {m['field']}{found}{how}")
    score = explain.get("score")
    return "; ".join(parts) + (f"; score {score:g}" if score is not None else "")


def sentence(record: dict[str, Any], lang: str = "zh") -> str:
    """A fact stated in one line from its data: period, metric, figure, growth, rank, change.
    前三季度地区生产总值(GDP) 255.92亿元，增长5.7% / Gross domestic product (GDP), Q1-Q3 2023:
    25,592,000,000 yuan, +5.7%."""
    rank = record.get("rank")
    if lang == "en":
        said = [figure_en(record)] if record.get("value") is not None else []
        said += [display(record, k, "en") for k in ("growth", "change") if record.get(k)]
        if rank:
            said.append(display(record, "rank", "en"))
        period = f", {period_en(record['period'])}" if record.get("period") else ""
        body = ", ".join(s for s in said if s)
        return f"{record['metric_en']}{period}" + (f": {body}" if body else "")
    said = [record["text"]] if record.get("text") else []
    said += [display(record, k, "zh") for k in ("growth", "change") if record.get(k)]
    if rank:
        said.append(f"排名{rank['scope']}第{rank['position']}")
    head = f"{record.get('period') or ''}{record['metric']}"
    return head + (f" {'，'.join(said)}" if said else "")


def _basis_adds(c: dict[str, Any]) -> bool:
    """Whether a change's basis says more than its text: 高于全市 already names 全市."""
    basis = c.get("basis")
    return bool(basis) and basis not in c["text"]


def display(record: dict[str, Any], key: str, lang: str) -> str:
    """One cell of a table: the readable form of a record's field."""
    if key == "explain":
        return explain_text(record.get("explain") or {})
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
        return str(value["text"]) + (f" ({value['basis']})" if _basis_adds(value) else "")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """Nested values as their own columns (rank_scope, growth_value...), lists joined by '; '."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key == "explain" and isinstance(value, dict):
            out["explain_score"] = value.get("score")
            out["explain"] = explain_text(value)
        elif isinstance(value, dict):
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
) -> None:
    """Write a view to a stream in one format. `terminal` says whether a person is reading.

    JSON falls back to \\u escapes where the stream cannot encode the text; other formats
    would be unreadable or wrong that way, and raise UsageError before writing anything.
    """
    fields = check_fields(view.kind, fields)
    if fmt in (Format.json, Format.jsonl):
        _write_json(view, select(view.records, fields), fmt, stream)
        return
    if _unicode_safe(stream):
        _write_text(view, fmt, stream, fields, lang, terminal)
        return
    buffer = io.StringIO()
    _write_text(view, fmt, buffer, fields, lang, terminal)
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
    view: View, fmt: Format, stream: IO[str], fields: Sequence[str] | None, lang: str, terminal: bool | None
) -> None:
    if fmt in (Format.csv, Format.tsv):
        _write_delimited(select(view.records, fields), stream, "," if fmt is Format.csv else "\t")
        return
    # Tables read whole records (--lang en shows metric_en in the metric column).
    records = view.records
    columns = fields or TABLE_COLUMNS[view.kind]
    if view.kind == "answers" and not fields and fmt is not Format.markdown:
        _write_answers(records, lang, stream)
    elif fmt is Format.markdown:
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
            _rows(view, records, columns, lang),
            headers,
            stream,
            title=escape_controls(view.title),
            highlight=view.highlight,
        )


def _write_answers(records: list[dict[str, Any]], lang: str, stream: IO[str]) -> None:
    """What `ask` found: each answer as a sentence, then its source quote and id."""
    source, numbered = ("source", len(records) > 1) if lang == "en" else ("原文", len(records) > 1)
    for n, r in enumerate(records, 1):
        lead = f"{n}. " if numbered else ""
        pad = " " * len(lead)
        stream.write(f"{lead}{escape_controls(sentence(r, lang))}\n")
        stream.write(f"{pad}  {source}: {escape_controls(r['quote'])}\n")
        stream.write(f"{pad}  id: {escape_controls(r['id'])}\n")


def _series_text(record: dict[str, Any], lang: str) -> str:
    if lang != "en":
        return str(record["text"])
    if record.get("scope"):
        return display({"rank": {"scope": record["scope"], "position": record["value"]}}, "rank", lang)
    return _change_en(record)


def _headers(columns: Sequence[str], lang: str) -> list[str]:
    return [HEADERS.get(lang, {}).get(c, c) for c in columns]


def _write_delimited(records: list[dict[str, Any]], stream: IO[str], delimiter: str) -> None:
    import csv

    rows = [flatten(r) for r in records]
    header = list(rows[0]) if rows else []
    if delimiter == "\t":
        # TSV has no quoting: a tab or newline inside a value is written escaped.
        stream.write("\t".join(header) + "\n")
        for row in rows:
            stream.write("\t".join(escape_controls(_cell(row[k])) for k in header) + "\n")
        return
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_controls(_cell(row[k])) for k in header])


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
