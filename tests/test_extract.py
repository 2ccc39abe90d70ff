"""`hdfacts extract`: drafting a fact base from a report's text.

The shipped report and the hand-made facts.toml are the gold: the draft must find the
hand base's figures, each at the same place of the report, with the same value, unit,
growth, ranking and period. Each construction of the genre is tried on sentences
written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdfacts.audit import audit, flat
from hdfacts.extract import draft
from hdfacts.extract.document import to_toml
from hdfacts.model import Fact
from hdfacts.quantities import rank_phrases
from hdfacts.schema import build, parse_toml


def drafted(text: str, year: int | None = None) -> list[Fact]:
    """The facts of a report's draft, read back through the schema as `load` reads them."""
    toml = to_toml(draft(text, "report.txt", year))
    return list(build(parse_toml(Path("draft.toml"), toml), Path("draft.toml"), toml).facts)


def anchor(fact: Fact, report: str) -> tuple[str, int] | None:
    """A fact's own figure as written and where it stands in the report (white space aside):
    its figure, else its growth, else its ranking, else its change; None for a fact without."""
    start = flat(report).find(flat(fact.quote))
    if start < 0:
        return None
    quote = flat(fact.quote)
    candidates = [fact.text, fact.growth.text if fact.growth else None]
    if fact.rank:
        phrases = rank_phrases(fact.rank.scope, fact.rank.position)
        candidates.append(next((p for p in phrases if p in quote), None))
    candidates.append(fact.change.text if fact.change else None)
    figure = next((flat(c) for c in candidates if c), None)
    if figure is None or figure not in quote:
        return None
    return figure, start + quote.index(figure)


def _same(hand: Fact, mine: Fact) -> bool:
    def change(c):
        return (c.value, c.unit) if c else None

    return (
        (hand.value, hand.unit, hand.qualifier) == (mine.value, mine.unit, mine.qualifier)
        and change(hand.growth) == change(mine.growth)
        and hand.rank == mine.rank
        and hand.period == mine.period
    )


@pytest.fixture(scope="module")
def comparison(base, source_text):
    mine = {anchor(f, source_text): f for f in drafted(source_text)}
    hand = [f for f in base.facts if anchor(f, source_text)]
    found = [(h, mine[anchor(h, source_text)]) for h in hand if anchor(h, source_text) in mine]
    return hand, found


def test_the_draft_finds_the_hand_bases_figures(comparison):
    hand, found = comparison
    missing = sorted({h.id for h in hand} - {h.id for h, _ in found})
    assert len(hand) >= 45  # the gold is the whole hand base, not a sample of it
    assert len(found) / len(hand) >= 0.95, missing


def test_the_drafted_figures_agree_with_the_hand_base(comparison):
    _, found = comparison
    wrong = [(h.id, m.text, m.period, m.rank) for h, m in found if not _same(h, m)]
    assert (len(found) - len(wrong)) / len(found) >= 0.95, wrong


def test_the_draft_of_the_report_passes_the_audit(source_text):
    assert audit(drafted(source_text), source_text) == []
