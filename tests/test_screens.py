"""The screens a reader sees, in a real pseudo-terminal at 60, 80, 100 and 120 columns:
no figure split or parted from its unit, no line that starts with closing punctuation or
ends with opening punctuation, no English word broken, no line over the width."""

from __future__ import annotations

import pytest

from conftest import DATA, ROOT, console_script
from hdfacts.output.render import sentence
from screens import cell_lines, check_text, stacked, tables, width_of
from terminal import run_in_terminal
from test_output import _env, _records  # one reading of the screens' records

WIDTHS = [60, 80, 100, 120]
SEVERAL = ("--facts", str(ROOT / "facts.toml"), "--facts", str(DATA / "reports"))
SCREENS = [
    ("search", "排名"),
    ("search", "招商引资"),
    ("search", "GDP增长率"),
    ("show", "projects"),
    ("show", "public-safety"),
    ("get", "fixed-asset-investment"),
    ("get", "per-capita-disposable-income"),
    ("topics",),
    # several reports: a report column, dated periods, a row that has no answer
    (*SEVERAL, "search", "排名"),
    (*SEVERAL, "compare", "GDP"),
    (*SEVERAL, "compare", "常住人口"),
]
# The columns that wrap, by header, and the field each shows.
WRAPPING = {
    "zh": {"指标": "metric", "原文": "quote", "名称": "name", "name_en": "name_en", "别名": "aliases"},
    "en": {"metric": "metric_en", "source (Chinese)": "quote", "Chinese name": "name", "name": "name_en"},
}


def _value(record: dict, field: str) -> str:
    value = record.get(field)
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def _common(screen: str, width: int) -> list[str]:
    wrong = [f"over {width} columns: {line!r}" for line in screen.splitlines() if width_of(line) > width]
    return wrong + (["a line cut short with …"] if "…" in screen else [])


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", SCREENS, ids=" ".join)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_typeset_at_every_width(args, width, lang):
    screen = run_in_terminal([console_script(), *args, "--lang", lang], width, _env())
    records = _records(args)
    wrong = _common(screen, width)
    drawn = list(tables(screen))
    if not drawn:  # too narrow for its columns: one record after another, a field a line
        fields = stacked(screen)
        assert fields, screen
        for header, field in WRAPPING[lang].items():
            texts = [t for t in (_value(r, field) for r in records) if t]
            shown = [lines for name, lines in fields if name == header]
            if not shown and ("show" in args or "compare" in args):  # these have no quote column
                continue
            assert len(shown) == len(texts), (header, screen)
            for text, lines in zip(texts, shown, strict=True):
                wrong += check_text(text, lines)
    elif args[0] == "get":  # one record as field / value rows: each value wraps in its row
        (table,) = drawn
        rows: dict[str, list[str]] = {}
        name = ""
        for field, value in table.lines:
            name = field or name
            rows.setdefault(name, []).append(value)
        for field in ("quote", "metric", "tags"):
            if field in rows:
                text = _value(records[0], field)
                if field == "tags" or (field == "metric" and lang == "en"):
                    continue  # shown changed for the language: whole lines checked below
                wrong += check_text(text, rows[field])
    else:
        for header, field in WRAPPING[lang].items():
            texts = [_value(r, field) for r in records]
            lines = [line for t in drawn for line in (t.column(header) or [])]
            if not lines:
                continue
            for text, cell in zip(texts, cell_lines(lines, texts), strict=True):
                wrong += check_text(text, cell)
    assert not wrong, "\n".join(wrong) + "\n" + screen


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "question", ["获评了哪些称号", "红色金融教育基地", "What ranked first in the city?", "GDP增长率"]
)
def test_answers_typeset_at_every_width(question, width, base):
    screen = run_in_terminal([console_script(), "ask", question], width, _env())
    records = _records(("ask", question))
    wrong = _common(screen, width)
    lines = screen.splitlines()
    lang = "zh" if any(ord(c) > 0x2E80 for c in question) else "en"
    label = "原文: " if lang == "zh" else "source: "
    sentence_at = 0
    for record in records:
        quote_at = next(
            i for i, x in enumerate(lines) if x.strip().startswith(label) and record["quote"][:4] in x
        )
        id_at = next(i for i in range(quote_at, len(lines)) if lines[i].strip().startswith("id: "))
        indent = lines[quote_at].index(label) + len(label)
        quote_lines = [lines[quote_at][indent:], *lines[quote_at + 1 : id_at]]
        assert all(x.startswith(" " * indent) for x in lines[quote_at + 1 : id_at]), screen  # hanging indent
        wrong += check_text(record["quote"], quote_lines)
        said = sentence(record, lang, year=base.meta.year)
        first = sentence_at
        sentence_at = id_at + 1
        head = lines[first]
        lead = len(head) - len(head.lstrip("0123456789. ")) if head[:1].isdigit() else 0
        wrong += check_text(said, [head[lead:], *lines[first + 1 : quote_at]])
    assert not wrong, "\n".join(wrong) + "\n" + screen


@pytest.mark.slow
@pytest.mark.parametrize(
    "command", ["", "topics", "show", "search", "ask", "get", "export", "validate", "verify", "chart", "mcp"]
)
def test_help_is_whole_at_80_columns(command):
    screen = run_in_terminal([console_script(), *command.split(), "--help"], 80, _env())
    assert "Usage:" in screen
    assert not _common(screen, 80), screen


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("chart", "Usage: hdfacts chart [OPTIONS] KIND"),
        ("ask", "Usage: hdfacts ask [OPTIONS] QUESTION..."),
        ("get", "Usage: hdfacts get [OPTIONS] ID"),
        ("search", "Usage: hdfacts search [OPTIONS] [QUERY]..."),
    ],
)
def test_help_usage_and_paragraphs(cli, command, usage):
    from hdfacts.cli.helptext import reflow

    out = cli(command, "--help", env={"COLUMNS": "80", "NO_COLOR": "1"}).stdout
    assert usage in out
    assert "…" not in out and "{" not in out.split("\n\n")[1]  # no cut lines, no typer braces
    # The docstring's paragraphs, reflowed: every line of the prose but a paragraph's last
    # is filled to near the width, whatever line breaks the source has.
    lines = out.splitlines()
    prose = lines[
        lines.index(next(x for x in lines if usage in x)) + 1 : next(
            i for i, x in enumerate(lines) if "─" in x
        )
    ]
    paragraphs = [p.split("\n") for p in "\n".join(x.strip() for x in prose).strip().split("\n\n")]
    assert len(paragraphs) == len(reflow(_doc(command)).split("\n\n")), out
    for paragraph in paragraphs:
        assert all(width_of(x) > 60 for x in paragraph[:-1]), out


def _doc(command: str) -> str:
    from hdfacts.cli import commands

    return getattr(commands, {"get": "get_fact"}.get(command, command)).__doc__ or ""
