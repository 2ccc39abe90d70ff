"""The parsed-base cache: used while the file is unchanged, never trusted when odd."""

from __future__ import annotations

import marshal
import os
import shutil
import stat

import pytest

import hdfacts.base.schema as schema
from conftest import DATA
from hdfacts import load
from hdfacts.base.cache import FactCache, cache_dir


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private cache home and a fact file of our own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HDFACTS_NO_CACHE", raising=False)
    facts = tmp_path / "facts.toml"
    shutil.copy(DATA / "valid.toml", facts)
    return tmp_path, facts


@pytest.fixture
def parses(monkeypatch):
    """Counts real TOML parses."""
    calls = []
    real = schema.parse_toml

    def counting(path, text):
        calls.append(path)
        return real(path, text)

    monkeypatch.setattr(schema, "parse_toml", counting)
    return calls


def entry_for(facts):
    return FactCache(facts, facts.stat(), facts.read_bytes()).file


def test_second_load_comes_from_the_cache(home, parses):
    _, facts = home
    first = load(facts)
    second = load(facts)
    assert len(parses) == 1
    assert first == second
    assert second.facts[0].value == 25592000000


def test_a_record_of_another_shape_is_parsed_again(home, parses, monkeypatch):
    from hdfacts.base import cache

    _, facts = home
    load(facts)
    monkeypatch.setattr(cache, "FACT_FIELDS", (*cache.FACT_FIELDS, "source_page"))
    load(facts)
    assert len(parses) == 2  # a new field of the record reads no cache written without it


def test_cache_lives_in_xdg_cache_home_privately(home):
    tmp, facts = home
    load(facts)
    directory = tmp / "cache" / "hdfacts"
    assert cache_dir() == directory
    (entry,) = directory.glob("*.cache")
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert not entry.stat().st_mode & 0o077


def test_home_cache_without_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir() == tmp_path / ".cache" / "hdfacts"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # invalid by the spec: ignored
    assert cache_dir() == tmp_path / ".cache" / "hdfacts"


def test_a_changed_file_is_parsed_again(home, parses):
    _, facts = home
    load(facts)
    facts.write_text(facts.read_text(encoding="utf-8").replace("255.92亿元", "300亿元"), encoding="utf-8")
    assert load(facts).facts[0].value == 30_000_000_000
    assert len(parses) == 2


def test_same_size_and_mtime_but_new_content_is_parsed_again(home, parses):
    _, facts = home
    load(facts)
    st = facts.stat()
    text = facts.read_text(encoding="utf-8").replace("255.92亿元", "255.93亿元")
    facts.write_text(text, encoding="utf-8")
    os.utime(facts, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert facts.stat().st_size == st.st_size
    assert load(facts).facts[0].value == 25_593_000_000


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "foreign", "other-fact-file"])
def test_damaged_cache_is_rebuilt(home, parses, damage):
    tmp, facts = home
    load(facts)
    entry = entry_for(facts)
    blob = entry.read_bytes()
    if damage == "flip":
        blob = blob[:-10] + bytes([blob[-10] ^ 0xFF]) + blob[-9:]
    elif damage == "truncate":
        blob = blob[: len(blob) // 2]
    elif damage == "empty":
        blob = b""
    elif damage == "foreign":
        blob = b"\x00garbage" * 100
    else:  # a valid entry, but for another file
        other = tmp / "other.toml"
        other.write_text(facts.read_text(encoding="utf-8").replace("255.92亿元", "1亿元"), encoding="utf-8")
        load(other)
        blob = entry_for(other).read_bytes()
    entry.write_bytes(blob)
    assert load(facts).facts[0].value == 25592000000
    assert len(parses) == (3 if damage == "other-fact-file" else 2)
    load(facts)  # rebuilt: the next load is from the cache again
    assert len(parses) == (3 if damage == "other-fact-file" else 2)


def test_cache_never_executes_what_it_reads(home, parses):
    tmp, facts = home
    load(facts)
    entry = entry_for(facts)
    marker = tmp / "executed"
    code = compile(f"open({str(marker)!r}, 'w').write('x')", "evil", "exec")
    # A correctly keyed and checksummed entry whose payload is a code object.
    from hdfacts.base import cache

    FactCache(facts, facts.stat(), facts.read_bytes())._write(entry, code)
    entry_obj = FactCache(facts, facts.stat(), facts.read_bytes())
    head = len(entry_obj._header()) + cache.CHECK
    assert marshal.loads(entry.read_bytes()[head:]).co_name == "<module>"
    assert load(facts).facts[0].value == 25592000000
    assert not marker.exists()
    assert len(parses) == 2


def test_writable_by_others_is_not_trusted(home, parses):
    tmp, facts = home
    load(facts)
    directory = tmp / "cache" / "hdfacts"
    directory.chmod(0o777)
    load(facts)
    assert len(parses) == 2
    directory.chmod(0o700)
    entry_for(facts).chmod(0o666)
    load(facts)
    assert len(parses) == 3


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to give a file away")
def test_a_cache_owned_by_someone_else_is_not_trusted(home, parses):
    _, facts = home
    load(facts)
    os.chown(entry_for(facts), 65534, 65534)
    load(facts)
    assert len(parses) == 2


def test_a_symlinked_cache_is_not_trusted(home, parses):
    tmp, facts = home
    load(facts)
    entry = entry_for(facts)
    real = tmp / "elsewhere.cache"
    entry.rename(real)
    entry.symlink_to(real)
    load(facts)
    assert len(parses) == 2


def test_unwritable_cache_location_still_answers(home, parses, monkeypatch):
    tmp, facts = home
    blocker = tmp / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load(facts).facts[0].id == "gdp"
    assert load(facts).facts[0].id == "gdp"
    assert len(parses) == 2


def test_no_cache_bypasses(home, parses, monkeypatch):
    tmp, facts = home
    load(facts, cache=False)
    assert not (tmp / "cache").exists()
    monkeypatch.setenv("HDFACTS_NO_CACHE", "1")
    load(facts)
    load(facts)
    assert len(parses) == 3 and not (tmp / "cache").exists()


def test_no_cache_option_and_variable_in_the_cli(home, parses, cli):
    _, facts = home
    cli("--facts", str(facts), "get", "gdp")
    cli("--facts", str(facts), "--no-cache", "get", "gdp")
    cli("--facts", str(facts), "get", "gdp", env={"HDFACTS_NO_CACHE": "1"})
    cli("--facts", str(facts), "get", "gdp")
    assert len(parses) == 3


def test_validate_always_parses(home, parses, cli):
    _, facts = home
    cli("validate", str(facts))
    cli("validate", str(facts))
    assert len(parses) == 2


def test_pinyin_index_is_cached(home, monkeypatch):
    _, facts = home
    from hdfacts.lookup import matching
    from hdfacts.lookup.query import search

    assert [f.id for f in search(load(facts), ["shengchan"])] == ["gdp"]
    builds = []
    monkeypatch.setattr(matching.PinyinIndex, "build", classmethod(lambda cls, t: builds.append(1)))
    assert [f.id for f in search(load(facts), ["shengchan"])] == ["gdp"]
    assert builds == []


def test_large_files_are_keyed_by_their_stat(home, parses, monkeypatch):
    # Above the hashing limit the key is size, mtime, ctime, inode and device: an edit
    # that keeps size and mtime still changes the ctime, which cannot be set back.
    from hdfacts.base import cache, loader

    monkeypatch.setattr(cache, "HASH_LIMIT", 0)
    # Nanosecond timestamps: a file is not racily clean the moment after it was written.
    monkeypatch.setattr(loader, "TIMESTAMP_GRANULARITY_NS", 0)
    _, facts = home
    load(facts)
    load(facts)
    assert len(parses) == 1
    st = facts.stat()
    facts.write_text(facts.read_text(encoding="utf-8").replace("255.92亿元", "255.93亿元"), encoding="utf-8")
    os.utime(facts, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert load(facts).facts[0].value == 25_593_000_000
    assert len(parses) == 2


def test_cached_facts_index_like_a_tuple(home):
    _, facts = home
    fresh = load(facts, cache=False)
    load(facts)
    cached = load(facts)
    assert type(cached.facts).__name__ == "LazyFacts"
    assert cached.facts[-1] == cached.facts[0] == fresh.facts[-1]
    assert cached.facts[0:1] == list(fresh.facts[0:1])
    with pytest.raises(IndexError):
        cached.facts[5]


def test_note_and_aliases_come_back_from_the_cache(home, parses):
    _, facts = home
    text = facts.read_text(encoding="utf-8")
    facts.write_text(
        text.replace('id = "gdp"', 'id = "gdp"\naliases = ["old-gdp"]\nnote = "前三季度 only"'),
        encoding="utf-8",
    )
    parsed = load(facts)
    cached = load(facts)
    assert len(parses) == 1
    assert cached == parsed
    # the cached base resolves an old id before it builds any fact
    assert cached.fact_aliases() == [("old-gdp", "gdp")]
    fact = cached.fact("OLD-GDP")
    assert (fact.id, fact.note, fact.aliases) == ("gdp", "前三季度 only", ("old-gdp",))


def test_a_cache_of_an_older_layout_is_rebuilt(home, parses):
    # A row of the previous layout (no note, no aliases) must never be read as this one.
    from hdfacts.base import cache

    _, facts = home
    load(facts)
    entry = entry_for(facts)
    blob = entry.read_bytes()
    at = len(cache.MAGIC)
    assert blob[at : at + 1] == cache.FORMAT
    entry.write_bytes(blob[:at] + bytes([cache.FORMAT[0] - 1]) + blob[at + 1 :])
    assert load(facts).facts[0].note is None
    assert len(parses) == 2


def test_every_shipped_fact_survives_the_cache_row(base):
    # The row is positional: a field added to Fact but not to the row would come back empty.
    from hdfacts.base.payload import _fact, _row

    for fact in base.facts:
        assert _fact(marshal.loads(_row(fact))) == fact
    assert any(f.note for f in base.facts) and any(f.aliases for f in base.facts)


def test_the_record_shape_is_declared_once():
    from hdfacts.base.model import FACT_FIELDS, Fact
    from hdfacts.base.schema import FACT_KEYS

    # the file gives every record key but the three computed from the figure, and the
    # report, which its [report] table names
    assert set(FACT_KEYS) == set(FACT_FIELDS) - {"value", "unit", "qualifier", "report"}
    assert set(Fact._fields) == set(FACT_FIELDS)
