"""Reading a reader's query: the parts it is made of (words, concepts, filler), in the
words of the fact base.

How a query is read, left to right, taking at each place the longest of:
- a ranking phrase (全市第一, 排名第几, No. 1 in the city) or a lexicon entry (filler,
  synonym, concept: 增长率, growth rates, how many);
- the longest piece of text that occurs somewhere in the fact base (粮食, 83.4亿);
- an English word, or a run of pinyin (liangshi chanliang).
Characters that occur in the fact base only one by one (人, 口) are not a word of it:
two or more of them together are a word the report does not contain (人口), and the
honest answer to a query with such a word is nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from .index import SearchIndex, normalize
from .latin import english_in, latin_parts
from .lexicon import Lexicon, lexicon
from .parts import Part, Query, RankWant, is_han, spoken_numbers
from .rankings import EN_ORDINALS, rank_pieces, settle_ranking, word_end
from .vocab import CONTENT_POS, MAX_WORD, PLACE_POS

MAX_QUERY = 500  # characters of a query that are read; a longer text is not a question

# 1-11月, 1至11月, 1~11月: the report writes a span of months 1—11月
_MONTHS = r"(?<!\d)(1[0-2]|[1-9])\s*(?:-|–|~|～|至|到)\s*(1[0-2]|[1-9])\s*月"
_WHICH = frozenset({"哪些", "有哪些", "是哪些", "哪个", "哪几个", "哪几项", "哪类", "which", "what"})
_LATIN = re.compile(r"[a-z][a-z0-9\-]*")  # county's: the 's stands apart, and a lone s is no word
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


Piece = tuple[str, str, object]  # a reading of a piece of the query: text, kind, data


class Readers(NamedTuple):
    """Second chances for what a query has that the base does not, each asked only for
    what cannot be read as typed: letters as pinyin (the Chinese text they spell),
    traditional characters as simplified ones, a piece of Chinese as the base's
    homophones (a pinyin keyboard's slip), an English word as the base's words one
    letter away."""

    pinyin: Callable[[str], list[str]] | None = None
    convert: Callable[[str], str] | None = None
    homophone: Callable[[str], list[str]] | None = None
    spell: Callable[[str], list[str]] | None = None
    translate: Callable[[str], list[str]] | None = None
    pos: Callable[[str], str | None] | None = None  # a Chinese word's part of speech, None if no word


def analyze(
    text: str, index: SearchIndex, readers: Readers | None = None, lex: Lexicon | None = None
) -> Query:
    """The parts of a query, read against the index, with second chances from `readers`
    for what cannot be read otherwise (so a plain query never loads pypinyin or OpenCC)."""
    lex = lex or lexicon()
    readers = readers or Readers()
    wanted = spoken_numbers(_months(normalize(text)[:MAX_QUERY]), index.contains)
    query = _read(wanted, index, lex, readers._replace(homophone=None, pos=None))
    if (readers.homophone or readers.pos) and _loose(query):
        # the second reading has every piece of the first and more: its cut is as cheap or cheaper
        query = _read(wanted, index, lex, readers)
    convert = readers.convert
    # Characters of the query's content that the base never uses may be traditional ones
    # (綜治民調): read the query in simplified characters too, and keep the reading that
    # leaves less unknown. Filler (多少) is left out, so a plain question never loads OpenCC.
    han = {c for p in query.parts if p.kind != "unknown" for c in p.text if is_han(c)}
    if convert and (query.unknown() or not all(index.contains(c) for c in han)):
        simplified = normalize(convert(wanted))
        if simplified != wanted:
            second = _read(
                simplified, index, lex, readers if _loose(query) else readers._replace(homophone=None)
            )
            if len(second.unknown()) <= len(query.unknown()):
                return second._replace(converted=True)
    return query


# The cost of a piece when a query is cut into pieces: the reading with the least total
# cost wins, so whole words beat runs of single characters.
PIECE_COST = 1.0
MEANING_COST = 0.99  # a lexicon entry or ranking phrase beats the same text read as plain text
TYPO_COST = (
    1.5  # a word read as the base's homophone: dearer than text as typed, cheaper than 2 unknown characters
)
CHAR_COST = 2.0  # a character the base has only one by one: a last resort
# a word of the dictionary that the base lacks: dearer than two words of the base (居民收入 is
# 居民 + 收入), cheaper than a word of the base and a lone character (增加值 is not 增加 + 值)
DICT_COST = 2.5


def _months(text: str) -> str:
    """1-11月, 1至11月 as the report writes a span of months, 1—11月 (the pattern is compiled
    only for a question with 月)."""
    return re.sub(_MONTHS, r"\1—\2月", text) if "月" in text else text


def _loose(query: Query) -> int:
    """How much of a query is not read as words: unknown characters, and lone
    characters standing for themselves (两 in 总产两)."""
    return sum(len(p.text) for p in query.unknown()) + sum(
        1 for p in query.parts if p.kind == "word" and len(p.text) == 1 and is_han(p.text)
    )


def _read(
    q: str,
    index: SearchIndex,
    lex: Lexicon,
    readers: Readers,
) -> Query:
    """Cut the query into the cheapest sequence of pieces (dynamic programming over
    positions), then turn the pieces into parts."""
    n = len(q)
    best: list[tuple[float, int, Piece | None]] = [(0.0, -1, None)]
    best += [(float("inf"), -1, None)] * n
    for i in range(n):
        cost = best[i][0]
        if cost == float("inf"):
            continue
        # spaces and punctuation separate pieces and cost nothing; a control character
        # is no punctuation: it stays, and matches nothing
        if not q[i].isalnum() and q[i].isprintable():
            if cost < best[i + 1][0]:
                best[i + 1] = (cost, i, None)
            continue
        for piece in _pieces_at(q, i, index, lex, readers):
            text, kind, _ = piece
            step = _COSTS.get(kind, MEANING_COST)
            end = i + len(text)
            if cost + step < best[end][0]:
                best[end] = (cost + step, i, piece)
    raw: list[tuple[str, str, object]] = []
    end = n
    while end > 0:
        _, start, last = best[end]
        if last is not None:
            raw.append(last)
        end = start
    raw.reverse()
    return _assemble(q, raw, index, lex, readers)


_COSTS = {
    "char": CHAR_COST,
    "text": PIECE_COST,
    "latin": PIECE_COST,
    "typo": TYPO_COST,
    "dictword": DICT_COST,
}


def _pieces_at(
    q: str, i: int, index: SearchIndex, lex: Lexicon, readers: Readers
) -> list[tuple[str, str, object]]:
    """Every reading of the query that starts at position i: (text, kind, data)."""
    out: list[tuple[str, str, object]] = [(q[i], "char", None), *rank_pieces(q, i, lex)]
    latin = q[i].isascii() and q[i].isalpha()
    for n in range(1, min(lex.longest, len(q) - i) + 1):
        piece = q[i : i + n]
        kind = lex.kind(piece)
        if kind and (not latin or word_end(q, i + n)):
            out.append((piece, kind, None))
    if latin:
        m = _LATIN.match(q, i)
        if m:
            out.append((m.group(0), "latin", None))
        return out
    m = _NUMBER.match(q, i)
    if m and len(m.group(0)) > 1:
        out.append((m.group(0), "text", None))
    # text of the base that starts here, two characters or more, not ending in filler
    # (建立了 is 建立 + 了, whatever else the base says)
    n = 2
    while i + n <= len(q) and index.contains(q[i : i + n]):
        if (
            q[i + n - 1].isalnum()  # 企业家接待日” is 企业家接待日: a quotation mark only separates
            and _without_filler_end(q[i : i + n], lex) == n
            and not _filler_start(q[i : i + n], lex)
        ):
            out.append((q[i : i + n], "text", None))
        n += 1
    # n - 1 is the longest text of the base starting here: a longer piece is none of its text
    out.extend(_second_pieces(q, i, n - 1, readers, index))
    return out


def _second_pieces(q: str, i: int, known: int, readers: Readers, index: SearchIndex) -> list[Piece]:
    """Readings of Chinese the base lacks (pieces longer than `known`, the longest text of
    the base starting here): a homophone of the base's words (a slip of the keyboard), or
    a word of the dictionary (a word of the reader's own)."""
    out: list[Piece] = []
    homophone, pos = readers.homophone, readers.pos
    if pos:
        for n in range(max(2, known + 1), MAX_WORD + 1):
            piece = q[i : i + n]
            if len(piece) < n or not all(is_han(c) for c in piece):
                continue
            kind = pos(piece)
            if kind is not None:
                out.append((piece, "dictword", kind))
    if homophone:
        for n in range(max(2, known + 1), 7):
            piece = q[i : i + n]
            if len(piece) < n or not all(is_han(c) for c in piece):
                continue
            found = homophone(piece)
            # two characters sound like too many pieces of longer words (常住 like the 场主
            # of 市场主体): a slip of two is read only as a word the base lists as one
            if n == 2:
                found = [w for w in found if w in index.words()]
            if pos:  # 领域改革 is no slip for 领育改革: 域 makes a word with the character before it
                found = [w for w in found if not _real_word_around(q, i, piece, w, index, pos)]
            if found:
                out.append((piece, "typo", found))
    return out


def _without_filler_end(piece: str, lex: Lexicon) -> int:
    n = len(piece)
    for m in range(min(lex.longest, n - 2), 0, -1):
        if piece[n - m : n] in lex.filler:
            return n - m
    return n


def _real_word_around(
    q: str, i: int, piece: str, reading: str, index: SearchIndex, pos: Callable[[str], str | None]
) -> bool:
    """True when a character the reading changes forms, with the one before or after it in
    the query, a word of the dictionary that the base lacks: then it was typed as meant."""
    for k, (typed, read) in enumerate(zip(piece, reading, strict=False)):
        if typed == read:
            continue
        j = i + k
        for pair in (q[j - 1 : j + 1] if j else "", q[j : j + 2]):
            if len(pair) == 2 and not index.contains(pair) and pos(pair) is not None:
                return True
    return False


def _filler_start(piece: str, lex: Lexicon) -> bool:
    """Text that starts with a filler word of two characters or more (衡东经济 is 衡东 +
    经济: the county's name is no part of what is asked)."""
    return any(piece[:m] in lex.filler for m in range(2, min(lex.longest, len(piece) - 1) + 1))


def _word_part(text: str, kind: str, data: object, lex: Lexicon) -> Part | None:
    """The part a reading of the query stands for, with the ways it may be written."""
    if kind == "rank":  # a word that asks for a ranking: 排名, ranking
        return Part(text, "rank")
    if kind == "scope":
        words = [w for w, scope in lex.scopes.items() if scope == lex.scopes[text]]
        words += [w[1:] for w in words if w.startswith("全")]  # 省 of 省重点民生实事
        return Part(text, "scope-word", tuple((w, "typed" if w == text else "synonym") for w in words))
    if kind in ("growth", "count"):
        return Part(text, kind)
    if kind == "synonym":
        return Part(
            text, "word", ((text, "typed"), *((w, "synonym") for w in lex.synonyms[text] if w != text))
        )
    if kind == "text":
        return Part(text, "word", ((text, "typed"),))
    if kind == "dictword":
        # a noun the base lacks (失业率): what the report does not count; a place it does
        # not name (长沙县): another place than the report's, of which it says nothing; any
        # other word (到手, 搞定, 往前) is how the reader talks: it carries no content
        if data == PLACE_POS:
            return Part(text, "talk" if text in lex.places else "place")
        return Part(text, "unknown" if data in CONTENT_POS else "talk")
    if kind == "typo" and isinstance(data, list):
        return Part(text, "word", tuple((w, "sounds like") for w in data))
    return None


def _assemble(
    q: str, raw: list[tuple[str, str, object]], index: SearchIndex, lex: Lexicon, readers: Readers
) -> Query:
    rank: RankWant | None = None
    parts: list[Part] = []
    scopes: list[str] = []
    ordinals: list[int] = []
    chars: list[str] = []
    latin: list[str] = []
    filler: list[str] = []

    def flush_chars() -> None:
        if chars:
            parts.append(Part("".join(chars), "chars"))
            chars.clear()

    def flush_latin() -> None:
        if latin:
            parts.extend(
                latin_parts(list(latin), index, lex, readers.pinyin, readers.spell, readers.translate)
            )
            latin.clear()

    after_which = False
    for text, kind, data in raw:
        # 哪些村镇, which towns: the word after a which-word names the kind of answer, and
        # the facts answer by being of that kind, not by repeating the word
        category, after_which = after_which, kind == "filler" and text in _WHICH
        if category and kind in ("dictword", "text", "synonym", "latin"):
            continue
        if kind != "char":
            flush_chars()
        if kind != "latin":
            flush_latin()
        if kind == "char":
            chars.append(text)
        elif kind == "latin":
            if text in EN_ORDINALS:
                ordinals.append(EN_ORDINALS[text])
            latin.append(text)
        elif kind == "rank" and isinstance(data, RankWant):
            rank = data if rank is None else rank.merge(data)
        elif kind == "filler":
            filler.append(text)
        else:
            if kind == "scope":
                scopes.append(lex.scopes[text])
            part = _word_part(text, kind, data, lex)
            if part is not None:
                parts.append(part)
    flush_chars()
    flush_latin()
    talk = [p.text for p in parts if p.kind == "talk"]
    parts = [p for p in parts if p.kind != "talk"]
    if talk and not any(p.required for p in parts) and rank is None:
        parts.extend(Part(t, "unknown") for t in talk)  # nothing else asked: those words are the question
    if not parts and rank is None:
        parts = _nothing_but_filler(q, filler, index)
    parts, rank = settle_ranking(parts, rank, scopes, ordinals)
    return Query(q, tuple(_settle_chars(parts, lex, readers.pos)), rank)


def _nothing_but_filler(q: str, filler: list[str], index: SearchIndex) -> list[Part]:
    """A query of filler alone (衡东, 2023) means those words themselves; one of
    punctuation alone (a bracket, a sign) is looked for as typed."""
    parts = [
        Part(word, "word", ((word, "typed"),))
        for word in filler
        if len(word) > 1 and (english_in(word, index) if word.isascii() else index.contains(word))
    ]
    whole = q.strip()
    if not parts and whole and index.contains(whole):
        parts.append(Part(whole, "word", ((whole, "typed"),)))
    return parts


def _settle_chars(parts: list[Part], lex: Lexicon, pos: Callable[[str], str | None] | None) -> list[Part]:
    """Runs of characters the base has only one by one. Two or more together are a
    word it does not contain; a lone unit beside real words only orders results. With
    the dictionary at hand, characters that are words of no content (跑, 用, 占) beside
    real words are how the reader talks, and carry nothing."""
    out = []
    words = [p for p in parts if p.kind != "chars"]
    content = [p for p in words if p.kind not in ("count",)]
    for p in parts:
        if p.kind != "chars":
            out.append(p)
        elif pos and content and p.text not in lex.units and all(pos(c) not in CONTENT_POS for c in p.text):
            continue
        elif len(p.text) >= 2:
            out.append(Part(p.text, "unknown"))
        elif content and p.text in lex.units:  # 亿 in 多少亿, 吨 in 多少吨: orders results only
            out.append(Part(p.text, "soft", ((p.text, "typed"),)))
        else:  # part of the reader's word (值 in 增加值), or the whole query: it must match
            out.append(Part(p.text, "word", ((p.text, "typed"),)))
    return out
