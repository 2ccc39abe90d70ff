"""A cache of parsed, validated fact bases, so that a large fact file is parsed once.

One file per fact file, in $XDG_CACHE_HOME/hdfacts (else ~/.cache/hdfacts). Its name
comes from the fact file's absolute path; inside, a key made of the hdfacts version,
the path and the file's identity (size, mtime, ctime, inode, and a checksum of small
files) says which fact file it was built from, so any change to the file (or to
hdfacts) makes it stale.

The payload is marshal data of plain tuples, strings and numbers, which loading does
not execute. It is read only when its checksum matches (so a truncated or damaged
file is ignored) and only from a directory and file that belong to the
current user and that no one else can write. Anything wrong means: rebuild, quietly.

A checksum says the file is as written, not that what was written is consistent, so
decoding checks the shape too: every table's length, every offset (in range and in
order), that ids are unique, that facts name known topics and that each fact's search
text starts with its id (about 25 ms for 100,000 facts, 0.1 ms for the shipped
base). Each fact's row is checked against its id and field types when it is built
(lazily); a row that fails discards the entry and raises CacheError, and the CLI
runs the command again.
"""

from __future__ import annotations

import marshal
import os
import stat
import zlib
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from .errors import CacheError
from .index import FIELD_SEP, SearchIndex, index_of
from .model import FACT_FIELDS, NESTED_TYPES, Change, Fact, FactBase, Meta, Rank, Topic
from .version import __version__

MAGIC = b"hdfacts-cache\n"
# The layout of the payload and of a fact's row; bump it whenever either changes, so an older
# cache is rebuilt, not misread (10: no separator character of the index inside a field).
FORMAT = b"\x0a"
CHECK = 4  # bytes of the payload's CRC-32, which catches a damaged or truncated file
HASH_LIMIT = 1 << 20  # fact files up to this size are hashed into the key
MARSHAL_VERSION = 4


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec: a relative XDG_CACHE_HOME is invalid and is ignored.
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "hdfacts"


def _checksum(data: bytes | memoryview) -> bytes:
    """CRC-32 and Adler-32 together: enough to tell a damaged or changed file, and
    zlib's are fast and cheap to import (hashlib would load OpenSSL)."""
    return zlib.crc32(data).to_bytes(4, "little") + zlib.adler32(data).to_bytes(4, "little")


def _crc(data: bytes | memoryview) -> bytes:
    return zlib.crc32(data).to_bytes(CHECK, "little")


class FactCache:
    """The cache entry for one fact file, as the file is now.

    The key holds the file's resolved path, size, mtime, ctime, inode and device: a
    write to the file, or a touch, changes its ctime, which no one can set back.
    Files up to HASH_LIMIT are checksummed too, since for them reading is cheap."""

    def __init__(self, source: Path, st: os.stat_result, data: bytes | None, directory: Path | None = None):
        self.directory = directory or cache_dir()
        resolved = str(source.resolve())
        content = _checksum(data).hex() if data is not None else "-"
        self.key = "\0".join(
            (
                __version__,
                resolved,
                str(st.st_size),
                str(st.st_mtime_ns),
                str(st.st_ctime_ns),
                str(st.st_ino),
                str(st.st_dev),
                content,
            )
        ).encode("utf-8", "surrogateescape")
        name = resolved.encode("utf-8", "surrogateescape")
        self.file = self.directory / f"{_checksum(name).hex()}{len(name):x}.cache"

    def load(self, source: Path) -> FactBase | None:
        """The cached fact base, or None when there is no trustworthy, current entry."""
        data = self._read(self.file)
        if data is None:
            return None
        try:
            base = _from_payload(data, source)
        except Exception:  # a well-formed file of the wrong shape: rebuild
            self.discard()
            return None
        base.store = self
        if isinstance(base.facts, LazyFacts):
            base.facts.entry = self
        return base

    def discard(self) -> None:
        """Remove the entry and what was derived beside it."""
        for file in self.directory.glob(f"{self.file.stem}.*"):
            try:
                file.unlink()
            except OSError:
                pass

    def store(self, base: FactBase) -> None:
        """Keep the base, where the cache can be written."""
        self._write(self.file, _to_payload(base, index_of(base)))
        base.store = self

    def load_extra(self, name: str) -> Any:
        """Data derived from the same fact file (the pinyin index), or None."""
        return self._read(self.file.with_suffix(f".{name}"))

    def store_extra(self, name: str, data: Any) -> bool:
        return self._write(self.file.with_suffix(f".{name}"), data)

    def _header(self) -> bytes:
        return MAGIC + FORMAT + len(self.key).to_bytes(4, "little") + self.key

    def _read(self, file: Path) -> Any:
        try:
            if not (_private(self.directory) and _private(file)):
                return None
            blob = file.read_bytes()
            prefix = self._header()
            head = len(prefix) + CHECK
            if len(blob) < head or not blob.startswith(prefix):
                return None
            payload = memoryview(blob)[head:]
            if _crc(payload) != blob[len(prefix) : head]:
                return None  # truncated or damaged
            return marshal.loads(payload)
        except Exception:  # a cache is never worth a crash: anything odd means rebuild
            return None

    def _write(self, file: Path, data: Any) -> bool:
        try:
            payload = marshal.dumps(data, MARSHAL_VERSION)
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(self.directory):
                return False
            import tempfile  # only when writing

            from .export import sweep_stale

            sweep_stale(self.directory, ".tmp-", (".cache",))  # left by a run killed mid-write
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".cache")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(self._header() + _crc(payload))
                    f.write(payload)
                os.replace(tmp, file)
                return True
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except (OSError, ValueError):
            return False


def _private(path: Path) -> bool:
    """True when path belongs to this user and no one else may write it."""
    st = os.stat(path, follow_symlinks=False)
    if stat.S_ISLNK(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _row(f: Fact) -> bytes:
    # The fields of Fact, in order; a nested record as a plain tuple.
    return marshal.dumps(tuple(tuple(v) if isinstance(v, (Change, Rank)) else v for v in f), MARSHAL_VERSION)


def _to_payload(base: FactBase, index: SearchIndex) -> tuple[Any, ...]:
    m = base.meta
    return (
        (m.title, m.region, m.year, m.source),
        [(t.slug, t.name, t.name_en, t.section, tuple(t.aliases)) for t in base.topics],
        list(base.fact_ids()),
        list(base.fact_topics()),
        list(base.fact_aliases()),
        *_pack([_row(f) for f in base.facts]),
        index.to_payload(),
    )


def _pack(rows: list[bytes]) -> tuple[bytes, bytes]:
    """Rows as one buffer and their offsets: one object to load instead of one per fact."""
    offsets = array("q", [0])
    for r in rows:
        offsets.append(offsets[-1] + len(r))
    return b"".join(rows), offsets.tobytes()


class LazyFacts(Sequence[Fact]):
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
        self.entry: FactCache | None = None  # discarded when a row turns out inconsistent

    def __len__(self) -> int:
        return len(self._built)

    @overload
    def __getitem__(self, i: int) -> Fact: ...

    @overload
    def __getitem__(self, i: slice) -> list[Fact]: ...

    def __getitem__(self, i: int | slice) -> Fact | list[Fact]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        fact = self._built[i]
        if fact is None:
            try:
                fact = _fact(marshal.loads(self._rows[self._offsets[i] : self._offsets[i + 1]]))
                if fact.id != self.ids[i] or fact.topic != self.topic_slugs[i]:
                    raise ValueError(f"row {i} is not fact {self.ids[i]!r}")
            except Exception as e:  # EOFError, TypeError, ValueError: a row that is not a fact
                if self.entry is not None:
                    self.entry.discard()
                raise CacheError(f"cache row {i} is not a fact") from e
            self._built[i] = fact
        return fact

    def __iter__(self) -> Iterator[Fact]:
        return (self[i] for i in range(len(self)))


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


def _from_payload(data: Any, source: Path) -> FactBase:
    """The base a payload holds; ValueError (or another Exception) where it does not add up."""
    meta, topics, ids, topic_slugs, alias_pairs, rows, row_offsets, index_data = data
    if not (
        isinstance(meta, tuple)
        and len(meta) == 4
        and all(isinstance(meta[k], str) for k in (0, 1, 3))
        and type(meta[2]) is int
    ):
        raise ValueError("inconsistent cache: meta")
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
    index = SearchIndex.from_payload(index_data)  # checks its own offsets, lengths and types
    if len(index) != len(facts):
        raise ValueError("inconsistent cache: search index")
    # Each fact's search text starts with its id (ids are lower-case ASCII, folded
    # already), so an index that points at the wrong facts fails here; ~25 ms for
    # 100,000 facts (measured).
    blob, positions, sep = index.blob, index.offsets, FIELD_SEP.encode()
    for fact_id, position in zip(ids, positions, strict=False):
        if not blob.startswith(fact_id.encode("utf-8", "surrogatepass") + sep, position):
            raise ValueError("inconsistent cache: search index")
    base = FactBase(meta=Meta(*meta), topics=tuple(Topic(*t) for t in topics), facts=facts, path=str(source))
    base.index = index
    return base
