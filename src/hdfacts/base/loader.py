"""Find, read and load a fact base: from the user's cache while the file is
unchanged, else parsed and validated (schema.py) and then cached."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Sequence
from pathlib import Path

from ..errors import FactBaseError
from .model import FactBase


def default_path() -> Path:
    """The fact base shipped with the package.

    A wheel carries it inside the package; an editable install runs from the
    source tree, where it stands at the repository root.
    """
    here = Path(__file__).resolve().parents[1]  # the hdfacts package
    for candidate in (here / "facts.toml", here.parents[1] / "facts.toml"):
        if candidate.is_file():
            return candidate
    # A package imported from a zip file has no directory of its own on disk.
    from importlib.resources import as_file, files

    shipped = files("hdfacts").joinpath("facts.toml")
    if shipped.is_file():
        with as_file(shipped) as path:
            return Path(path)
    raise FactBaseError(shipped, "the shipped fact base is missing: reinstall hdfacts")


def source_text(base: FactBase) -> str | None:
    """The text of the report the base was taken from, where it stands beside the fact
    file under the name its [meta] gives (the shipped base carries its report); None
    where it does not, or cannot be read."""
    if not base.meta.source or not base.path:
        return None
    path = Path(base.path).parent / Path(base.meta.source).name
    try:
        return decode(path, read_bytes(path)) if path.is_file() else None
    except FactBaseError:
        return None


# The largest input read: the report's fact base is 35 KiB and one of 100,000 facts
# 36 MiB; a file of hundreds of MiB (or /dev/zero) is not a fact file or a report,
# and reading it whole could exhaust the memory before any check could say so.
MAX_INPUT = 128 << 20


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes, or a FactBaseError that says why they cannot be had."""
    limit = MAX_INPUT if limit is None else limit
    too_big = f"larger than {limit >> 20} MiB, the most hdfacts reads"
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                raise FactBaseError(path, f"{too_big} ({size:,} bytes)")
            data = f.read(limit + 1)  # a pipe or device says its size only by ending
            if len(data) > limit:
                raise FactBaseError(path, too_big)
            return data
    except FileNotFoundError:
        raise FactBaseError(path, "no such file") from None
    except IsADirectoryError:
        raise FactBaseError(path, "is a directory, not a fact file") from None
    except PermissionError:
        raise FactBaseError(path, "permission denied") from None
    except OSError as e:
        raise FactBaseError(path, f"cannot read: {e.strerror or e}") from e


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text, a BOM allowed; a FactBaseError naming the line of the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 BOM, as some Windows editors write
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise FactBaseError(path, f"not valid UTF-8 (byte 0x{data[e.start]:02x})", line, column) from None


def cache_wanted() -> bool:
    """False when HDFACTS_NO_CACHE is set, to anything but an empty string or a word for
    off in any case (0, false, no, off): HDFACTS_NO_CACHE=False keeps the cache."""
    return os.environ.get("HDFACTS_NO_CACHE", "").strip().casefold() in ("", "0", "false", "no", "off")


def load(path: str | Path | None = None, *, cache: bool | None = None) -> FactBase:
    """Load and validate a fact base; the shipped one when no path is given.

    A parsed copy is kept in the user's cache directory and used while the file is
    unchanged (cache=False, or HDFACTS_NO_CACHE=1, bypasses it).
    """
    p = Path(path) if path is not None else default_path()
    if cache is None:
        cache = cache_wanted()
    if not cache:
        return _load_bytes(p, read_bytes(p))
    from .cache import HASH_LIMIT, FactCache

    try:
        st = p.stat()
    except OSError:
        return _load_bytes(p, read_bytes(p))  # read_bytes says what is wrong
    if not stat.S_ISREG(st.st_mode):  # a pipe or device has no identity to key a cache by
        return _load_bytes(p, read_bytes(p))
    data = read_bytes(p) if st.st_size <= HASH_LIMIT else None
    entry = FactCache(p, st, data)
    base = entry.load(p)
    if base is None:
        # "Recently changed" is judged against the moment the file was read, not the end
        # of a parse that may take seconds: a rewrite in between keeps size and timestamps.
        read_at = time.time_ns()
        base = _load_bytes(p, data if data is not None else read_bytes(p))
        if data is not None or not racily_clean(st, read_at):
            entry.store(base)
    return base


# Coarser than any file system's timestamps (ext4 with 128-byte inodes and HFS+ keep
# whole seconds, FAT two).
TIMESTAMP_GRANULARITY_NS = 2_000_000_000


def racily_clean(st: os.stat_result, read_at: int | None = None) -> bool:
    """True when the file had changed so recently, when it was read (`read_at`, in ns;
    now by default), that a rewrite of the same size would leave its size and timestamps
    as they are (git's "racily clean" index entries). A large file is keyed by those
    alone, so it is cached only once it was older than that when read."""
    when = time.time_ns() if read_at is None else read_at
    return when - max(st.st_mtime_ns, st.st_ctime_ns) < TIMESTAMP_GRANULARITY_NS


def fact_files(paths: Sequence[str | Path]) -> list[Path]:
    """The fact files the paths name, each once, in the order given: a directory names
    every *.toml file in it, by name."""
    out: dict[str, Path] = {}
    for given in paths:
        if not str(given).strip():
            from ..errors import UsageError

            raise UsageError("an empty path names no fact base: give a fact file or a directory of them")
        p = Path(given)
        if p.is_dir():
            try:
                found = sorted(f for f in p.iterdir() if f.suffix == ".toml" and f.is_file())
            except OSError as e:
                raise FactBaseError(p, f"cannot list the directory: {e.strerror or e}") from e
            if not found:
                raise FactBaseError(p, "the directory holds no fact files (*.toml)")
        else:
            found = [p]
        for f in found:
            try:  # the file itself, however it is named (a stat costs a tenth of a resolve)
                st = f.stat()
                key = f"{st.st_dev}:{st.st_ino}"
            except OSError:  # read_bytes says what is wrong
                key = str(f)
            out.setdefault(key, f)
    return list(out.values())


def load_all(
    paths: Sequence[str | Path] = (), *, cache: bool | None = None, reports: Sequence[str] = ()
) -> FactBase:
    """The fact bases the paths name (files, or directories of them; the shipped base
    when there are none) as one base, each fact of its own report. Every base is read
    and checked before any is used: one that is broken ends the load, named, and no two
    may be the same report. `reports` keeps only the reports of these ids."""
    files = fact_files(paths) if paths else [default_path()]
    if len(files) == 1 and not reports:
        return load(files[0], cache=cache)
    bases = [load(f, cache=cache) for f in files]
    seen: dict[str, FactBase] = {}
    for b in bases:
        first = seen.setdefault(b.meta.id, b)
        if first is not b:
            raise FactBaseError(
                Path(b.path),
                f"is report {b.meta.id!r}, as {first.path} is: give one of them its own [report] id",
            )
    if reports:
        bases = _chosen(bases, reports)
    combined = FactBase.combine(bases)
    if combined.several and all(b.store is not None for b in bases):
        from .cache import SetCache

        combined.store = SetCache([b.store for b in bases])  # type: ignore[misc]
    return combined


def _chosen(bases: list[FactBase], reports: Sequence[str]) -> list[FactBase]:
    from ..errors import UsageError, close_matches, shown
    from .words import fold

    by_id = {fold(b.meta.id): b for b in bases}
    chosen: dict[str, FactBase] = {}
    for wanted in reports:
        b = by_id.get(fold(wanted.strip()))
        if b is None:
            close = close_matches(fold(wanted), list(by_id))
            hint = f"did you mean {close[0]}? " if close else ""
            raise UsageError(
                f"no report {shown(wanted)}: {hint}reports: {', '.join(x.meta.id for x in bases)}"
            )
        chosen.setdefault(b.meta.id, b)
    return list(chosen.values())


def _load_bytes(path: Path, data: bytes) -> FactBase:
    from .schema import build, parse_toml

    text = decode(path, data)
    return build(parse_toml(path, text), path, text)
