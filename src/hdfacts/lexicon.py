"""The reader's vocabulary: filler words, synonyms, concept words and ranking scopes,
read from `lexicon.toml` (reviewed data shipped with the package)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from .index import normalize

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")


class Lexicon(NamedTuple):
    filler: frozenset[str]
    synonyms: dict[str, tuple[str, ...]]
    concepts: dict[str, str]  # word -> "growth" | "rank" | "count"
    scopes: dict[str, str]  # word -> 全市 | 全省 | 全国
    units: frozenset[str]  # units and magnitudes (亿, 吨, 个): a hint beside a word, not a word
    longest: int  # the longest entry, in characters: how far a scan looks ahead

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


@cache
def lexicon() -> Lexicon:
    import tomli

    data = tomli.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    filler = frozenset(normalize(w) for lang in data["filler"].values() for w in lang)
    synonyms = {normalize(k): tuple(normalize(w) for w in v) for k, v in data["synonyms"].items()}
    concepts = {normalize(w): kind for kind, words in data["concepts"].items() for w in words}
    scopes = {normalize(w): scope for scope, words in data["scopes"].items() for w in words}
    units = frozenset(normalize(w) for w in data["units"]["words"])
    words = [*filler, *synonyms, *concepts, *scopes]
    return Lexicon(filler, synonyms, concepts, scopes, units, max(map(len, words)))
