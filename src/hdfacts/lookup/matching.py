"""Second chances for what a query has that the fact base does not: traditional
characters, pinyin (full or initials), and a close term to suggest.

Nothing here runs for a query read as typed, so the common path never imports
pypinyin or OpenCC; the pinyin index is computed once per fact base and kept in
the base's cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..base.model import FactBase
from ..base.words import HAN
from ..errors import close_matches
from .searcher import searcher_of

if TYPE_CHECKING:
    from .index import SearchIndex
    from .vocab import Words

_LETTERS = re.compile(r"[a-z]+(?: +[a-z]+)*")
_HAN = re.compile(HAN)
_BREAK = "\x00"  # stands where a text is not Chinese, so pinyin never matches across it


def simplified(term: str) -> str | None:
    """The term in simplified characters, when it has traditional ones (衡東 -> 衡东)."""
    if not _HAN.search(term):
        return None
    converted = _converter()(term)
    return converted if converted != term else None


def _converter() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def pinyin_of(text: str) -> str:
    """Chinese text as toneless pinyin without spaces (经济 -> jingji); "" for text with none."""
    if not _HAN.search(text):
        return ""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text, errors=_break)).replace(_BREAK, "")


def is_pinyin_like(term: str) -> bool:
    return _letters_and_spaces(term) and len(term.replace(" ", "")) >= 2


def _break(chunk: str) -> Any:
    # pypinyin's hook for text that is not Chinese: a break character for each of its
    # characters, so that syllables and characters line up one to one
    return [_BREAK] * len(chunk)


class PinyinIndex:
    """Per fact, its text as toneless pinyin ("paimingquanshi"), a mask marking where
    syllables start ("1001000100100"), and the syllables' initials ("pmqs").
    Every character of the text is one syllable: a character that is not Chinese
    stands as one break character, so syllable k is character k of the text."""

    def __init__(self, full: list[str], marks: list[str], initials: list[str]):
        if not len(full) == len(marks) == len(initials):
            raise ValueError("inconsistent pinyin index")
        self.full, self.marks, self.initials = full, marks, initials

    @classmethod
    def build(cls, texts: Sequence[str]) -> PinyinIndex:
        from pypinyin import lazy_pinyin

        # A fact's text is fields and items between separators, and most of them (topic
        # names, periods, tags, metrics) recur from fact to fact: each distinct piece is
        # read once. No phrase of pypinyin's spans a separator, so the syllables are the
        # same as for the whole text (100,000 facts: 81 s before, see the changelog).
        seen: dict[str, list[str]] = {}
        full, marks, initials = [], [], []
        for text in texts:
            syllables: list[str] = []
            for k, piece in enumerate(text.replace("\x01", "\x00").split("\x00")):
                if k:
                    syllables.append(_BREAK)
                known = seen.get(piece)
                if known is None:
                    known = seen[piece] = lazy_pinyin(piece, errors=_break) if piece else []
                syllables += known
            full.append("".join(syllables))
            marks.append("".join("1" + "0" * (len(s) - 1) for s in syllables))
            initials.append("".join(s[0] for s in syllables))
        return cls(full, marks, initials)

    def _starts_at(self, i: int, pos: int) -> bool:
        mask = self.marks[i]
        return pos == len(mask) or mask[pos] == "1"

    def spans_full(self, term: str) -> list[tuple[int, int, int]]:
        """(fact, first syllable, syllable count) where the term spells whole syllables:
        paiming is 排名, not p|ai|min|g. A space in the term must fall between
        syllables: "pai ming", not "pa iming"."""
        letters = term.replace(" ", "")
        cuts, pos = [], 0
        for part in term.split(" ")[:-1]:
            pos += len(part)
            cuts.append(pos)
        spans = []
        for i, text in enumerate(self.full):
            start = text.find(letters)
            while start != -1:
                end = start + len(letters)
                if (
                    self._starts_at(i, start)
                    and self._starts_at(i, end)
                    and all(self._starts_at(i, start + c) for c in cuts)
                ):
                    first = self.marks[i].count("1", 0, start)
                    spans.append((i, first, self.marks[i].count("1", start, end)))
                start = text.find(letters, start + 1)
        return spans

    def spans_initials(self, letters: str) -> list[tuple[int, int, int]]:
        spans = []
        for i, text in enumerate(self.initials):
            start = text.find(letters)
            while start != -1:
                spans.append((i, start, len(letters)))
                start = text.find(letters, start + 1)
        return spans


# Whole pinyin syllables, or (for initials) consonants only: what a term of letters
# must be before a pinyin index is worth building for it. The syllables are a set and
# a term is cut into them by a walk over its positions, never by a regular expression:
# a run like "anananq" can be cut in exponentially many ways, and a backtracking
# pattern tries them all (37 letters took 85 s).
_ONSETS = ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw")
_RIMES = (
    *("iang", "iong", "uang", "ang", "eng", "ing", "ong", "uai", "uan", "ian", "iao", "ai", "ei", "ao", "ou"),
    *("an", "en", "in", "un", "vn", "ia", "ie", "iu", "ua", "uo", "ue", "ui", "ve", "er"),
    *("a", "o", "e", "i", "u", "v"),
)
SYLLABLES = frozenset([*_RIMES, *(o + r for o in _ONSETS for r in _RIMES), "ng", "m", "n"])
_LONGEST_SYLLABLE = max(map(len, SYLLABLES))
_CONSONANTS = frozenset("bcdfghjklmnpqrstwxyz")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def _letters_and_spaces(term: str) -> bool:
    """Lowercase words of letters, one or more spaces between them (what _LETTERS was)."""
    return bool(term) and term[0] != " " and term[-1] != " " and all(c in _LOWER or c == " " for c in term)


def spells_syllables(letters: str) -> bool:
    """Whether the letters are a sequence of whole pinyin syllables: which positions a
    cut can reach, left to right, in time linear in the length."""
    n = len(letters)
    reach = [False] * (n + 1)
    reach[0] = True
    for i in range(n):
        if reach[i]:
            for j in range(i + 1, min(n, i + _LONGEST_SYLLABLE) + 1):
                if letters[i:j] in SYLLABLES:
                    reach[j] = True
    return n > 0 and reach[n]


def could_be_pinyin(term: str) -> bool:
    if not _letters_and_spaces(term):
        return False
    letters = term.replace(" ", "")
    initials = " " not in term and 2 <= len(letters) <= 6 and all(c in _CONSONANTS for c in letters)
    return initials or spells_syllables(letters)


def pinyin_index(base: FactBase, texts: SearchIndex) -> PinyinIndex:
    """The base's pinyin index: from memory, from the cache beside the base's, or built."""

    def read(rows: Any) -> PinyinIndex:
        if not (rows and len(rows) == 3 and all(len(r) == len(texts) for r in rows)):
            raise ValueError("no pinyin index cached")
        index = PinyinIndex(*rows)
        _check_fits(index, texts)
        return index

    return searcher_of(base).kept(
        "pinyin",
        read,
        lambda: PinyinIndex.build(texts.texts()),
        lambda index: (index.full, index.marks, index.initials),
        warn="the pinyin index",
    )


def _check_fits(index: PinyinIndex, texts: SearchIndex) -> None:
    """A cached index must fit the texts it was built from, syllable for character, in
    every entry: a damaged or crafted one is rebuilt rather than trusted (about 60 ms
    for 100,000 facts)."""
    for i, (full, marks, initials) in enumerate(zip(index.full, index.marks, index.initials, strict=True)):
        if not (isinstance(full, str) and isinstance(marks, str) and isinstance(initials, str)):
            raise ValueError("inconsistent pinyin index")
        syllables = marks.count("1")
        if not (len(marks) == len(full) and marks[:1] in ("1", "") and syllables == len(initials)):
            raise ValueError("inconsistent pinyin index")
        if syllables != len(texts.text(i)):
            raise ValueError("stale pinyin index")


MAX_PINYIN_STRINGS = 40  # distinct Chinese readings kept for one term: enough for any real word


def pinyin_strings(base: FactBase, texts: SearchIndex, term: str) -> list[str]:
    """The Chinese text of the base that the letters spell, most frequent first:
    full pinyin (liangshi -> 粮食), else initials (pm -> 排名)."""
    term = " ".join(term.split())
    if not could_be_pinyin(term):
        return []
    index = pinyin_index(base, texts)
    spans = index.spans_full(term)
    if not spans and " " not in term and len(term) <= 6:
        spans = index.spans_initials(term)
    counts: dict[str, int] = {}
    for i, first, n in spans:
        text = texts.text(i)[first : first + n]
        if _HAN.search(text) and "\x00" not in text and "\x01" not in text:
            counts[text] = counts.get(text, 0) + 1
    return sorted(counts, key=lambda t: -counts[t])[:MAX_PINYIN_STRINGS]


def suggestion(base: FactBase, term: str) -> str | None:
    """A close term that would find something: a typo in a tag, a topic or a pinyin spelling."""
    words = vocabulary(base, pinyin=is_pinyin_like(term))
    if is_pinyin_like(term):
        # A word of letters is offered for a slip of one letter (paimin -> paiming), not for
        # another word that reads as pinyin too (wage is not wangge).
        words = [w for w in words if abs(len(w) - len(term)) <= 1]
    close = close_matches(term.casefold(), words, cutoff=0.75)
    return close[0] if close else None


def vocabulary(base: FactBase, *, pinyin: bool) -> list[str]:
    """The words a suggestion is drawn from, sorted: tags, topic names, English words of
    the metrics and, with `pinyin`, the pinyin of the metrics' two and three characters.
    Built once per base and kept in its cache, not once per unknown word of a query."""

    def read(words: Any) -> list[str]:
        if not (isinstance(words, list) and all(isinstance(w, str) for w in words)):
            raise ValueError("no word list kept")
        return words

    return searcher_of(base).kept(
        "suggest-pinyin" if pinyin else "suggest",
        read,
        lambda: _build_vocabulary(base, pinyin),
        lambda words: words,
        warn="the word list for suggestions",
    )


def _build_vocabulary(base: FactBase, pinyin: bool) -> list[str]:
    words: set[str] = set()
    for topic in base.topics:
        words.update(n.casefold() for n in topic.names())
    metrics: set[str] = set()
    for fact in base.facts:
        words.update(t.casefold() for t in fact.tags)
        words.update(w.casefold() for w in re.findall(r"[A-Za-z][A-Za-z-]{2,}", fact.metric_en))
        metrics.add(fact.metric)
    if pinyin:
        from pypinyin import lazy_pinyin

        for metric in metrics:
            for run in re.findall(f"{HAN}+", metric):
                syllables = lazy_pinyin(run)
                for n in (2, 3):
                    words.update("".join(syllables[i : i + n]) for i in range(len(syllables) - n + 1))
    return sorted(words)


MAX_READINGS = 16  # combinations of a polyphone's readings tried for one piece of a query


def syllable_table(base: FactBase) -> Words:
    """Every Chinese character's toneless readings (两 -> liang), from pypinyin's own
    table: built once and kept in the base's cache as one sorted buffer, so a slip costs
    a binary search, not pypinyin's import (100-300 ms) nor a table's load (30 ms)."""
    from .vocab import Words

    def build() -> Words:
        from pypinyin.contrib.tone_convert import to_normal
        from pypinyin.pinyin_dict import pinyin_dict

        readings = {
            chr(code): ",".join(dict.fromkeys(to_normal(r) for r in spelled.split(",")))
            for code, spelled in pinyin_dict.items()
        }
        return Words.of(readings)

    return searcher_of(base).kept("syllables", Words.kept, build, lambda table: table.blob, shared=True)


def homophones(base: FactBase, texts: SearchIndex, piece: str) -> list[str]:
    """The base's Chinese text that sounds like `piece` but is written otherwise: what
    a pinyin keyboard gives for a slip (总产两 -> 总产量, 党见 -> 党建)."""
    table = syllable_table(base)
    options: list[list[str]] = [[]]
    for char in piece:
        readings = table.get(char)
        if not readings:
            return []
        options = [[*o, r] for o in options for r in readings.split(",")][:MAX_READINGS]
    index = pinyin_index(base, texts)
    found: dict[str, None] = {}
    for syllables in options:
        for i, first, n in index.spans_full(" ".join(syllables)):
            text = texts.text(i)[first : first + n]
            if text != piece and _HAN.fullmatch(text[:1]) and all(_HAN.match(c) for c in text):
                found.setdefault(text, None)
    return list(found)


_WORD = re.compile(r"[a-z][a-z-]*[a-z]")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
MIN_SPELLED = 5  # shorter words have too many neighbours one letter away to guess


def english_words(base: FactBase, texts: SearchIndex) -> frozenset[str]:
    """The English words of the base (labels, tags, ids), once per base and cached."""

    def read(kept: Any) -> frozenset[str]:
        if not (isinstance(kept, tuple) and all(isinstance(w, str) for w in kept)):
            raise ValueError("no English words kept")
        return frozenset(kept)

    def build() -> frozenset[str]:
        found: set[str] = set()
        for text in texts.texts():
            for word in _WORD.findall(text):
                found.add(word)
                found.update(w for w in word.split("-") if len(w) > 1)
        return frozenset(found)

    return searcher_of(base).kept("english", read, build, lambda words: tuple(sorted(words)))


def spelled(base: FactBase, texts: SearchIndex, word: str) -> list[str]:
    """Words of the base one slip away from `word` (a letter dropped, added, changed or
    two swapped: dispoable -> disposable, investmnet -> investment)."""
    if len(word) < MIN_SPELLED or not word.isalpha():
        return []
    vocabulary = english_words(base, texts)
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in cuts if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in cuts if b for c in _ALPHABET}
    edits |= {a + c + b for a, b in cuts for c in _ALPHABET}
    edits.discard(word)
    return sorted(w for w in edits if w in vocabulary)
