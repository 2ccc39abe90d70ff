"""export --format sqlite: a real database, Chinese full-text search, datasette-ready."""

from __future__ import annotations

import json
import sqlite3

import pytest


@pytest.fixture
def db(cli, tmp_path):
    path = tmp_path / "facts.db"
    result = cli("export", "--format", "sqlite", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def test_tables_and_rows(db, base):
    assert db.execute("select count(*) from facts").fetchone()[0] == len(base.facts)
    assert db.execute("select count(*) from topics").fetchone()[0] == len(base.topics)
    row = db.execute(
        "select id, value, unit, growth_value, rank_scope, rank_position, tags "
        "from facts where id = 'per-capita-disposable-income'"
    ).fetchone()
    assert row[:6] == ("per-capita-disposable-income", 27868, "元", 6.1, "全市", 2)
    assert json.loads(row[6]) == ["收入", "income", "居民"]
    ids = [r[0] for r in db.execute("select id from facts order by rowid")]
    assert ids == [f.id for f in base.facts]
    assert db.execute("select facts from topics where slug = 'economy'").fetchone()[0] == 4


def fts(db, query):
    return [
        r[0]
        for r in db.execute(
            "select facts.id from facts_fts join facts on facts.rowid = facts_fts.rowid "
            "where facts_fts match ? order by facts.rowid",
            (query,),
        )
    ]


def test_chinese_full_text_search(db):
    assert fts(db, "招商引资") == ["investment-promotion-work"]
    assert "gdp" in fts(db, '"地区生产总值"')
    assert "fixed-asset-investment" in fts(db, "investment")


def test_short_terms_use_like(db, base):
    # trigram needs three characters: two-character terms are searched with LIKE
    assert fts(db, "排名") == []
    like = [r[0] for r in db.execute("select id from facts where quote like '%排名%' order by rowid")]
    assert like == [f.id for f in base.facts if f.rank]


def test_index_follows_edits(db):
    db.execute("update facts set quote = '全新的测试引文' where id = 'gdp'")
    assert fts(db, "测试引文") == ["gdp"]
    db.execute("delete from facts where id = 'gdp'")
    assert fts(db, "测试引文") == []


def test_datasette_detects_the_index(db):
    # the query datasette runs to find a table's FTS index
    sql = """select name from sqlite_master where rootpage = 0 and (
               sql like '%VIRTUAL TABLE%USING FTS%content="facts"%'
               or (tbl_name = "facts" and sql like '%VIRTUAL TABLE%USING FTS%'))"""
    assert [r[0] for r in db.execute(sql)] == ["facts_fts"]


def test_sqlite_needs_a_file(cli):
    result = cli("export", "--format", "sqlite")
    assert result.exit_code == 2
    assert result.stderr == "hdfacts: --format sqlite writes a file: give one with -o, e.g. -o facts.db\n"


def test_sqlite_does_not_overwrite(cli, tmp_path):
    path = tmp_path / "mine.db"
    path.write_bytes(b"precious")
    assert cli("export", "--format", "sqlite", "-o", str(path)).exit_code == 2
    assert path.read_bytes() == b"precious"
    assert cli("export", "--format", "sqlite", "-o", str(path), "--force").exit_code == 0
    assert sqlite3.connect(path).execute("select count(*) from facts").fetchone()[0] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.db"]


def test_json_keys_sqlite_columns_and_csv_header_agree(cli, tmp_path):
    """The record's one shape, as three real outputs show it."""
    import csv
    import io

    from hdfacts.base.model import FACT_FIELDS, NESTED_FIELDS

    keys = list(json.loads(cli("get", "gdp", "--json").stdout))
    db = tmp_path / "facts.db"
    assert cli("export", "-o", str(db)).exit_code == 0
    columns = [row[1] for row in sqlite3.connect(db).execute("PRAGMA table_info(facts)")]
    header = next(csv.reader(io.StringIO(cli("export", "--format", "csv").stdout)))
    flat = [
        f"{k}_{sub}" if k in NESTED_FIELDS else k for k in FACT_FIELDS for sub in NESTED_FIELDS.get(k, [""])
    ]
    assert keys == list(FACT_FIELDS)
    assert columns == header == flat


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("lihua-village-billion-yuan", "lihua-village-output-over-100-million-yuan"),
        ("fortune-500-projects", "top-500-projects"),
        ("foreign-capital-utilised", "foreign-capital-attracted"),
    ],
)
def test_old_ids_resolve_in_the_database(db, old, new):
    assert db.execute("select fact_id from aliases where alias = ?", (old,)).fetchall() == [(new,)]
    # one lookup for any name a script may hold, old or new
    found = db.execute(
        "select facts.id, facts.aliases from fact_names join facts on facts.id = fact_names.fact_id "
        "where fact_names.name = ?",
        (old,),
    ).fetchall()
    assert found == [(new, json.dumps([old]))]
    assert db.execute("select fact_id from fact_names where name = ?", (new,)).fetchall() == [(new,)]
    assert new in fts(db, f'"{old}"')


def test_aliases_point_at_facts(db):
    dangling = db.execute("select alias from aliases where fact_id not in (select id from facts)").fetchall()
    assert dangling == [] and db.execute("select count(*) from aliases").fetchone()[0] == 4
