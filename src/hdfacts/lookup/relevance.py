"""Ranking facts for a query read by analysis.py: each part of the query is matched
across a fact's fields, facts are ranked by how well they match (named weights below),
and a fact that misses any part of the query's content is not an answer."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import NamedTuple

from ..base.model import rank_text
from .index import COUNT, COUNT_UNITS, FIELD, FIELDS, GROWTH, ITEM_SEP, SearchIndex
from .parts import Part, Query, RankWant

# How much a part found in a field says that the fact is the one meant.
FIELD_WEIGHT = {
    "metric": 10.0,  # the metric names what the fact is about
    "metric_en": 10.0,  # the same, in English
    "figure": 8.0,  # a figure typed as the report writes it (83.4亿) points at its fact
    "tags": 7.0,  # curated keywords: the words readers use
    "id": 6.0,  # an id is a short English name of the fact
    "aliases": 6.0,  # an old id of the fact
    "note": 6.0,  # what the report leaves open about the fact
    "change": 5.0,  # growth and change text (增长5.7%, 较2022年)
    "rank": 5.0,  # ranking text (全市第1)
    "period": 3.0,  # 前三季度, 1—11月: narrows, rarely identifies
    "quote": 3.0,  # the source clause often names neighbouring facts too: weaker evidence
    "topic": 1.0,  # every fact of a topic shares its names: the weakest evidence
}
CONCEPT_WEIGHT = 6.0  # a ranking or growth rate asked for, and carried by the fact as data
COUNT_HINT = 2.0  # "how many" and the fact counts things: a tie-breaker, never a condition
UNIT_HINT = 4.0  # 多少家 and the figure is in 家: the count asked for, not another one
COUNT_SAME = {"回": "次", "趟": "次", "场": "次"}  # measure words a reader uses for the report's
SOFT_WEIGHT = 1.0  # a lone character beside real words (亿 in 多少亿): a tie-breaker only
METRIC_COVER = 4.0  # times the share of the metric the query covers: 粮食产量 -> 粮食总产量 first
SYNONYM_FACTOR = 0.9  # found through a synonym or a slip, a word counts a little less than as typed
EXACT_WAYS = ("typed", "english form", "pinyin")


class Match(NamedTuple):
    """Why one part of the query found a fact: where, through which text, and how."""

    part: str
    field: str
    found: str
    via: str
    weight: float


class Hit(NamedTuple):
    fact: int  # the fact's position in the base
    score: float
    matches: tuple[Match, ...]


# --- matching and ranking ----------------------------------------------------------------


class _Needle(NamedTuple):
    text: str
    via: str
    pattern: re.Pattern[str] | None  # word or number boundaries, when plain find is not enough


def _needle(text: str, via: str) -> _Needle:
    if text[:1].isascii() and text[:1].isalpha():
        return _Needle(text, via, re.compile(rf"(?<![a-z0-9]){re.escape(text)}"))
    if text[:1].isdigit():
        tail = r"(?![\d])" if text[-1].isdigit() else ""
        return _Needle(text, via, re.compile(rf"(?<![\d.]){re.escape(text)}{tail}"))
    return _Needle(text, via, None)


def _occurs(needle: _Needle, text: str) -> bool:
    if needle.pattern is None:
        return needle.text in text
    return needle.text in text and needle.pattern.search(text) is not None


def _candidates(part: Part, index: SearchIndex, rank: RankWant | None) -> set[int]:
    if part.kind == "rank":
        r = rank or RankWant()
        return index.ranked(r.scope, r.position, r.top)
    if part.kind == "growth":
        return index.with_flag(GROWTH)
    out: set[int] = set()
    for text, _ in part.alternatives:
        out |= index.find(text)
    return out


# Graded evidence: each content part of a query weighs what it says about which fact is
# meant (a word few facts have says much, one most facts have says little: inverse
# document frequency), and a fact answers when it covers most of that weight.
COVER_MIN = 0.65  # a fact must cover this share of the query's evidence to answer it
COVER_PER_PART = 0.06
COVER_LEAST = 0.45
COVER_SLACK = 0.15  # and come within this share of the best-covered fact
SCORE_SHARE = 0.25  # of a question of several words, answers score at least this share of the best
UNKNOWN_SHARE = 0.5  # a word no fact has weighs this share of the rarest word's weight
NUMBER_SHARE = 0.25  # a bare number in a question weighs this share of a word found as often


def _is_number(text: str) -> bool:
    """A bare figure: digits and points, with at most one unit character (250个, 2022年)."""
    digits = text[:-1] if text[-1:] in "年月个万亿%" else text
    return bool(digits) and digits[0].isdigit() and all(c.isdigit() or c == "." for c in digits)


LONE_SHARE = 0.5  # a lone character weighs this share of a word found as often
TOPIC_CREDIT = 1.0  # a topic's names are its facts' words too; order, not the cut-off, ranks them last


def idf(df: int, n: int) -> float:
    """How much a part found in df facts of n says (BM25's inverse document frequency)."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


class Evidence(NamedTuple):
    """The weight of each content part of a query, and their sum."""

    weights: dict[Part, float]
    total: float


def evidence(query: Query, index: SearchIndex, sets: Sequence[set[int]]) -> Evidence:
    n = max(1, len(index))
    weights: dict[Part, float] = {}
    for part, found in zip(query.content(), sets, strict=True):
        if part.kind == "unknown":  # a longer unknown piece says more, up to twice as much
            weights[part] = idf(0, n) * UNKNOWN_SHARE * min(2.0, max(1.0, len(part.text) / 2))
        elif _is_number(part.text):  # a figure asked about (突破250个亿) checks, not finds
            weights[part] = idf(len(found), n) * NUMBER_SHARE
        elif len(part.text) == 1:  # one character of the reader's says little of what is meant
            weights[part] = idf(len(found), n) * LONE_SHARE
        else:
            weights[part] = idf(len(found), n)
    return Evidence(weights, sum(weights.values()))


def rank_facts(query: Query, index: SearchIndex, *, any_part: bool = False) -> list[Hit]:
    """The facts that cover most of the query's evidence (any part of it, with
    any_part), best first; equal scores keep report order."""
    content = query.content()
    if not content or (query.places() and not any_part):
        return []  # nothing, or another place than the report's: it says nothing of that
    sets = [_candidates(p, index, query.rank) for p in content]
    weights = evidence(query, index, sets)
    pool = set().union(*sets)
    literal = [p for p in query.parts if p.alternatives]
    needles = {p: [_needle(t, via) for t, via in p.alternatives] for p in literal}
    hits: list[tuple[Hit, float]] = []
    concepts = {p: s for p, s in zip(content, sets, strict=True) if p.kind in ("rank", "growth")}
    for i in sorted(pool):
        scored = _score(i, query, index, needles, weights, concepts)
        if scored is not None:
            hits.append(scored)
    if not any_part and hits:
        best = max(cover for _, cover in hits)
        # the more words a reader adds, the more of them are the reader's own: past three,
        # each lowers the share a fact must cover
        least = max(COVER_LEAST, COVER_MIN - COVER_PER_PART * max(0, len(weights.weights) - 3))
        floor = max(least, best - COVER_SLACK)
        hits = [(h, cover) for h, cover in hits if cover >= floor - 1e-9]
        if len(content) > 1:  # one word asked: its topic's facts are answers too, after the others
            top = max((h.score for h, _ in hits), default=0.0)
            hits = [(h, cover) for h, cover in hits if h.score >= SCORE_SHARE * top]
    hits.sort(key=lambda hc: -hc[0].score)  # stable: ties stay in report order
    return [h for h, _ in hits]


def _best_match(part: Part, needles: list[_Needle], fields: list[str], converted: bool) -> Match | None:
    """The weightiest field of a fact in which one of the part's needles occurs; None if none does."""
    best: Match | None = None
    for needle in needles:
        factor = 1.0 if needle.via in EXACT_WAYS else SYNONYM_FACTOR
        for name, text in zip(FIELDS, fields, strict=True):
            if not text:
                continue
            w = FIELD_WEIGHT[name] * factor
            if (best is None or w > best.weight) and _occurs(needle, text):
                via = "traditional" if converted and needle.via == "typed" else needle.via
                best = Match(part.text, name, needle.text, via, w)
    return best


def _score(
    i: int,
    query: Query,
    index: SearchIndex,
    needles: dict[Part, list[_Needle]],
    weights: Evidence,
    concepts: dict[Part, set[int]],
) -> tuple[Hit, float] | None:
    """Fact i's score and the share of the query's evidence it covers."""
    fields = index.fields(i) if needles else []
    matches: list[Match] = []
    score = covered_weight = 0.0
    covered = 0
    for part in query.parts:
        weight = weights.weights.get(part, 0.0)
        if part.kind in ("rank", "growth"):
            field = "rank" if part.kind == "rank" else "change"
            found = rank_text(index.rank_scopes[i], index.rank_positions[i]) if part.kind == "rank" else ""
            if i in concepts[part]:
                matches.append(Match(part.text, field, found, "concept", CONCEPT_WEIGHT))
                score += CONCEPT_WEIGHT * weight
                covered_weight += weight
            continue
        if part.kind == "count":
            if index.flags[i] & COUNT:
                # 多少家 asks for firms: a figure in 家 fits it better than one in 次
                asked = COUNT_SAME.get(part.text[-1:], part.text[-1:])
                asked = asked if asked in COUNT_UNITS else ""
                fits = bool(asked and fields and asked in fields[FIELD["figure"]])
                hint = COUNT_HINT + (UNIT_HINT if fits else 0)
                score += hint * weights.total / max(1, len(weights.weights))  # in the parts' scale
                matches.append(Match(part.text, "figure", asked if fits else "", "concept", hint))
            continue
        if part.kind not in ("word", "soft"):
            continue
        best = _best_match(part, needles[part], fields, query.converted)
        if best is None:
            continue
        if part.kind == "soft":
            best = best._replace(weight=SOFT_WEIGHT)
            score += SOFT_WEIGHT * weights.total / max(1, len(weights.weights))  # in the parts' scale
        else:
            if best.field == "metric":
                covered += len(best.found)
            score += best.weight * weight
            covered_weight += weight * (TOPIC_CREDIT if best.field == "topic" else 1.0)
        matches.append(best)
    if not matches:
        return None
    if covered and fields:
        metric = fields[1].replace(ITEM_SEP, "")
        score += METRIC_COVER * min(1.0, covered / max(1, len(metric)))
    cover = covered_weight / weights.total if weights.total else 0.0
    return Hit(i, round(score, 3), tuple(matches)), cover


def highlights(hits: Sequence[Hit]) -> list[str]:
    """The texts that matched, to mark in a table."""
    seen: dict[str, None] = {}
    for hit in hits:
        for m in hit.matches:
            if m.found:
                seen.setdefault(m.found, None)
            if m.via == "concept":  # the reader's own word for it, where the text has it too
                seen.setdefault(m.part, None)
    return list(seen)
