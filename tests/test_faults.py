"""Faults found by an adversarial run (issue 14), one test or more each, numbered as there:
output targets, signals, the cache, hostile input, terminals and encodings."""

from __future__ import annotations

import csv
import io
import json
import marshal
import os
import re
import signal
import sqlite3
import stat
import subprocess
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hdfacts
from conftest import DATA, console_script, fact_file, run_installed

VALID = DATA / "valid.toml"
SHIPPED = Path(__file__).resolve().parents[1] / "facts.toml"
FACT_COUNT = len(hdfacts.load(SHIPPED, cache=False).facts)
ROOT_ONLY = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod needs root")


run = run_installed


def one_line(stderr: bytes | str) -> str:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    assert text.count("\n") == 1 and text.endswith("\n") and text.startswith("hdfacts: "), text
    assert "Traceback" not in text
    return text


def facts_with(tmp_path: Path, old: str, new: str, name: str = "facts.toml") -> Path:
    return fact_file(tmp_path, old, new, name=name)


# 1. Output targets that are not regular files are written into, never replaced.


def test_1_export_into_a_fifo_feeds_its_reader(cli, tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cli("export", "-o", str(fifo), "--force")
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and len(json.loads(got[0])) == FACT_COUNT


@ROOT_ONLY
def test_1_export_into_a_device_node_keeps_the_device(cli, tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
    result = cli("export", "-o", str(null), "--format", "json", "--force")
    assert result.exit_code == 0, result.stderr
    st = null.lstat()
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)


def test_1_export_through_a_symlink_replaces_its_target(cli, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert cli("export", "-o", str(link)).exit_code == 2  # exists: needs --force
    result = cli("export", "-o", str(link), "--force")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert len(json.loads(real.read_text(encoding="utf-8"))) == FACT_COUNT


@pytest.mark.slow
def test_1_dev_stdout_is_written_into_without_force(tmp_path):
    out = tmp_path / "out.json"
    with open(out, "wb") as f:  # a regular file that exists: the shell's `> out.json`
        result = run(
            ["export", "-o", "/dev/stdout", "--format", "json"],
            stdout=f,
            capture_output=False,
            stderr=subprocess.PIPE,
        )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert len(json.loads(out.read_bytes())) == FACT_COUNT


def test_1_refusal_escapes_the_path(cli, tmp_path):
    target = tmp_path / "\x1b]0;PWN\x07.json"
    target.write_text("x")
    result = cli("export", "-o", str(target))
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\\x1b]0;PWN\\x07.json exists" in result.stderr


# 2. A database held open in WAL mode is rewritten, never left malformed.


@pytest.mark.slow
def test_2_export_over_a_database_open_in_wal_mode(tmp_path):
    db = tmp_path / "facts.db"
    assert run(["export", "-o", str(db)]).returncode == 0
    holder = sqlite3.connect(db)
    holder.execute("PRAGMA journal_mode=wal")
    holder.execute("CREATE TABLE mine (x)")
    holder.execute("INSERT INTO mine VALUES (1)")
    holder.commit()
    assert (tmp_path / "facts.db-wal").exists()
    result = run(["export", "-o", str(db), "--force"])
    assert result.returncode == 0, result.stderr
    fresh = sqlite3.connect(db)
    assert fresh.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert fresh.execute("SELECT count(*) FROM facts").fetchone() == (FACT_COUNT,)
    assert fresh.execute("SELECT count(*) FROM sqlite_master WHERE name = 'mine'").fetchone() == (0,)
    assert holder.execute("SELECT count(*) FROM facts").fetchone() == (FACT_COUNT,)
    holder.close()
    fresh.close()


def test_2_a_stray_wal_beside_a_new_database_is_not_replayed(cli, tmp_path):
    db = tmp_path / "facts.db"
    (tmp_path / "facts.db-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 28)
    assert cli("export", "-o", str(db)).exit_code == 0
    assert not (tmp_path / "facts.db-wal").exists()
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)


# 3. An output that cannot be written: one line and exit 74.


@pytest.mark.slow
def test_3_full_disk_is_exit_74():
    with open("/dev/full", "wb") as full:
        result = run(["search", "排名", "--json"], stdout=full, capture_output=False, stderr=subprocess.PIPE)
    assert result.returncode == 74
    assert one_line(result.stderr) == "hdfacts: cannot write the output: No space left on device\n"


@pytest.mark.slow
@pytest.mark.parametrize("args", [("search", "排名", "--json"), ("show", "economy", "--format", "table")])
def test_3_closed_stdout_is_exit_74(args):
    result = run(
        list(args), stdout=None, capture_output=False, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1)
    )
    assert result.returncode == 74
    assert one_line(result.stderr) == "hdfacts: cannot write the output: standard output is closed\n"


@pytest.mark.slow
def test_3_closed_stderr_keeps_the_exit_code():
    result = run(
        ["nonsense"],
        stderr=None,
        capture_output=False,
        stdout=subprocess.PIPE,
        preexec_fn=lambda: os.close(2),
    )
    assert result.returncode == 2


# 4. A reader that goes away: exit 0 for tables and help too.


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("chart", "rank", "--format", "table"), {}),
        (("search", "排名", "--format", "table"), {"COLUMNS": "30"}),  # the stacked layout
        (("--help",), {}),
        (("search", "排名", "--json"), {}),
    ],
    ids=["chart", "stacked", "help", "json"],
)
def test_4_closed_pipe_is_exit_0(args, env):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first write: EPIPE every time
    try:
        result = run(list(args), env=env, stdout=write, capture_output=False, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert result.returncode == 0
    assert result.stderr == b""


# 5. SIGTERM cleans up like Ctrl-C; stale temporary files are swept.


def test_5_sigterm_mid_export_leaves_no_temporary_file(tmp_path, monkeypatch):
    from hdfacts import interrupt, load
    from hdfacts.output import export, sqlite

    real_fill = sqlite.fill

    def fill_then_terminate(db, base):
        real_fill(db, base)
        os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-transaction, journal open
        time.sleep(1)

    monkeypatch.setattr(sqlite, "fill", fill_then_terminate)
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        interrupt.install()
        with pytest.raises(interrupt.Interrupted) as caught:
            export.write_database(load(VALID), tmp_path / "facts.db")
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    assert caught.value.exit_code == 143
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.2, 0.5, 1.0])
def test_5_sigterm_to_a_cold_start_leaves_no_temporary_file(tmp_path, delay):
    big = tmp_path / "big.toml"
    text = VALID.read_text(encoding="utf-8")
    head, fact = text.split("[[facts]]")
    big.write_text(
        head + "".join("[[facts]]" + fact.replace('"gdp"', f'"gdp-{i}"') for i in range(20000)),
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    proc = subprocess.Popen(
        [console_script(), "--facts", str(big), "export", "-o", str(tmp_path / "o.db")],
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("finished before the signal")
    assert proc.returncode == 143
    assert err == b"hdfacts: terminated\n"
    leftovers = [p.name for p in tmp_path.rglob("*") if ".tmp" in p.name or p.name.endswith("-journal")]
    assert leftovers == []


def test_5_stale_temporary_files_are_swept(tmp_path, monkeypatch):
    from hdfacts import load

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HDFACTS_NO_CACHE", raising=False)
    directory = tmp_path / "cache" / "hdfacts"
    directory.mkdir(parents=True, mode=0o700)
    stale, young = directory / ".tmp-old_1234.cache", directory / ".tmp-new_1234.cache"
    stale.write_bytes(b"x" * 1000)
    young.write_bytes(b"x")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    facts = tmp_path / "facts.toml"
    facts.write_bytes(VALID.read_bytes())
    load(facts)  # a cold start writes the cache
    assert not stale.exists() and young.exists()


def test_5_stale_export_temporaries_are_swept(cli, tmp_path):
    stale = tmp_path / ".facts.json.hdfacts-abc_1234.tmp"
    stale.write_text("x")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    assert cli("export", "-o", str(tmp_path / "facts.json")).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.json"]


# 6. Export files get the mode `>` would give them.


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
@pytest.mark.parametrize("name", ["facts.json", "facts.db"])
def test_6_new_export_files_follow_the_umask(cli, tmp_path, umask, mask, mode, name):
    umask(mask)
    assert cli("export", "-o", str(tmp_path / name)).exit_code == 0
    assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode


def test_6_force_keeps_the_mode_of_the_file_it_replaces(cli, tmp_path, umask):
    umask(0o077)
    target = tmp_path / "facts.csv"
    target.write_text("old")
    target.chmod(0o644)
    assert cli("export", "-o", str(target), "--force").exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_text(encoding="utf-8").startswith("id,topic,")


# 7. Racily clean: a large file rewritten within the timestamp granularity is not served stale.


def test_7_same_size_rewrite_within_the_same_second_is_not_served_stale(tmp_path, monkeypatch):
    from hdfacts import load
    from hdfacts.base import cache, loader

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HDFACTS_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "HASH_LIMIT", 0)  # keyed by size and timestamps alone, as over 1 MiB
    facts = facts_with(tmp_path, "x", "x")
    second = int(time.time())
    # A file system with whole-second timestamps: mtime and ctime read as the same second.
    real_stat = Path.stat

    def coarse_stat(self, **kw):
        st = real_stat(self, **kw)
        if self != facts:
            return st
        fields = list(st[:10])
        fields[7] = fields[8] = fields[9] = second
        ns = second * 1_000_000_000
        return os.stat_result(fields, {"st_atime_ns": ns, "st_mtime_ns": ns, "st_ctime_ns": ns})

    monkeypatch.setattr(Path, "stat", coarse_stat)
    os.utime(facts, (second, second))
    assert load(facts).facts[0].value == 25_592_000_000
    with open(facts, "r+b") as f:  # in place, same size, same second
        data = f.read().replace("255.92亿元".encode(), "255.93亿元".encode())
        f.seek(0)
        f.write(data)
    os.utime(facts, (second, second))
    assert load(facts).facts[0].value == 25_593_000_000
    # Once the file is older than the granularity, it is cached as before.
    monkeypatch.setattr(loader.time, "time_ns", lambda: (second + 10) * 1_000_000_000)
    load(facts)
    assert list((tmp_path / "cache" / "hdfacts").glob("*.cache"))


# 8. A fact base read from a pipe is not cached.


@pytest.mark.slow
def test_8_a_piped_fact_base_is_not_cached(tmp_path):
    cache = tmp_path / "cache"
    for _ in range(2):
        result = run(
            ["--facts", "/dev/stdin", "get", "gdp", "--json"],
            env={"XDG_CACHE_HOME": str(cache)},
            input=VALID.read_bytes(),
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["value"] == 25592000000
    assert not list(cache.rglob("*.cache"))


# 9. A cache with a valid checksum but inconsistent content is discarded and rebuilt.


def _tamper(tmp_path, monkeypatch, change):
    from hdfacts import load
    from hdfacts.base.cache import FactCache
    from hdfacts.lookup.searcher import searcher_of

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HDFACTS_NO_CACHE", raising=False)
    facts = tmp_path / "facts.toml"
    facts.write_bytes(SHIPPED.read_bytes())
    searcher_of(load(facts))  # the search index too, kept as an entry of its own
    entry = FactCache(facts, facts.stat(), facts.read_bytes())
    # the base's entry, or the index's for a change that names it
    file = entry.file.with_suffix(".index") if getattr(change, "entry", None) == "index" else entry.file
    payload = list(entry._read(file))
    change(payload)
    entry._write(file, tuple(payload))  # a fresh, valid checksum over the crafted content
    return facts


def _offsets(data):
    from array import array

    offsets = array("q")
    offsets.frombytes(data)
    return offsets


def _row(payload, i, row):
    """Fact i's row replaced by `row`, the offsets moved to match."""
    offsets = _offsets(payload[6])
    rows = [payload[5][offsets[k] : offsets[k + 1]] for k in range(len(offsets) - 1)]
    rows[i] = marshal.dumps(row)
    offsets = _offsets(b"")
    offsets.append(0)
    for r in rows:
        offsets.append(offsets[-1] + len(r))
    payload[5], payload[6] = b"".join(rows), offsets.tobytes()


def _negative_offset(payload):
    offsets = _offsets(payload[6])
    offsets[1] = -5
    payload[6] = offsets.tobytes()


def _lying_index(payload):
    """A search index of the right size and shape whose every fact reads "zzzlie"."""
    count = len(_offsets(payload[1])) - 1
    offsets = _offsets(b"")
    offsets.extend(range(0, 8 * count + 1, 8))
    payload[0], payload[1] = b"zzzlie\x01\x02" * count, offsets.tobytes()


_lying_index.entry = "index"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: _row(p, 1, ("gdp",)), id="row-shape"),
        pytest.param(lambda p: _row(p, 1, ("gdp", "economy", *(["x"] * 12))), id="row-types"),
        pytest.param(lambda p: _row(p, 1, marshal.loads(marshal.dumps(("x",)))[0]), id="row-not-a-tuple"),
        pytest.param(_negative_offset, id="negative-offset"),
        pytest.param(_lying_index, id="index-points-elsewhere"),
        pytest.param(lambda p: p[2].__setitem__(0, "gdp"), id="duplicate-ids"),
        pytest.param(lambda p: p[3].__setitem__(1, "nowhere"), id="unknown-topic"),
    ],
)
def test_9_inconsistent_cache_is_rebuilt(cli, tmp_path, monkeypatch, change):
    facts = _tamper(tmp_path, monkeypatch, change)
    result = cli("--facts", str(facts), "get", "gdp", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["text"] == "255.92亿元"
    economy = sum(1 for f in hdfacts.load(SHIPPED, cache=False).facts if f.topic == "economy")
    assert len(json.loads(cli("--facts", str(facts), "show", "economy", "--json").stdout)) == economy
    assert json.loads(cli("--facts", str(facts), "search", "zzzlie", "--json").stdout) == []
    liar = cli("--facts", str(facts), "search", "zzzlie", "--json")
    assert liar.exit_code == 1 and liar.stdout == "[]\n"


# 10. Deeply nested TOML is an invalid fact file.


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x = " + "[" * 500 + "]" * 500 + "\n", id="nested-arrays"),
        pytest.param(".".join(["a"] * 3000) + " = 1\n", id="dotted-key"),
        pytest.param("x = " + "{a=" * 600 + "1" + "}" * 600 + "\n", id="nested-tables"),
    ],
)
def test_10_deep_nesting_is_invalid(cli, tmp_path, text):
    path = tmp_path / "deep.toml"
    path.write_text(text)
    result = cli("validate", str(path))
    assert result.exit_code == 2
    one_line(result.stderr)


# 11. Figures beyond what the base carries exactly are refused, naming the line.


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param('text = "255.92亿元"', 'text = "1000000000000亿元"', id="too-large"),
        pytest.param('text = "255.92亿元"', 'text = "0.' + "0" * 60 + '1元"', id="too-small"),
        pytest.param(
            'text = "255.92亿元"', 'text = "1.23456789012345678901234567890元"', id="too-many-digits"
        ),
        pytest.param('{ text = "增长5.7%" }', '{ text = "增长1' + "0" * 309 + '%" }', id="growth-10e309"),
    ],
)
def test_11_figures_that_cannot_be_carried_exactly(cli, tmp_path, old, new):
    path = facts_with(tmp_path, old, new)
    result = cli("validate", str(path))
    assert result.exit_code == 2
    line = one_line(result.stderr)
    at = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new in text)
    assert f"{path}:{at}: fact 'gdp': field " in line, line
    assert "exactly" in line


# 12. Bounds are parsed in bounded time.


@pytest.mark.parametrize(
    "bound", ["1e999999999", "1E+999999999999999999", "nan", "inf", "-Infinity", "9" * 100_000]
)
def test_12_absurd_bounds_are_usage_errors_at_once(cli, bound):
    start = time.perf_counter()
    result = cli("search", "--min", bound)
    assert time.perf_counter() - start < 1
    assert result.exit_code == 2
    assert one_line(result.stderr).startswith("hdfacts: --min: ")


# 13. An empty or unknown scope is a usage error.


@pytest.mark.parametrize("scope", ["", "  ", "nowhere"])
def test_13_empty_or_unknown_scope(cli, scope):
    result = cli("search", "--scope", scope, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert one_line(result.stderr).startswith("hdfacts: --scope: ")
    assert "valid scopes are 全市 (city), 全省 (province)" in result.stderr


def test_13_known_scopes_in_any_case(cli):
    city = json.loads(cli("search", "--scope", "全市", "--json").stdout)
    assert len(city) == 8
    assert json.loads(cli("search", "--scope", "CITY", "--json").stdout) == city
    assert json.loads(cli("search", "--scope", " City ", "--json").stdout) == city


# 14. Topic names are folded before the clash check; empty names are refused.


def test_14_full_width_alias_clashes(cli, tmp_path):
    path = facts_with(tmp_path, 'aliases = ["经济"]', 'aliases = ["经济", "econ"]')
    text = path.read_text(encoding="utf-8")
    extra = '\n[[topics]]\nslug = "other"\nname = "其他"\nname_en = "Other"\naliases = ["ｅｃｏｎ"]\n'
    path.write_text(text.replace("\n[[facts]]", extra + "\n[[facts]]", 1), encoding="utf-8")
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert "the name 'econ' is already used by topic 'economy'" in one_line(result.stderr)


@pytest.mark.parametrize("alias", ["", " "])
def test_14_empty_alias_is_refused(cli, tmp_path, alias):
    path = facts_with(tmp_path, 'aliases = ["经济"]', f'aliases = ["经济", "{alias}"]')
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert "field 'aliases' holds an empty string" in one_line(result.stderr)


# 15. Inputs beyond the documented size are refused before they are read whole.


def _limit_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [("--facts", "/dev/zero", "show", "economy"), ("verify", "--source", "/dev/zero")],
    ids=["facts", "source"],
)
def test_15_endless_input_is_refused(args):
    result = run(list(args), preexec_fn=_limit_memory)
    assert result.returncode == 2
    assert one_line(result.stderr) == "hdfacts: /dev/zero: larger than 128 MiB, the most hdfacts reads\n"


def test_15_a_large_regular_file_is_refused_before_reading(cli, tmp_path, monkeypatch):
    from hdfacts.base import loader

    monkeypatch.setattr(loader, "MAX_INPUT", 1000)
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * 2000)
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"hdfacts: {path}: larger than 0 MiB, the most hdfacts reads (2,000 bytes)\n"


# 16. An unknown width means the default layout.


def test_16_columns_zero_draws_the_usual_table(cli):
    result = cli("search", "排名", "--format", "table", env={"COLUMNS": "0"})
    assert result.exit_code == 0
    assert "全市第2" in result.stdout and max(len(line) for line in result.stdout.splitlines()) <= 80


# 17. Arguments are read as the UTF-8 the terminal sent.


@pytest.mark.slow
def test_17_a_byte_that_is_not_utf8_in_an_argument():
    result = run([b"search", b"\xff", b"--format", b"table"], env={"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 1
    assert one_line(result.stderr).startswith("hdfacts: no facts match '\ufffd'")


@pytest.mark.slow
def test_17_a_file_name_that_is_not_utf8(tmp_path):
    path = os.fsencode(tmp_path) + b"/\xff.toml"
    with open(path, "wb") as f:
        f.write(VALID.read_bytes())
    result = run([b"validate", path], env={"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == os.fsencode(tmp_path) + b"/\\xff.toml: ok, 1 fact in 1 topic\n"


@pytest.mark.slow
def test_17_chinese_terms_in_a_forced_ascii_locale():
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    result = run(["search", "排名", "--json"], env=env)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 9


# 18. Paths reach the terminal escaped: messages, "ok" lines, refusals.


def test_18_path_with_an_escape_in_an_error(cli):
    result = cli("--facts", "/tmp/\x1b]0;PWN\x07.toml", "show", "economy")
    assert result.exit_code == 2
    assert one_line(result.stderr) == "hdfacts: /tmp/\\x1b]0;PWN\\x07.toml: no such file\n"


def test_18_path_with_an_escape_in_the_ok_line(cli, tmp_path):
    path = tmp_path / "\x1b]0;PWN\x07.toml"
    path.write_bytes(VALID.read_bytes())
    result = cli("validate", str(path))
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\\x1b]0;PWN\\x07.toml: ok" in result.stdout


# 19. U+2028/U+2029 never split a record.


@pytest.mark.parametrize("fmt", ["tsv", "csv", "table", None])
def test_19_line_separators_do_not_split_records(cli, tmp_path, fmt):
    path = facts_with(tmp_path, 'metric = "地区生产总值"', 'metric = "地区\u2028生产\u2029总值"')
    args = ["--facts", str(path), "show", "economy"] + (["--format", fmt] if fmt else [])
    out = cli(*args, env={"COLUMNS": "200"}).stdout
    assert "\u2028" not in out and "\u2029" not in out
    assert "地区\\u2028生产\\u2029总值" in out
    if fmt == "csv":
        assert next(csv.DictReader(io.StringIO(out)))["metric"] == "地区\\u2028生产\\u2029总值"
    if fmt in ("tsv", None):
        assert len(out.splitlines()) == (2 if fmt == "tsv" else 1)


def test_19_json_keeps_them_exact(cli, tmp_path):
    path = facts_with(tmp_path, 'metric = "地区生产总值"', 'metric = "地区\u2028生产总值"')
    out = cli("--facts", str(path), "get", "gdp", "--json").stdout
    assert "\u2028" not in out
    assert json.loads(out)["metric"] == "地区\u2028生产总值"


# 20. A long cell costs a table time in proportion to what is shown.


def test_20_a_table_of_a_huge_cell_is_quick():
    from hdfacts.output.render import Format, View, render

    record = {"slug": "x", "name": "长" * 2_000_000, "name_en": "x", "facts": 1, "aliases": []}
    out = io.StringIO()
    start = time.perf_counter()
    render(View("topics", [record]), Format.table, out, terminal=True)
    assert time.perf_counter() - start < 3
    assert "(2,000,000 characters; --json shows all)" in out.getvalue().replace("\n", "").replace("│", "")


# 21. CSV/TSV cells that spreadsheets would run as formulas.


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_21_excel_safe(cli, tmp_path, fmt):
    path = facts_with(tmp_path, 'metric = "地区生产总值"', 'metric = "=HYPERLINK(\\"http://x\\",\\"y\\")"')
    plain = cli("--facts", str(path), "export", "--format", fmt, "--fields", "metric,growth").stdout
    safe = cli("--facts", str(path), "export", "--format", fmt, "--fields", "metric,growth", "--excel-safe")
    assert safe.exit_code == 0
    sep = "," if fmt == "csv" else "\t"
    row = next(csv.DictReader(io.StringIO(safe.stdout), delimiter=sep, quoting=csv.QUOTE_MINIMAL))
    assert row["metric"].startswith("'=HYPERLINK(")
    assert row["growth_value"] == "5.7"
    assert next(csv.DictReader(io.StringIO(plain), delimiter=sep))["metric"].startswith("=HYPERLINK(")


def test_21_excel_safe_keeps_negative_numbers_and_is_for_csv_only(cli):
    from hdfacts.output.writers import excel_cell

    assert [excel_cell(c) for c in ["-5.7", "+3", "-x", "@SUM(A1)", "ok"]] == [
        "-5.7",
        "+3",
        "'-x",
        "'@SUM(A1)",
        "ok",
    ]
    result = cli("export", "--format", "json", "--excel-safe")
    assert result.exit_code == 2
    one_line(result.stderr)


# 22. One line for a missing chart kind; the README is right about `(`.


def test_22_chart_without_a_kind_is_one_line(cli):
    result = cli("chart")
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        "hdfacts: Missing argument 'kind'. Choose from: growth, rank (see 'hdfacts chart --help')\n"
    )


def test_22_readme_is_right_about_parentheses(cli):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    found = cli("search", "(", "--json")
    assert found.exit_code == 0 and json.loads(found.stdout)
    assert "`(` finds the\n  facts whose text holds a `(`" in readme


# Issue 11, item 5: the export format follows the file name.


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("f.json", lambda b: len(json.loads(b)) == FACT_COUNT),
        ("f.JSONL", lambda b: len(b.splitlines()) == FACT_COUNT and json.loads(b.splitlines()[0])),
        ("f.csv", lambda b: b.startswith(b"id,topic,")),
        ("f.tsv", lambda b: b.startswith(b"id\ttopic\t")),
        ("f.md", lambda b: b.startswith(b"| ")),
        ("f.db", lambda b: b.startswith(b"SQLite format 3\0")),
        ("f.sqlite", lambda b: b.startswith(b"SQLite format 3\0")),
    ],
)
def test_export_format_from_the_extension(cli, tmp_path, name, check):
    result = cli("export", "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.stderr
    assert check((tmp_path / name).read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "f.txt"), "cannot tell the format of 'f.txt' from its extension"),
        (("-o", "facts"), "cannot tell the format of 'facts' from its extension"),
        (
            ("-o", "f.csv", "--format", "json"),
            "--format json does not match the extension .csv of 'f.csv' (csv)",
        ),
        (
            ("-o", "f.db", "--format", "csv"),
            "--format csv does not match the extension .db of 'f.db' (sqlite)",
        ),
    ],
)
def test_export_extension_errors(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = cli("export", *args)
    assert result.exit_code == 2
    assert message in one_line(result.stderr)
    assert list(tmp_path.iterdir()) == []


def test_export_unknown_extension_with_a_format(cli, tmp_path):
    assert cli("export", "-o", str(tmp_path / "f.txt"), "--format", "csv").exit_code == 0
    assert (tmp_path / "f.txt").read_text(encoding="utf-8").startswith("id,topic,")


# Issue 11, item 9: Ctrl-C at any moment of a run, the first tenth of a second included.


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.01, 0.05, 0.1, 0.2])
def test_ctrl_c_at_any_moment(delay, tmp_path):
    # A cold pinyin search takes about 0.6 s: every delay lands inside the run.
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDFACTS_")}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    proc = subprocess.Popen(
        [console_script(), "--no-cache", "search", "paiming", "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 130:
        assert err == b"hdfacts: interrupted\n"
        return
    # Only before hdfacts has taken the signals over (Python's start, the console script's
    # own lines, and the first lines of hdfacts/__init__.py that install the handler) does
    # Python itself handle the signal: no other frame of the package may show.
    assert delay < 0.05, (proc.returncode, err)
    # Python's own handler: a KeyboardInterrupt (exit 1), or the signal's default before it
    assert proc.returncode == (1 if b"KeyboardInterrupt" in err else -signal.SIGINT), err
    frames = re.findall(rb'File "[^"]*[/\\]hdfacts[/\\]([^"]+)"', err)
    assert set(frames) <= {b"__init__.py", b"interrupt.py"}, err


@given(
    st.decimals(min_value=0, max_value=10**22, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "万", "亿"]),
)
def test_11_a_figure_is_carried_exactly_or_refused(number, multiplier):
    from hdfacts.base.quantities import parse_quantity
    from hdfacts.errors import QuantityError

    try:
        q = parse_quantity(f"{number:f}{multiplier}元")
    except QuantityError:
        return
    factor = {"": 1, "万": 10_000, "亿": 100_000_000}[multiplier]
    assert Decimal(repr(q.value)) == number * factor


# Round two (issue 24), numbered r2.N: a query that froze the tool, a name that deleted
# the user's files, a fact file that crashed search or drove the terminal, SQLite locks,
# the MCP server's loop, large bases, and faults left open in round one.

# r2.1 Pinyin recognition is linear: no regular expression that can backtrack reads a query.

ADVERSARIAL_UNITS = ["an", "ai", "ang", "n", "ng", "er", "zh", "a n", "no. ", "top ", "1.", "#"]
ADVERSARIAL_UNITS += ["排名", "全市第", "第", "前", "排第"]


@pytest.mark.parametrize("unit", ["an", "ai", "ang", "ng", "ianu"])
def test_r2_1_a_thousand_letter_pinyin_like_word_is_read_at_once(unit):
    from hdfacts.lookup.matching import could_be_pinyin

    word = (unit * 1000)[:999] + "q"
    started = time.perf_counter()
    assert could_be_pinyin(word) is False
    assert could_be_pinyin(unit * 250) is True
    assert time.perf_counter() - started < 0.1


@pytest.mark.parametrize(
    ("term", "pinyin"),
    [
        ("paiming", True),
        ("liangshi chanliang", True),
        ("xian", True),
        ("pm", True),
        ("zs", True),
        ("pmqszhxs", False),  # consonants, but more than six of them
        ("pa iming", True),  # whole syllables; where the space falls is the index's business
        ("paimingq", False),
        ("PaiMing", False),  # callers fold case first
        (" paiming", False),
        ("pai  ming", True),
        ("", False),
        ("ng", True),
    ],
)
def test_r2_1_could_be_pinyin_still_reads_syllables(term, pinyin):
    from hdfacts.lookup.matching import could_be_pinyin

    assert could_be_pinyin(term) is pinyin


def _elapsed(call, text):
    started = time.perf_counter()
    call(text)
    return time.perf_counter() - started


@settings(deadline=None, max_examples=12)
@given(st.sampled_from(ADVERSARIAL_UNITS), st.sampled_from(["", "q", "!", "x", "之"]))
def test_r2_1_query_path_time_grows_at_most_linearly(unit, tail):
    """Each function a query goes through, on a text of n and of 4n repeats of an
    ambiguous unit: 1,000 characters within 1 s, and 4n no worse than about 4n's share
    (quadratic growth would be 16 times; a generous factor keeps it from flaking)."""
    from hdfacts.base.quantities import parse_number, parse_scope
    from hdfacts.lookup import matching
    from hdfacts.lookup.query import analyze_query, find, find_topic, get
    from hdfacts.output.answer import answer

    base = hdfacts.load()

    def refused(call):
        def run(text):
            try:
                call(text)
            except (hdfacts.HdfactsError, ValueError):
                pass

        return run

    calls = [
        matching.could_be_pinyin,
        matching.is_pinyin_like,
        lambda t: analyze_query(base, t),
        lambda t: find(base, [t]),
        lambda t: find(base, t.split(), any_term=True),
        lambda t: answer(base, t),
        lambda t: matching.suggestion(base, t),
        refused(lambda t: get(base, t)),
        refused(lambda t: find_topic(base, t)),
        refused(parse_number),
        refused(lambda t: parse_scope(t, ["全市", "全省"])),
    ]
    for call in calls:  # the tables a base keeps in its cache are built once, first
        call(unit * 3 + tail)
    for call in calls:
        long = (unit * 1000)[:999] + tail
        assert _elapsed(call, long) < 1.0, (call, unit, tail)
        short, longer = unit * 25 + tail, unit * 100 + tail
        small = min(_elapsed(call, short) for _ in range(3))
        big = min(_elapsed(call, longer) for _ in range(3))
        assert big < max(12 * small, 0.05), (call, unit, tail, small, big)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["search", "ask"])
def test_r2_1_installed_command_answers_a_thousand_letter_word_as_fast_as_a_word(command):
    long_word = "an" * 499 + "q"  # read by a backtracking pattern, this took 131 s
    for words in ("paiming", long_word):  # the pinyin index and the dictionaries, built once
        run([command, words], timeout=60)

    def took(words: str) -> float:
        started = time.perf_counter()
        result = run([command, words], timeout=60)
        assert result.returncode == (1 if words == long_word else 0), result.stderr
        if result.returncode:
            one_line(result.stderr)
        return time.perf_counter() - started

    # against a plain lookup timed beside it, so that a busy machine slows both alike
    plain, long = min(took("paiming") for _ in range(3)), min(took(long_word) for _ in range(3))
    assert long < 4 * plain + 0.1, (plain, long)


# r2.2 Temp-file cleanup removes only files it can prove are its own.


def _aged_files(directory: Path, names: list[str]) -> dict[str, bytes]:
    an_hour_ago = time.time() - 3600
    for name in names:
        (directory / name).write_bytes(name.encode())
        os.utime(directory / name, (an_hour_ago, an_hour_ago))
    return {name: name.encode() for name in names}


USER_FILES = [
    ".notes.json.v2.tmp-backup",
    ".a.json.x.tmp",
    ".b.json.abcdefgh.tmp",
    ".[ab].json.abcdefgh.tmp",
    ".*.json.hdfacts-abc.tmp",  # too short to be tempfile's
    ".other.json.hdfacts-abcd1234.tmp",  # ours, but another file's
    ".x.json.hdfacts-abcd1234.tmp.bak",
]


@pytest.mark.parametrize("name", ["*.json", "[ab].json", "?.json", "*b*.json"])
def test_r2_2_export_to_a_glob_like_name_leaves_other_files(cli, tmp_path, name):
    kept = _aged_files(tmp_path, USER_FILES)
    result = cli("export", "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != name} == kept


def test_r2_2_only_our_own_stale_temporaries_go(cli, tmp_path):
    ours = [".*.json.hdfacts-abcd1234.tmp", ".*.json.hdfacts-abcd_234.tmp-journal"]
    kept = _aged_files(tmp_path, USER_FILES)
    _aged_files(tmp_path, ours)
    (tmp_path / ".*.json.hdfacts-link1234.tmp").symlink_to(tmp_path / ".a.json.x.tmp")
    assert cli("export", "-o", str(tmp_path / "*.json")).exit_code == 0
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {*kept, "*.json", ".*.json.hdfacts-link1234.tmp"}


@pytest.mark.slow
def test_r2_2_installed_export_to_star_json_keeps_the_users_dot_files(tmp_path):
    kept = _aged_files(tmp_path, USER_FILES)
    result = run(["export", "-o", "*.json"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "*.json"} == kept


# r2.3 A fact file's control characters never split the index's fields.

CONTROLS = DATA / "controls.toml"  # \u0000-\u0002, escapes and a bidi override in every field


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("search", "地区"), 0),
        (("search", "生产总值"), 0),
        (("search", "GDP", "--json"), 0),
        (("search", "paiming"), 0),
        (("search", "季度", "--any"), 0),
        (("search", "\x01"), 1),
        (("search", "地区\x01生产"), 1),
        (("ask", "GDP是多少"), 0),
        (("ask", "地区生产总值排名第几"), 0),
    ],
)
def test_r2_3_control_characters_in_fields_do_not_break_search(cli, monkeypatch, args, code):
    monkeypatch.setenv("HDFACTS_NO_CACHE", "1")
    result = cli("--facts", str(CONTROLS), *args)
    assert result.exit_code == code, result.stderr
    if code == 0:
        assert "gdp" in result.stdout


def test_r2_3_the_index_has_one_field_per_name_whatever_the_text(base):
    from hdfacts.lookup.index import FIELDS, SearchIndex

    controlled = hdfacts.load(CONTROLS, cache=False)
    index = SearchIndex.build(controlled.facts, controlled.topics)
    assert [len(index.fields(i)) for i in range(len(index))] == [len(FIELDS)] * len(index)
    assert index.find("\x01") == set() and not index.contains("\x00")


@pytest.mark.slow
@pytest.mark.parametrize("command", [("search", "生产总值"), ("ask", "GDP是多少")])
def test_r2_3_installed_command_searches_a_base_with_controls(command):
    result = run(["--facts", str(CONTROLS), *command])
    assert result.returncode == 0, result.stderr
    assert b"gdp" in result.stdout and result.stderr == b""


# r2.4 Control characters are escaped on every path to a terminal, headings included.

RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    "args",
    [
        ("chart", "rank", "--format", "table"),
        ("chart", "rank", "--format", "table", "--lang", "en"),
        ("search", "排名", "--format", "table"),
        ("show", "economy", "--format", "table"),
        ("get", "gdp", "--format", "table"),
        ("ask", "GDP是多少"),
        ("search", "排名"),
    ],
)
def test_r2_4_no_control_character_reaches_the_terminal(cli, monkeypatch, args):
    monkeypatch.setenv("HDFACTS_NO_CACHE", "1")
    result = cli("--facts", str(CONTROLS), *args)
    assert result.exit_code == 0, result.stderr
    assert not RAW_CONTROLS.search(result.stdout), result.stdout
    assert "\\x1b" in result.stdout or "\\u202e" in result.stdout or "\\x01" in result.stdout


# r2.5 The MCP server: its loop never blocks, every line gets a reply, every ending its code.


def _mcp(tmp_path: Path) -> subprocess.Popen[str]:
    from test_mcp import HANDSHAKE, start_server

    proc = start_server(tmp_path)
    watchdog = threading.Timer(30, proc.kill)  # a reply that never comes fails the test, not hangs it
    watchdog.daemon = True
    watchdog.start()
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(HANDSHAKE[0]) + "\n" + json.dumps(HANDSHAKE[1]) + "\n")
    proc.stdin.flush()
    assert json.loads(proc.stdout.readline())["id"] == 1
    return proc


def _call(i: int, name: str, arguments: dict[str, object]) -> str:
    params = {"name": name, "arguments": arguments}
    return json.dumps({"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": params})


@pytest.mark.slow
def test_r2_5_a_ping_is_not_delayed_by_heavy_calls():
    pytest.importorskip("mcp")
    import anyio

    from test_mcp import run_session

    async def scenario(session):
        took: list[float] = []

        async def heavy(tool: str, key: str, unit: str) -> None:
            await session.call_tool(tool, {key: (unit * 1000)[:999] + "q"})

        async def ping() -> None:
            await anyio.sleep(0.05)
            started = time.perf_counter()
            await session.send_ping()
            took.append(time.perf_counter() - started)

        async with anyio.create_task_group() as tg:
            for unit in ("an", "ai", "ang", "n"):
                tg.start_soon(heavy, "search", "query", unit)
                tg.start_soon(heavy, "ask", "question", unit)
            tg.start_soon(ping)
        return took

    took = run_session(scenario)
    assert len(took) == 1 and took[0] < 1.0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("line", "code", "request_id"),
    [
        ("this is not JSON {", -32700, None),
        ('{"jsonrpc": "2.0", "id": 7, "method": ', -32700, None),
        ("[1, 2]", -32600, None),
        ("42", -32600, None),
        ('{"jsonrpc": "2.0", "id": 7, "method": 5}', -32600, 7),
        ('{"jsonrpc": "1.0", "id": "x", "method": "ping"}', -32600, "x"),
    ],
)
def test_r2_5_invalid_json_rpc_gets_its_error(tmp_path, line, code, request_id):
    proc = _mcp(tmp_path)
    try:
        assert proc.stdin and proc.stdout
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        reply = json.loads(proc.stdout.readline())
        assert reply["id"] == request_id and reply["error"]["code"] == code
        proc.stdin.write(json.dumps({"jsonrpc": "2.0", "id": 9, "method": "ping"}) + "\n")
        proc.stdin.flush()
        assert json.loads(proc.stdout.readline()) == {"jsonrpc": "2.0", "id": 9, "result": {}}
        proc.stdin.close()
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "arguments"),
    [("search", {"query": "\\ud800粮食"}), ("get", {"id": "\\udfff"}), ("ask", {"question": "GDP\\ud83d"})],
)
def test_r2_5_a_lone_surrogate_gets_a_reply(tmp_path, name, arguments):
    proc = _mcp(tmp_path)
    try:
        assert proc.stdin and proc.stdout
        line = _call(2, name, {})[:-3] + ", ".join(f'"{k}": "{v}"' for k, v in arguments.items()) + "}}}"
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        reply = json.loads(proc.stdout.readline())
        assert reply["id"] == 2 and ("result" in reply or "error" in reply)
    finally:
        proc.kill()


@pytest.mark.slow
def test_r2_5_a_client_that_goes_away_with_replies_pending_is_exit_0(tmp_path):
    proc = _mcp(tmp_path)
    assert proc.stdin and proc.stdout and proc.stderr
    for i in range(2, 300):
        proc.stdin.write(_call(i, "search", {"query": "排名"}) + "\n")
    proc.stdin.flush()
    proc.stdout.close()  # the client stops reading, replies still to come
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0
    assert "Traceback" not in proc.stderr.read()


@pytest.mark.slow
def test_r2_5_a_closed_stdout_is_exit_74():
    pytest.importorskip("mcp")
    script = f"exec {console_script()} mcp >&-"
    result = subprocess.run(["sh", "-c", script], input=b"", capture_output=True, timeout=30)
    assert result.returncode == 74
    assert one_line(result.stderr) == "hdfacts: cannot write the output: standard output is closed\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("ending", "code"),
    [("close", 0), (signal.SIGTERM, 143), (signal.SIGINT, 130)],
)
def test_r2_5_the_server_ends_within_a_second(tmp_path, ending, code):
    proc = _mcp(tmp_path)
    try:
        assert proc.stdin
        started = time.perf_counter()
        if ending == "close":
            proc.stdin.close()
        else:
            proc.send_signal(ending)
        assert proc.wait(timeout=10) == code
        assert time.perf_counter() - started < 1.0
    finally:
        proc.kill()


@pytest.mark.filterwarnings("ignore:ping is removed")  # the legacy session still has it, as clients do
def test_r2_5_a_cancelled_call_is_let_go(monkeypatch):
    """A client's notifications/cancelled ends the call on the server's side at once,
    even while its work goes on in a thread: the session closes without waiting for it."""
    pytest.importorskip("mcp")
    import anyio
    from mcp import Client

    from hdfacts import mcp_server

    release = threading.Event()

    def slow_find(*args, **kwargs):
        release.wait(10)
        raise hdfacts.HdfactsError("too late")

    monkeypatch.setattr(mcp_server, "find", slow_find)
    server = mcp_server.build(hdfacts.load())

    async def main() -> tuple[float, float]:
        async with Client(server, mode="legacy") as client:
            with anyio.move_on_after(0.3):
                await client.call_tool("search", {"query": "粮食"})
            started = time.perf_counter()
            await client.send_ping()
            ping = time.perf_counter() - started
        return ping, time.perf_counter() - started

    try:
        ping, closed = anyio.run(main)
    finally:
        release.set()
    assert ping < 1.0 and closed < 2.0


# r2.6 SQLite export waits for a lock 5 s at most, hears signals meanwhile, says what it did.


@pytest.fixture
def locked_db(tmp_path):
    db = tmp_path / "facts.db"
    assert run(["export", "-o", str(db)]).returncode == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE facts SET text = 'held' WHERE id = 'gdp'")
    yield db
    holder.execute("ROLLBACK")
    holder.close()


def _count(db: Path) -> int:
    with sqlite3.connect(db) as check:
        return check.execute("SELECT count(*) FROM facts").fetchone()[0]


@pytest.mark.slow
def test_r2_6_a_held_lock_is_waited_for_five_seconds(locked_db):
    started = time.perf_counter()
    result = run(["export", "--force", "-o", str(locked_db)], timeout=30)
    took = time.perf_counter() - started
    assert result.returncode == 2 and 4.5 < took < 8, (result.returncode, took)
    assert "locked" in one_line(result.stderr)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "code", "said"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_r2_6_a_signal_while_waiting_ends_at_once(locked_db, signum, code, said):
    proc = subprocess.Popen(
        [console_script(), "export", "--force", "-o", str(locked_db)], stderr=subprocess.PIPE
    )
    time.sleep(1.5)
    started = time.perf_counter()
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code and time.perf_counter() - started < 1.0
    assert err.decode() == f"hdfacts: {said}\n"


def test_r2_6_a_signal_after_the_copy_says_the_database_was_written(tmp_path):
    from hdfacts import interrupt
    from hdfacts.output.sqlite import InterruptedAfterWrite, _backup, write_db

    db = tmp_path / "facts.db"
    write_db(hdfacts.load(VALID), db)
    fresh = sqlite3.connect(":memory:")
    write_db(hdfacts.load(), tmp_path / "shipped.db")
    sqlite3.connect(tmp_path / "shipped.db").backup(fresh)

    class SignalAtTheEnd:
        """The real backup, with SIGTERM noted just as its last step reports."""

        def backup(self, target, *, progress, sleep):
            def noted(status, remaining, total):
                if status == 101:
                    interrupt.pending = signal.SIGTERM
                progress(status, remaining, total)

            fresh.backup(target, progress=noted, sleep=sleep)

    target = sqlite3.connect(db)
    with pytest.raises(InterruptedAfterWrite) as caught:
        _backup(SignalAtTheEnd(), target, time.monotonic() + 5, db)  # type: ignore[arg-type]
    target.close()
    assert caught.value.exit_code == 143
    assert str(caught.value) == f"terminated after {db} was written in full"
    assert _count(db) == FACT_COUNT and interrupt.pending is None  # the shipped base, replaced


@pytest.mark.slow
@pytest.mark.parametrize("force", [False, True])
def test_r2_6_sqlite_export_to_a_full_disk_is_exit_74(tmp_path, force):
    import resource

    db = tmp_path / "facts.db"
    if force:
        assert run(["export", "-o", str(db)]).returncode == 0

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # writes beyond fail: EFBIG

    args = ["export", *(["--force"] if force else []), "-o", str(db)]
    result = run(args, preexec_fn=small_files)
    assert result.returncode == 74
    assert one_line(result.stderr).startswith(f"hdfacts: cannot write {db}: ")


# r2.7 Large bases: suggestions from a word list built once per base and cached with it;
# a cache that cannot be written costs one build per run and says so, once.


@pytest.mark.parametrize("pinyin", [False, True])
def test_r2_7_the_suggestion_words_are_built_once_per_base(tmp_path, monkeypatch, pinyin):
    from hdfacts.lookup import matching
    from hdfacts.output.why import suggest

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HDFACTS_NO_CACHE", raising=False)
    facts = tmp_path / "facts.toml"
    facts.write_bytes(SHIPPED.read_bytes())
    builds = []
    real = matching._build_vocabulary
    monkeypatch.setattr(matching, "_build_vocabulary", lambda *a: builds.append(a) or real(*a))
    # words close to nothing, so that each is tried: before, each rebuilt the word list
    unknown = [f"zzqx{c}" if pinyin else f"zzqx{c}9" for c in "abcdefghijklmnopqrstuvwxyz"]
    first = suggest(hdfacts.load(facts), unknown)
    assert len(builds) == 1
    again = suggest(hdfacts.load(facts), unknown)  # a new run: the words come from the cache
    assert len(builds) == 1 and again == first


@pytest.mark.slow
def test_r2_7_an_unwritable_cache_warns_once_per_run(tmp_path):
    (tmp_path / "hdfacts").write_text("a file where the cache directory would be")
    for _ in range(2):
        result = run(["search", "paimin"], env={"XDG_CACHE_HOME": str(tmp_path)})
        assert result.returncode == 1
        lines = result.stderr.decode().splitlines()
        directory = tmp_path / "hdfacts"
        warning = (
            f"hdfacts: warning: cannot write the cache in {directory}: the pinyin index is built on each run"
        )
        assert lines == [
            warning,
            "hdfacts: no facts match 'paimin': the report never mentions it (did you mean paiming?)",
        ]


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param(None, id="shipped"),
        pytest.param(
            ["\x00排名\x01全市第一", "\x01\x01经济", "", "abc\x00增长5.7%\x01GDP排名", "行长\x00长大"],
            id="edges",
        ),
    ],
)
def test_r2_7_the_pinyin_index_read_piece_by_piece_is_the_whole_texts(base, texts):
    from pypinyin import lazy_pinyin

    from hdfacts.lookup.matching import _BREAK, PinyinIndex
    from hdfacts.lookup.searcher import index_of

    texts = texts if texts is not None else index_of(base).texts()
    index = PinyinIndex.build(texts)
    for i, text in enumerate(texts):
        syllables = lazy_pinyin(text, errors=lambda chunk: [_BREAK] * len(chunk)) if text else []
        assert index.full[i] == "".join(syllables)
        assert index.marks[i] == "".join("1" + "0" * (len(s) - 1) for s in syllables)
        assert index.initials[i] == "".join(s[0] for s in syllables)


# r2.8 Faults left open in round one.


def test_r2_8_an_unknown_scope_is_quoted_short(cli):
    result = cli("search", "--scope", "x" * 120_000)
    assert result.exit_code == 2
    assert result.stderr == (
        "hdfacts: --scope: unknown scope "
        f"{'x' * 60!r}... (120,000 characters): valid scopes are 全市 (city), 全省 (province)\n"
    )


def test_r2_8_an_unknown_field_is_quoted_short(cli):
    result = cli("search", "排名", "--fields", "y" * 120_000)
    assert result.exit_code == 2 and len(result.stderr) < 400 and "(120,000 characters)" in result.stderr


def _crafted_pinyin(rows):
    def craft(full, marks, initials):
        return {
            "short-marks": (full, [m[:-1] for m in marks], initials),
            "numbers": ([1] * len(full), marks, initials),
            "long-initials": (full, marks, [i + "x" for i in initials]),
            "shifted": (full, ["0" + m[1:] for m in marks], initials),
            "empty": ([""] * len(full), [""] * len(full), [""] * len(full)),
        }[rows]

    return craft


@pytest.mark.parametrize("rows", ["short-marks", "numbers", "long-initials", "shifted", "empty"])
def test_r2_8_a_crafted_pinyin_cache_is_rebuilt(cli, tmp_path, monkeypatch, rows):
    from hdfacts.base.cache import FactCache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HDFACTS_NO_CACHE", raising=False)
    facts = tmp_path / "facts.toml"
    facts.write_bytes(SHIPPED.read_bytes())
    assert cli("--facts", str(facts), "search", "liangshi").exit_code == 0  # builds and keeps the index
    entry = FactCache(facts, facts.stat(), facts.read_bytes())
    kept = entry.load_extra("pinyin")
    assert entry.store_extra("pinyin", _crafted_pinyin(rows)(*kept))  # a valid checksum over it
    result = cli("--facts", str(facts), "search", "liangshi", "--fields", "id")
    assert result.exit_code == 0, result.stderr
    assert "grain-output" in result.stdout.split()


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [("show", "economy", "--format", "table"), ("chart", "rank", "--format", "table"), ("search", "排名")],
)
def test_r2_8_a_table_to_a_full_disk_says_so_once(args):
    with open("/dev/full", "wb") as full:
        result = run(list(args), stdout=full, capture_output=False, stderr=subprocess.PIPE)
    assert result.returncode == 74
    assert one_line(result.stderr) == "hdfacts: cannot write the output: No space left on device\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("search", "人口"), 1),
        (("get", "nope"), 1),
        (("search", "--min", "abc"), 2),
        (("nope",), 2),
        (("--facts", "/nonexistent", "show"), 2),
        (("search", "--scope", "x" * 1000), 2),
    ],
)
def test_r2_8_a_full_stderr_keeps_the_exit_code(args, code):
    with open("/dev/full", "wb") as full:
        result = run(list(args), stderr=full, capture_output=False, stdout=subprocess.DEVNULL)
    assert result.returncode == code


def test_r2_8_a_slow_parse_does_not_make_a_fresh_file_look_old(tmp_path, monkeypatch):
    """The 'changed in the last 2 s' test is taken when the file is read: a parse that
    takes longer (5 s on 100,000 facts) must not turn a just-written file into a cached one."""
    from hdfacts import load
    from hdfacts.base import cache, loader

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HDFACTS_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "HASH_LIMIT", 0)  # keyed by size and timestamps alone, as over 1 MiB
    facts = facts_with(tmp_path, "x", "x")
    clock = [time.time_ns()]
    monkeypatch.setattr(loader.time, "time_ns", lambda: clock[0])
    parse = loader._load_bytes

    def slow_parse(path, data):
        clock[0] += 5_000_000_000  # the parse of a large base
        return parse(path, data)

    monkeypatch.setattr(loader, "_load_bytes", slow_parse)
    load(facts)
    assert not list((tmp_path / "cache" / "hdfacts").glob("*.cache"))
