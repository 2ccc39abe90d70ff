"""The sets of reader questions kept beside the project (../shared/queries), scored as
their `about` says: kind `one` passes when the first answer's id is gold, `set` when each
member has one of its ids among the first len(members)+3 answers and no more come back,
`none` when nothing comes back. Used by the benchmark and the tests alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

QUERIES = Path(__file__).resolve().parents[2] / "shared" / "queries"


def question_sets() -> list[Path]:
    return sorted(QUERIES.glob("search-dev*.json"))


def score(base: Any, path: Path) -> tuple[dict[str, list[int]], list[tuple[str, list[str]]]]:
    """Per kind [right, total], and the questions missed with what came back."""
    from hdfacts import get
    from hdfacts.lookup.query import find

    counts = {"one": [0, 0], "set": [0, 0], "none": [0, 0]}
    misses = []
    for q in json.loads(path.read_text(encoding="utf-8"))["queries"]:
        got = [f.id for f in find(base, [q["q"]]).facts]
        members = [{get(base, g).id for g in (m if isinstance(m, list) else [m])} for m in q["gold"]]
        if q["kind"] == "one":
            ok = bool(got) and got[0] in set().union(*members)
        elif q["kind"] == "set":
            room = len(members) + 3
            ok = all(m & set(got[:room]) for m in members) and len(got) <= room
        else:
            ok = not got
        counts[q["kind"]][0] += ok
        counts[q["kind"]][1] += 1
        if not ok:
            misses.append((q["q"], got[:5]))
    return counts, misses


def summary(base: Any) -> str | None:
    """One line per set: first answer right, sets complete, honest silence."""
    lines = []
    for path in question_sets():
        c, _ = score(base, path)
        lines.append(
            f"{path.name}: first answer right {c['one'][0]}/{c['one'][1]}, "
            f"sets complete {c['set'][0]}/{c['set'][1]}, honest silence {c['none'][0]}/{c['none'][1]}"
        )
    return "\n".join(lines) or None
