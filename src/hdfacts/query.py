"""Pure queries over a FactBase: topics, lookup by id, search. Nothing here prints."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any, NamedTuple

from . import facets
from .analysis import Readers, analyze
from .errors import NotFoundError, UsageError, close_matches, shown
from .facets import Gap, asked_facets
from .index import index_of, normalize
from .model import Fact, FactBase, Topic, rank_text
from .parts import Query, is_han
from .relevance import Hit, highlights, rank_facts


def find_topic(base: FactBase, name: str) -> Topic:
    """The topic a slug, Chinese or English name or alias names, also in traditional
    characters (農業) or pinyin (nongye); UsageError with a suggestion if none."""
    wanted = normalize(name.strip())
    for topic in base.topics:
        if wanted in (normalize(n) for n in topic.names()):
            return topic
    found = _topic_by_other_writing(base, wanted)
    if found is not None:
        return found
    from . import matching  # loaded already by the second chances above

    names = {normalize(n): t.slug for t in base.topics for n in t.names()}
    close = [names[c] for c in close_matches(matching.simplified(wanted) or wanted, names)]
    if not close and matching.is_pinyin_like(wanted):  # jingjj -> jingji, which is economy
        readings = {matching.pinyin_of(n): t.slug for t in base.topics for n in t.names()}
        readings.pop("", None)
        close = [readings[c] for c in close_matches(wanted.replace(" ", ""), readings)]
    hint = f"did you mean {close[0]}? " if close else ""
    valid = ", ".join(t.slug for t in base.topics)
    raise UsageError(f"unknown topic {shown(name)}: {hint}valid topics: {valid}")


def _topic_by_other_writing(base: FactBase, wanted: str) -> Topic | None:
    """A topic named in traditional characters or in pinyin; None if none is."""
    from . import matching  # OpenCC and pypinyin: only for a name that is not found as typed

    converted = matching.simplified(wanted)
    if converted is not None:
        return next((t for t in base.topics if converted in (normalize(n) for n in t.names())), None)
    if not matching.is_pinyin_like(wanted):
        return None
    letters = wanted.replace(" ", "")
    hits = [t for t in base.topics if any(matching.pinyin_of(n) == letters for n in t.names())]
    if len(hits) > 1:
        raise UsageError(
            f"topic {shown(wanted)} reads as several topics ({', '.join(t.slug for t in hits)}): give a slug"
        )
    return hits[0] if hits else None


def facts_of(base: FactBase, names: Iterable[str]) -> list[Fact]:
    """The facts of the named topics: topic by topic in the order named, each topic's facts
    in report order."""
    slugs = list(dict.fromkeys(find_topic(base, n).slug for n in names))
    topics = base.fact_topics()
    return [base.facts[i] for slug in slugs for i, t in enumerate(topics) if t == slug]


def get(base: FactBase, name: str) -> Fact:
    """One fact by id, by an old id (an alias), or by its exact metric name in Chinese or
    English; NotFoundError, with close ids suggested, if there is none."""
    fact = base.fact(name.strip())
    if fact is not None:
        return fact
    wanted = normalize(name.strip())
    by_metric = [f for f in base.facts if wanted in (normalize(f.metric), normalize(f.metric_en))]
    if len(by_metric) == 1:
        return by_metric[0]
    if by_metric:
        several = ", ".join(f.id for f in by_metric[:5])
        more = f" and {len(by_metric) - 5:,} more" if len(by_metric) > 5 else ""
        raise UsageError(f"{shown(name)} is the metric of several facts: give one id of {several}{more}")
    # Suggest by id, old id or metric: `get 地区生产总值` is close to gdp's metric.
    names = {normalize(fid): fid for fid in base.fact_ids()}
    names.update((normalize(alias), fid) for alias, fid in base.fact_aliases())
    for f in base.facts:
        names.update(((normalize(f.metric), f.id), (normalize(f.metric_en), f.id)))
    close = close_matches(wanted, names, n=3, containing=True)
    ids = list(dict.fromkeys(names[c] for c in close))
    hint = f" (did you mean {', '.join(ids)}?)" if ids else ""
    raise NotFoundError(f"no fact with id {shown(name)}{hint}")


class Found(NamedTuple):
    """What a search found: the facts, best first, and why each came back."""

    facts: list[Fact]
    hits: dict[str, Hit]  # by fact id; empty for a search by filters alone
    query: Query | None
    highlight: list[str]
    gap: Gap | None = None  # what the facts about the query's subject lack of what it asks

    def explain(self, fact_id: str) -> dict[str, Any]:
        """Which part of the query matched which field of a fact, and its score."""
        hit = self.hits.get(fact_id)
        if hit is None:
            return {"score": None, "matches": []}
        return {"score": hit.score, "matches": [m._asdict() for m in hit.matches]}


SLIP_LOOKUPS = 150  # pieces of one question looked up as homophones of the base's words
WORD_LOOKUPS = 1000  # and as words of the dictionary (a binary search each)


def analyze_query(base: FactBase, text: str) -> Query:
    """A reader's query, read against the base (pinyin and traditional characters
    are looked at only for what cannot be read as typed)."""
    index = index_of(base)

    def pinyin(term: str) -> list[str]:
        from .matching import pinyin_strings

        return pinyin_strings(base, index, term)

    def convert(term: str) -> str:
        from .matching import simplified

        return simplified(term) or term

    slips: dict[str, list[str]] = {}

    def homophone(piece: str) -> list[str]:
        # a question has a few words of its own, not hundreds: past SLIP_LOOKUPS pieces a
        # text is no question, and its pieces stay unread (so any text reads in linear time)
        if piece not in slips and len(slips) < SLIP_LOOKUPS:
            from .matching import homophones

            slips[piece] = homophones(base, index, piece)
        return slips.get(piece, [])

    def spell(word: str) -> list[str]:
        from .matching import spelled

        return spelled(base, index, word)

    def translate(word: str) -> list[str]:
        from .vocab import english_to_base

        return list(english_to_base(base, index).get(word, ()))

    looked: dict[str, str | None] = {}

    def pos(word: str) -> str | None:
        if word not in looked and len(looked) < WORD_LOOKUPS:
            from .vocab import words

            looked[word] = words(base).pos(word)
        return looked.get(word)

    from .lexicon import lexicon

    readers = Readers(pinyin, convert, homophone, spell, translate, pos)
    return analyze(text, index, readers, lexicon(base.store))


def find(
    base: FactBase,
    terms: Sequence[str],
    *,
    any_term: bool = False,
    topics: Sequence[str] = (),
    filters: Filters | None = None,
) -> Found:
    """Facts that match the query's content (any part of it, with any_term), in the
    topics given, that pass the filters; best first unless the filters sort them."""
    slugs = {find_topic(base, n).slug for n in topics}
    filters = filters or Filters()
    text = " ".join(t for t in terms if t.strip())
    if terms and not text:
        return Found([], {}, None, [])  # only blank terms: a question with no answer
    if not text:
        indexes = list(range(len(base.facts)))
        hits: list[Hit] = []
        query = None
    else:
        query = analyze_query(base, text)
        hits = rank_facts(query, index_of(base), any_part=any_term)
        if not any_term:
            hits = _with_each_part(base, text, hits)
        indexes = [h.fact for h in hits]
        if filters.sort is Sort.source:
            indexes.sort()
    if slugs:
        fact_topics = base.fact_topics()
        indexes = [i for i in indexes if fact_topics[i] in slugs]
    # Facts are built only here, for the matches: a cached base of 100,000 facts
    # builds a handful for a narrow search.
    facts = filters.apply([base.facts[i] for i in indexes])
    gap = None
    asked = asked_facets(text) if query is not None and not any_term else []
    if asked and facts:
        gaps = [facets.gap(f, asked, base.meta.year) for f in facts]
        gap = next((g for g in gaps if g is not None), None)
        facts = [f for f, g in zip(facts, gaps, strict=True) if g is None]
    elif asked and query is not None:
        # nothing has all that is asked: do the facts about its subject lack a facet of it?
        subject = analyze_query(base, facets.without_facets(text))
        subject = subject._replace(parts=tuple(p for p in subject.parts if p.kind != "growth"))
        about = filters.apply([base.facts[h.fact] for h in rank_facts(subject, index_of(base))])
        gap = next((g for g in (facets.gap(f, asked, base.meta.year) for f in about) if g), None)
    ids = base.fact_ids()  # once: a parsed base builds this list on every call
    by_id = {ids[h.fact]: h for h in hits}
    kept = [by_id[f.id] for f in facts if f.id in by_id]
    hits_by_id = {f.id: by_id[f.id] for f in facts if f.id in by_id}
    return Found(facts, hits_by_id, query, highlights(kept), None if facts else gap)


# Where a question asks for several things at once (个数、总投资和已完成投资; growth rates
# for GDP, incomes, investment), each thing is asked on its own, with the words around
# the list: those before its first item and after its last.
_SEPARATORS = re.compile(
    r"[、,，;；/&]|以及|(?<=[\u3400-\u9fff])[和及与](?=[\u3400-\u9fff])|\b(?:and|or|he)\b"
)
MAX_ASKED = 8  # things asked at once: a longer list is read as one question
ITEM_SHARE = 0.5  # an item's answers: those scoring at least this share of its best


def _with_each_part(base: FactBase, text: str, hits: list[Hit]) -> list[Hit]:
    """The hits of the whole question, then those of each thing it asks for."""
    pieces = [p for p in _SEPARATORS.split(text) if p and p.strip()]
    if not 1 < len(pieces) <= MAX_ASKED:
        return hits
    read = [[p.text for p in analyze_query(base, piece).parts] for piece in pieces]
    if sum(1 for words in read if words) < 2:
        return hits
    # the first piece is the frame's head and the first item (a lone word is both: 招商引资
    # in 招商引资有哪些成绩,签了好多项目); the last, the last item and the frame's tail
    head, tail = read[0][:-1] or read[0], read[-1][1:]
    items = [read[0][-1:], *read[1:-1], read[-1][:1]]
    out = {h.fact: h for h in hits}
    index = index_of(base)
    for item in items:
        if not item:
            continue
        # with its frame; an item that is a thing of its own (粮食播种面积 he 总产量) alone
        found = rank_facts(analyze_query(base, " ".join([*head, *item, *tail])), index) or rank_facts(
            analyze_query(base, " ".join(item)), index
        )
        best = found[0].score if found else 0.0
        for hit in found:
            if hit.score >= ITEM_SHARE * best:
                out.setdefault(hit.fact, hit)
    return list(out.values())


def search(
    base: FactBase,
    terms: Sequence[str],
    *,
    any_term: bool = False,
    topics: Sequence[str] = (),
    filters: Filters | None = None,
) -> list[Fact]:
    """The facts of `find`, best first."""
    return find(base, terms, any_term=any_term, topics=topics, filters=filters).facts


def suggest(base: FactBase, terms: Sequence[str]) -> str | None:
    """A close term for a search that found nothing, or None."""
    from .matching import suggestion

    for term in terms:
        for word in normalize(term).split():
            if word and not index_of(base).contains(word):
                close = suggestion(base, word)
                if close:
                    return close
    return None


MENTION_SPAN = 24  # characters of the report shown on each side of a word it mentions


def mentions(base: FactBase, words: Sequence[str]) -> tuple[str, str] | None:
    """The first word the report mentions, with the clause it stands in; None if none."""
    if not words:
        return None
    from .loader import source_text

    report = source_text(base)
    if report is None:
        return None
    folded = normalize(report)
    for word in words:
        at = folded.find(normalize(word))
        if at == -1:
            continue
        start = max((folded.rfind(c, 0, at) for c in "。；;！？\n"), default=-1) + 1
        ends = [e for e in (folded.find(c, at) for c in "。；;！？\n") if e != -1]
        end = min(ends, default=len(report))
        start, end = max(start, at - MENTION_SPAN), min(end, at + len(word) + MENTION_SPAN)
        return word, folded[start:end].strip()  # the folded text: its offsets are the ones found
    return None


def why_nothing(base: FactBase, terms: Sequence[str], found: Found) -> str:
    """Why a search found nothing, in one line, and what the report has instead."""
    asked = " ".join(terms)
    query = found.query
    if query is None:
        if terms:
            return f"no facts match {shown(asked)} (the search term is empty)"
        return "no facts pass the filters"
    said = f"no facts match {shown(asked)}"
    if found.gap is not None:
        lang = "zh" if any(is_han(c) for c in asked) else "en"
        return f"{said}: {found.gap.describe(lang, base.meta.year)}"
    unknown = query.unknown()
    mentioned = mentions(base, [p.text for p in unknown])
    if mentioned:
        word, sentence = mentioned
        return f"{said}: the report mentions {shown(word)} but states no figure for it: {shown(sentence)}"
    if unknown:
        close = suggest(base, [p.text for p in unknown])
        hint = f" (did you mean {close}?)" if close else ""
        if [p.text for p in unknown] == [normalize(asked).strip()]:
            return f"{said}: the report never mentions it{hint}"
        return f"{said}: the report never mentions {', '.join(shown(p.text) for p in unknown)}{hint}"
    content = query.content()
    if not content:
        return f"{said}: it has no words to look for"
    rank = query.rank
    if rank is not None and (rank.scope or rank.position or rank.top):
        index = index_of(base)
        if not index.ranked(rank.scope, rank.position, rank.top):
            have: dict[tuple[str, int], int] = {}
            for scope, pos in zip(index.rank_scopes, index.rank_positions, strict=True):
                if scope:
                    have[scope, pos] = have.get((scope, pos), 0) + 1
            listed = ", ".join(f"{rank_text(*k)} ({have[k]})" for k in sorted(have)) or "none"
            return f"{said}: the report has no ranking {rank.describe()}; its rankings are {listed}"
    if len(content) > 1 and not found.hits:
        return f"{said}: no fact has all of {', '.join(shown(p.text) for p in content)}"
    return said


class Sort(str, Enum):
    relevance = "relevance"
    source = "source"
    value = "value"
    rank = "rank"


class Filters(NamedTuple):
    """Value and ranking filters, and the order of the results."""

    min_value: float | None = None
    max_value: float | None = None
    top: int | None = None
    scope: str | None = None
    sort: Sort = Sort.relevance
    # What the bounds measure (quantities.unit_family): 10万元 compares only 元 figures. None: all.
    unit: str | None = None

    def active(self) -> bool:
        return any(v is not None for v in (self.min_value, self.max_value, self.top, self.scope))

    def apply(self, facts: list[Fact]) -> list[Fact]:
        scope = self.scope  # as the facts write it: the CLI reads readers' names (city, 市级)
        out = [
            f
            for f in facts
            if (self.unit is None or _unit_family(f.unit) == self.unit)
            and (self.min_value is None or (f.value is not None and f.value >= self.min_value))
            and (self.max_value is None or (f.value is not None and f.value <= self.max_value))
            and (self.top is None or (f.rank is not None and f.rank.position <= self.top))
            and (scope is None or (f.rank is not None and f.rank.scope == scope))
        ]
        if self.sort is Sort.value:  # largest first; facts without a value last
            out.sort(key=lambda f: (f.value is None, -(f.value or 0)))
        elif self.sort is Sort.rank:  # best first; unranked last
            out.sort(key=lambda f: (f.rank is None, f.rank.position if f.rank else 0))
        return out


def _unit_family(unit: str | None) -> str | None:
    from .quantities import unit_family  # only for a bound with a unit

    return unit_family(unit)


def parse_filters(
    base: FactBase,
    min_text: str | None = None,
    max_text: str | None = None,
    top: int | None = None,
    scope: str | None = None,
    sort: Sort = Sort.relevance,
) -> Filters:
    """Filters from what a reader wrote: --min/--max as figures (10万元 compares only 元
    figures), --scope in the readers' words (city, 市级); UsageError for what cannot be."""
    low = high = unit = found_scope = None
    if min_text is not None or max_text is not None or scope is not None:
        from .errors import QuantityError  # the quantity parser: 2 ms, for filters only
        from .quantities import parse_bound, parse_scope, unit_family

        families: dict[str, str] = {}
        bounds: list[float | None] = []
        for option, text in (("--min", min_text), ("--max", max_text)):
            if text is None:
                bounds.append(None)
                continue
            try:
                bound = parse_bound(text)
            except QuantityError as e:
                raise UsageError(f"{option}: {e}") from e
            bounds.append(bound.value)
            family = unit_family(bound.unit)
            if family:
                families[option] = family
        if len(set(families.values())) > 1:
            raise UsageError(
                f"--min {min_text} and --max {max_text} name different units: give one unit, or none"
            )
        low, high = bounds
        unit = next(iter(families.values()), None)
        if scope is not None:
            try:
                found_scope = parse_scope(scope, {f.rank.scope for f in base.facts if f.rank})
            except QuantityError as e:
                raise UsageError(f"--scope: {e}") from e
    return Filters(min_value=low, max_value=high, top=top, scope=found_scope, sort=sort, unit=unit)


class ChartKind(str, Enum):
    growth = "growth"
    rank = "rank"


def chart_series(base: FactBase, kind: ChartKind) -> list[dict[str, object]]:
    """The data of a chart: growth rates, or rankings (position within their scope)."""
    out: list[dict[str, object]] = []
    for f in base.facts:
        if kind is ChartKind.growth and f.growth:
            out.append(
                {
                    "id": f.id,
                    "metric": f.metric,
                    "metric_en": f.metric_en,
                    "text": f.growth.text,
                    "value": f.growth.value,
                    "unit": f.growth.unit,
                    "scope": None,
                    "period": f.period,
                }
            )
        elif kind is ChartKind.rank and f.rank:
            out.append(
                {
                    "id": f.id,
                    "metric": f.metric,
                    "metric_en": f.metric_en,
                    "text": f.rank.text(),
                    "value": f.rank.position,
                    "unit": None,
                    "scope": f.rank.scope,
                    "period": f.period,
                }
            )
    return out
