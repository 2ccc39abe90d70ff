"""The reader's vocabulary: filler words, synonyms, concept words and units,
read from `lexicon.toml` (reviewed data shipped with the package)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from ..base.words import SCOPES, UNIT_WORDS
from .index import normalize

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..base.model import ExtraStore

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")


class Lexicon(NamedTuple):
    filler: frozenset[str]
    synonyms: dict[str, tuple[str, ...]]
    concepts: dict[str, str]  # word -> "growth" | "rank" | "count"
    scopes: dict[str, str]  # word -> 全市 | 全省 | 全国 (base.words.SCOPES)
    units: frozenset[str]  # units and magnitudes (亿, 吨, 个): a hint beside a word, not a word
    longest: int  # the longest entry, in characters: how far a scan looks ahead
    # the places of the base's reports, any level (湖南, 衡阳市, 衡东): no other place
    places: frozenset[str] = frozenset()

    def kind(self, word: str) -> str | None:
        """What an entry is: "filler", a concept, "scope", "synonym", or None."""
        if word in self.concepts:
            return self.concepts[word]
        if word in self.scopes:
            return "scope"
        if word in self.filler:
            return "filler"
        if word in self.synonyms:
            return "synonym"
        return None


_kept: Lexicon | None = None


def lexicon(store: ExtraStore | None = None) -> Lexicon:
    """The lexicon, read once per run: from `store` (the fact base's cache) while the file
    is unchanged, else parsed (tomli's import and the parse cost ~2 ms of every search)."""
    global _kept
    if _kept is None:
        st = LEXICON_FILE.stat()
        stamp = (st.st_size, st.st_mtime_ns)
        kept = store.load_extra("lexicon") if store is not None else None
        try:
            if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp):
                raise ValueError("no lexicon kept")
            _kept = _build(kept[1])
        except (ValueError, TypeError, KeyError, AttributeError):
            import tomli

            data = tomli.loads(LEXICON_FILE.read_text(encoding="utf-8"))
            _kept = _build(data)
            if store is not None:
                store.store_extra("lexicon", (stamp, data))
    return _kept


def _build(data: dict[str, Any]) -> Lexicon:
    filler = frozenset(normalize(w) for lang in data["filler"].values() for w in lang)
    synonyms = {normalize(k): tuple(normalize(w) for w in v) for k, v in data["synonyms"].items()}
    concepts = {normalize(w): kind for kind, words in data["concepts"].items() for w in words}
    scopes = {normalize(w): scope for scope, s in SCOPES.items() for w in s.words}
    units = frozenset(normalize(w) for w in UNIT_WORDS)
    words = [*filler, *synonyms, *concepts, *scopes]
    return Lexicon(filler, synonyms, concepts, scopes, units, max(map(len, words)))
