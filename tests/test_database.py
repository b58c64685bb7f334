"""Opening the database: private files, pragmas, the schema version and its migrations."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from organizer import db as dbmod
from organizer.migrations import SchemaTooNew, current_version
from organizer.models import (
    ALL_MODELS,
    SCHEMA_VERSION,
    Group,
    LedgerEvent,
    Member,
    Referral,
    SchemaInfo,
    database,
)
from organizer.services.members import MemberFilter, search_members

FIXTURES = Path(__file__).parent / "fixtures"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.sqlite_only  # the database file's mode
def test_new_database_files_are_private(tmp_path, group):
    path = tmp_path / "organizer.db"
    database.execute_sql("CREATE TABLE scratch (x)")  # make SQLite write to the WAL
    assert mode(path) == 0o600
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{path}{suffix}")
        assert companion.exists()
        assert mode(companion) == 0o600


def test_folders_created_for_the_database_are_private(tmp_path):
    path = tmp_path / "new" / "deeper" / "organizer.db"
    dbmod.open_database(str(path))
    dbmod.close_database()
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600


@pytest.mark.sqlite_only  # SQLite's pragmas
def test_sqlite_pragmas(db):
    pragma = lambda name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == dbmod.BUSY_TIMEOUT_MS > 5000  # longer than the old 5 s
    assert pragma("synchronous") == 1  # NORMAL


@pytest.mark.sqlite_only  # SQLite's BEGIN IMMEDIATE
def test_writes_begin_immediate(db):
    assert db._lock_type == "IMMEDIATE"


def test_location_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("ORGANIZER_DB", str(tmp_path / "from-env.db"))
    assert dbmod.resolve_location("given.db") == "given.db"
    assert dbmod.resolve_location(None) == str(tmp_path / "from-env.db")
    monkeypatch.delenv("ORGANIZER_DB")
    assert dbmod.resolve_location(None).endswith("organizer.db")


def test_new_database_is_at_the_current_version(db):
    assert current_version(db) == SCHEMA_VERSION
    assert SchemaInfo.select().count() == 1


def _v1_database(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.executescript((FIXTURES / "schema_v1.sql").read_text(encoding="utf-8"))
    connection.close()


def test_version_1_database_is_brought_to_the_current_schema(tmp_path):
    old = tmp_path / "v1.db"
    _v1_database(old)
    db = dbmod.open_database(str(old))
    try:
        assert current_version(db) == SCHEMA_VERSION
        # Every table has every column a new database has.
        fresh = sqlite3.connect(tmp_path / "fresh.db")
        dbmod.close_database()
        dbmod.open_database(str(tmp_path / "fresh.db"))
        dbmod.close_database()
        migrated = sqlite3.connect(old)
        for model in ALL_MODELS:
            table = model._meta.table_name
            columns = lambda con, table=table: {row[1] for row in con.execute(f'PRAGMA table_info("{table}")')}
            assert columns(migrated) == columns(fresh), table
            indexes = lambda con, table=table: {row[1] for row in con.execute(f'PRAGMA index_list("{table}")')}
            assert indexes(migrated) == indexes(fresh), table
        migrated.close()
        fresh.close()
        # No data lost, and the new columns are filled in.
        dbmod.open_database(str(old))
        group = Group.get()
        assert group.name == "Harbour Connectors" and group.followup_days == 30
        assert group.locale == "pt_PT"  # version 4: the usual notation where the group meets (Lisbon)
        assert [m.name for m in Member.select().order_by(Member.id)] == ["Inês Costa", "João Ribeiro"]
        referral = Referral.get()
        assert referral.value_minor == 125050 and referral.receiver.name == "João Ribeiro"
        assert LedgerEvent.select().count() == 2
        # search_key was backfilled, so search finds the migrated members.
        found = search_members(group, MemberFilter(text="joao"))
        assert [m.name for m in found] == ["João Ribeiro"]
    finally:
        dbmod.close_database()


def test_a_database_from_a_newer_organizer_is_refused(db):
    SchemaInfo.update(version=SCHEMA_VERSION + 1).execute()
    with pytest.raises(SchemaTooNew):
        from organizer.migrations import upgrade

        upgrade(db)
