"""Pure queries over a FactBase: topics, lookup by id, search. Nothing here prints."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from ..base.model import Fact, FactBase, Topic, qualified
from ..base.words import HAN
from ..errors import NotFoundError, UsageError, close_matches, shown
from . import facets
from .analysis import Readers, analyze
from .facets import Gap, asked_facets
from .filters import Filters, Sort
from .index import normalize
from .parts import Query
from .relevance import Hit, highlights, rank_facts
from .searcher import index_of, searcher_of


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
    """One fact by id, by an old id (an alias), by REPORT:ID, or by its exact metric name in
    Chinese or English; NotFoundError, with close ids suggested, if there is none, and
    UsageError where a bare id or a metric names a fact in several reports."""
    named = base.named(name.strip())
    if len(named) == 1:
        return named[0]
    if named:
        raise UsageError(
            f"{shown(name)} is in several reports: give one of {', '.join(f.key for f in named)}"
        )
    report, bare = qualified(name.strip())
    scope = base if report is None else base.member(report)
    if scope is None:
        reports = ", ".join(r.id for r in base.reports)
        raise NotFoundError(f"no report {shown(report or '')} among the loaded ones ({reports})")
    wanted = normalize(bare)
    by_metric = [f for f in scope.facts if wanted in (normalize(f.metric), normalize(f.metric_en))]
    if len(by_metric) == 1:
        return by_metric[0]
    if by_metric:
        several = ", ".join(f.key if scope.several else f.id for f in by_metric[:5])
        more = f" and {len(by_metric) - 5:,} more" if len(by_metric) > 5 else ""
        raise UsageError(f"{shown(name)} is the metric of several facts: give one id of {several}{more}")
    # Suggest by id, old id or metric: `get 地区生产总值` is close to gdp's metric.
    names = {normalize(fid): fid for fid in scope.fact_ids()}
    names.update((normalize(alias), fid) for alias, fid in scope.fact_aliases())
    for f in scope.facts:
        names.update(((normalize(f.metric), f.id), (normalize(f.metric_en), f.id)))
    close = close_matches(wanted, names, n=3, containing=True)
    ids = list(dict.fromkeys(names[c] for c in close))
    if report is not None:
        ids = [f"{report}:{i}" for i in ids]
    elif scope.several:  # an id that several reports have is named with each of them
        ids = [k for i in ids for k in _names_of(scope, i)]
    hint = f" (did you mean {', '.join(ids)}?)" if ids else ""
    raise NotFoundError(f"no fact with id {shown(name)}{hint}")


def _names_of(base: FactBase, fact_id: str) -> list[str]:
    """How to name the facts of an id: itself, or REPORT:ID for each report that has it."""
    named = base.named(fact_id)
    return [f.key for f in named] if len(named) > 1 else [fact_id]


class Found(NamedTuple):
    """What a search found: the facts, best first, and why each came back."""

    facts: list[Fact]
    hits: dict[str, Hit]  # by the fact's key (REPORT:ID); empty for a search by filters alone
    query: Query | None
    highlight: list[str]
    gap: Gap | None = None  # what the facts about the query's subject lack of what it asks
    matched: int = 0  # facts the words and topics found, before the filters

    def hit(self, fact: Fact) -> Hit | None:
        return self.hits.get(fact.key)

    def explain(self, fact: Fact) -> dict[str, Any]:
        """Which part of the query matched which field of a fact, and its score."""
        hit = self.hit(fact)
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

    readers = Readers(pinyin, convert, homophone, spell, translate, pos)
    return analyze(text, index, readers, searcher_of(base).lexicon)


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
    picked, wanted = _picked(base, text)
    if not text:
        indexes = list(range(len(base.facts)))
        hits: list[Hit] = []
        query = None
    else:
        query = analyze_query(base, wanted)
        hits = rank_facts(query, index_of(base), any_part=any_term)
        if not any_term:
            hits = _with_each_part(base, wanted, hits)
        indexes = [h.fact for h in hits]
        if filters.sort is Sort.source:
            indexes.sort()
    if slugs:
        fact_topics = base.fact_topics()
        indexes = [i for i in indexes if fact_topics[i] in slugs]
    if picked is not None:
        indexes = [i for i in indexes if base.fact_reports()[i] in picked]
    # Facts are built only here, for the matches: a cached base of 100,000 facts
    # builds a handful for a narrow search.
    matched = len(indexes)
    facts = filters.apply([base.facts[i] for i in indexes])
    gap = None
    asked = asked_facets(text) if query is not None and not any_term else []
    if asked and facts:
        gaps = [facets.gap(f, asked, base.year_of(f)) for f in facts]
        gap = next((g for g in gaps if g is not None), None)
        facts = [f for f, g in zip(facts, gaps, strict=True) if g is None]
    elif asked and query is not None:
        # nothing has all that is asked: do the facts about its subject lack a facet of it?
        subject = analyze_query(base, facets.without_facets(wanted))
        subject = subject._replace(parts=tuple(p for p in subject.parts if p.kind != "growth"))
        about = filters.apply([base.facts[h.fact] for h in rank_facts(subject, index_of(base))])
        if picked is not None:
            about = [f for f in about if f.report in picked]
        gap = next((g for g in (facets.gap(f, asked, base.year_of(f)) for f in about) if g), None)
    ids, reports = base.fact_ids(), base.fact_reports()  # once: a parsed base builds these per call
    by_key = {f"{reports[h.fact]}:{ids[h.fact]}": h for h in hits}
    kept = {f.key: by_key[f.key] for f in facts if f.key in by_key}
    return Found(facts, kept, query, highlights(list(kept.values())), None if facts else gap, matched)


def _picked(base: FactBase, text: str) -> tuple[frozenset[str] | None, str]:
    """The reports a question names by place or year, among several (None for all), and
    the question without the places that named them: 衡东和青禾的城镇居民收入 asks for one
    thing of two reports, not for 衡东 and for 青禾的城镇居民收入."""
    if not (text and base.several):
        return None, text
    from .reports import named_in, without

    picked, used = named_in(base, text)
    return picked, without(text, [n for n in used if not any(c.isdigit() for c in n)])


# Where a question asks for several things at once (个数、总投资和已完成投资; growth rates
# for GDP, incomes, investment), each thing is asked on its own, with the words around
# the list: those before its first item and after its last.
_SEPARATOR_MARKS = "、,，;；/&和及与"  # a question without any of these (or and, or, he) lists nothing
_separators: list[re.Pattern[str]] = []  # compiled at the first question that may list things (1 ms)


def _split(text: str) -> list[str]:
    if not any(c in text for c in _SEPARATOR_MARKS) and not {"and", "or", "he"} & set(text.split()):
        return [text]
    if not _separators:
        _separators.append(re.compile(rf"[、,，;；/&]|以及|(?<={HAN})[和及与](?={HAN})|\b(?:and|or|he)\b"))
    return [p for p in _separators[0].split(text) if p and p.strip()]


MAX_ASKED = 8  # things asked at once: a longer list is read as one question
ITEM_SHARE = 0.5  # an item's answers: those scoring at least this share of its best


def _with_each_part(base: FactBase, text: str, hits: list[Hit]) -> list[Hit]:
    """The hits of the whole question, then those of each thing it asks for."""
    pieces = _split(text)
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
