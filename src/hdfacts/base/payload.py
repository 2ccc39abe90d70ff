"""A fact base as the cache keeps it: plain tuples, strings and numbers for marshal, each
fact a row built only when first asked for, and every part checked as it is read back
(see cache.py for the entries on disk)."""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import CacheError
from .model import (
    FACT_FIELDS,
    NESTED_TYPES,
    REPORT_FIELDS,
    Change,
    Fact,
    FactBase,
    FactSequence,
    Rank,
    Report,
    Topic,
)

MARSHAL_VERSION = 4


def _row(f: Fact) -> bytes:
    # The fields of Fact, in order; a nested record as a plain tuple.
    return marshal.dumps(tuple(tuple(v) if isinstance(v, (Change, Rank)) else v for v in f), MARSHAL_VERSION)


def to_payload(base: FactBase) -> tuple[Any, ...]:
    return (
        tuple(base.meta),
        [(t.slug, t.name, t.name_en, t.section, tuple(t.aliases)) for t in base.topics],
        list(base.fact_ids()),
        list(base.fact_topics()),
        list(base.fact_aliases()),
        *_pack([_row(f) for f in base.facts]),
    )


def _pack(rows: list[bytes]) -> tuple[bytes, bytes]:
    """Rows as one buffer and their offsets: one object to load instead of one per fact."""
    offsets = array("q", [0])
    for r in rows:
        offsets.append(offsets[-1] + len(r))
    return b"".join(rows), offsets.tobytes()


class LazyFacts(FactSequence):
    """Facts kept as marshal rows and built one by one when first asked for."""

    def __init__(
        self,
        ids: list[str],
        topic_slugs: list[str],
        alias_pairs: list[tuple[str, str]],
        rows: bytes,
        offsets: array[int],
    ):
        if not len(ids) == len(topic_slugs) == len(offsets) - 1 or not _in_order(offsets, len(rows)):
            raise ValueError("inconsistent cache")
        self.ids = ids
        self.topic_slugs = topic_slugs
        # unpacking each pair checks its shape: a malformed entry raises, and is rebuilt
        self.alias_pairs = [(alias, fid) for alias, fid in alias_pairs]
        self._rows = memoryview(rows)
        self._offsets = offsets
        self._built: list[Fact | None] = [None] * len(ids)
        # the cache entry's discard, called when a row turns out inconsistent
        self.discard: Callable[[], None] | None = None

    def __len__(self) -> int:
        return len(self._built)

    def _at(self, i: int) -> Fact:
        fact = self._built[i]
        if fact is None:
            try:
                fact = _fact(marshal.loads(self._rows[self._offsets[i] : self._offsets[i + 1]]))
                if fact.id != self.ids[i] or fact.topic != self.topic_slugs[i]:
                    raise ValueError(f"row {i} is not fact {self.ids[i]!r}")
            except Exception as e:  # EOFError, TypeError, ValueError: a row that is not a fact
                if self.discard is not None:
                    self.discard()
                raise CacheError(f"cache row {i} is not a fact") from e
            self._built[i] = fact
        return fact

    def __iter__(self) -> Iterator[Fact]:
        return (self._at(i) for i in range(len(self)))


def _in_order(offsets: array[int], end: int) -> bool:
    """Offsets that cut a buffer of `end` bytes into pieces: from 0 to end, never back."""
    # sorted() of a sorted list is one linear pass in C: ~5 ms for 100,000 offsets.
    if not (len(offsets) > 0 and offsets[0] == 0 and offsets[-1] == end):
        return False
    values = offsets.tolist()
    return values == sorted(values)


_OPTIONAL_TEXT = (str, type(None))


def _text(v: Any) -> bool:
    return type(v) is str


def _optional_text(v: Any) -> bool:
    return v is None or type(v) is str


def _optional_number(v: Any) -> bool:
    return v is None or type(v) in (int, float)


def _optional_year(v: Any) -> bool:
    return v is None or type(v) is int


def _texts(v: Any) -> bool:
    return isinstance(v, tuple) and all(type(t) is str for t in v)


def _optional_change(v: Any) -> bool:
    return v is None or (
        isinstance(v, tuple)
        and len(v) == len(Change._fields)
        and _text(v[0])
        and type(v[1]) in (int, float)
        and all(_optional_text(x) for x in v[2:])
    )


def _optional_rank(v: Any) -> bool:
    return v is None or (isinstance(v, tuple) and len(v) == 2 and _text(v[0]) and type(v[1]) is int)


# How a row's value is checked, by the type the Fact record declares for its field: a
# field of a new type fails here, at import, rather than pass unchecked.
_CHECKS = {
    "str": _text,
    "str | None": _optional_text,
    "Number | None": _optional_number,
    "tuple[str, ...]": _texts,
    "Change | None": _optional_change,
    "Rank | None": _optional_rank,
}


def _call(check: Any, value: Any) -> bool:
    return bool(check(value))


def _declared(field: str) -> str:
    hint = Fact.__annotations__[field]
    return str(getattr(hint, "__forward_arg__", hint))  # a string under postponed annotations


_ROW_CHECKS = tuple(_CHECKS[_declared(k)] for k in FACT_FIELDS)


def _fact(r: Any) -> Fact:
    if not (isinstance(r, tuple) and len(r) == len(_ROW_CHECKS)):
        raise ValueError("not a fact row")
    if not all(map(_call, _ROW_CHECKS, r)):  # map, not a loop: 20% less (6 ms per 10,000 rows)
        raise ValueError("not a fact row")
    values: list[Any] = [
        NESTED_TYPES[k](*v) if v and k in NESTED_TYPES else v for k, v in zip(FACT_FIELDS, r, strict=False)
    ]
    return Fact(*values)


def _offsets(data: bytes) -> array[int]:
    positions = array("q")
    positions.frombytes(data)
    return positions


def _strings(value: Any) -> bool:
    # the types as a set, in C: a loop in Python over 100,000 ids costs 20 ms (measured)
    return isinstance(value, list) and set(map(type, value)) <= {str}


def from_payload(data: Any, source: Path) -> FactBase:
    """The base a payload holds; ValueError (or another Exception) where it does not add up."""
    meta, topics, ids, topic_slugs, alias_pairs, rows, row_offsets = data
    if not (
        isinstance(meta, tuple)
        and len(meta) == len(REPORT_FIELDS)
        and all(type(meta[k]) is str for k in (0, 1, 2, 4))
        and _optional_year(meta[3])
        and _optional_text(meta[5])
        and _optional_text(meta[6])
    ):
        raise ValueError("inconsistent cache: report")
    if not (
        isinstance(topics, list)
        and all(
            isinstance(t, tuple)
            and len(t) == 5
            and all(isinstance(t[k], str) for k in (0, 1, 2))
            and isinstance(t[3], _OPTIONAL_TEXT)
            and isinstance(t[4], tuple)
            and all(isinstance(a, str) for a in t[4])
            for t in topics
        )
    ):
        raise ValueError("inconsistent cache: topics")
    if not (_strings(ids) and _strings(topic_slugs)) or len(set(ids)) != len(ids):
        raise ValueError("inconsistent cache: ids")
    if not set(topic_slugs) <= {t[0] for t in topics}:
        raise ValueError("inconsistent cache: topics of facts")
    known = set(ids)
    if not (
        isinstance(alias_pairs, list)
        and all(
            isinstance(p, tuple) and len(p) == 2 and type(p[0]) is str and p[1] in known for p in alias_pairs
        )
    ):
        raise ValueError("inconsistent cache: aliases")
    if not all(isinstance(b, bytes) for b in (rows, row_offsets)):
        raise ValueError("inconsistent cache: buffers")
    facts = LazyFacts(ids, topic_slugs, alias_pairs, rows, _offsets(row_offsets))
    return FactBase(
        meta=Report(*meta), topics=tuple(Topic(*t) for t in topics), facts=facts, path=str(source)
    )
