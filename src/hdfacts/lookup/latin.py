"""Letters in a query: English words (with their forms, a possessive or a slip of one
letter), or runs of pinyin."""

from __future__ import annotations

from collections.abc import Callable

from .index import SearchIndex
from .lexicon import Lexicon
from .parts import Part

_ENDINGS = (("ies", "y"), ("ing", ""), ("ed", ""), ("d", ""), ("es", ""), ("s", ""))


def english_forms(word: str) -> list[str]:
    """A word and its stems: ranked -> [ranked, rank], studies -> [studies, study]."""
    forms = [word]
    for ending, repl in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.append(word[: -len(ending)] + repl)
    return forms


def latin_parts(
    words: list[str],
    index: SearchIndex,
    lex: Lexicon,
    pinyin: Callable[[str], list[str]] | None,
    spell: Callable[[str], list[str]] | None = None,
    translate: Callable[[str], list[str]] | None = None,
) -> list[Part]:
    """English words, or pinyin: a word found in the base's English is English; the
    rest is read as pinyin, longest runs of words first (pai ming = 排名)."""
    out: list[Part] = []
    pending: list[str] = []

    def settle_pending() -> None:
        while pending:
            for n in range(len(pending), 0, -1):
                phrase = " ".join(pending[:n])
                found = pinyin(phrase) if pinyin else []
                if found:
                    out.append(_pinyin_part(phrase, found, lex))
                    del pending[:n]
                    break
            else:
                word = pending.pop(0)
                out.append(_second_chance(word, translate, spell))

    for word in _words(words, index, lex):
        if word in lex.filler or len(word) == 1:  # a lone letter is no word (the s of %s)
            settle_pending()
            continue
        alts = _english_alternatives(word, index, lex)
        if alts:
            settle_pending()
            out.append(Part(word, "word", alts))
        else:
            pending.append(word)
    settle_pending()
    return out


def _second_chance(
    word: str, translate: Callable[[str], list[str]] | None, spell: Callable[[str], list[str]] | None
) -> Part:
    """An English word the base lacks: the base's Chinese for it (the dictionary), else
    the base's word one slip away, else unknown."""
    for form in english_forms(word):
        found = translate(form) if translate else []
        if found:
            return Part(word, "word", tuple((w, "dictionary") for w in found))
    slips = spell(word) if spell else []
    if slips:
        return Part(word, "word", tuple((w, "spelling") for w in slips))
    return Part(word, "unknown")


def _words(words: list[str], index: SearchIndex, lex: Lexicon) -> list[str]:
    """The words as the base may have them: without a possessive (county's, residents'),
    and a hyphenated word the base lacks as its parts (above-designated-size)."""
    out: list[str] = []
    for word in words:
        word = word.removesuffix("'s").strip("'-")
        if "-" in word and not _english_alternatives(word, index, lex):
            out.extend(w for w in word.split("-") if w)
        elif word:
            out.append(word)
    return out


def _english_alternatives(word: str, index: SearchIndex, lex: Lexicon) -> tuple[tuple[str, str], ...]:
    alts: list[tuple[str, str]] = []
    for n, form in enumerate(english_forms(word)):
        how = "typed" if n == 0 else "english form"
        if english_in(form, index):
            alts.append((form, how))
        for syn in lex.synonyms.get(form, ()):
            if (syn, "synonym") not in alts and (
                english_in(syn, index) if syn.isascii() else index.contains(syn)
            ):
                alts.append((syn, "synonym"))
    return tuple(alts)


def english_in(word: str, index: SearchIndex) -> bool:
    """True when the word starts a word somewhere in the base (not "pm" in "development")."""
    needle = word.encode()
    blob = index.blob
    pos = blob.find(needle)
    while pos != -1:
        if pos == 0 or not (chr(blob[pos - 1]).isalnum() and blob[pos - 1] < 128):
            return True
        pos = blob.find(needle, pos + 1)
    return False


def _pinyin_part(phrase: str, found: list[str], lex: Lexicon) -> Part:
    """Letters read as pinyin: the Chinese they spell, read as if typed (排名 is a concept)."""
    kinds = {lex.kind(w) for w in found}
    if kinds == {"rank"}:
        return Part(phrase, "rank")
    if kinds == {"growth"}:
        return Part(phrase, "growth")
    alts: list[tuple[str, str]] = []
    for w in found:
        alts.append((w, "pinyin"))
        alts.extend((s, "pinyin+synonym") for s in lex.synonyms.get(w, ()))
    return Part(phrase, "word", tuple(alts))
