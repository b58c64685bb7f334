"""Open the database: a SQLite file (the default) or a PostgreSQL URL.

There is one way in, `open_database`, shared by the command line, the app and every test.
It binds the models to the database, brings the schema up to date and, for a new SQLite
file, creates it readable by its owner only before SQLite writes a byte to it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from peewee import Database, PostgresqlDatabase, SqliteDatabase

from organizer import migrations, personal
from organizer.errors import StorageProblem
from organizer.failures import BUSY, storage_problem
from organizer.models import SCHEMA_VERSION, database
from organizer.services.changes import CHANNEL

T = TypeVar("T")

ENV_VAR = "ORGANIZER_DB"

# How long a writer waits for another one to finish before it gives up with one line.
# Long jobs never hold the write lock for long (imports check first, then write), so
# this bound is only reached when another program holds a transaction open.
BUSY_TIMEOUT_MS = 20_000

# In the app a write runs on the thread that draws the screen: waiting there freezes it,
# so each try waits a second; a form tries again a few times, saying so (FormScreen).
APP_BUSY_TIMEOUT_MS = 1_000

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 1,  # NORMAL: safe with WAL, much faster than FULL
}


class _StorageErrors(Database):
    """Turns a storage failure (busy, read-only, full, lost server) into StorageProblem,
    a UserError: every caller that shows a user's mistake shows these too, and keeps
    the form open with its input."""

    def _told(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return call(*args, **kwargs)
        except StorageProblem:
            raise
        except Exception as error:
            sentence = storage_problem(error)
            if sentence is None:
                raise
            raise StorageProblem(sentence, busy=sentence == BUSY) from error

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        return self._told(super().execute_sql, sql, params)

    def begin(self, *args: Any, **kwargs: Any) -> Any:
        return self._told(super().begin, *args, **kwargs)

    def commit(self, *args: Any, **kwargs: Any) -> Any:
        return self._told(super().commit, *args, **kwargs)


class OrganizerSqlite(_StorageErrors, SqliteDatabase):
    """SQLite with storage failures told in one line."""


def _postgresql(location: str) -> Database:
    """A PostgreSQL database that reconnects after a dropped connection (a server restart)
    and retries a statement run outside a transaction; a write in one fails, said so."""
    from peewee import InterfaceError, OperationalError
    from playhouse.db_url import connect, parse
    from playhouse.shortcuts import ReconnectMixin

    class OrganizerPostgresql(_StorageErrors, ReconnectMixin, AnnouncingPostgresqlDatabase):
        reconnect_errors = (
            (OperationalError, "server closed the connection"),
            (InterfaceError, "connection already closed"),
            (OperationalError, "terminating connection"),
            (OperationalError, "ssl syscall error"),
        )

    params = parse(location)
    if location.split("://", 1)[0] not in ("postgres", "postgresql") or not params.get("database"):
        return connect(location)  # a pooled or extended scheme, or a mistake connect() words
    return OrganizerPostgresql(**params)


def data_dir() -> Path:
    """The user's data folder for Organizer (created private on first use)."""
    import platformdirs  # only when no --db or $ORGANIZER_DB names the database

    return platformdirs.user_data_path("organizer", appauthor=False)


def resolve_location(explicit: str | None = None) -> str:
    """`--db`, else `$ORGANIZER_DB`, else organizer.db in the user's data folder."""
    if explicit:
        return explicit
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    return str(data_dir() / "organizer.db")


def is_url(location: str) -> bool:
    return location.startswith(("postgres://", "postgresql://", "postgresql+", "postgres+"))


class AnnouncingPostgresqlDatabase(PostgresqlDatabase):
    """PostgreSQL that announces each transaction it commits (NOTIFY, delivered with the
    commit), so other people's open screens refresh within seconds. Every write is one
    transaction in a service, so every write is announced."""

    def commit(self):
        if not self.is_closed():
            self.cursor().execute(f"NOTIFY {CHANNEL}")
        return super().commit()


def without_password(location: str) -> str:
    """A URL with its password left out (for messages and logs); a path as it is."""
    if not is_url(location):
        return location
    scheme, _, rest = location.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return location
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


def database_key(location: str) -> str:
    """The same name for the same database however it was given: a file's absolute path,
    a URL without its password."""
    if is_url(location):
        return without_password(location)
    return str(Path(location).expanduser().resolve())


def open_database(location: str) -> Database:
    """Open (creating if need be) the database at `location` and bind the models to it."""
    personal.database_here = database_key(location)
    if is_url(location):
        db = _postgresql(location)
    else:
        path = Path(location).expanduser()
        create_private_file(path)
        tighten(path)
        identify_sqlite(path)
        db = OrganizerSqlite(
            str(path), pragmas=SQLITE_PRAGMAS | {"busy_timeout": BUSY_TIMEOUT_MS}, lock_type="IMMEDIATE"
        )
    database.initialize(db)
    db.connect(reuse_if_open=True)
    migrations.upgrade(db)
    return db


def set_busy_timeout(milliseconds: int) -> None:
    """How long this thread's SQLite connection waits for another writer (no-op elsewhere)."""
    if isinstance(database.obj, SqliteDatabase):
        database.execute_sql(f"PRAGMA busy_timeout = {int(milliseconds)}")


def close_database() -> None:
    """Close this thread's connection, if one is open."""
    if database.obj is not None and not database.is_closed():
        database.close()


def sqlite_path(db: Database) -> Path | None:
    """The file behind a SQLite database, or None for any other kind."""
    if isinstance(db, SqliteDatabase):
        return Path(db.database)
    return None


def identify_sqlite(path: Path) -> None:
    """Refuse, before a byte of it changes, a SQLite file that is not an Organizer database
    (another program's tables or application id) or is newer than this code.

    Read through a read-only connection: opening it for real would already turn on WAL.
    """
    import sqlite3
    from urllib.parse import quote

    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        probe = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error:
        return  # unreadable here: the real open says why
    try:
        application_id = probe.execute("PRAGMA application_id").fetchone()[0]
        user_version = probe.execute("PRAGMA user_version").fetchone()[0]
        tables = {name for (name,) in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error) or "encrypted" in str(error):
            raise migrations.ForeignDatabase("it is not a SQLite database; nothing was changed") from None
        return
    finally:
        probe.close()
    if application_id not in (0, migrations.APPLICATION_ID):
        raise migrations.ForeignDatabase(
            f"it belongs to another program (application id {application_id:#x}); nothing was changed"
        )
    if application_id == migrations.APPLICATION_ID and user_version > SCHEMA_VERSION:
        raise migrations.SchemaTooNew(
            f"this database is at schema version {user_version}; this Organizer knows up to {SCHEMA_VERSION}"
        )
    if tables and not tables & {"schema_info", "group", migrations.MARKER_TABLE}:
        raise migrations.ForeignDatabase(
            f"it holds {len(tables)} table{'s' if len(tables) != 1 else ''} of another program and no Organizer data; nothing was changed"
        )


def tighten(path: Path) -> None:
    """Make an existing database (and its -wal, -shm) readable by its owner only: a file
    made by hand, or copied, may be 0644 and hold everyone's phone numbers. A file its
    group may write to is shared on purpose (a leadership team on one machine): only
    what others could read is taken away."""
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = name.stat().st_mode & 0o777 if name.is_file() else 0
            wanted = mode & 0o770 if mode & 0o020 else mode & 0o700
            if mode != wanted:
                name.chmod(wanted | 0o600)
        except OSError:
            pass  # not ours to change (another user's file): SQLite will say if it cannot read it


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (SQLite accepts an empty file).

    SQLite gives the -wal and -shm files the database file's permissions, so they are
    private too. Folders we create on the way are 0700.
    """
    if path.exists():
        return
    for parent in reversed(path.parents):
        if not parent.exists():
            parent.mkdir(mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
