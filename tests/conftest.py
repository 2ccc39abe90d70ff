from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

# Hypothesis profiles: "dev" for a quick loop, "ci" (what .ci/run uses) for a few hundred
# examples of every property, "deep" for a long hunt (HYPOTHESIS_PROFILE=deep pytest).
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None)
settings.register_profile("deep", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
# The source report lives beside the repository in the project's shared folder;
# a user's fresh clone does not have it, and the tests that need it skip.
SOURCE = ROOT.parent / "shared" / "source" / "hengdong-2023-report.txt"


def fact_file(
    tmp_path: Path, old: str = "", new: str = "", *, source: Path | None = None, name: str = "facts.toml"
) -> Path:
    """A fact file in tmp_path: `source` (tests/data/valid.toml by default) with its first
    `old` replaced by `new`; the one way the tests make a fact file of their own."""
    text = (source or DATA / "valid.toml").read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1) if old else text, encoding="utf-8")
    return path


def run_installed(
    args: Sequence[str], env: dict[str, str] | None = None, **kw: Any
) -> subprocess.CompletedProcess[Any]:
    """The installed command in a clean environment (no HDFACTS_ variable but those given)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("HDFACTS_", "_HDFACTS"))}
    full.update(env or {})
    kw.setdefault("capture_output", True)
    kw.setdefault("timeout", 60)
    return subprocess.run([console_script(), *args], env=full, **kw)


def modules_loaded(
    argv: Sequence[str], packages: Sequence[str], env: dict[str, str] | None = None
) -> list[str]:
    """The modules of `packages` that a run of `hdfacts argv` imports, in a fresh interpreter."""
    code = (
        "import sys\nfrom hdfacts.cli import main\n"
        f"sys.argv = ['hdfacts', *{list(argv)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {tuple(packages)!r})\n"
        "sys.stderr.write('LOADED' + repr(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env or os.environ.copy()
    )
    said = result.stderr.rsplit("LOADED", 1)
    assert len(said) == 2, result.stderr
    assert result.stdout.strip().startswith(("{", "[")), result.stderr  # it ran, and answered
    return ast.literal_eval(said[1])


def commands() -> list[str]:
    """The commands of the app, as registered: the list every help and README check runs over."""
    from hdfacts.cli import app

    return [c.name or c.callback.__name__ for c in app.registered_commands]


@pytest.fixture(autouse=True, scope="session")
def _private_cache_home(tmp_path_factory):
    """Keep the tests' parsed-base caches out of the user's own cache directory."""
    home = tmp_path_factory.mktemp("cache-home")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def base():
    import hdfacts

    return hdfacts.load()


@pytest.fixture(scope="session")
def source_text() -> str:
    if not SOURCE.is_file():
        pytest.skip(f"source report not present at {SOURCE}")
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture
def cli(monkeypatch):
    """Run the CLI in-process; returns the Result with stdout and stderr apart."""
    from hdfacts.cli import app

    for var in ("HDFACTS_FACTS", "HDFACTS_LANG", "HDFACTS_NO_CACHE", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(var, raising=False)
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None):
        return runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)

    return run


def console_script() -> str:
    """The installed `hdfacts` command of the interpreter running the tests."""
    exe = Path(sys.executable).parent / ("hdfacts.exe" if os.name == "nt" else "hdfacts")
    if not exe.exists():
        pytest.skip("the hdfacts console script is not installed in this environment")
    return str(exe)
