"""Regenerate the text screenshots of README.md from the real output of the installed command.

Each ```console block right after a `<!-- screen -->` line is rewritten: its `$ ...` lines are
run, in order, through bash in a pseudo-terminal WIDTH columns wide (pipes included, so a
piped command shows what a pipe gets), and their output replaces the old one. Run it after
any change a reader would see, from the repository root:

    python scripts/readme_screens.py          # rewrite README.md
    python scripts/readme_screens.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from terminal import run_in_terminal  # noqa: E402

WIDTH = 100
MARKER = "<!-- screen -->"
BLOCK = re.compile(re.escape(MARKER) + r"\n```console\n(.*?)```", re.DOTALL)


def screen(command: str, env: dict[str, str]) -> str:
    out = run_in_terminal(["bash", "-c", command], WIDTH, env)
    return "".join(line.rstrip() + "\n" for line in out.splitlines())


def regenerate(text: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDFACTS_")}
    env.pop("NO_COLOR", None)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="hdfacts-screens-")

    def block(m: re.Match[str]) -> str:
        commands = [line[2:] for line in m.group(1).splitlines() if line.startswith("$ ")]
        body = "".join(f"$ {c}\n{screen(c, env)}" for c in commands)
        return f"{MARKER}\n```console\n{body}```"

    return BLOCK.sub(block, text)


def main() -> int:
    # In a scratch directory: the examples write files (export -o) that must not land in the
    # repository. It holds what the examples read as a user's checkout has it: the shipped
    # base and the test reports, at the same paths.
    scratch = Path(tempfile.mkdtemp(prefix="hdfacts-screens-"))
    for name in ("facts.toml", "hengdong-2023-report.txt"):
        shutil.copy(ROOT / name, scratch / name)
    shutil.copytree(ROOT / "tests" / "data" / "reports", scratch / "tests" / "data" / "reports")
    os.chdir(scratch)
    readme = ROOT / "README.md"
    old = readme.read_text(encoding="utf-8")
    new = regenerate(old)
    if "--check" in sys.argv[1:]:
        if new != old:
            print("README.md screens are out of date: run python scripts/readme_screens.py", file=sys.stderr)
            return 1
        return 0
    readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
