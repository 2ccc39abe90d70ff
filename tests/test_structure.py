"""The shape of the package: packages by job, layers that only point down, no circle
of imports (type-only ones included), and modules and functions of a readable size."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hdfacts"

# Each part of the package by layer: a module may import only from its own layer or below.
LAYERS = {
    "errors": 0,
    "version": 0,
    "interrupt": 0,
    "base": 1,
    "lookup": 2,
    "output": 3,
    "extract": 4,
    "mcp_server": 4,
    "mcp_stdio": 4,
    "mcp_records": 4,
    "cli": 5,
    "__main__": 6,
    "__init__": 6,
}
MAX_TOP_MODULES = 8
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules() -> dict[str, Path]:
    """Every module by dotted name below hdfacts (a package by its own name)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ours that a module imports, anywhere in it (type-only ones included)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    if name == "__init__":
        package = []
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            for alias in node.names:
                full = f"{target}.{alias.name}" if target else alias.name
                found.add(full if full in known else target)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("hdfacts."):
            found.add(node.module.removeprefix("hdfacts."))
    return {m for m in found if m in known and m != name}


GRAPH = {name: imports(name, path, modules()) for name, path in modules().items()}


def layer(name: str) -> int:
    return LAYERS[name.split(".")[0]]


def test_the_top_level_holds_few_modules_beside_its_packages():
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= MAX_TOP_MODULES, sorted(top)
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} == {
        "base",
        "lookup",
        "output",
        "extract",
        "cli",
    }


def test_every_part_has_a_layer():
    assert {name.split(".")[0] for name in GRAPH} == set(LAYERS)


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_imports_point_down(name):
    upward = sorted(m for m in GRAPH[name] if layer(m) > layer(name))
    assert upward == []


def test_no_circle_of_imports():
    seen: dict[str, int] = {}  # 1: on the current path, 2: done
    circles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        seen[name] = 1
        for other in sorted(GRAPH[name]):
            if seen.get(other) == 1:
                circles.append([*path[path.index(other) :], other])
            elif other not in seen:
                visit(other, [*path, other])
        seen[name] = 2

    for name in sorted(GRAPH):
        if name not in seen:
            visit(name, [name])
    assert circles == []


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_modules_and_functions_are_of_a_readable_size(name):
    path = modules()[name]
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES
    long = [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_the_graph_sees_imports():
    # the checks above would pass on a graph with no edges
    assert "base.model" in GRAPH["lookup.query"]
    assert "lookup.query" in GRAPH["output.views"]  # a type-only import
    assert "errors" in GRAPH["base.quantities"]
