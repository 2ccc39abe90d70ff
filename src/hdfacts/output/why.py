"""Why a search found nothing, in one line, and what the report has instead."""

from __future__ import annotations

from collections.abc import Sequence

from ..base.model import FactBase, rank_text
from ..base.words import is_han
from ..errors import shown
from ..lookup.facets import Gap
from ..lookup.filters import Filters
from ..lookup.index import normalize
from ..lookup.query import Found
from ..lookup.reports import region_names
from ..lookup.searcher import index_of
from .display import sentence


def suggest(base: FactBase, terms: Sequence[str]) -> str | None:
    """A close term for a search that found nothing, or None."""
    from ..lookup.matching import suggestion

    for term in terms:
        for word in normalize(term).split():
            if word and not index_of(base).contains(word):
                close = suggestion(base, word)
                if close:
                    return close
    return None


MENTION_SPAN = 24  # characters of the report shown on each side of a word it mentions


def mentions(base: FactBase, words: Sequence[str]) -> tuple[str, str, str] | None:
    """The first word a report of the base mentions, with the clause it stands in and the
    report's id; None if none."""
    if not words:
        return None
    from ..base.loader import source_text

    for member in base.members:
        report = source_text(member)
        found = _mention(report, words) if report is not None else None
        if found is not None:
            return (*found, member.meta.id)
    return None


def _mention(report: str, words: Sequence[str]) -> tuple[str, str] | None:
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


ASKED_ZH = {"full-year": "全年", "amount": "总量", "change": "增长", "versus-city": "与全市比较"}
ASKED_EN = {
    "full-year": "the full year",
    "amount": "the amount",
    "change": "the growth",
    "versus-city": "a comparison with the city",
}


def gap_text(gap: Gap, lang: str, year: int | None) -> str:
    """ "the report gives only <the fact as one sentence>, not <what was asked>"."""
    if gap.asked.startswith("year:"):
        wanted = gap.asked[5:] + ("年" if lang == "zh" else "")
    else:
        wanted = (ASKED_ZH if lang == "zh" else ASKED_EN)[gap.asked]
    return f"the report gives only {sentence(gap.fact, lang, year=year)}, not {wanted}"


def why_nothing(base: FactBase, terms: Sequence[str], found: Found, filters: Filters | None = None) -> str:
    """Why a search found nothing, in one line, and what the report has instead: the
    filters, where they removed what the words found."""
    asked = " ".join(terms)
    query = found.query
    if query is None:
        if terms:
            return f"no facts match {shown(asked)} (the search term is empty)"
        return "no facts pass the filters"
    said = f"no facts match {shown(asked)}"
    if found.matched and found.gap is None and filters is not None and filters.active():
        n = found.matched
        matches = "1 fact matches" if n == 1 else f"{n:,} facts match"
        return f"{matches} {shown(asked)}, none passes {filters.said or 'the filters'}"
    if found.gap is not None:
        lang = "zh" if any(is_han(c) for c in asked) else "en"
        return f"{said}: {gap_text(found.gap, lang, base.year_of(found.gap.fact))}"
    places = query.places()
    if places:
        where = ", ".join(shown(p.text) for p in places)
        if base.several:
            return f"{said}: none of the reports is about {where}"
        own = region_names(base.meta.region)
        return f"{said}: the report is about {own[0] if own else 'its own region'}, not {where}"
    unknown = query.unknown()
    mentioned = mentions(base, [p.text for p in unknown])
    if mentioned:
        word, sentence, report = mentioned
        which = f"the report {report}" if base.several else "the report"
        return f"{said}: {which} mentions {shown(word)} but states no figure for it: {shown(sentence)}"
    if unknown:
        close = suggest(base, [p.text for p in unknown])
        hint = f" (did you mean {close}?)" if close else ""
        never = "none of the reports mentions" if base.several else "the report never mentions"
        if [p.text for p in unknown] == [normalize(asked).strip()]:
            return f"{said}: {never} it{hint}"
        return f"{said}: {never} {', '.join(shown(p.text) for p in unknown)}{hint}"
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
