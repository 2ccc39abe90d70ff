"""A cache of parsed, validated fact bases, so that a large fact file is parsed once.

One file per fact file, in $XDG_CACHE_HOME/hdfacts (else ~/.cache/hdfacts). Its name
comes from the fact file's absolute path; inside, a key made of the hdfacts version,
the cache format, the path and a hash of the fact file's bytes says which fact file it
was built from, so any change to the file (or to hdfacts) makes it stale.

The payload is marshal data of plain tuples, strings and numbers, which loading does
not execute. It is read only when a checksum over it matches (so a truncated or
corrupted file is ignored) and only from a directory and file that belong to the
current user and that no one else can write. Anything wrong means: rebuild, quietly.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from . import __version__
from .model import Change, Fact, FactBase, Meta, Rank, Topic

MAGIC = b"hdfacts-cache\n"
FORMAT = b"\x02"
DIGEST = 32  # bytes of each blake2b digest in the header
MARSHAL_VERSION = 4


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec: a relative XDG_CACHE_HOME is invalid and is ignored.
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "hdfacts"


def _digest(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=DIGEST)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


class FactCache:
    """The cache entry for one fact file, as its bytes are now."""

    def __init__(self, source: Path, data: bytes, directory: Path | None = None):
        self.directory = directory or cache_dir()
        resolved = str(source.resolve()).encode("utf-8", "surrogateescape")
        self.key = _digest(__version__.encode(), FORMAT, resolved, hashlib.blake2b(data).digest())
        self.file = self.directory / f"{hashlib.blake2b(resolved, digest_size=12).hexdigest()}.cache"

    def load(self, source: Path) -> FactBase | None:
        """The cached fact base, or None when there is no trustworthy, current entry."""
        data = self._read(self.file)
        if data is None:
            return None
        try:
            base = _from_payload(data, source)
        except Exception:  # a well-formed file of the wrong shape: rebuild
            return None
        base.derived["cache"] = self
        return base

    def store(self, base: FactBase, search_texts: list[str]) -> None:
        """Keep the base; a cache that cannot be written is simply not kept."""
        self._write(self.file, _to_payload(base, search_texts))
        base.derived["cache"] = self

    def load_extra(self, name: str) -> Any:
        """Data derived from the same fact file (the pinyin index), or None."""
        return self._read(self.file.with_suffix(f".{name}"))

    def store_extra(self, name: str, data: Any) -> None:
        self._write(self.file.with_suffix(f".{name}"), data)

    def _read(self, file: Path) -> Any:
        try:
            if not (_private(self.directory) and _private(file)):
                return None
            blob = file.read_bytes()
            head = len(MAGIC) + len(FORMAT) + 2 * DIGEST
            if (len(blob) < head or not blob.startswith(MAGIC + FORMAT)
                    or blob[len(MAGIC) + 1:len(MAGIC) + 1 + DIGEST] != self.key):
                return None
            payload = blob[head:]
            if _digest(payload) != blob[head - DIGEST:head]:
                return None
            del blob
            return marshal.loads(payload)
        except Exception:  # a cache is never worth a crash: anything odd means rebuild
            return None

    def _write(self, file: Path, data: Any) -> None:
        try:
            payload = marshal.dumps(data, MARSHAL_VERSION)
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(self.directory):
                return
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".cache")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(MAGIC + FORMAT + self.key + _digest(payload) + payload)
                os.replace(tmp, file)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except (OSError, ValueError):
            pass


def _private(path: Path) -> bool:
    """True when path belongs to this user and no one else may write it."""
    st = os.stat(path, follow_symlinks=False)
    if stat.S_ISLNK(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _change(c: Change | None) -> tuple[Any, ...] | None:
    return (c.text, c.value, c.unit, c.basis) if c else None


def _to_payload(base: FactBase, search_texts: list[str]) -> tuple[Any, ...]:
    m = base.meta
    return (
        (m.title, m.region, m.year, m.source),
        [(t.slug, t.name, t.name_en, t.section, tuple(t.aliases)) for t in base.topics],
        [
            (f.id, f.topic, f.metric, f.metric_en, f.quote, f.text, f.value, f.unit, f.qualifier,
             f.period, _change(f.growth), _change(f.change),
             (f.rank.scope, f.rank.position) if f.rank else None, tuple(f.tags))
            for f in base.facts
        ],
        search_texts,
    )


def _from_payload(data: Any, source: Path) -> FactBase:
    meta, topics, rows, texts = data
    if len(rows) != len(texts):
        raise ValueError("inconsistent cache")
    facts = tuple(
        Fact(id=r[0], topic=r[1], metric=r[2], metric_en=r[3], quote=r[4], text=r[5], value=r[6],
             unit=r[7], qualifier=r[8], period=r[9],
             growth=Change(*r[10]) if r[10] else None, change=Change(*r[11]) if r[11] else None,
             rank=Rank(*r[12]) if r[12] else None, tags=r[13])
        for r in rows
    )
    base = FactBase(meta=Meta(*meta), topics=tuple(Topic(*t) for t in topics), facts=facts,
                    path=str(source))
    base.derived["search_texts"] = texts
    return base
