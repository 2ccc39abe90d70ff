"""Writers of the formats that need no terminal: JSON and JSONL, CSV and TSV, Markdown,
plain tab-separated lines, and `ask`'s answers. Standard library only: the JSON path
never pays for rich."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import IO, Any

from ..base.model import flatten
from ..errors import escape_controls
from .display import Years, display, explain_text, pieces, sentence
from .views import one_record

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


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
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def can_encode(stream: IO[str], sample: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        sample.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def unicode_safe(stream: IO[str]) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    return encoding.startswith(("utf", "gb18030"))


def write_json(records: list[dict[str, Any]], stream: IO[str], *, lines: bool, single: bool) -> None:
    """JSON (an array, or one object where `single`), or JSONL where `lines`."""
    data: Any = records[0] if single and not lines else records
    if not lines:
        text = to_json(data)
        if not unicode_safe(stream) and not can_encode(stream, text):
            text = to_json(data, ascii_only=True)
        stream.write(text + "\n")
        return
    ascii_only = not unicode_safe(stream) and not can_encode(stream, to_json(records, indent=None))
    stream.writelines(to_json(r, indent=None, ascii_only=ascii_only) + "\n" for r in records)


def write_answers(
    records: list[dict[str, Any]], lang: str, years: Years, stream: IO[str], width: int | None
) -> None:
    """What `ask` found: each answer as a sentence, then its source quote and id. On a
    terminal (`width`), lines are typeset to its width (typeset.py: figures and words stay
    whole), each later line indented under the start of its text."""
    from .typeset import hang

    source = "source" if lang == "en" else "原文"
    numbered = len(records) > 1
    for n, r in enumerate(records, 1):
        lead = f"{n}. " if numbered else ""
        pad = " " * len(lead) + "  "
        year = years.of(r)
        # with several reports an id names a fact only with its report
        name = f"{r['report']}:{r['id']}" if years.several and r.get("report") else str(r["id"])
        lines = [
            (lead, sentence(r, lang, year=year)),
            (f"{pad}{source}: ", str(r["quote"])),
            (f"{pad}id: ", name),
        ]
        # The figure, its changes and period stay whole where the line has room for them.
        keep = [p for k in ("text", "growth", "change", "period") for p in pieces(r, k, lang, year)]
        for first, text in lines:
            text = escape_controls(text)
            if width:  # as a table does: a terminal cannot usefully show more
                text = cap(text)
            for line in hang(text, width, first, keep=keep) if width else [first + text]:
                stream.write(line + "\n")


def terminal_width() -> int | None:
    import shutil

    columns = shutil.get_terminal_size((0, 0)).columns
    return columns if columns >= 20 else None


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


def write_delimited(
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


def rows(
    kind: str, records: list[dict[str, Any]], columns: Sequence[str], lang: str, years: Years
) -> list[list[str]]:
    """Table cells as text; a view of one record as field / value lines."""
    if one_record(kind):
        record = records[0]
        return [
            [c, escape_controls(display(record, c, lang, years.of(record), years.several))] for c in columns
        ]
    return [
        [escape_controls(display(r, c, lang, years.of(r), years.several)) for c in columns] for r in records
    ]


def write_plain(cells: list[list[str]], stream: IO[str]) -> None:
    """Table output when stdout is not a terminal: tab-separated lines, no header (as gh does)."""
    for row in cells:
        stream.write("\t".join(row) + "\n")


def write_markdown(header: Sequence[str], cells: list[list[str]], stream: IO[str]) -> None:
    stream.write("| " + " | ".join(_md(h) for h in header) + " |\n")
    stream.write("|" + "|".join("---" for _ in header) + "|\n")
    for row in cells:
        stream.write("| " + " | ".join(_md(c) for c in row) + " |\n")


def _md(cell: str) -> str:
    return cell.replace("\\", "\\\\").replace("|", "\\|")
