"""What a bulk import does around its one write transaction, on SQLite.

With SQLite's default 2 MB page cache, a hundred thousand inserts into a table's indexes
spill pages to the log mid-transaction and read them back, which multiplied the write's
time (and the time another Organizer waits for it). For the import's own connection and
only while it writes, the cache is made big enough; PostgreSQL is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from peewee import SqliteDatabase

from organizer.models import database

MAX_CACHE_KIB = 128 * 1024


@contextmanager
def write_cache(kib: int) -> Iterator[None]:
    """A page cache of `kib` KiB (at most MAX_CACHE_KIB) while the block runs; restored
    afterwards, since the connection is shared. `kib` 0: nothing changes."""
    if kib <= 0 or not isinstance(database.obj, SqliteDatabase):
        yield
        return
    before = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    database.execute_sql(f"PRAGMA cache_size = {-min(kib, MAX_CACHE_KIB)}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(before)}")
