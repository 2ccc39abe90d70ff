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
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import IO, Any, NamedTuple

from .errors import UsageError, escape_controls
from .model import FACT_FIELDS, SCOPES_EN, TOPIC_FIELDS, Fact, flatten, rank_text


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
    year: int | None = None  # the report's year, for periods that name none (前三季度 -> Q1-Q3 2023)


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
    "matches": ("metric", "text", "period", "changes", "rank", "quote", "id"),
    "explained": ("metric", "text", "period", "rank", "explain", "id"),
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
        "quote": "source (Chinese)",
        "explain": "why",
    },
}
# Columns a table may break across lines: labels and quotes. Every other cell (a figure, a
# ranking, a period, an id) is kept whole, wider than its header if need be.
WRAPPING = frozenset(
    {"metric", "metric_en", "quote", "tags", "name", "name_en", "aliases", "section", "detail", "explain"}
)
# What a table leaves out when its columns do not fit, first to last, and where to find it instead.
DROPPABLE = {
    "id": "ids: --fields id or --json",
    "quote": "quotes: hdfacts get ID, --fields quote or --json",
    "aliases": "aliases: --fields slug,aliases or --json",
}

UNITS_EN = {
    "元": "yuan",
    "美元": "USD",
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
}
QUALIFIERS_EN = {"超": "more than ", "近": "nearly ", "内": "within "}
ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

# json leaves these raw: DEL, C1 controls, line/paragraph separators, bidi overrides.
_JSON_UNSAFE = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
_HAN = "[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]"


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


def plural(count: int, noun: str) -> str:
    """`1 fact`, `2 facts`: a count with its noun in the right number."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _number(value: float | int) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}" if abs(value) >= 1e6 else f"{value:g}"


def unit_en(unit: str | None, value: float | int | None = None) -> str:
    """A unit in English words, singular for a count of one: 吨 -> tonnes, 1 年 -> year."""
    if not unit:
        return ""
    words = UNITS_EN.get(unit, unit)
    return SINGULAR_EN.get(words, words) if value == 1 else words


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
    words = unit_en(unit, value)
    sep = "" if words in ("", "%") else " "
    qualifier = record.get("qualifier") or ""
    # 近10年来 is "the last 10 years"; 近 before an amount (近100万) is "nearly".
    said = "the last " if qualifier == "近" and unit == "年" else QUALIFIERS_EN.get(qualifier, "")
    return f"{said}{number}{sep}{words}"


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


CHANGE_VERBS_EN = {
    "高于全市": "above the city",
    "高于全省": "above the province",
    "低于全市": "below the city",
    "低于全省": "below the province",
    "同比": "year on year",
}


def _change_pieces_en(c: Mapping[str, Any], year: int | None = None) -> list[str]:
    """A change in English as unbreakable pieces: the signed figure, then what it is measured against."""
    unit = c.get("unit")
    sign = "+" if c["value"] > 0 else ""
    words = "%" if unit == "%" else f" {unit_en(unit, abs(c['value']))}" if unit else ""
    pieces = [f"{sign}{_number(c['value'])}{words}"]
    for verb, words_en in CHANGE_VERBS_EN.items():
        if c["text"].startswith(verb):
            pieces.append(words_en)
            break
    if _basis_adds(c):
        pieces.append(f"({period_en(c['basis'], year)})")
    return pieces


def _basis_adds(c: Mapping[str, Any]) -> bool:
    """Whether a change's basis says more than its text: 高于全市 already names 全市."""
    basis = c.get("basis")
    return bool(basis) and basis not in c["text"]


def _change_en(c: Mapping[str, Any], year: int | None = None) -> str:
    return " ".join(_change_pieces_en(c, year))


def _rank_text(rank: Mapping[str, Any], lang: str) -> str:
    if lang == "en":
        return f"No. {rank['position']} in {SCOPES_EN.get(rank['scope'], rank['scope'])}"
    return rank_text(rank["scope"], rank["position"])


def pieces(record: Mapping[str, Any], key: str, lang: str, year: int | None = None) -> list[str]:
    """One field of a record in readable form, as pieces a table may put on separate lines but
    never breaks: a figure, a ranking, a period, an id."""
    if key == "changes":
        return [p for k in ("growth", "change") if record.get(k) for p in pieces(record, k, lang, year)]
    if key == "explain":
        return [explain_text(record.get("explain") or {})]
    value = record.get(key)
    if lang == "en":
        if key == "metric" and "metric_en" in record:
            return [str(record["metric_en"])]
        if key == "text" and "value" in record:
            figure = figure_en(record)
            return [figure] if figure else ([str(record["text"])] if record.get("text") else [])
        if key in ("growth", "change") and value:
            return _change_pieces_en(value, year)
        if key == "unit" and value:
            return [unit_en(str(value)) or "-"]
        if key == "qualifier" and value:
            return [QUALIFIERS_EN.get(str(value), str(value)).strip()]
        if key == "tags" and isinstance(value, list):
            # Chinese tags are search words for Chinese readers; English ones stand for them.
            return [", ".join(str(v) for v in value if not re.search(_HAN, str(v)))]
    if value is None:
        return []
    if key == "period":
        return [period_en(str(value), year) if lang == "en" else str(value)]
    if key == "rank":
        return [_rank_text(value, lang)]
    if key in ("growth", "change"):
        return [str(value["text"])] + ([f"({value['basis']})"] if _basis_adds(value) else [])
    if isinstance(value, list):
        return [", ".join(str(v) for v in value)]
    return [str(value)]


def display(record: Mapping[str, Any], key: str, lang: str, year: int | None = None) -> str:
    """One cell of a table: the readable form of a record's field."""
    if key == "changes":
        return "; ".join(display(record, k, lang, year) for k in ("growth", "change") if record.get(k))
    return " ".join(p for p in pieces(record, key, lang, year) if p)


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
            _change_en(record[k], year).replace(" pp", " percentage points")
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
            parts.append(str(c["text"]) + (f"（{c['basis']}）" if _basis_adds(c) else ""))
    if record.get("rank"):
        parts.append("排名" + _rank_text(record["rank"], "zh"))
    label = str(record.get("metric") or "")
    head = f"{label}（{period_zh(period, year)}）" if period else label
    return head + ("：" + "，".join(parts) if parts else "")


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record as a CSV/TSV row (model.flatten); an explanation as its score and text."""
    explain = record.get("explain")
    out = flatten({k: v for k, v in record.items() if k != "explain"})
    if isinstance(explain, dict):
        out["explain_score"] = explain.get("score")
        out["explain"] = explain_text(explain)
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
    if view.kind == "answers" and not fields and fmt is not Format.markdown:
        _write_answers(view, lang, stream, _width() if terminal else None)
    elif fmt is Format.markdown:
        _write_markdown(view, records, columns, lang, stream)
    elif terminal is False:
        _write_plain(view, records, columns, lang, stream)
    elif not records:
        return  # an empty table says nothing that the exit status and stderr do not
    elif view.kind == "series" and not fields:
        from .table import write_bars

        write_bars(_bars(view, lang), stream, title=escape_controls(view.title))
    else:
        from .table import Column, write_table

        if view.kind == "fact":  # one record, shown whole as field / value lines
            if lang == "en" and not fields:  # the metric row is already in English
                columns = [c for c in columns if c != "metric_en"]
            rows = [(c, _table_cell(view, records[0], c, lang)) for c in columns]
            rows = [(c, v) for c, v in rows if v]
            table = [
                Column("", [c for c, _ in rows], whole=True),
                Column("", [v for _, v in rows], whole=False),
            ]
        else:
            table = [
                Column(
                    header,
                    [_table_cell(view, r, c, lang) for r in records],
                    whole=c not in WRAPPING,
                    # Asked for by name, a column is never left out.
                    drop=None if fields else DROPPABLE.get(c),
                    drop_order=list(DROPPABLE).index(c) if c in DROPPABLE else 0,
                )
                for c, header in zip(columns, _headers(columns, lang), strict=True)
            ]
        write_table(
            table,
            stream,
            title=cap(escape_controls(view.title)),
            highlight=view.highlight,
            show_header=view.kind != "fact",
            narrower=[] if view.kind == "fact" else _compact(table, columns),
        )


def _write_answers(view: View, lang: str, stream: IO[str], width: int | None) -> None:
    """What `ask` found: each answer as a sentence, then its source quote and id. On a
    terminal, lines wrap between the pieces of a sentence, never inside a figure."""
    source = "source" if lang == "en" else "原文"
    numbered = len(view.records) > 1
    for n, r in enumerate(view.records, 1):
        lead = f"{n}. " if numbered else ""
        pad = " " * len(lead)
        lines = [
            (lead, sentence(r, lang, year=view.year)),
            (f"{pad}  ", f"{source}: {r['quote']}"),
            (f"{pad}  ", f"id: {r['id']}"),
        ]
        for first, text in lines:
            for line in _wrap(escape_controls(text), width, first):
                stream.write(line + "\n")


def _width() -> int | None:
    import shutil

    columns = shutil.get_terminal_size((0, 0)).columns
    return columns if columns >= 20 else None


def _cells(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# Where a line may break: after a comma, colon or semicolon and its space, after a comma
# that no digit follows (the report's 27868元,增长6.1%), or after Chinese punctuation. A
# figure (27,868 yuan; 6.5个百分点) has no such place.
_BREAKS = re.compile(r"(?<=[，：；、。])|(?<=[,;])(?![\d ])|(?<=[,:;] )|(?<= )(?=\()")


def _wrap(text: str, width: int | None, first: str) -> list[str]:
    """The text after `first`, in lines of at most `width` cells, later lines indented
    like the first; no width: one line."""
    if width is None:
        return [first + text]
    indent = " " * len(first)
    lines: list[str] = []
    line = first
    pieces: list[str] = []
    for piece in (p for p in _BREAKS.split(text) if p):
        if _cells(indent + piece.rstrip()) <= width:
            pieces.append(piece)
        else:  # a long label: at its spaces too, but never after a digit (27,868 yuan)
            pieces += [p for p in re.split(r"(?<=[^\d\s] )", piece) if p]
    for piece in pieces:
        if _cells(line) + _cells(piece.rstrip()) > width and line.strip():
            lines.append(line.rstrip())
            line = indent + piece.lstrip()
        else:
            line += piece
    lines.append(line.rstrip())
    return lines


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
    return "\n".join(cap(escape_controls(p)) for p in pieces(record, key, lang, view.year) if p)


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
            scope_en = SCOPES_EN.get(scope, scope)
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
                    escape_controls(str(r[label])),
                    escape_controls(_series_text(r, lang, view.year)),
                    length,
                    heading,
                )
            )
    return bars


def _series_text(record: dict[str, Any], lang: str, year: int | None = None) -> str:
    if lang != "en":
        text = str(record["text"])
        period = record.get("period")
        return f"{text} ({period})" if period else text
    if record.get("scope"):
        text = _rank_text({"scope": record["scope"], "position": record["value"]}, lang)
    else:
        text = _change_en(record, year)
    period = record.get("period")
    return f"{text} ({period_en(period, year)})" if period else text


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

    rows = [flat_row(r) for r in records]
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
        return [[c, escape_controls(display(record, c, lang, view.year))] for c in columns]
    return [[escape_controls(display(r, c, lang, view.year)) for c in columns] for r in records]


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
