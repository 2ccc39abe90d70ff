"""The floor: the least a Typer tool of hdfacts' shape must do to answer a search.

A Typer app of 8 commands with about 4 options each; its `search` command parses
the fact file with tomli, keeps the facts whose strings contain the term, and
prints them as JSON (json.dumps) or as a rich table of their text fields.
Usage: python floor.py search TERM [--json] [--facts PATH]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer()
Facts = Annotated[Path, typer.Option("--facts")]
DEFAULT = Path(__file__).resolve().parents[1] / "facts.toml"


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


@app.command()
def search(
    term: str,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    facts: Facts = DEFAULT,
    fields: str = "",
    lang: str = "zh",
) -> None:
    import tomli

    with open(facts, "rb") as f:
        data = tomli.load(f)
    hits = [fact for fact in data["facts"] if any(term in t for t in _texts(fact))]
    if as_json:
        sys.stdout.write(json.dumps(hits, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for column in ("id", "metric", "text", "period", "quote"):
        table.add_column(column, overflow="fold")
    for fact in hits:
        table.add_row(*(str(fact.get(k, "")) for k in ("id", "metric", "text", "period", "quote")))
    Console().print(table)


def _stub(name: str):
    def command(
        a: str = "", b: int = 0, c: bool = False, d: Annotated[str, typer.Option("--d")] = ""
    ) -> None:
        print(name, a, b, c, d)

    command.__name__ = name
    return command


for _name in ("topics", "show", "get", "export", "validate", "chart", "verify"):
    app.command(_name)(_stub(_name))

if __name__ == "__main__":
    app()
