"""Export a fact base as a SQLite database that datasette opens with full-text search.

Tables: `reports` (each base's [report] table), `facts` (one row per fact, keyed by its
report and id, the JSON record's fields as columns, nested values flattened: rank_scope,
rank_position, growth_text...; tags and aliases as JSON text), `topics`, `aliases` (a
renamed fact's old id -> its fact, so old ids keep working), the view `fact_names` (every
id and old id, and REPORT:ID, -> its fact), and `facts_fts`, an FTS5
index over the Chinese and English texts, laid out as sqlite-utils' enable-fts lays
it out (content="facts", kept in step by triggers), so that datasette detects it.
FTS5's default tokenizer takes a run of Chinese characters for one token, so the
index uses the trigram tokenizer: MATCH finds any substring of three or more
characters; shorter terms are searched with LIKE.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .. import interrupt
from ..base.model import Fact, FactBase, flatten
from ..errors import escape_controls

T = TypeVar("T")

BUSY_WAIT = 5.0  # seconds an export waits for a lock another program holds on the database
_BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
_DONE = 101  # SQLITE_DONE: the backup has replaced the database, committed
_RETRY = 0.05  # seconds between tries: how long a signal waits, at most, to be seen


class InterruptedAfterWrite(interrupt.Interrupted):
    """A signal that came when the database had already been replaced: the run stops as
    the signal asks, and says that the export happened."""

    def __init__(self, signum: int, path: Path):
        super().__init__(signum)
        said = interrupt.NAMES.get(signum, "stopped")
        self.args = (f"{said} after {escape_controls(str(path))} was written in full",)


FTS_COLUMNS = ("metric", "metric_en", "text", "period", "tags", "quote", "note", "aliases")
# The facts table's columns: the flat record (model.flatten), in its order. Only the
# SQL types are said here; the names come from the record.
_TYPES = {
    "id": "TEXT NOT NULL",
    "report": "TEXT NOT NULL REFERENCES reports(id)",
    "topic": "TEXT REFERENCES topics(slug)",
    "value": "NUMERIC",
    "growth_value": "NUMERIC",
    "change_value": "NUMERIC",
    "rank_position": "INTEGER",
}
COLUMNS = tuple((name, _TYPES.get(name, "TEXT")) for name in flatten(Fact("", "", "", "").to_dict()))


def _json_list(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)


def _row(record: dict[str, object]) -> tuple[object, ...]:
    flat = flatten(record, lists=_json_list)  # tags and aliases as JSON text
    return tuple(flat[name] for name, _ in COLUMNS)


def fill(db: sqlite3.Connection, base: FactBase) -> None:
    """Create the tables, the FTS index and its triggers, and insert the facts."""
    cols = ", ".join(f"[{name}] {kind}" for name, kind in COLUMNS)
    fts = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    new = ", ".join(f"new.[{c}]" for c in FTS_COLUMNS)
    old = ", ".join(f"old.[{c}]" for c in FTS_COLUMNS)
    db.executescript(f"""
        CREATE TABLE [topics] ([slug] TEXT PRIMARY KEY, [name] TEXT, [name_en] TEXT,
                               [section] TEXT, [aliases] TEXT, [facts] INTEGER);
        CREATE TABLE [reports] ([id] TEXT PRIMARY KEY, [title] TEXT, [region] TEXT,
                                [year] INTEGER, [source] TEXT, [sha256] TEXT, [period] TEXT);
        CREATE TABLE [facts] ({cols}, PRIMARY KEY ([report], [id]));
        CREATE TABLE [aliases] ([report] TEXT NOT NULL, [alias] TEXT NOT NULL, [fact_id] TEXT NOT NULL,
                                PRIMARY KEY ([report], [alias]),
                                FOREIGN KEY ([report], [fact_id]) REFERENCES facts([report], [id]));
        CREATE VIEW [fact_names] AS
          SELECT [id] AS [name], [report], [id] AS [fact_id] FROM [facts]
          UNION ALL SELECT [alias], [report], [fact_id] FROM [aliases]
          UNION ALL SELECT [report] || ':' || [id], [report], [id] FROM [facts];
        CREATE VIRTUAL TABLE [facts_fts] USING FTS5 ({fts}, tokenize='trigram', content="facts");
        CREATE TRIGGER [facts_ai] AFTER INSERT ON [facts] BEGIN
          INSERT INTO [facts_fts] (rowid, {fts}) VALUES (new.rowid, {new});
        END;
        CREATE TRIGGER [facts_ad] AFTER DELETE ON [facts] BEGIN
          INSERT INTO [facts_fts] ([facts_fts], rowid, {fts}) VALUES ('delete', old.rowid, {old});
        END;
        CREATE TRIGGER [facts_au] AFTER UPDATE ON [facts] BEGIN
          INSERT INTO [facts_fts] ([facts_fts], rowid, {fts}) VALUES ('delete', old.rowid, {old});
          INSERT INTO [facts_fts] (rowid, {fts}) VALUES (new.rowid, {new});
        END;
    """)
    db.executemany(
        "INSERT INTO [topics] VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                t.slug,
                t.name,
                t.name_en,
                t.section,
                json.dumps(list(t.aliases), ensure_ascii=False),
                base.count(t.slug),
            )
            for t in base.topics
        ],
    )
    db.executemany("INSERT INTO [reports] VALUES (?, ?, ?, ?, ?, ?, ?)", [tuple(r) for r in base.reports])
    marks = ", ".join("?" for _ in COLUMNS)
    db.executemany(f"INSERT INTO [facts] VALUES ({marks})", (_row(f.to_dict()) for f in base.facts))
    db.executemany(
        "INSERT INTO [aliases] VALUES (?, ?, ?)",
        [(m.meta.id, alias, fid) for m in base.members for alias, fid in m.fact_aliases()],
    )


def write_db(base: FactBase, path: Path) -> None:
    """Fill a new database file at `path`."""
    db = sqlite3.connect(path)
    try:
        with db:
            fill(db, base)
    finally:
        db.close()


def _when_free(attempt: Callable[[], T], deadline: float, path: Path) -> T:
    """`attempt()`, tried again while another program holds a lock, until the deadline.
    The waiting is done here, in Python, so that Ctrl-C and SIGTERM are seen at once."""
    while True:
        try:
            return attempt()
        except sqlite3.OperationalError as e:
            if (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF not in _BUSY:
                raise
            if time.monotonic() > deadline:
                raise _busy(path) from e
            time.sleep(_RETRY)


def _busy(path: Path) -> sqlite3.OperationalError:
    return sqlite3.OperationalError(f"database is locked: another program held it for {BUSY_WAIT:g} s")


def write_through(base: FactBase, path: Path) -> None:
    """Replace the content of the existing database at `path` in one transaction, through
    SQLite's backup API: programs that hold it open, in WAL mode too, see the old
    database or the new one, never a malformed file (which renaming a new file over it
    would leave them, beside the old -wal). A lock held by another program is waited for
    BUSY_WAIT seconds at most (sqlite3's backup() alone retries forever, deaf to signals);
    a signal before the copy is committed leaves the old database, one after it says so."""
    deadline = time.monotonic() + BUSY_WAIT
    target = sqlite3.connect(path, timeout=0)
    try:
        page_size = _when_free(lambda: target.execute("PRAGMA page_size").fetchone()[0], deadline, path)
        fresh = sqlite3.connect(":memory:")
        try:
            # A WAL database takes a backup only of its own page size.
            fresh.execute(f"PRAGMA page_size = {int(page_size)}")
            with fresh:
                fill(fresh, base)
            _backup(fresh, target, deadline, path)
        finally:
            fresh.close()
    finally:
        target.close()


def _backup(source: sqlite3.Connection, target: sqlite3.Connection, deadline: float, path: Path) -> None:
    def progress(status: int, remaining: int, total: int) -> None:
        if interrupt.pending is not None and status != _DONE:
            raise interrupt.Interrupted(interrupt.pending)
        if status in _BUSY and time.monotonic() > deadline:
            raise _busy(path)

    # A signal is only noted while the copy runs, and acted on between its steps: a
    # handler raising in the middle of SQLite's call could not tell whether it committed.
    interrupt.install(deferred=True)
    try:
        source.backup(target, progress=progress, sleep=_RETRY)
    finally:
        late, interrupt.pending = interrupt.pending, None
        interrupt.install()
    if late is not None:
        raise InterruptedAfterWrite(late, path)
