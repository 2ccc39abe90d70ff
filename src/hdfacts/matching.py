"""Second chances for a search term found nowhere as typed: English word forms,
traditional characters, pinyin (full or initials), and a close term to suggest.

Nothing here runs for a term that matches as typed, so the common path never
imports pypinyin or OpenCC; what is computed per fact base is kept in
`FactBase.derived` and computed once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import close_matches
from .model import FactBase

if TYPE_CHECKING:
    from .query import SearchIndex

_LETTERS = re.compile(r"[a-z]+(?: +[a-z]+)*")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# English endings to try removing, longest first: ranked -> rank, investments -> investment.
_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
_BREAK = "\x00"  # stands where a text is not Chinese, so pinyin never matches across it


def english_forms(term: str) -> list[str]:
    """The stems of an English word: ranked -> [rank], studies -> [study]."""
    if not _LETTERS.fullmatch(term) or " " in term:
        return []
    forms = []
    for suffix, repl in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 3:
            forms.append(term[: -len(suffix)] + repl)
    return forms


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
    return bool(_LETTERS.fullmatch(term)) and len(term.replace(" ", "")) >= 2


def _break(chunk: str) -> Any:
    # pypinyin's hook for text that is not Chinese: one break character for the run
    return [_BREAK]


class PinyinIndex:
    """Per fact, its text as toneless pinyin ("paimingquanshi"), a mask marking where
    syllables start ("1001000100100"), and the syllables' initials ("pmqs").
    A character that is not Chinese stands as one break character in all three."""

    def __init__(self, full: list[str], marks: list[str], initials: list[str]):
        self.full, self.marks, self.initials = full, marks, initials

    @classmethod
    def build(cls, texts: Sequence[str]) -> PinyinIndex:
        from pypinyin import lazy_pinyin

        full, marks, initials = [], [], []
        seen: dict[str, tuple[str, str, str]] = {}  # fact bases repeat texts: convert each once
        for text in texts:
            row = seen.get(text)
            if row is None:
                syllables = lazy_pinyin(text, errors=_break)
                row = seen[text] = (
                    "".join(syllables),
                    "".join("1" + "0" * (len(s) - 1) for s in syllables),
                    "".join(s[0] for s in syllables),
                )
            full.append(row[0])
            marks.append(row[1])
            initials.append(row[2])
        return cls(full, marks, initials)

    def _starts_at(self, i: int, pos: int) -> bool:
        mask = self.marks[i]
        return pos == len(mask) or mask[pos] == "1"

    def match_full(self, term: str) -> set[int]:
        """Facts where the term spells whole syllables: paiming is 排名, not p|ai|min|g.
        A space in the term must fall between syllables: "pai ming", not "pa iming"."""
        letters = term.replace(" ", "")
        cuts, pos = [], 0
        for part in term.split(" ")[:-1]:
            pos += len(part)
            cuts.append(pos)
        hits = set()
        for i, text in enumerate(self.full):
            start = text.find(letters)
            while start != -1:
                if (
                    self._starts_at(i, start)
                    and self._starts_at(i, start + len(letters))
                    and all(self._starts_at(i, start + c) for c in cuts)
                ):
                    hits.add(i)
                    break
                start = text.find(letters, start + 1)
        return hits

    def match_initials(self, letters: str) -> set[int]:
        return {i for i, text in enumerate(self.initials) if letters in text}


def pinyin_index(base: FactBase, texts: SearchIndex) -> PinyinIndex:
    """The base's pinyin index: from memory, from the cache beside the base's, or built."""
    index = base.derived.get("pinyin")
    if index is None:
        store = base.derived.get("cache")
        rows = store.load_extra("pinyin") if store else None
        if rows and len(rows) == 3 and all(len(r) == len(texts) for r in rows):
            index = PinyinIndex(*rows)
        else:
            index = PinyinIndex.build(texts.texts())
            if store:
                store.store_extra("pinyin", (index.full, index.marks, index.initials))
        base.derived["pinyin"] = index
    return index


def pinyin_matches(base: FactBase, texts: SearchIndex, term: str) -> set[int]:
    """Facts whose Chinese text reads as the term: full pinyin first, then initials (pm = 排名)."""
    index = pinyin_index(base, texts)
    hits = index.match_full(" ".join(term.split()))
    if not hits and " " not in term and len(term) <= 6:
        hits = index.match_initials(term)
    return hits


def suggestion(base: FactBase, term: str) -> str | None:
    """A close term that would find something: a typo in a tag, a topic or a pinyin spelling."""
    vocabulary: set[str] = set()
    for topic in base.topics:
        vocabulary.update(n.casefold() for n in topic.names())
    metrics: set[str] = set()
    for fact in base.facts:
        vocabulary.update(t.casefold() for t in fact.tags)
        vocabulary.update(w.casefold() for w in re.findall(r"[A-Za-z][A-Za-z-]{2,}", fact.metric_en))
        metrics.add(fact.metric)
    if is_pinyin_like(term):
        from pypinyin import lazy_pinyin

        for metric in metrics:
            for run in re.findall(r"[\u3400-\u9fff]+", metric):
                syllables = lazy_pinyin(run)
                for n in (2, 3):
                    vocabulary.update("".join(syllables[i : i + n]) for i in range(len(syllables) - n + 1))
    close = close_matches(term.casefold(), sorted(vocabulary), cutoff=0.75)
    return close[0] if close else None
