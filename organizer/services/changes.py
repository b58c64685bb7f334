"""Has someone else changed the database? A cheap question the app asks every few seconds,
so open screens show other people's changes without a restart.

SQLite counts commits by other connections in `PRAGMA data_version` (a read of a number in
shared memory). PostgreSQL announces each commit (db.AnnouncingPostgresqlDatabase sends
NOTIFY); a watch LISTENs on a connection of its own and only looks at what has arrived,
never waiting.
"""

from __future__ import annotations

import select

from peewee import PostgresqlDatabase, SqliteDatabase

from organizer.models import database

# The channel on which every committed PostgreSQL transaction is announced.
CHANNEL = "organizer_changes"


class ChangeWatch:
    """Ask `changed()` from one thread (SQLite's counter is per connection); `close()` at the end."""

    def __init__(self) -> None:
        self.db = database.obj
        self.listener = None
        self.version = None
        if isinstance(self.db, SqliteDatabase):
            self.version = self._data_version()
        elif isinstance(self.db, PostgresqlDatabase):
            import psycopg2

            self.listener = psycopg2.connect(dbname=self.db.database, **self.db.connect_params)
            self.listener.autocommit = True
            with self.listener.cursor() as cursor:
                cursor.execute(f"LISTEN {CHANNEL}")

    def _data_version(self) -> int:
        return int(self.db.execute_sql("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """Whether the data changed since the last call (or since the watch began)."""
        if self.version is not None:
            version = self._data_version()
            changed, self.version = version != self.version, version
            return changed
        if self.listener is None:
            return False
        if select.select([self.listener], [], [], 0)[0]:
            self.listener.poll()
        if not self.listener.notifies:
            return False
        self.listener.notifies.clear()
        return True

    def close(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None
