"""hdfacts: the verified facts and figures of Hengdong County's 2023 report.

The library API that the CLI is built on:

    >>> import hdfacts
    >>> base = hdfacts.load()                 # the shipped fact base
    >>> hdfacts.get(base, "gdp").value
    25592000000
    >>> [f.id for f in hdfacts.search(base, ["排名"])][:2]
    ['per-capita-disposable-income', 'urban-disposable-income']
"""

from __future__ import annotations

import sys as _sys

# Run as the `hdfacts` command, this package is imported before anything else of ours:
# take Ctrl-C and SIGTERM over here, first thing, so that the moment in which Python's
# own handler still prints a traceback is as short as it can be (see __main__.py).
if _sys.argv and _sys.argv[0].replace("\\", "/").rsplit("/", 1)[-1] in ("hdfacts", "hdfacts.exe"):
    from . import interrupt as _interrupt

    _interrupt.install(deferred=True)

from importlib import import_module

from .version import __version__

# Not typing's: importing typing (3 ms) would widen the moment at start-up in which
# Ctrl-C still meets Python's default handler (see __main__.py). mypy reads the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


# Names are imported on first use, so that `hdfacts --version` or a lookup does not
# pay for modules it never touches.
_EXPORTS = {
    "ExitCode": "errors",
    "FactBaseError": "errors",
    "HdfactsError": "errors",
    "NotFoundError": "errors",
    "UsageError": "errors",
    "default_path": "base.loader",
    "load": "base.loader",
    "load_all": "base.loader",
    "Change": "base.model",
    "Fact": "base.model",
    "FactBase": "base.model",
    "Meta": "base.model",
    "Rank": "base.model",
    "Report": "base.model",
    "Topic": "base.model",
    "Filters": "lookup.filters",
    "facts_of": "lookup.query",
    "find_topic": "lookup.query",
    "get": "lookup.query",
    "search": "lookup.query",
    "Quantity": "base.quantities",
    "parse_change": "base.quantities",
    "parse_quantity": "base.quantities",
    "parse_rank": "base.quantities",
    "sentence": "output.render",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hdfacts' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from .base.loader import default_path, load, load_all
    from .base.model import Change, Fact, FactBase, Meta, Rank, Report, Topic
    from .base.quantities import Quantity, parse_change, parse_quantity, parse_rank
    from .errors import ExitCode, FactBaseError, HdfactsError, NotFoundError, UsageError
    from .lookup.filters import Filters
    from .lookup.query import facts_of, find_topic, get, search
    from .output.render import sentence
