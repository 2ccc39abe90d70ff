"""A drafted base as a TOML fact file in the shipped schema, with the numbers that are
no figure listed in a comment block at its end."""

from __future__ import annotations

import json
from typing import Any

from . import Drafted
from .build import Draft
from .naming import english, slug, topic_of, unique

CONTEXT = 8  # characters of the report shown either side of a number skipped


def _string(value: str) -> str:
    # A JSON string without ASCII escaping is a TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, int):
        return str(value)
    return _string(str(value))


def records(d: Drafted) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The [[topics]] and [[facts]] tables of the draft, in report order."""
    text = d.reading.text
    topics: dict[str, dict[str, Any]] = {}
    facts: list[dict[str, Any]] = []
    ids = unique(slug(x.metric) for x in d.drafts)
    for fid, x in zip(ids, d.drafts, strict=True):
        own = topic_of(x.clause.heading)
        key, name, name_en = own if own[0] != "other" else topic_of(x.metric, text[x.start : x.end])
        topic = topics.setdefault(key, {"slug": key, "name": name, "name_en": name_en, "aliases": []})
        if x.clause.section and "section" not in topic:
            topic["section"] = x.clause.section
        if own[0] == key and x.clause.heading and x.clause.heading not in topic["aliases"]:
            topic["aliases"].append(x.clause.heading)
        facts.append(_fact(fid, key, x, text))
    names = {n for t in topics.values() for n in (t["slug"], t["name"], t["name_en"])}
    for t in topics.values():  # an alias may name one topic only
        t["aliases"] = [a for a in t["aliases"] if a not in names]
        names.update(t["aliases"])
    order = ("slug", "name", "name_en", "section", "aliases")
    return [{k: t[k] for k in order if t.get(k)} for t in topics.values()], facts


def _fact(fid: str, topic: str, x: Draft, text: str) -> dict[str, Any]:
    record: dict[str, Any] = {"id": fid, "topic": topic, "metric": x.metric}
    label = english(x.metric)
    if label:
        record["metric_en"] = label
    for key, value in (
        ("text", x.text),
        ("period", x.period),
        ("growth", {"text": x.growth, "basis": x.growth_basis} if x.growth else None),
        ("change", {"text": x.change[0], "basis": x.change[1]} if x.change else None),
        ("rank", {"scope": x.rank[0], "position": x.rank[1]} if x.rank else None),
    ):
        if value:
            record[key] = {k: v for k, v in value.items() if v} if isinstance(value, dict) else value
    record["quote"] = text[x.start : x.end].strip()
    if x.notes:
        record["note"] = " ".join(x.notes)
    return record


def to_toml(d: Drafted) -> str:
    """The draft as a fact file."""
    topics, facts = records(d)
    lines = [
        f"# Drafted by `hdfacts extract` from {d.source}: check every fact against the report,",
        "# add English labels (metric_en) and tags, and name the topics before publishing it.",
        "",
        "[report]",
        f"id = {_string(d.id)}",
        f"title = {_string(d.title)}",
        f"region = {_string(d.region)}",
        f"year = {d.year}",
        f"source = {_string(d.source)}",
    ]
    if d.sha256:
        lines.append(f"sha256 = {_string(d.sha256)}")
    for table, rows in (("topics", topics), ("facts", facts)):
        for row in rows:
            lines += ["", f"[[{table}]]"]
            lines += [
                f"{k} = [{', '.join(_string(a) for a in v)}]" if isinstance(v, list) else f"{k} = {_value(v)}"
                for k, v in row.items()
            ]
    lines += ["", *skipped_block(d)]
    return "\n".join(lines) + "\n"


def skipped_block(d: Drafted) -> list[str]:
    """The comment block: each number of the report that is no figure, where it stands and why."""
    if not d.skipped:
        return ["# Every number of the report is drafted above."]
    out = ["# Numbers of the report that are not facts, and why (not drafted):"]
    text = d.reading.text
    for s in sorted(set(d.skipped), key=lambda s: s.start):
        context = text[max(0, s.start - CONTEXT) : s.end + CONTEXT]
        context = " ".join(context.split())
        out.append(f"#   {s.text}  …{context}…  {s.reason}")
    return out
