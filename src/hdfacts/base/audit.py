"""Provenance audit: does a fact base say what its source text says?

Three checks, each a list of problems (empty when all hold):
- every quote is one contiguous piece of the source, character for character (white
  space aside), so that a reader searching the report for it finds it: no elision;
- every figure of a fact (as written, its growth, change and ranking) stands in its quote;
- every number written in digits in the source is stated by some fact whose quote
  covers that very occurrence (a year is covered by facts with it as their period).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..errors import FactBaseError, UsageError
from .model import Fact, FactBase
from .quantities import rank_phrases


class Problem(NamedTuple):
    check: str  # "quote", "figure", "coverage", or "source" (not the report of the facts)
    fact_id: str | None  # None for a number of the source that no fact covers
    detail: str


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def unquoted(facts: Sequence[Fact], source: str) -> list[Problem]:
    report = flat(source)
    return [
        Problem("quote", f.id, f"not in the source: {f.quote}") for f in facts if flat(f.quote) not in report
    ]


def unstated(facts: Sequence[Fact]) -> list[Problem]:
    out = []
    for f in facts:
        parts = [("text", f.text)]
        for name, c in (("growth", f.growth), ("change", f.change)):
            if c:
                parts += [(name, c.text), (f"{name} basis", c.basis)]
        for name, part in parts:
            if part and part not in f.quote:
                out.append(Problem("figure", f.id, f"{name} {part!r} is not in its quote"))
        if f.rank and not any(p in f.quote for p in rank_phrases(f.rank.scope, f.rank.position)):
            out.append(Problem("figure", f.id, f"rank {f.rank.text()} is not in its quote"))
    return out


def _stated(fact: Fact) -> str:
    fields = [fact.metric, fact.text or "", fact.period or ""]
    for c in (fact.growth, fact.change):
        if c:
            fields += [c.text, c.basis or ""]
    if fact.rank:
        fields.append(fact.rank.text())
    return " ".join(fields)


def own_number(number: str) -> re.Pattern[str]:
    """The number standing on its own: not a piece of 1.5 or 41.1, but 1 in `1.加快` (a full
    stop after it) is itself."""
    return re.compile(rf"(?<!\d)(?<!\d\.){re.escape(number)}(?!\d)(?!\.\d)")


def uncovered(facts: Sequence[Fact], source: str) -> list[Problem]:
    """Numbers of the source that no fact states where they stand."""
    report = flat(source)
    spans = []
    for fact in facts:
        stated = _stated(fact)
        quote = flat(fact.quote)
        start = report.find(quote)
        if start >= 0:
            spans.append((start, start + len(quote), stated))
    periods = {f.period for f in facts if f.period}
    # Numbers are read as the source writes them (white space parts 35.2 36.1 into two),
    # and placed in the flat text, where quotes are found.
    solid = [0]
    for ch in source:
        solid.append(solid[-1] + (not ch.isspace()))
    out = []
    for m in re.finditer(r"\d+(?:\.\d+)?", source):
        number, start, end = m.group(), solid[m.start()], solid[m.end()]
        if re.fullmatch(r"\d{4}", number) and report[end : end + 1] == "年" and f"{number}年" in periods:
            continue  # a year, stated as the period of facts
        own = own_number(number)
        if not any(s <= start and end <= e and own.search(stated) for s, e, stated in spans):
            context = report[max(0, start - 10) : end + 6]
            out.append(Problem("coverage", None, f"{number} in …{context}…"))
    return out


def audit(facts: Sequence[Fact], source: str) -> list[Problem]:
    return unquoted(facts, source) + unstated(facts) + uncovered(facts, source)


class Checked(NamedTuple):
    """One base audited against a report text: where the text was read, what was found."""

    base: FactBase
    source: Path
    problems: list[Problem]


def report_file(base: FactBase) -> Path:
    """Where a base's own report stands: the file its [report] table names, beside it."""
    if not base.meta.source:
        raise FactBaseError(base.path, "names no report file ([report] source): give it with --source")
    return Path(base.path).parent / Path(base.meta.source).name


def against(base: FactBase, source: Path | None = None) -> Checked:
    """Audit a base of one report against `source`, or else against its own report, whose
    bytes must then have the SHA-256 its [report] table gives, where it gives one."""
    import hashlib

    from .loader import decode, read_bytes

    path = source if source is not None else report_file(base)
    try:
        data = read_bytes(path)
    except FactBaseError as e:
        if source is not None:
            raise
        looked = f"{e.detail} (the report of {base.path}, its [report] source, looked for beside it)"
        raise FactBaseError(path, looked) from e
    problems = []
    digest = hashlib.sha256(data).hexdigest()
    if source is None and base.meta.sha256 and digest != base.meta.sha256:
        problems.append(
            Problem(
                "source",
                None,
                f"{path} is not the report the facts were taken from: "
                f"its SHA-256 is {digest}, [report] gives {base.meta.sha256}",
            )
        )
    return Checked(base, path, problems + audit(base.facts, decode(path, data)))


def summary(problems: Sequence[Problem]) -> str:
    """What an audit that failed found, in one line: how many problems, which facts."""
    ids = sorted({p.fact_id for p in problems if p.fact_id})
    uncovered = sum(1 for p in problems if p.check == "coverage")
    other = sum(1 for p in problems if p.check == "source")
    return (
        f"{_plural(len(problems), 'problem')}: facts {', '.join(ids) or '-'}; "
        f"{_plural(uncovered, 'number')} of the source not covered"
        + (f"; {_plural(other, 'report')} not the one the facts were taken from (SHA-256)" if other else "")
    )


def agreement(path: str, facts: int, source: object) -> str:
    """What an audit that passed says."""
    return (
        f"{path}: ok, {_plural(facts, 'fact')} agree with {source} "
        "(quotes verbatim, figures in their quotes, every number covered)"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def verify(base: FactBase, source: Path | None = None) -> list[Checked]:
    """Audit each report of the base: against `source` (a base of one report only), or
    each against its own report. In a base of several, a fact is named REPORT:ID."""
    if source is not None and base.several:
        ids = ", ".join(r.id for r in base.reports)
        raise UsageError(
            f"--source is the text of one report, and {len(base.members)} are loaded ({ids}): "
            "leave it out to check each against its own report, or name one with --report"
        )
    checked = [against(m, source) for m in base.members]
    if not base.several:
        return checked
    return [c._replace(problems=[_of_report(p, c.base.meta.id) for p in c.problems]) for c in checked]


def _of_report(p: Problem, report: str) -> Problem:
    if p.fact_id is not None:
        return p._replace(fact_id=f"{report}:{p.fact_id}")
    return p._replace(detail=f"{report}: {p.detail}")
