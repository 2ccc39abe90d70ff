"""Benchmark hdfacts against the floor a Typer tool of its shape cannot go below.

    python benchmarks/bench.py [--runs N]

Runs each pair of commands alternately (A B A B ...), N times each (default 11), in
the interpreter running this script, and prints median wall times, peak memory
(the child's max RSS) and their ratios against the budgets:

  search --json          <= 1.15x the JSON floor (wall), <= 1.5x its peak memory
  search (table)         <= 1.15x the table floor (wall)
  100,000 facts, warm    <= 0.3x a bare tomli parse of that file (wall), <= 350 MiB
  free-text search       <= 1.3x the plain search; on 100,000 facts <= 0.3x a tomli parse
  pinyin search          reported as a ratio to the plain search (no budget)
  100 bases at once      a warm search <= 2x the same search of one base (wall)
  dev set                the share of real-style queries answered right, when shared/ is there

Uses only the standard library and the project's own dependencies. The cache goes to
a temporary XDG_CACHE_HOME, never the user's own.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = ROOT / "benchmarks" / "floor.py"
FACTS = ROOT / "facts.toml"
QUESTION = "衡东县粮食产量是多少"  # a free-text question: segmentation, synonyms, ranking
# a reader's own words: a keyboard slip (两 for 量) and talk (搞了, 好多), read through the
# homophones and jieba's dictionary kept in the base's cache
SPOKEN = "粮食总产两今年搞了好多"


def hdfacts_command() -> list[str]:
    script = Path(sys.executable).parent / "hdfacts"
    return [str(script)] if script.exists() else [sys.executable, "-m", "hdfacts"]


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one run, its output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else b""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode(errors='replace')}")
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def pair(a: list[str], b: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    measure(a, env), measure(b, env)  # warm the OS caches (and hdfacts' own)
    wa, wb, ma, mb = [], [], [], []
    for _ in range(runs):
        t, m = measure(a, env)
        wa.append(t), ma.append(m)
        t, m = measure(b, env)
        wb.append(t), mb.append(m)
    return {
        "a_wall": statistics.median(wa),
        "b_wall": statistics.median(wb),
        "a_mem": statistics.median(ma),
        "b_mem": statistics.median(mb),
    }


def big_fact_file(directory: Path, count: int) -> Path:
    """The shipped facts repeated under new ids until there are `count` of them."""
    text = FACTS.read_text(encoding="utf-8")
    head, *facts = re.split(r"(?m)^\[\[facts\]\]\n", text)
    out = [head]
    n = 0
    while n < count:
        for fact in facts:
            if n == count:
                break
            copy = re.sub(r'(?m)^id = "([^"]+)"', rf'id = "\1-{n}"', fact, count=1)
            # old ids must stay unique too, or validation refuses the file
            copy = re.sub(r'(?m)^aliases = \["([^"]+)"\]', rf'aliases = ["\1-{n}"]', copy, count=1)
            out.append("[[facts]]\n" + copy)
            n += 1
    path = directory / "facts-100k.toml"
    path.write_text("".join(out), encoding="utf-8")
    return path


def many_bases(directory: Path, count: int) -> Path:
    """A directory of `count` copies of the shipped base, each a report of its own."""
    folder = directory / "bases"
    folder.mkdir()
    text = FACTS.read_text(encoding="utf-8")
    for n in range(count):
        copy = text.replace('id = "hengdong-2023"', f'id = "county-{n:03d}"', 1)
        (folder / f"county-{n:03d}.toml").write_text(copy, encoding="utf-8")
    return folder


def several_bases(hd: list[str], tmp: Path, env: dict[str, str], runs: int) -> list[str]:
    """A search over 100 bases, against the same search over one."""
    folder = many_bases(tmp, 100)
    lines = []
    for words in ("排名", QUESTION):
        m = pair(
            [*hd, "--facts", str(folder), "search", words, "--json"],
            [*hd, "search", words, "--json"],
            env,
            runs,
        )
        lines.append(
            row(
                f"100 bases of 89 facts, warm search {words} --json vs one base",
                m["a_wall"] / m["b_wall"],
                2.0,
                f"{m['a_wall'] * 1000:.0f} ms vs {m['b_wall'] * 1000:.0f} ms",
            )
        )
    return lines


def row(name: str, ratio: float, budget: float | None, detail: str) -> str:
    verdict = "" if budget is None else ("ok" if ratio <= budget else "OVER")
    limit = "" if budget is None else f"<= {budget:g}x"
    return f"| {name} | {detail} | {ratio:.2f}x | {limit} | {verdict} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--facts", type=int, default=100_000, help="size of the large fact base")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hdfacts-bench-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache"), "COLUMNS": "120"}
    for var in ("HDFACTS_NO_CACHE", "HDFACTS_FACTS", "HDFACTS_LANG"):
        env.pop(var, None)
    # Measure what users run: modules loaded from bytecode, as pip installs them, not
    # compiled from source on every start (the warm-up runs write the bytecode).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    hd = hdfacts_command()
    py = [sys.executable]
    lines = []
    try:
        j = pair(
            [*hd, "search", "排名", "--json"], [*py, str(FLOOR), "search", "排名", "--json"], env, args.runs
        )
        lines.append(
            row(
                "search 排名 --json: wall",
                j["a_wall"] / j["b_wall"],
                1.15,
                f"{j['a_wall'] * 1000:.0f} ms vs floor {j['b_wall'] * 1000:.0f} ms",
            )
        )
        lines.append(
            row(
                "search 排名 --json: peak memory",
                j["a_mem"] / j["b_mem"],
                1.5,
                f"{j['a_mem']:.0f} MiB vs floor {j['b_mem']:.0f} MiB",
            )
        )

        t = pair(
            [*hd, "search", "排名", "--format", "table"], [*py, str(FLOOR), "search", "排名"], env, args.runs
        )
        lines.append(
            row(
                "search 排名 (table): wall",
                t["a_wall"] / t["b_wall"],
                1.15,
                f"{t['a_wall'] * 1000:.0f} ms vs floor {t['b_wall'] * 1000:.0f} ms",
            )
        )

        f = pair([*hd, "search", QUESTION, "--json"], [*hd, "search", "排名", "--json"], env, args.runs)
        lines.append(
            row(
                f"search {QUESTION} --json (free text) vs 排名",
                f["a_wall"] / f["b_wall"],
                1.3,
                f"{f['a_wall'] * 1000:.0f} ms vs {f['b_wall'] * 1000:.0f} ms",
            )
        )

        r = pair([*hd, "search", SPOKEN, "--json"], [*hd, "search", "排名", "--json"], env, args.runs)
        lines.append(
            row(
                f"search {SPOKEN} --json (slip, talk) vs 排名",
                r["a_wall"] / r["b_wall"],
                1.3,
                f"{r['a_wall'] * 1000:.0f} ms vs {r['b_wall'] * 1000:.0f} ms",
            )
        )

        p = pair([*hd, "search", "paiming", "--json"], [*hd, "search", "排名", "--json"], env, args.runs)
        lines.append(
            row(
                "search paiming --json (cached index) vs 排名",
                p["a_wall"] / p["b_wall"],
                None,
                f"{p['a_wall'] * 1000:.0f} ms vs {p['b_wall'] * 1000:.0f} ms",
            )
        )
        cold_env = {**env, "HDFACTS_NO_CACHE": "1"}
        c = pair([*hd, "search", "paiming", "--json"], [*hd, "search", "排名", "--json"], cold_env, args.runs)
        lines.append(
            row(
                "search paiming --json (no cache) vs 排名",
                c["a_wall"] / c["b_wall"],
                None,
                f"{c['a_wall'] * 1000:.0f} ms vs {c['b_wall'] * 1000:.0f} ms, "
                f"{c['a_mem']:.0f} vs {c['b_mem']:.0f} MiB",
            )
        )

        lines += several_bases(hd, tmp, env, args.runs)

        big = big_fact_file(tmp, args.facts)
        size = big.stat().st_size / 2**20
        parse = [*py, "-c", f"import tomli; tomli.load(open({str(big)!r}, 'rb'))"]
        start = time.perf_counter()
        measure([*hd, "--facts", str(big), "search", "排名", "--json"], env)  # builds the cache
        first = time.perf_counter() - start
        runs = max(3, args.runs // 2)
        b = pair([*hd, "--facts", str(big), "search", "排名", "--json"], parse, env, runs)
        lines.append(
            row(
                f"{args.facts:,} facts ({size:.0f} MB), warm search --json: wall",
                b["a_wall"] / b["b_wall"],
                0.3,
                f"{b['a_wall']:.2f} s vs tomli parse {b['b_wall']:.2f} s (first run {first:.2f} s)",
            )
        )
        q = pair([*hd, "--facts", str(big), "search", QUESTION, "--json"], parse, env, runs)
        lines.append(
            row(
                f"{args.facts:,} facts, warm free-text search --json: wall",
                q["a_wall"] / q["b_wall"],
                0.3,
                f"{q['a_wall']:.2f} s vs tomli parse {q['b_wall']:.2f} s",
            )
        )
        lines.append(
            row(
                f"{args.facts:,} facts, warm search --json: peak memory",
                b["a_mem"] / 350,
                1.0,
                f"{b['a_mem']:.0f} MiB of 350 MiB",
            )
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"hdfacts benchmark, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, medians of {args.runs} alternating runs"
    )
    print()
    print("| what | medians | ratio | budget | |")
    print("|---|---|---|---|---|")
    print("\n".join(lines))
    score = dev_set_score()
    if score:
        print()
        print(score)


def dev_set_score() -> str | None:
    """How the search does on the sets of reader questions beside us, when they are there."""
    from reader_sets import summary

    from hdfacts import load

    return summary(load(cache=False))


if __name__ == "__main__":
    main()
