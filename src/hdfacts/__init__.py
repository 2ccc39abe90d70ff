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

__version__ = "0.1.0"

from .errors import ExitCode, FactBaseError, HdfactsError, NotFoundError, UsageError
from .load import default_path, load
from .model import Change, Fact, FactBase, Meta, Rank, Topic
from .query import facts_of, find_topic, get, search
from .quantities import Quantity, parse_change, parse_quantity, parse_rank

__all__ = [
    "Change", "ExitCode", "Fact", "FactBase", "FactBaseError", "HdfactsError", "Meta",
    "NotFoundError", "Quantity", "Rank", "Topic", "UsageError", "__version__", "default_path",
    "facts_of", "find_topic", "get", "load", "parse_change", "parse_quantity", "parse_rank",
    "search",
]
