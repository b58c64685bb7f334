"""Open the database: a SQLite file (the default) or a PostgreSQL URL.

There is one way in, `open_database`, shared by the command line, the app and every test.
It binds the models to the database, brings the schema up to date and, for a new SQLite
file, creates it readable by its owner only before SQLite writes a byte to it.
"""

from __future__ import annotations

import os
from pathlib import Path

from peewee import Database, PostgresqlDatabase, SqliteDatabase

from organizer import migrations, personal
from organizer.models import database
from organizer.services.changes import CHANNEL

ENV_VAR = "ORGANIZER_DB"

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,  # ms: wait for a writer instead of failing at once
    "synchronous": 1,  # NORMAL: safe with WAL, much faster than FULL
}


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
        from playhouse.db_url import connect, parse

        if location.startswith(("postgres://", "postgresql://")):
            db = AnnouncingPostgresqlDatabase(**parse(location))
        else:  # another driver or a pool (postgresql+pool://): as playhouse makes it
            db = connect(location)
    else:
        path = Path(location).expanduser()
        create_private_file(path)
        db = SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    database.initialize(db)
    db.connect(reuse_if_open=True)
    migrations.upgrade(db)
    return db


def close_database() -> None:
    """Close this thread's connection, if one is open."""
    if database.obj is not None and not database.is_closed():
        database.close()


def sqlite_path(db: Database) -> Path | None:
    """The file behind a SQLite database, or None for any other kind."""
    if isinstance(db, SqliteDatabase):
        return Path(db.database)
    return None


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
