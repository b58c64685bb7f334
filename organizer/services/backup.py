"""Backup of SQLite files, and restore: a whole file, or its groups beside others.

`backup_sqlite` copies a database through SQLite's online backup API, so the copy is
consistent even while the app (or anything else) is writing: the pages are copied in
one step inside a read transaction, which in WAL mode never blocks a writer. The copy
is made in a private (0600) temporary file beside the destination, switched to a
single-file journal mode, checked with `PRAGMA integrity_check`, and only then renamed
into place, so a half-written backup never carries the backup's name.

`restore_sqlite` checks that a file is an Organizer database this version can read
(its `schema_info`, or the `group` table of the first schema), copies it into the
open database with the same API and brings its schema up to date. It does not decide
whether the target may be overwritten: the caller uses it only for a database with no group.

`restore_groups` adds a backup's groups (or one of them, perhaps renamed) to the open
database, SQLite or PostgreSQL, beside the groups it holds: it upgrades a private temporary
copy of the backup to this schema, then copies the groups' rows with new ids
(services.group_copy), all in one transaction; a name already here is refused before
anything is written.

A PostgreSQL database is backed up with its own tool (pg_dump); `backup_sqlite` says so.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from peewee import Database, SqliteDatabase

from organizer import migrations
from organizer.errors import UserError
from organizer.models import ALL_MODELS, SCHEMA_VERSION, Member, database
from organizer.services.group_copy import hold_tables, read_groups, source_groups, write_groups
from organizer.services.group_names import name_problem
from organizer.text import one_line, tidy

POSTGRES_BACKUP = "a PostgreSQL database is backed up with pg_dump (e.g. pg_dump -Fc URL > FILE)"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int  # bytes
    schema_version: int
    groups: int
    members: int


def backup_sqlite(source: Path, destination: Path, *, force: bool = False) -> BackupInfo:
    """Copy the SQLite database `source` to `destination` (0600); refuse to overwrite unless `force`."""
    source, destination = Path(source).expanduser(), Path(destination).expanduser()
    if not source.is_file() or source.stat().st_size == 0:
        raise UserError(f"there is no database at {source} to back up")
    if destination.is_dir():
        raise UserError(f"{destination} is a folder: give the backup a file name")
    if destination.exists():
        if destination.resolve() == source.resolve():
            raise UserError("the backup must go to another file than the database itself")
        if not force:
            raise UserError(f"{destination} already exists: choose another name or use --force to replace it")
    if not destination.parent.is_dir():
        raise UserError(f"there is no folder {destination.parent}")
    sweep_leftovers(destination)
    try:
        temporary = _private_temporary(destination)
    except OSError as error:
        raise UserError(f"cannot write in {destination.parent}: {error.strerror or error}")
    try:
        info = _copy_and_check(source, temporary)
        os.replace(temporary, destination)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise UserError(f"cannot write {destination}: {error.strerror or error}")
        raise
    return BackupInfo(destination, destination.stat().st_size, *info)


def sweep_leftovers(destination: Path) -> list[Path]:
    """Remove what a backup to `destination` that was killed mid-way left: its private
    temporary copy (`.NAME.*.partial`) and that copy's journal files. Returns them."""
    removed = []
    for leftover in destination.parent.glob(f".{destination.name}.*.partial*"):
        if leftover.name.endswith((".partial", ".partial-journal", ".partial-wal", ".partial-shm")):
            try:
                leftover.unlink()
                removed.append(leftover)
            except OSError:
                pass  # not ours to remove (another user's): it stays, as before
    return removed


def _copy_and_check(source: Path, target: Path) -> tuple[int, int, int]:
    """Copy with the backup API, make the copy self-contained, verify it; (version, groups, members)."""
    try:
        reader = sqlite3.connect(str(source), timeout=10)
        try:
            writer = sqlite3.connect(str(target))
            try:
                reader.backup(writer)
                # The copy is one file: no -wal beside it to lose when it is moved or mailed.
                writer.execute("PRAGMA journal_mode=DELETE")
                _check_integrity(writer, "the copy")
                counts = _describe(writer)
                writer.commit()
            finally:
                writer.close()
        finally:
            reader.close()
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())
    except sqlite3.DatabaseError as error:
        raise UserError(f"cannot back up {source}: {error}")
    return counts


def inspect_backup(path: Path) -> tuple[int, int, int]:
    """(schema version, groups, members) of an Organizer backup; raises UserError if it is not one."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise UserError(f"there is no file {path}")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            _check_integrity(connection, str(path))
            return _describe(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise UserError(f"{path} is not an Organizer backup ({error})")


def restore_sqlite(source: Path, db: Database) -> tuple[int, int, int]:
    """Copy the backup `source` over the open SQLite database `db` and upgrade its schema.

    Returns (the backup's schema version, groups, members).
    """
    version, groups, members = inspect_backup(source)
    target = db.connection()  # type: ignore[no-untyped-call]  # peewee's stubs leave it unannotated
    try:
        reader = sqlite3.connect(f"{Path(source).expanduser().resolve().as_uri()}?mode=ro", uri=True)
        try:
            reader.backup(target)
        finally:
            reader.close()
    except sqlite3.DatabaseError as error:
        raise UserError(f"cannot restore {source}: {error}")
    migrations.upgrade(db)
    _check_integrity(target, "the restored database")
    return version, groups, members


@dataclass(frozen=True)
class Restored:
    version: int  # the backup's schema version
    groups: list[tuple[int, str]]  # (id here, name) of each group restored
    members: int
    drafts_left_out: int  # unsaved drafts not copied: they name rows by the backup's ids


def restore_groups(source: Path, *, group: str | None = None, as_name: str | None = None) -> Restored:
    """Add the groups of the backup `source` to the open database beside those it holds:
    all of them, or only `group` (an id or exact name in the backup), named `as_name` if given.

    Refused in one line, with nothing written, when a name is already a group's here.
    """
    source = Path(source).expanduser()
    version = inspect_backup(source)[0]
    with tempfile.TemporaryDirectory(prefix="organizer-restore-") as folder:
        copy = Path(folder) / "backup.db"
        try:
            reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
            try:
                writer = sqlite3.connect(str(copy))
                try:
                    reader.backup(writer)
                finally:
                    writer.close()
            finally:
                reader.close()
        except sqlite3.DatabaseError as error:
            raise UserError(f"cannot restore {source}: {error}")
        backup = SqliteDatabase(str(copy), pragmas={"foreign_keys": 1})
        try:
            # The models read the copy for a while (a command, one thread): upgraded to this
            # schema first, so its rows have the columns the open database has.
            with backup.bind_ctx(ALL_MODELS):
                migrations.upgrade(backup)
                chosen = _chosen(source_groups(), group, source)
                snapshot = read_groups({group_id for group_id, _ in chosen})
        finally:
            backup.close()
    names = dict(chosen)
    if as_name is not None:
        if len(chosen) != 1:
            raise UserError(
                f"--as-name renames one group and the backup holds {len(chosen)}: choose one with --group NAME"
            )
        names = {chosen[0][0]: tidy(as_name)}
    with database.atomic():
        hold_tables()
        for name in names.values():
            if problem := name_problem(name):
                rename = "--as-name NEW" if len(names) == 1 else "--group NAME --as-name NEW"
                raise UserError(f"{problem}: nothing was restored (restore it under another name with {rename})")
        copied = write_groups(snapshot, names)
    return Restored(version, copied.groups, copied.rows.get(Member, 0), copied.drafts_left_out)


def _chosen(available: list[tuple[int, str]], selector: str | None, source: Path) -> list[tuple[int, str]]:
    """The backup's groups to restore: all, or the one `selector` names by id or exact name."""
    if not available:
        raise UserError(f"{source} holds no group to restore")
    if selector is None:
        return available
    text = tidy(selector)
    found = [line for line in available if str(line[0]) == text] or [line for line in available if line[1] == text]
    if not found:
        named = ", ".join(f"{group_id} {one_line(name)}" for group_id, name in available)
        raise UserError(f"the backup has no group called “{one_line(text)}” (groups: {named})")
    return found[:1]


def _describe(connection: sqlite3.Connection) -> tuple[int, int, int]:
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "group" not in tables or "member" not in tables:
        raise UserError("this is not an Organizer database (it has no group and member tables)")
    if "schema_info" in tables:
        row = connection.execute("SELECT version FROM schema_info").fetchone()
        version = row[0] if row else 1
    else:
        version = 1  # the first schema had no schema_info table
    if version > SCHEMA_VERSION:
        raise UserError(
            f"this backup is at schema version {version}, newer than this Organizer "
            f"(version {SCHEMA_VERSION}): update Organizer first"
        )
    groups = connection.execute('SELECT count(*) FROM "group"').fetchone()[0]
    members = connection.execute("SELECT count(*) FROM member").fetchone()[0]
    return version, groups, members


def _check_integrity(connection: sqlite3.Connection, what: str) -> None:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise UserError(f"{what} failed its integrity check: {'; '.join(result[:3])}")


def _private_temporary(beside: Path) -> Path:
    """A new empty file, mode 0600, in the same folder (so the final rename is atomic)."""
    fd, name = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".partial", dir=beside.parent)
    os.close(fd)
    return Path(name)
