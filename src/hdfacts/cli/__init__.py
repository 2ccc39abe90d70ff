"""The hdfacts command line: thin adapters over load, query and render.

This package is the only part of hdfacts that imports typer. `core.py` holds the
application and `ending`, the one place where errors, signals, closed pipes and
unwritable output become one stderr line and an exit code; `options.py` declares each
option once; `commands.py` holds the commands.
"""

# No `from __future__ import annotations`: see options.py.

from . import commands as _commands  # noqa: F401  (registers the commands on the app)
from .core import Environment, app, main
from .core import complete_id as _complete_id
from .core import complete_topic as _complete_topic
from .helptext import typeset_commands

typeset_commands(app)

__all__ = ["Environment", "_complete_id", "_complete_topic", "app", "main"]
