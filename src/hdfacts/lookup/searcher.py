"""The search state of a fact base: its search index, and what is derived from it on first
use (the pinyin index, the characters' readings, the English words, the dictionaries'
words). One Searcher per loaded base, built from it and kept in the base's cache, entry
by entry, so that a second run reads instead of building.

This is the seam where several fact bases are searched together: a search takes a
base's Searcher, never state kept on the base itself."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar, cast

from ..base.model import ExtraStore, FactBase, Report
from .index import FIELD_SEP, SearchIndex
from .lexicon import Lexicon, lexicon

T = TypeVar("T")

# What a kept entry may hold that does not fit what is asked of it: then it is built again.
UNFIT = (TypeError, ValueError, KeyError, IndexError, AttributeError)


class Searcher:
    """What searching one base needs. `kept` is the one way to derive data from the base:
    from memory, else from the base's cache, else built (and then kept there)."""

    def __init__(
        self, index: SearchIndex, store: ExtraStore | None = None, reports: tuple[Report, ...] = ()
    ) -> None:
        self.index = index
        self.store = store
        self.reports = reports
        self._kept: dict[str, object] = {}
        self._lexicon: Lexicon | None = None

    @classmethod
    def of(cls, base: FactBase) -> Searcher:
        """The searcher of a base, its index read from the base's cache where it fits."""
        store = base.store
        if store is not None:
            try:
                return cls(_stored_index(base, store.load_extra("index")), store, base.reports)
            except UNFIT:
                pass
        index = SearchIndex.build(base.facts, base.topics)
        if store is not None:
            store.store_extra("index", index.to_payload())
        return cls(index, store, base.reports)

    def kept(
        self,
        name: str,
        read: Callable[[Any], T],
        build: Callable[[], T],
        write: Callable[[T], Any],
        *,
        warn: str | None = None,
        shared: bool = False,
    ) -> T:
        """The data called `name`: as read in this run, else `read` from what the cache
        keeps (raising one of UNFIT where it does not fit), else `build` and `write` it.
        `warn` names data slow enough to build that a cache which cannot keep it is worth
        a warning, once per run. `shared` data is built from the dictionaries alone, not
        from the base: it is kept once for every base, in memory and in the cache."""
        kept, store = (_shared, _shared_store(self.store)) if shared else (self._kept, self.store)
        if name in kept:
            return cast(T, kept[name])
        data = store.load_extra(name) if store is not None else None
        try:
            if data is None:
                raise ValueError(f"no {name} kept")
            value = read(data)
        except UNFIT:
            value = build()
            if store is not None and not store.store_extra(name, write(value)) and warn:
                _cannot_keep(store, warn)
        kept[name] = value
        return value

    @property
    def lexicon(self) -> Lexicon:
        """The shipped lexicon, with the names of the base's reports as filler."""
        if self._lexicon is None:
            from .reports import all_names, all_places, region_scopes

            shipped = lexicon(self.store)
            own = all_names(self.reports)
            self._lexicon = shipped._replace(
                filler=shipped.filler | own,
                longest=max(shipped.longest, *map(len, own), 0),
                places=all_places(self.reports),
                scopes={**region_scopes(self.reports), **shipped.scopes},
            )
        return self._lexicon


# Data built from the dictionaries alone, as read or built in this run: one copy for every
# base (a comparison of 100 reports reads jieba's 4 MB once, not 100 times).
_shared: dict[str, object] = {}


def _shared_store(store: ExtraStore | None) -> ExtraStore | None:
    """The cache entry for shared data, in the same directory as the base's; none without
    a cache (--no-cache)."""
    if store is None:
        return None
    from ..base.cache import SharedCache

    return SharedCache(getattr(store, "directory", None))


_warned: list[str] = []


def _cannot_keep(store: ExtraStore, what: str) -> None:
    """Say once per run that the cache cannot be written, since every run will then build
    `what` again."""
    if _warned:
        return
    _warned.append(what)
    import warnings

    from ..errors import CacheWarning, escape_controls

    directory = getattr(store, "directory", "the cache directory")
    warnings.warn(
        CacheWarning(
            f"cannot write the cache in {escape_controls(str(directory))}: {what} is built on each run"
        ),
        stacklevel=3,
    )


def _stored_index(base: FactBase, data: Any) -> SearchIndex:
    """The index the cache keeps, if it is the index of these facts; ValueError if not."""
    if data is None:
        raise ValueError("no index kept")
    index = SearchIndex.from_payload(data)  # checks its own offsets, lengths and types
    ids = base.fact_ids()
    if len(index) != len(ids):
        raise ValueError("inconsistent cache: search index")
    # Each fact's search text starts with its id (ids are lower-case ASCII, folded
    # already), so an index that points at the wrong facts fails here; ~25 ms for
    # 100,000 facts (measured).
    blob, positions, sep = index.blob, index.offsets, FIELD_SEP.encode()
    for fact_id, position in zip(ids, positions, strict=False):
        if not blob.startswith(fact_id.encode("utf-8", "surrogatepass") + sep, position):
            raise ValueError("inconsistent cache: search index")
    return index


# By the id of a loaded base, for as long as the base lives: each entry holds a weak
# reference to its base, whose end removes the entry (weakref.finalize would import
# atexit into every search for the same).
_searchers: dict[int, tuple[weakref.ref[FactBase], Searcher]] = {}


def searcher_of(base: FactBase) -> Searcher:
    """The base's Searcher, built on first use."""
    key = id(base)
    kept = _searchers.get(key)
    if kept is not None and kept[0]() is base:
        return kept[1]
    found = Searcher.of(base)
    _searchers[key] = (weakref.ref(base, lambda _: _searchers.pop(key, None)), found)
    return found


def index_of(base: FactBase) -> SearchIndex:
    """The base's search index."""
    return searcher_of(base).index
