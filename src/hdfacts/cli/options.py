"""The options and arguments of the commands, each declared once."""

# No `from __future__ import annotations`: typer reads these annotations when it builds
# the commands, and string annotations would be evaluated again on every start (measured:
# 14-19 ms a run).

from pathlib import Path
from typing import Annotated, Any

import typer

from ..lookup.filters import Sort
from ..output.render import EXTENSIONS, FIELDS, WRITERS, Format, Lang
from ..output.views import ChartKind
from .core import complete_id, complete_report, complete_topic


def _listed(names: list[str]) -> str:
    return f"{', '.join(names[:-1])} or {names[-1]}"


# The formats as each option offers them, from the one list of formats: a command prints
# what has a writer; export writes every format but the table.
SHOWN = _listed([f.value for f in WRITERS])
FILES = _listed([f.value for f in Format if f is not Format.table])

FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=f"Output format: {SHOWN}. Default: a table on a terminal, tab-separated lines when piped.",
        show_default=False,
    ),
]
AnswerFormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=f"Output format: {SHOWN}. Default: the answers as "
        "sentences, each with its source quote and id (also for table); with --fields, a table.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (same as --format json).")]


def _fields_option(kind: str) -> Any:
    # The help lists exactly the fields that render.check_fields accepts for this kind of record.
    return typer.Option(
        "--fields",
        metavar="A,B,...",
        help=f"Show only these fields, in this order. Fields: {', '.join(FIELDS[kind])}.",
        show_default=False,
    )


FieldsOpt = Annotated[str | None, _fields_option("facts")]
TopicFieldsOpt = Annotated[str | None, _fields_option("topics")]
SeriesFieldsOpt = Annotated[str | None, _fields_option("series")]
SearchFieldsOpt = Annotated[str | None, _fields_option("explained")]  # explain implies --explain
ComparedFieldsOpt = Annotated[str | None, _fields_option("compared")]
LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang",
        envvar="HDFACTS_LANG",
        case_sensitive=False,
        metavar="LANG",
        help="Label language of tables: zh (Chinese) or en (English, units and periods too).",
    ),
]
AnswerLangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        envvar="HDFACTS_LANG",
        case_sensitive=False,
        metavar="LANG",
        help="Language of the answer: zh or en (default: the language of the question).",
        show_default=False,
    ),
]

TopicsArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[TOPIC]...",
        help="Topic slug, name or alias, also in traditional characters or pinyin: economy, 经济, jingji",
        autocompletion=complete_topic,
        show_default=False,
    ),
]
QueryArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[QUERY]...",
        help="What to look for: words, a phrase or a whole question, in Chinese, English or pinyin.",
        show_default=False,
    ),
]
CompareArg = Annotated[
    list[str],
    typer.Argument(
        metavar="QUERY...", help="What to compare, in your own words: GDP, 粮食总产量, rural income."
    ),
]
QuestionArg = Annotated[
    list[str],
    typer.Argument(metavar="QUESTION...", help="A question in your own words, e.g. 衡东县GDP是多少."),
]
IdArg = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="A fact id, an old id, or a fact's exact metric name: gdp, 引进外资.",
        autocompletion=complete_id,
    ),
]
ReportOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--report",
        metavar="ID",
        help="Only the facts of this report, when several bases are read (repeatable): hengdong-2023.",
        autocompletion=complete_report,
        show_default=False,
    ),
]
AnyOpt = Annotated[
    bool, typer.Option("--any", help="One matching word of the query is enough (default: most must match).")
]
TopicOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        "-t",
        help="Only search these topics (repeatable).",
        autocompletion=complete_topic,
        show_default=False,
    ),
]
MinOpt = Annotated[
    str | None,
    typer.Option(
        "--min",
        metavar="X",
        help="Only values of at least X: a number compares every figure, a figure with a unit "
        "(10万元, 1万吨, 50%) only figures in that unit.",
        show_default=False,
    ),
]
MaxOpt = Annotated[
    str | None,
    typer.Option("--max", metavar="X", help="Only values of at most X (as for --min).", show_default=False),
]
TopOpt = Annotated[
    int | None,
    typer.Option("--top", metavar="N", min=1, help="Only facts ranked N-th or better.", show_default=False),
]
ScopeOpt = Annotated[
    str | None,
    typer.Option(
        "--scope",
        metavar="SCOPE",
        help="Only rankings within SCOPE: 全市 (city, 市, municipal) or 全省 (province, 省, provincial).",
        show_default=False,
    ),
]
SortOpt = Annotated[
    Sort,
    typer.Option(
        "--sort",
        metavar="ORDER",
        help="Order: relevance (best match first), source (report order), value (largest first) "
        "or rank (best first).",
    ),
]
ExplainOpt = Annotated[
    bool, typer.Option("--explain", help="Show which part of the query matched which field, and the score.")
]
SourceOpt = Annotated[
    Path | None,
    typer.Option(
        "--source",
        "-s",
        metavar="REPORT.txt",
        help="The source text the facts were taken from (default: each base's own report, the "
        "\\[report] source file beside it).",
        show_default=False,
    ),
]
ReportArg = Annotated[
    Path, typer.Argument(metavar="REPORT.txt", help="The report to draft facts from (UTF-8 text).")
]
YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        min=1900,
        max=2199,
        help="The year the report is about (default: the latest year it names).",
        show_default=False,
    ),
]
PathArg = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="[PATH]...",
        help="Fact files, or directories of them, to check (default: --facts, else the shipped one).",
        show_default=False,
    ),
]
ReportIdOpt = Annotated[
    str | None,
    typer.Option(
        "--id",
        metavar="ID",
        help="The report's id in the draft's \\[report] table: lower-case letters, digits and "
        "hyphens (default: from the file name, qinghe-2023-report.txt -> qinghe-2023).",
        show_default=False,
    ),
]
OutputFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.", show_default=False
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")]
ExcelSafeOpt = Annotated[
    bool,
    typer.Option(
        "--excel-safe",
        help="CSV/TSV: put ' before a cell that starts with = + - @, so spreadsheets do not run it "
        "as a formula.",
    ),
]
ExportFormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=f"File format: {FILES}. Default: from the extension "
        f"of FILE ({' '.join(EXTENSIONS)}), else json.",
        show_default=False,
    ),
]
ChartKindArg = Annotated[ChartKind, typer.Argument(help="growth: the growth rates; rank: each ranking.")]
