"""The search index of a fact base: every fact's searchable fields, normalised, in one
UTF-8 buffer, and the structured data a search reads (rankings, growth, units).

No file I/O here: the cache stores an index and loads it back explicitly
(`to_payload` / `from_payload`), and a base without a cached index builds one.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from ..base import words
from ..base.model import Fact, Topic, rank_text
from ..base.words import fold

# The fields of a fact that a search looks at, in the order they are stored.
FIELDS = (
    "id",
    "metric",
    "metric_en",
    "figure",
    "period",
    "change",
    "rank",
    "tags",
    "aliases",  # old ids
    "note",
    "quote",
    "topic",
)
FIELD = {name: i for i, name in enumerate(FIELDS)}

FIELD_SEP = "\x01"  # between a fact's fields
ITEM_SEP = "\x00"  # between the items of one field (tags, topic names)
FACT_SEP = "\x02"  # after each fact, so that no match runs from one fact into the next
# A fact file may hold these characters too (TOML allows "\u0001"): in the index they
# stand as U+FFFD, so that only the separators separate, and a needle holding one
# matches nothing.
_SEPARATORS = (ITEM_SEP, FIELD_SEP, FACT_SEP)
_NO_SEPARATORS = str.maketrans(dict.fromkeys(_SEPARATORS, "\ufffd"))

# Units that count things: "how many" asks for one of these.
COUNT_UNITS = words.COUNT_UNITS

GROWTH = 1
COUNT = 2


normalize = fold  # one folding for ids, names and search text alike


def _fields(fact: Fact, topic: Topic | None) -> list[str]:
    return [
        ITEM_SEP.join(item.translate(_NO_SEPARATORS) for item in field) for field in _field_items(fact, topic)
    ]


def _field_items(fact: Fact, topic: Topic | None) -> list[list[str]]:
    figure = [t for t in (fact.text, fact.qualifier, fact.unit) if t]
    change: list[str] = []
    for c in (fact.growth, fact.change):
        if c:
            change += [c.text] + ([c.basis] if c.basis else [])
    rank = [rank_text(fact.rank.scope, fact.rank.position)] if fact.rank else []
    return [
        [fact.id],
        [fact.metric],
        [fact.metric_en],
        figure,
        [fact.period or ""],
        change,
        rank,
        list(fact.tags),
        list(fact.aliases),
        [fact.note or ""],
        [fact.quote],
        list(topic.names()) if topic else [],
    ]


class SearchIndex:
    """Every fact's fields, normalised, in one UTF-8 buffer with offsets, plus per fact
    its ranking (scope, position) and flags (has a growth rate, counts things).

    One buffer searched with bytes.find is many times faster than a loop over a
    string per fact, and loads from the cache without decoding. UTF-8 being
    self-synchronising, a needle matches only at character boundaries."""

    def __init__(
        self,
        blob: bytes,
        offsets: array[int],
        rank_scopes: list[str],
        rank_positions: array[int],
        flags: bytes,
    ):
        n = len(offsets) - 1
        if (
            n < 0
            or offsets[-1] != len(blob)
            or not len(rank_scopes) == len(rank_positions) == len(flags) == n
            or any(offsets[i] > offsets[i + 1] for i in range(n))
        ):
            raise ValueError("inconsistent search index")
        self.blob = blob
        self.offsets = offsets  # len(facts) + 1 byte offsets; fact i is blob[o[i]:o[i+1]]
        self.rank_scopes = rank_scopes  # "" for a fact without a ranking
        self.rank_positions = rank_positions  # 0 for a fact without a ranking
        self.flags = flags
        self._words: frozenset[str] | None = None

    @classmethod
    def build(cls, facts: Iterable[Fact], topics: Sequence[Topic]) -> SearchIndex:
        by_slug = {t.slug: t for t in topics}
        offsets = array("q", [0])
        parts, scopes, flags = [], [], bytearray()
        positions = array("q")
        pos = 0
        for fact in facts:
            text = normalize(FIELD_SEP.join(_fields(fact, by_slug.get(fact.topic)))) + FACT_SEP
            data = text.encode("utf-8", "surrogatepass")
            parts.append(data)
            pos += len(data)
            offsets.append(pos)
            scopes.append(fact.rank.scope if fact.rank else "")
            positions.append(fact.rank.position if fact.rank else 0)
            flags.append(
                (GROWTH if fact.growth else 0) | (COUNT if fact.unit and fact.unit in COUNT_UNITS else 0)
            )
        return cls(b"".join(parts), offsets, scopes, positions, bytes(flags))

    def to_payload(self) -> tuple[Any, ...]:
        """Plain data for the cache (bytes, strings, numbers only)."""
        return (
            self.blob,
            self.offsets.tobytes(),
            self.rank_scopes,
            self.rank_positions.tobytes(),
            self.flags,
        )

    @classmethod
    def from_payload(cls, data: Any) -> SearchIndex:
        """The index back from `to_payload`'s data; ValueError if it does not fit together."""
        blob, offsets, scopes, positions, flags = data
        if not (
            isinstance(blob, bytes)
            and isinstance(flags, bytes)
            and isinstance(scopes, list)
            and all(isinstance(s, str) for s in scopes)
        ):
            raise ValueError("inconsistent search index")
        return cls(blob, _int_array(offsets), scopes, _int_array(positions), flags)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def text(self, i: int) -> str:
        """Fact i's normalised fields, joined by FIELD_SEP."""
        return self.blob[self.offsets[i] : self.offsets[i + 1] - 1].decode("utf-8", "surrogatepass")

    def fields(self, i: int) -> list[str]:
        return self.text(i).split(FIELD_SEP)

    def texts(self) -> list[str]:
        return [self.text(i) for i in range(len(self))]

    def contains(self, needle: str) -> bool:
        return _searchable(needle) and self.blob.find(needle.encode("utf-8", "surrogatepass")) != -1

    def find(self, needle: str) -> set[int]:
        """Indexes of the facts whose fields contain the needle."""
        if not _searchable(needle):
            return set()
        data = needle.encode("utf-8", "surrogatepass")
        blob, offsets, hits = self.blob, self.offsets, set()
        pos = blob.find(data)
        while pos != -1:
            i = bisect_right(offsets, pos) - 1
            hits.add(i)
            pos = blob.find(data, offsets[i + 1])  # on to the next fact
        return hits

    def ranked(self, scope: str | None, position: int | None, top: int | None) -> set[int]:
        """Facts with a ranking that fits: in scope, at position, or at top-th place or better."""
        out = set()
        for i, s in enumerate(self.rank_scopes):
            if not s or (scope and s != scope):
                continue
            p = self.rank_positions[i]
            if (position is None or p == position) and (top is None or p <= top):
                out.add(i)
        return out

    def words(self) -> frozenset[str]:
        """The words the base lists as words: every tag, once per run."""
        if self._words is None:
            tags = FIELD["tags"]
            self._words = frozenset(
                t for i in range(len(self)) for t in self.fields(i)[tags].split(ITEM_SEP) if t
            )
        return self._words

    def with_flag(self, flag: int) -> set[int]:
        return {i for i, f in enumerate(self.flags) if f & flag}


def _searchable(needle: str) -> bool:
    return bool(needle) and not any(sep in needle for sep in _SEPARATORS)


def _int_array(data: Any) -> array[int]:
    if not isinstance(data, bytes) or len(data) % 8:
        raise ValueError("inconsistent search index")
    out = array("q")
    out.frombytes(data)
    return out
