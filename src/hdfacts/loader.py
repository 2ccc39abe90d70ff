"""Find, read and load a fact base: from the user's cache while the file is
unchanged, else parsed and validated (schema.py) and then cached."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import FactBaseError
from .model import FactBase


def default_path() -> Path:
    """The fact base shipped with the package.

    A wheel carries it inside the package; an editable install runs from the
    source tree, where it stands at the repository root.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "facts.toml", here.parents[1] / "facts.toml"):
        if candidate.is_file():
            return candidate
    # A package imported from a zip file has no directory of its own on disk.
    from importlib.resources import as_file, files

    shipped = files(__package__ or "hdfacts").joinpath("facts.toml")
    if shipped.is_file():
        with as_file(shipped) as path:
            return Path(path)
    raise FactBaseError(shipped, "the shipped fact base is missing: reinstall hdfacts")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a FactBaseError that says why they cannot be had."""
    try:
        return path.read_bytes()
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
    data = read_bytes(p) if st.st_size <= HASH_LIMIT else None
    entry = FactCache(p, st, data)
    base = entry.load(p)
    if base is None:
        base = _load_bytes(p, data if data is not None else read_bytes(p))
        entry.store(base)
    return base


def _load_bytes(path: Path, data: bytes) -> FactBase:
    from .schema import build, parse_toml

    text = decode(path, data)
    return build(parse_toml(path, text), path, text)
