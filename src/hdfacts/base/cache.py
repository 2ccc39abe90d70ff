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
decoding (payload.py) checks the shape too: every table's length, every offset (in range and in
order), that ids are unique and that facts name known topics (the search index, kept
beside the base, is checked against the ids when it is read: lookup/searcher.py).
Each fact's row is checked against its id and field types when it is built
(lazily); a row that fails discards the entry and raises CacheError, and the CLI
runs the command again.
"""

from __future__ import annotations

import marshal
import os
import stat
import zlib
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..version import __version__
from .model import FACT_FIELDS, FactBase
from .payload import MARSHAL_VERSION, LazyFacts, from_payload, to_payload

MAGIC = b"hdfacts-cache\n"
# The layout of the payload and of a fact's row; bump it whenever either changes, so an
# older cache is rebuilt rather than misread (9: a fact's note and aliases, the typed
# search index; 10: no separator character of the index inside a field; 11: the search
# index kept as an entry of its own, beside the base's; 12: the note a field of the index
# of its own; 13: the [report] table, and each fact's report; 14: the report's period).
FORMAT = b"\x0e"
CHECK = 4  # bytes of the payload's CRC-32, which catches a damaged or truncated file
HASH_LIMIT = 1 << 20  # fact files up to this size are hashed into the key


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
                ",".join(FACT_FIELDS),  # a record of another shape is rebuilt, not misread
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
            base = from_payload(data, source)
        except Exception:  # a well-formed file of the wrong shape: rebuild
            self.discard()
            return None
        base.store = self
        if isinstance(base.facts, LazyFacts):
            base.facts.discard = self.discard
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
        self._write(self.file, to_payload(base))
        base.store = self

    def load_extra(self, name: str) -> Any:
        """Data derived from the same fact file (the search index, the pinyin index), or None."""
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
        """Whether the entry was written; a cache that cannot be written is not kept."""
        try:
            payload = marshal.dumps(data, MARSHAL_VERSION)
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(self.directory):
                return False
            from .files import replace_atomically  # only when writing

            def write(tmp: Path) -> None:
                with open(tmp, "wb") as f:
                    f.write(self._header() + _crc(payload))
                    f.write(payload)

            replace_atomically(file, write, mode=0o600, temporary=(".tmp-", ".cache"))
            return True
        except (OSError, ValueError, OutputError):
            return False


def _private(path: Path) -> bool:
    """True when path belongs to this user and no one else may write it."""
    st = os.stat(path, follow_symlinks=False)
    if stat.S_ISLNK(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class SharedCache(FactCache):
    """Where data built from the dictionaries alone is kept (jieba's words, the characters'
    readings): the same for every base, so kept once, not once per base (4.6 MB each)."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory or cache_dir()
        self.key = "\0".join((__version__, "shared")).encode("utf-8")
        self.file = self.directory / "shared.cache"

    def load(self, source: Path) -> FactBase | None:
        return None  # it holds no base

    def store(self, base: FactBase) -> None:
        return None


class SetCache(FactCache):
    """Where data derived from several fact bases loaded together (their search index) is
    kept: an entry named by the bases' paths and keyed by all of their keys, so that a
    change to any of them makes it stale. The bases themselves stay in their own entries."""

    def __init__(self, members: list[FactCache]):
        self.directory = members[0].directory
        self.key = b"\0\0".join(m.key for m in members)
        names = b"\0".join(m.file.name.encode() for m in members)
        self.file = self.directory / f"set-{_checksum(names).hex()}{len(members):x}.cache"

    def load(self, source: Path) -> FactBase | None:
        return None  # a set holds no base of its own

    def store(self, base: FactBase) -> None:
        base.store = self
