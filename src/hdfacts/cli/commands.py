"""The commands: each parses its arguments, calls the library and hands a view to `emit`.
Errors are raised, never printed here: `core.ending` turns them into a line and a code."""

# No `from __future__ import annotations`: see options.py.

import typer

from ..base.loader import default_path
from ..errors import NotFoundError, UsageError, shown
from ..lookup.filters import Sort, asks_nothing, parse_filters
from ..lookup.query import facts_of, find, get
from ..output import views
from ..output.render import Format, Lang, parse_fields, plural
from .core import Output, app, base_of, echo, emit, environment, examples, facts_given, say, text
from .options import (
    AnswerFormatOpt,
    AnswerLangOpt,
    AnyOpt,
    ChartKindArg,
    CompareArg,
    ComparedFieldsOpt,
    ExcelSafeOpt,
    ExplainOpt,
    ExportFormatOpt,
    FieldsOpt,
    ForceOpt,
    FormatOpt,
    IdArg,
    JsonOpt,
    LangOpt,
    MaxOpt,
    MinOpt,
    OutputFileOpt,
    PathArg,
    QueryArg,
    QuestionArg,
    ReportArg,
    ReportIdOpt,
    ReportOpt,
    ScopeOpt,
    SearchFieldsOpt,
    SeriesFieldsOpt,
    SortOpt,
    SourceOpt,
    TopicFieldsOpt,
    TopicOpt,
    TopicsArg,
    TopOpt,
    YearOpt,
)


@app.command(epilog=examples("hdfacts topics", "hdfacts topics --lang en", "hdfacts topics --json"))
def topics(
    ctx: typer.Context,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: TopicFieldsOpt = None,
    lang: LangOpt = Lang.zh,
    report: ReportOpt = None,
) -> None:
    """List the topics with their Chinese and English names and fact counts."""
    emit(views.topics(base_of(ctx, report)), Output(format, json, fields, lang))


@app.command(
    epilog=examples(
        "hdfacts show economy", "hdfacts show 经济 projects --lang en", "hdfacts show reform --json"
    )
)
def show(
    ctx: typer.Context,
    topic: TopicsArg = None,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: FieldsOpt = None,
    lang: LangOpt = Lang.zh,
    report: ReportOpt = None,
) -> None:
    """Show the facts of one or more topics, in the order named, each in report order (no
    topic: list the topics)."""
    base, out = base_of(ctx, report), Output(format, json, fields, lang)
    if not topic:
        emit(views.topics(base), out)
        return
    whole, parts = views.facts_by_topic(base, facts_of(base, [text(t) for t in topic]), lang.value)
    emit(whole, out, parts)


@app.command(
    epilog=examples(
        "hdfacts search 粮食产量",
        "hdfacts search exports growth --lang en --explain",
        "hdfacts search --min 10亿元 --sort value",
    )
)
def search(
    ctx: typer.Context,
    terms: QueryArg = None,
    any_term: AnyOpt = False,
    topic: TopicOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    top: TopOpt = None,
    scope: ScopeOpt = None,
    sort: SortOpt = Sort.relevance,
    explain: ExplainOpt = False,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: SearchFieldsOpt = None,
    lang: LangOpt = Lang.zh,
    report: ReportOpt = None,
) -> None:
    """Find facts by what they are about: a keyword, a phrase or a question, best match first.

    The query is matched across labels, figure, period, growth, ranking, tags, quote and
    topic, through synonyms, pinyin, traditional characters and slips of the keyboard; a
    fact answers when it covers most of what the query asks, and nothing answers when the
    report does not say it. Filters select by value or ranking."""
    words, topics = [text(t) for t in terms or []], [text(t) for t in topic or []]
    if asks_nothing(words, topics, (min_value, max_value, top, scope)):
        raise UsageError("give a search term or a filter, e.g. hdfacts search 排名")
    base = base_of(ctx, report)
    scope = text(scope) if scope is not None else None
    filters = parse_filters(base, min_value, max_value, top, scope, sort)
    found = find(base, words, any_term=any_term, topics=topics, filters=filters)
    explain = explain or "explain" in (parse_fields(fields) or [])  # asked for by name
    emit(views.matches(base, found, words, explain), Output(format, json, fields, lang))
    if not found.facts:
        from ..output.why import why_nothing  # only when nothing is found

        raise NotFoundError(why_nothing(base, words, found, filters))


@app.command(
    epilog=examples(
        "hdfacts ask 衡东县GDP是多少", 'hdfacts ask "what was GDP growth"', "hdfacts ask 粮食产量 --json"
    )
)
def ask(
    ctx: typer.Context,
    question: QuestionArg,
    format: AnswerFormatOpt = None,
    json: JsonOpt = False,
    fields: FieldsOpt = None,
    lang: AnswerLangOpt = None,
    report: ReportOpt = None,
) -> None:
    """Answer a question from the report: the figure as a sentence, its source quote and id.

    When the report does not give what is asked, says so (exit 1) rather than guess."""
    from ..output.answer import answer

    base, asked = base_of(ctx, report), " ".join(text(q) for q in question)
    result = answer(base, asked, lang.value if lang else None)
    if result.compared and not (json or format):
        echo(f"{result.compared}:" if result.lang == "en" else f"{result.compared}：")
    emit(views.answers(base, result), Output(format, json, fields, Lang(result.lang), lang is not None))
    note = views.ranked_note(base, result.facts, result.lang) if result.compared else None
    if note and not (json or format):
        echo(note)
    if result.more and not (json or format):
        from shlex import quote  # as typed into a shell: a question mark or a space quoted

        again = f"hdfacts search {quote(asked)}"
        echo(f"... and {result.more} more as good: {again}", keep=[again])
    if not result.facts and result.found is not None:
        from ..output.why import why_nothing

        raise NotFoundError(why_nothing(base, [asked], result.found))


@app.command(
    epilog=examples(
        "hdfacts --facts facts.toml --facts other.toml compare GDP",
        "hdfacts --facts reports/ compare 粮食总产量 --lang en",
        "hdfacts --facts reports/ compare 城镇居民收入 --json",
    )
)
def compare(
    ctx: typer.Context,
    terms: CompareArg,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: ComparedFieldsOpt = None,
    lang: LangOpt = Lang.zh,
    report: ReportOpt = None,
) -> None:
    """Ask each report the same thing: the fact that best answers it in each, side by side
    with its period, growth and ranking. A report that does not say it says so in its row
    (exit 1 when none does)."""
    from ..lookup.compare import compare as each_report

    base, words = base_of(ctx, report), [text(t) for t in terms]
    if not any(w.strip() for w in words):
        raise NotFoundError(f"no facts match {shown(' '.join(words))} (the search term is empty)")
    answers = each_report(base, words)
    emit(views.compared(base, answers, words, lang.value), Output(format, json, fields, lang))
    note = views.compare_note(answers, lang.value)
    if note and not json and format in (None, Format.table):
        # under the table; beside lines for a script, on stderr, where it breaks no parsing
        echo(note) if format or environment().is_terminal else say(note)
    if not any(a.fact for a in answers):
        raise NotFoundError(f"no report answers {shown(' '.join(words))}")


@app.command("get", epilog=examples("hdfacts get gdp", "hdfacts get gdp --lang en", "hdfacts get gdp --json"))
def get_fact(
    ctx: typer.Context,
    fact_id: IdArg,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: FieldsOpt = None,
    lang: LangOpt = Lang.zh,
    report: ReportOpt = None,
) -> None:
    """Show one fact in full, its source quote included (by id, old id or exact metric name)."""
    base = base_of(ctx, report)
    emit(views.fact(base, get(base, text(fact_id))), Output(format, json, fields, lang))


@app.command(
    epilog=examples(
        "hdfacts export --format csv -o facts.csv",
        "hdfacts export --format sqlite -o facts.db",
        "hdfacts export --format jsonl --fields id,text,period",
    )
)
def export(
    ctx: typer.Context,
    format: ExportFormatOpt = None,
    output: OutputFileOpt = None,
    force: ForceOpt = False,
    excel_safe: ExcelSafeOpt = False,
    fields: FieldsOpt = None,
    report: ReportOpt = None,
) -> None:
    """Write every fact, in report order, to stdout or a file."""
    from ..output.export import export_format, write_database, write_export

    fmt = export_format(format, output)
    if excel_safe and fmt not in (Format.csv, Format.tsv):
        raise UsageError(f"--excel-safe is for csv and tsv, not {fmt.value}")
    base = base_of(ctx, report)
    if fmt is Format.sqlite:
        write_database(base, output, force=force)
        return
    view = views.every_fact(base)
    write_export(view, fmt, output, force=force, fields=parse_fields(fields), excel_safe=excel_safe)


@app.command(
    epilog=examples("hdfacts validate", "hdfacts validate my-facts.toml", "hdfacts validate reports/")
)
def validate(ctx: typer.Context, path: PathArg = None) -> None:
    """Check fact bases (files, or directories of them) and report the first problem (exit 0
    valid, 2 invalid): each must be valid, and no two may be the same report."""
    from ..base.loader import load_all

    targets = path or facts_given(ctx) or [default_path()]
    base = load_all(targets, cache=False)  # the real check, every time: each base is read and checked
    for m in base.members:
        lacking = sum(1 for f in m.facts if not f.metric_en)
        english = f"; {plural(lacking, 'fact')} without English (metric_en)" if lacking else ""
        echo(f"{m.path}: ok, {plural(len(m.facts), 'fact')} in {plural(len(m.topics), 'topic')}{english}")


@app.command(
    epilog=examples("hdfacts chart rank", "hdfacts chart growth --lang en", "hdfacts chart rank --json")
)
def chart(
    ctx: typer.Context,
    kind: ChartKindArg,
    format: FormatOpt = None,
    json: JsonOpt = False,
    fields: SeriesFieldsOpt = None,
    lang: LangOpt = Lang.zh,
    report: ReportOpt = None,
) -> None:
    """Draw the growth rates or the rankings as labelled bars, each with its period
    (--json: the same series as data). In a ranking chart a better rank is a longer bar."""
    emit(views.chart(base_of(ctx, report), kind, lang.value), Output(format, json, fields, lang))


@app.command(
    epilog=examples(
        "hdfacts verify",
        "hdfacts verify -s hengdong-2023-report.txt --json",
        "hdfacts --facts reports/ verify",
    )
)
def verify(
    ctx: typer.Context,
    source: SourceOpt = None,
    report: ReportOpt = None,
    format: FormatOpt = None,
    json: JsonOpt = False,
) -> None:
    """Check each fact base against its report: quotes verbatim, figures in quotes, every
    number covered, and the report the one the facts were taken from (its SHA-256)."""
    from ..base.audit import agreement, summary
    from ..base.audit import verify as audit_all

    checked = audit_all(base_of(ctx, report), source)
    problems = [p for c in checked for p in c.problems]
    if problems or format or json:
        emit(views.problems(problems), Output(format, json, None, Lang.en, lang_given=False))
    if problems:
        raise NotFoundError(summary(problems))
    if not (format or json):
        for c in checked:
            echo(agreement(c.base.path, len(c.base.facts), c.source))


@app.command(
    epilog=examples(
        "hdfacts extract report.txt -o draft.toml",
        "hdfacts --facts draft.toml verify --source report.txt",
        "hdfacts extract qinghe-2023-report.txt --id qinghe-2023 | less",
    )
)
def extract(
    report: ReportArg,
    output: OutputFileOpt = None,
    force: ForceOpt = False,
    year: YearOpt = None,
    report_id: ReportIdOpt = None,
) -> None:
    """Draft a fact base from a report of this kind: every figure with its metric, period,
    growth, change and ranking, quoted verbatim (stdout, or -o FILE), under a \\[report] table
    that names the report (id, title, region, year, file name and SHA-256). The draft passes
    validate and verify as it is; English labels, topics and a review are left to do."""
    from hashlib import sha256

    from ..base.loader import decode, read_bytes
    from ..base.schema import ID_RE
    from ..extract import MAX_REPORT, draft
    from ..extract.document import to_toml
    from ..output.export import write_text

    if report_id is not None and not ID_RE.fullmatch(report_id := text(report_id)):
        raise UsageError(f"--id {report_id!r}: an id is lower-case letters, digits and hyphens: qinghe-2023")
    data = read_bytes(report, MAX_REPORT)
    digest = sha256(data).hexdigest()
    drafted = draft(decode(report, data), report.name, year, report=report_id, sha256=digest)
    write_text(to_toml(drafted), output, force=force)


@app.command(epilog=examples("hdfacts mcp", "hdfacts --facts my-facts.toml mcp"))
def mcp(ctx: typer.Context) -> None:
    """Serve the facts to AI assistants: a Model Context Protocol server on stdin/stdout."""
    from importlib.util import find_spec

    if find_spec("mcp") is None:
        # hdfacts is installed from its checkout, not from an index: the extra comes from there.
        raise UsageError("hdfacts mcp needs the MCP SDK: pip install '.[mcp]' in the hdfacts checkout")
    base = base_of(ctx)  # a broken base ends here, before anything is served
    from ..mcp_server import serve

    serve(base)
