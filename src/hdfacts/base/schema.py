"""Validate a parsed fact file and build the model from it.

Every problem becomes one FactBaseError whose message names the file, the line
(and column, where TOML gives one), the fact or topic and the field. Imported
only when a fact file is actually parsed: a cached base skips all of this.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import FactBaseError, QuantityError, close_matches
from .model import FACT_FIELDS, UNWRITTEN_FIELDS, Change, Fact, FactBase, Rank, Report, Topic
from .quantities import parse_change, parse_quantity
from .words import fold

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_POSITION = 100_000

TOP_KEYS = ("report", "meta", "topics", "facts")
# [meta] is the older name of the [report] table, and has no id of its own.
REPORT_KEYS = ("id", "title", "region", "year", "period", "source", "sha256")
SHA256_RE = re.compile(r"[0-9a-f]{64}")
TOPIC_KEYS = ("slug", "name", "name_en", "section", "aliases")
# A fact file holds every field of the record but those the quantity parser derives and
# its report, which the file's [report] table names.
FACT_KEYS = tuple(k for k in FACT_FIELDS if k not in UNWRITTEN_FIELDS)
CHANGE_KEYS = ("text", "basis")
RANK_KEYS = ("scope", "position")


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    import tomli

    if not text.strip():
        raise FactBaseError(path, "the file is empty: a fact base needs [report], [[topics]] and [[facts]]")
    try:
        return tomli.loads(text)
    except RecursionError:  # x = [[[...]]] hundreds deep, or a key of a thousand dotted parts
        raise FactBaseError(path, "TOML nested too deeply to be a fact file") from None
    except tomli.TOMLDecodeError as e:
        msg = getattr(e, "msg", None) or re.sub(r" \(at .*\)$", "", str(e))
        raise FactBaseError(
            path, f"TOML syntax error: {msg}", getattr(e, "lineno", None), getattr(e, "colno", None)
        ) from None


class _Checker:
    """Validates the parsed TOML; knows the raw text only to name lines in errors."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    def fail(
        self, message: str, table: str | None = None, index: int | None = None, key: str | None = None
    ) -> FactBaseError:
        return FactBaseError(self.path, message, self._line(table, index, key))

    def _line(self, table: str | None, index: int | None, key: str | None) -> int | None:
        lines = self.text.splitlines()
        if table is None:
            if key is None:
                return None
            top = re.compile(rf"\s*(\[+\s*{re.escape(key)}\s*\]|\"?{re.escape(key)}\"?\s*=)")
            return next((i + 1 for i, line in enumerate(lines) if top.match(line)), None)
        header = re.compile(rf"\s*\[\[\s*{table}\s*\]\]" if index is not None else rf"\s*\[\s*{table}\s*\]")
        starts = [i for i, line in enumerate(lines) if header.match(line)]
        pos = index or 0
        if pos >= len(starts):
            return None
        start = starts[pos]
        if key is not None:
            any_header = re.compile(r"\s*\[")
            key_re = re.compile(rf"\s*\"?{re.escape(key)}\"?\s*=")
            for i in range(start + 1, len(lines)):
                if any_header.match(lines[i]):
                    break
                if key_re.match(lines[i]):
                    return i + 1
        return start + 1

    def unknown_keys(
        self,
        table: dict[str, Any],
        allowed: tuple[str, ...],
        what: str,
        where: tuple[str | None, int | None],
        line_key: str | None = None,
    ) -> None:
        """Reject keys the format does not know: a typo would otherwise drop data silently."""
        for key in table:
            if key not in allowed:
                hint = _close(key, allowed)
                tip = f" (did you mean {hint[0]!r}?)" if hint else f" (allowed: {', '.join(allowed)})"
                raise self.fail(f"{what}: unknown key {key!r}{tip}", *where, line_key or key)

    def string(
        self,
        table: dict[str, Any],
        key: str,
        what: str,
        where: tuple[str | None, int | None],
        required: bool = True,
    ) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(f"{what}: missing required field {key!r}", *where)
            return None
        if not isinstance(value, str):
            raise self.fail(f"{what}: field {key!r} must be a string, not {_type(value)}", *where, key)
        if required and not value.strip():
            raise self.fail(f"{what}: field {key!r} is empty", *where, key)
        return value

    def strings(
        self, table: dict[str, Any], key: str, what: str, where: tuple[str | None, int | None]
    ) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{what}: field {key!r} must be a list of strings", *where, key)
        if not all(v.strip() for v in value):
            raise self.fail(f"{what}: field {key!r} holds an empty string", *where, key)
        return tuple(value)

    def subtable(
        self,
        table: dict[str, Any],
        key: str,
        what: str,
        where: tuple[str | None, int | None],
        allowed: tuple[str, ...],
    ) -> dict[str, Any] | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(f"{what}: field {key!r} must be an inline table, not {_type(value)}", *where, key)
        self.unknown_keys(value, allowed, f"{what}: field {key!r}", where, line_key=key)
        return value


def _close(word: str, choices: Sequence[str]) -> list[str]:
    return close_matches(word, choices)


def _type(value: object) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a float",
        bool: "a boolean",
        list: "an array",
        dict: "a table",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def build(data: dict[str, Any], path: Path, text: str = "") -> FactBase:
    """Validate parsed TOML and turn it into a FactBase."""
    c = _Checker(path, text)
    c.unknown_keys(data, TOP_KEYS, "top level", (None, None))
    report = _report(c, data)
    topics = _topics(c, data.get("topics"))
    facts = _facts(c, data.get("facts"), {t.slug for t in topics}, report.id)
    return FactBase(meta=report, topics=topics, facts=facts, path=str(path))


def report_id_of(path: Path) -> str:
    """The report id of a base without one: its file name as an id (Facts 2023.toml ->
    facts-2023), or "facts" where nothing of the name can be one."""
    words = re.findall(r"[a-z0-9]+", fold(path.stem))
    return "-".join(words) or "facts"


def _report(c: _Checker, data: dict[str, Any]) -> Report:
    """The [report] table (or, in an older file, [meta]); a base without either is the
    report its file name names."""
    if "report" in data and "meta" in data:
        raise c.fail(
            "has both [report] and [meta]: [meta] is the older name of [report], keep one", None, None, "meta"
        )
    key = "report" if "report" in data else "meta"
    raw = data.get(key)
    if raw is None:
        return Report(id=report_id_of(c.path))
    what, where = f"[{key}]", (key, None)
    if not isinstance(raw, dict):
        raise c.fail(f"{key!r} must be a table, not {_type(raw)}")
    c.unknown_keys(raw, REPORT_KEYS, what, where)
    year = raw.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1000 <= year <= 9999):
        raise c.fail(f"{what}: field 'year' must be a year such as 2023, not {year!r}", *where, "year")
    report_id = c.string(raw, "id", what, where, required=False)
    if report_id is None:
        report_id = report_id_of(c.path)
    elif not ID_RE.fullmatch(report_id):
        raise c.fail(
            f"{what}: id {report_id!r} must be lower-case letters, digits and hyphens, like hengdong-2023",
            *where,
            "id",
        )
    sha = c.string(raw, "sha256", what, where, required=False)
    if sha is not None and not SHA256_RE.fullmatch(sha):
        raise c.fail(f"{what}: field 'sha256' must be 64 lower-case hex digits", *where, "sha256")
    return Report(
        id=report_id,
        title=c.string(raw, "title", what, where, required=False) or "",
        region=c.string(raw, "region", what, where, required=False) or "",
        year=year,
        source=c.string(raw, "source", what, where, required=False) or "",
        sha256=sha,
        period=c.string(raw, "period", what, where, required=False) or None,
    )


def _array_of_tables(c: _Checker, raw: Any, key: str) -> None:
    if raw is None or raw == []:
        raise c.fail(f"has no [[{key}]] tables")
    if not isinstance(raw, list):
        raise c.fail(f"{key!r} must be an array of [[{key}]] tables, not {_type(raw)}")
    odd = next((t for t in raw if not isinstance(t, dict)), None)
    if odd is not None:
        raise c.fail(f"{key!r} must be an array of [[{key}]] tables; it holds {_type(odd)}", None, None, key)


def _identified(
    c: _Checker, table: dict[str, Any], kind: str, i: int, key: str, allowed: tuple[str, ...], example: str
) -> tuple[str, str, tuple[str | None, int | None]]:
    """A topic's or fact's name for messages, its checked kebab-case key, and its place."""
    where: tuple[str | None, int | None] = (f"{kind}s", i)
    raw = table.get(key)
    what = f"{kind} {raw!r}" if isinstance(raw, str) else f"{kind} #{i + 1}"
    c.unknown_keys(table, allowed, what, where)
    value = c.string(table, key, what, where) or ""
    if not ID_RE.fullmatch(value):
        raise c.fail(f"{what}: {key} must be lowercase kebab-case (like {example!r})", *where, key)
    return what, value, where


def _topics(c: _Checker, raw: Any) -> tuple[Topic, ...]:
    _array_of_tables(c, raw, "topics")
    topics: list[Topic] = []
    seen: dict[str, str] = {}
    for i, t in enumerate(raw):
        what, slug, where = _identified(c, t, "topic", i, "slug", TOPIC_KEYS, "economy")
        topic = Topic(
            slug=slug,
            name=c.string(t, "name", what, where) or "",
            name_en=c.string(t, "name_en", what, where) or "",
            section=c.string(t, "section", what, where, required=False),
            aliases=c.strings(t, "aliases", what, where),
        )
        # Folded as the command line folds a topic name (query.normalize): ｅｃｏｎ is econ.
        for name in dict.fromkeys(fold(n.strip()) for n in topic.names()):
            if name in seen:
                raise c.fail(f"{what}: the name {name!r} is already used by topic {seen[name]!r}", *where)
            seen[name] = slug
        topics.append(topic)
    return tuple(topics)


def _facts(c: _Checker, raw: Any, slugs: set[str], report: str) -> tuple[Fact, ...]:
    _array_of_tables(c, raw, "facts")
    facts: list[Fact] = []
    seen: dict[str, int] = {}
    for i, f in enumerate(raw):
        what, fid, where = _identified(c, f, "fact", i, "id", FACT_KEYS, "gdp")
        if fid in seen:
            first = c._line("facts", seen[fid], "id")
            also = f"line {first}" if first else f"fact #{seen[fid] + 1}"
            raise c.fail(f"duplicate fact id {fid!r} (first defined at {also})", *where, "id")
        seen[fid] = i
        topic = c.string(f, "topic", what, where) or ""
        if topic not in slugs:
            hint = _close(topic, sorted(slugs))
            tip = f"did you mean {hint[0]!r}?" if hint else f"topics: {', '.join(sorted(slugs))}"
            raise c.fail(f"{what}: unknown topic {topic!r} ({tip})", *where, "topic")
        text = c.string(f, "text", what, where, required=False)
        quantity = None
        if text is not None:
            quantity = _parse(c, parse_quantity, text, what, "text", where)
        facts.append(
            Fact(
                id=fid,
                topic=topic,
                metric=c.string(f, "metric", what, where) or "",
                metric_en=_optional(c, f, "metric_en", what, where) or "",
                quote=c.string(f, "quote", what, where) or "",
                text=text,
                value=quantity.value if quantity else None,
                unit=quantity.unit if quantity else None,
                qualifier=quantity.qualifier if quantity else None,
                period=c.string(f, "period", what, where, required=False),
                growth=_change(c, f, "growth", what, where),
                change=_change(c, f, "change", what, where),
                rank=_rank(c, f, what, where),
                tags=c.strings(f, "tags", what, where),
                note=_note(c, f, what, where),
                aliases=c.strings(f, "aliases", what, where),
                report=report,
            )
        )
    _check_aliases(c, facts)
    return tuple(facts)


def _note(c: _Checker, f: dict[str, Any], what: str, where: tuple[str | None, int | None]) -> str | None:
    return _optional(c, f, "note", what, where)


def _optional(
    c: _Checker, f: dict[str, Any], key: str, what: str, where: tuple[str | None, int | None]
) -> str | None:
    """A field a fact may leave out (a drafted base lacks English labels), but never leave empty."""
    value = c.string(f, key, what, where, required=False)
    if value is not None and not value.strip():
        raise c.fail(f"{what}: field {key!r} is empty (leave it out instead)", *where, key)
    return value


def _check_aliases(c: _Checker, facts: list[Fact]) -> None:
    """An alias (a renamed fact's old id) must name one fact only: `get OLD_ID` has one answer.
    Names are compared folded, as `get` looks them up."""
    owners = {fold(f.id): f"the id of fact {f.id!r}" for f in facts}
    for i, fact in enumerate(facts):
        what, where = f"fact {fact.id!r}", ("facts", i)
        for alias in fact.aliases:  # never empty: strings() refuses empty entries
            key = fold(alias)
            if key in owners:
                raise c.fail(f"{what}: alias {alias!r} is already {owners[key]}", *where, "aliases")
            owners[key] = f"an alias of fact {fact.id!r}"


def _parse(
    c: _Checker,
    parser: Callable[[str], Any],
    text: str,
    what: str,
    key: str,
    where: tuple[str | None, int | None],
) -> Any:
    try:
        return parser(text)
    except QuantityError as e:
        raise c.fail(f"{what}: field {key!r}: {e}", *where, key.split(".")[0]) from None


def _change(
    c: _Checker, f: dict[str, Any], key: str, what: str, where: tuple[str | None, int | None]
) -> Change | None:
    table = c.subtable(f, key, what, where, CHANGE_KEYS)
    if table is None:
        return None
    label = f"{what}: field {key!r}"
    text = c.string(table, "text", label, where) or ""
    q = _parse(c, parse_change, text, what, f"{key}.text", where)
    return Change(
        text=text, value=q.value, unit=q.unit, basis=c.string(table, "basis", label, where, required=False)
    )


def _rank(c: _Checker, f: dict[str, Any], what: str, where: tuple[str | None, int | None]) -> Rank | None:
    table = c.subtable(f, "rank", what, where, RANK_KEYS)
    if table is None:
        return None
    scope = c.string(table, "scope", f"{what}: field 'rank'", where) or ""
    if any(ch.isdigit() for ch in scope) or len(scope) > 20:
        raise c.fail(
            f"{what}: field 'rank': scope {scope!r} is not a place like 全市 or 全省", *where, "rank"
        )
    position = table.get("position")
    if position is None:
        raise c.fail(f"{what}: field 'rank': missing required field 'position'", *where, "rank")
    if not isinstance(position, int) or isinstance(position, bool):
        raise c.fail(
            f"{what}: field 'rank': position must be an integer, not {_type(position)}", *where, "rank"
        )
    if not 1 <= position <= MAX_POSITION:
        raise c.fail(
            f"{what}: field 'rank': position {position} is not a ranking (1 to {MAX_POSITION:,})",
            *where,
            "rank",
        )
    return Rank(scope=scope, position=position)
