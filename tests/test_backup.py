"""Backup and restore: a consistent, private, verified copy, and a restore of the whole file into a
database with no group (restoring beside other groups: test_group_copy.py)."""

from __future__ import annotations

import sqlite3
import stat
import threading

import pytest

from organizer import db as dbmod
from organizer.cli import main
from organizer.errors import UserError
from organizer.models import SCHEMA_VERSION, Member
from organizer.services.backup import backup_sqlite, inspect_backup


@pytest.mark.sqlite_only  # a SQLite file's backup and restore
def test_backup_while_another_connection_writes_is_consistent(sample_db, db_path, tmp_path):
    # A writer commits pairs of rows in one transaction each: a consistent copy holds whole pairs.
    setup = sqlite3.connect(db_path)
    setup.execute("CREATE TABLE pairs (n INTEGER, half INTEGER)")
    setup.commit()
    setup.close()
    started, stop = threading.Event(), threading.Event()
    written = []

    def writer():
        connection = sqlite3.connect(db_path, timeout=10, isolation_level=None)
        n = 0
        while not stop.is_set():
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO pairs VALUES (?, 0)", (n,))
            connection.execute("INSERT INTO pairs VALUES (?, 1)", (n,))
            connection.execute("COMMIT")
            n += 1
            if n == 50:
                started.set()
        written.append(n)
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(10)
        copies = [backup_sqlite(db_path, tmp_path / f"copy{i}.db") for i in range(5)]
    finally:
        stop.set()
        thread.join()

    for info in copies:
        copy = sqlite3.connect(info.path)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        pairs = copy.execute("SELECT count(*), count(DISTINCT n) FROM pairs").fetchone()
        assert pairs[0] == 2 * pairs[1] >= 100  # never half a transaction
        assert copy.execute("SELECT count(*) FROM member").fetchone()[0] == info.members == 30
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
        copy.close()
        assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert written[0] >= 50


@pytest.mark.sqlite_only  # a SQLite file's backup and restore
def test_backup_command_is_private_verified_and_will_not_overwrite(sample_db, db_path, tmp_path, capsys):
    target = tmp_path / "backup.db"

    assert main(["--db", str(db_path), "backup", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"backed up 1 group(s) and 30 members to {target} (")
    assert out.rstrip().endswith("bytes, integrity ok)")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    assert main(["--db", str(db_path), "backup", str(target)]) == 1
    assert capsys.readouterr().err == (
        f"organizer: {target} already exists: choose another name or use --force to replace it\n"
    )
    assert main(["--db", str(db_path), "backup", str(target), "--force"]) == 0
    assert not list(tmp_path.glob(".*partial"))


def test_backup_refuses_a_missing_database_and_postgres(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "none.db"), "backup", str(tmp_path / "b.db")]) == 1
    assert "there is no database at" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
    assert main(["--db", "postgresql://localhost/organizer", "backup", str(tmp_path / "b.db")]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and err.count("\n") == 1


@pytest.mark.sqlite_only  # a SQLite file's backup and restore
def test_restore_into_an_empty_database_then_refuse_a_second_time(sample_db, db_path, tmp_path, capsys):
    backup = backup_sqlite(db_path, tmp_path / "backup.db").path
    dbmod.close_database()
    fresh = tmp_path / "fresh.db"

    assert main(["--db", str(fresh), "restore", str(backup)]) == 0
    assert capsys.readouterr().out == f"restored 1 group(s) and 30 members from {backup}\n"
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert main(["--db", str(fresh), "stats"]) == 0
    assert "members: 27\nvisitors: 3\n" in capsys.readouterr().out

    assert main(["--db", str(fresh), "restore", str(backup)]) == 1
    assert capsys.readouterr().err == (
        "organizer: this database already has a group called “Grand River Business Circle”: nothing was "
        "restored (restore it under another name with --as-name NEW)\n"
    )


def test_restore_refuses_a_file_that_is_not_an_organizer_backup(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE things (x)")
    connection.commit()
    connection.close()
    target = tmp_path / "target.db"

    assert main(["--db", str(target), "restore", str(text)]) == 1
    assert "is not an Organizer backup" in capsys.readouterr().err
    assert main(["--db", str(target), "restore", str(other)]) == 1
    assert "not an Organizer database" in capsys.readouterr().err
    assert not target.exists()  # nothing created for a file that could not be restored


@pytest.mark.sqlite_only  # a SQLite file's backup and restore
def test_restore_upgrades_an_older_schema(sample_db, db_path, tmp_path, capsys):
    old = backup_sqlite(db_path, tmp_path / "old.db").path
    dbmod.close_database()
    make_version_1(old)
    assert inspect_backup(old) == (1, 1, 30)

    fresh = tmp_path / "fresh.db"
    assert main(["--db", str(fresh), "restore", str(old)]) == 0
    assert capsys.readouterr().out.endswith(f"(schema upgraded from version 1 to {SCHEMA_VERSION})\n")
    dbmod.open_database(str(fresh))
    try:
        zoe = Member.get(Member.email == "zoe@lefevre.design")
        assert "zoe lefevre" in zoe.search_key
    finally:
        dbmod.close_database()


def make_version_1(path) -> None:
    """Turn a copy of the sample into a version-1 database: no schema_info, none of v2's
    columns or tables, nor v3's index."""
    connection = sqlite3.connect(path)
    connection.execute("DROP INDEX member_group_id_name_id_status_search_key")  # v3's, on search_key
    for table, column in (
        ("member", "search_key"),
        ("member", "archived_on"),
        ("group", "followup_days"),
        ("group", "reminder_minutes"),
    ):
        connection.execute(f'ALTER TABLE "{table}" DROP COLUMN {column}')
    for table in ("schema_info", "setting", "attendance_correction"):
        connection.execute(f"DROP TABLE {table}")
    connection.commit()
    connection.close()


@pytest.mark.sqlite_only  # a SQLite file's backup and restore
def test_a_backup_from_a_newer_organizer_is_refused(sample_db, db_path, tmp_path):
    newer = backup_sqlite(db_path, tmp_path / "newer.db").path
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE schema_info SET version = ?", (SCHEMA_VERSION + 1,))
    connection.commit()
    connection.close()
    with pytest.raises(UserError, match="newer than this Organizer"):
        inspect_backup(newer)
