"""The wheel users get from `pip install .` carries the fact base and runs anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # builds a wheel or runs the installed command in processes


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory):
    """A fresh venv holding only the built wheel; dependencies come from the test environment."""
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if build.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{build.stderr[-2000:]}")
    (wheel,) = (tmp / "dist").glob("hdfacts-*.whl")
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True)  # ensurepip: offline
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if install.returncode != 0:
        pytest.fail(f"installing the wheel failed:\n{install.stderr[-2000:]}")
    # The venv sees typer, rich and tomli from the test environment, after its own site-packages.
    site = subprocess.run(
        [str(python), "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return wheel, bindir, Path(site)


def test_wheel_contains_the_fact_base(wheel_env):
    wheel, _, _ = wheel_env
    with zipfile.ZipFile(wheel) as z:
        assert z.read("hdfacts/facts.toml") == (ROOT / "facts.toml").read_bytes()


def test_installed_wheel_runs_from_another_directory(wheel_env, tmp_path):
    _, bindir, site = wheel_env
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDFACTS_")}
    show = subprocess.run(
        [str(bindir / "hdfacts"), "show", "economy"], cwd=tmp_path, env=env, capture_output=True, timeout=60
    )
    assert show.returncode == 0, show.stderr
    assert "255.92亿元" in show.stdout.decode()
    where = subprocess.run(
        [str(bindir / "python"), "-c", "import hdfacts; print(hdfacts.default_path())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert Path(where.stdout.strip()) == site / "hdfacts" / "facts.toml"
    as_module = subprocess.run(
        [str(bindir / "python"), "-m", "hdfacts", "search", "排名", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert as_module.returncode == 0
    assert len(json.loads(as_module.stdout)) == 9


def test_installed_wheel_version_and_completion(wheel_env, tmp_path):
    _, bindir, _ = wheel_env
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDFACTS_")}
    version = subprocess.run(
        [str(bindir / "hdfacts"), "--version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert version.returncode == 0 and version.stdout.startswith("hdfacts ")
    complete = subprocess.run(
        [str(bindir / "hdfacts")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "_HDFACTS_COMPLETE": "complete_bash", "COMP_WORDS": "hdfacts get gd", "COMP_CWORD": "2"},
    )
    assert complete.stdout.split() == ["gdp"]


def test_installed_wheel_answers_questions(wheel_env, tmp_path):
    """The lexicon ships in the wheel: questions in a reader's words work from an install."""
    _, bindir, _ = wheel_env
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDFACTS_")}

    def run(*args):
        return subprocess.run(
            [str(bindir / "hdfacts"), *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    answer = run("ask", "衡东县GDP是多少")
    assert answer.returncode == 0 and "255.92亿元" in answer.stdout and "id: gdp" in answer.stdout
    english = run("ask", "what was GDP growth")
    assert english.returncode == 0 and "+5.7%" in english.stdout
    assert [r["id"] for r in json.loads(run("search", "粮食产量", "--json").stdout)] == ["grain-output"]
    first = json.loads(run("search", "全市第一", "--json").stdout)
    assert first and all(r["rank"] == {"scope": "全市", "position": 1} for r in first)
    silent = run("search", "人口")
    assert silent.returncode == 1 and silent.stderr.count("\n") == 1 and "人口" in silent.stderr


def test_installed_wheel_drafts_the_report_and_the_draft_verifies(wheel_env, tmp_path):
    # The "done when": extract -o draft.toml && --facts draft.toml verify --source.
    from conftest import SOURCE

    if not SOURCE.is_file():
        pytest.skip(f"source report not present at {SOURCE}")
    _, bindir, _ = wheel_env
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDFACTS_")}
    hdfacts = str(bindir / "hdfacts")

    def run(*args):
        return subprocess.run(
            [hdfacts, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )

    drafted = run("extract", str(SOURCE), "-o", "draft.toml")
    assert (drafted.returncode, drafted.stdout, drafted.stderr) == (0, "", "")
    verified = run("--facts", "draft.toml", "verify", "--source", str(SOURCE))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("draft.toml: ok, ")
    valid = run("--facts", "draft.toml", "validate")
    assert valid.returncode == 0 and "without English (metric_en)" in valid.stdout
    # the shipped base, inside the wheel, is checked against the report the wheel carries
    shipped = run("verify")
    assert shipped.returncode == 0 and "/hdfacts/hengdong-2023-report.txt (quotes" in shipped.stdout, (
        shipped.stderr
    )
