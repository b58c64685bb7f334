"""The schema's version and the path from each version to the next.

A new database gets every table at the current version. An older one is brought forward
one step at a time, each step in its own transaction, and its rows are kept.

Version history:
1. The first schema.
2. Members gain `search_key` (folded text for search) and `archived_on`; groups gain
   `followup_days` and `reminder_minutes`; threads gain `search_key` (folded title and
   post bodies); new tables `setting` and `attendance_correction`.
3. Members gain an index for search: (group, name, id, status, search_key).
4. The database says it is Organizer's (SQLite: `PRAGMA application_id` and
   `user_version`; PostgreSQL: an `organizer_database` marker table); a referral's value
   is 64-bit on PostgreSQL too; one active member per email per group is a unique index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from peewee import Database, SqliteDatabase

from organizer import models
from organizer.models import ALL_MODELS, SCHEMA_VERSION, SchemaInfo

if TYPE_CHECKING:  # the migrator loads only when a database needs upgrading
    from playhouse.migrate import SchemaMigrator


class SchemaTooNew(Exception):
    """The database was written by a newer Organizer than this one."""


class ForeignDatabase(Exception):
    """The database holds another program's data: it is left exactly as it is."""


# SQLite's header field for the application that owns a file: "ORG1".
APPLICATION_ID = 0x4F524731
MARKER_TABLE = "organizer_database"
ACTIVE_EMAIL_INDEX = "member_active_email"


def current_version(db: Database) -> int | None:
    """The recorded version, or None for a database with no Organizer tables yet."""
    if not db.table_exists(SchemaInfo._meta.table_name):
        # A version-1 database had a `group` table and no schema_info.
        return 1 if db.table_exists(models.Group._meta.table_name) else None
    row = SchemaInfo.select().first()
    return row.version if row else None


def upgrade(db: Database) -> int:
    """Bring the schema to SCHEMA_VERSION; return the version found before."""
    found = current_version(db)
    if found is None:
        refuse_foreign_tables(db)
        with db.atomic():
            db.create_tables(ALL_MODELS)
            SchemaInfo.create(version=SCHEMA_VERSION)
            _v3_to_v4(db, None)
        return SCHEMA_VERSION
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"this database is at schema version {found}; this Organizer knows up to {SCHEMA_VERSION}"
        )
    if found == SCHEMA_VERSION:
        return found
    sqlite = isinstance(db, SqliteDatabase)
    if sqlite:
        # SQLite alters some columns by rebuilding the table, which foreign keys would
        # refuse mid-way; the documented procedure is to switch them off, then check.
        db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        for version in range(found, SCHEMA_VERSION):
            with db.atomic():
                STEPS[version](db, _migrator(db))
                db.create_tables([SchemaInfo], safe=True)
                SchemaInfo.delete().execute()
                SchemaInfo.create(version=version + 1)
                if sqlite and db.execute_sql("PRAGMA foreign_key_check").fetchone():
                    raise RuntimeError(f"migration to version {version + 1} broke a foreign key")
    finally:
        if sqlite:
            db.execute_sql("PRAGMA foreign_keys = ON")
    return found


def _migrator(db: Database) -> "SchemaMigrator":
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

    if isinstance(db, SqliteDatabase):
        return SqliteMigrator(db)
    return PostgresqlMigrator(db)


def _add_missing_columns(db: Database, migrator: "SchemaMigrator", model, names: list[str]) -> None:
    from playhouse.migrate import migrate

    table = model._meta.table_name
    have = {column.name for column in db.get_columns(table)}
    fields = model._meta.fields
    operations = [migrator.add_column(table, fields[name].column_name, fields[name])
                  for name in names if fields[name].column_name not in have]
    if operations:
        migrate(*operations)


def _v1_to_v2(db: Database, migrator: "SchemaMigrator") -> None:
    from organizer.services.text import fold

    _add_missing_columns(db, migrator, models.Member, ["search_key", "archived_on"])
    _add_missing_columns(db, migrator, models.Group, ["followup_days", "reminder_minutes"])
    _add_missing_columns(db, migrator, models.Thread, ["search_key"])
    db.create_tables([models.Setting, models.AttendanceCorrection], safe=True)
    for member in models.Member.select():
        key = fold(" ".join((member.name, member.business, member.category, member.email)))
        models.Member.update(search_key=key).where(models.Member.id == member.id).execute()
    _fill_thread_search_keys()
    # An index added in version 2: referrals by (group, status, closed_on).
    models.Referral._schema.create_indexes(safe=True)


def _fill_thread_search_keys() -> None:
    """Fold each thread's title and post bodies, reading posts in thread order (one pass)."""
    from organizer.services.threads import search_key

    titles = {row.id: row.title for row in models.Thread.select(models.Thread.id, models.Thread.title)}
    bodies: dict[int, list[str]] = {thread_id: [] for thread_id in titles}
    posts = models.Post.select(models.Post.thread, models.Post.body).order_by(models.Post.thread, models.Post.id)
    for post in posts.iterator():
        bodies.setdefault(post.thread_id, []).append(post.body)
    for thread_id, title in titles.items():
        key = search_key(title, bodies[thread_id])
        models.Thread.update(search_key=key).where(models.Thread.id == thread_id).execute()


def _v2_to_v3(db: Database, migrator: "SchemaMigrator") -> None:
    models.Member._schema.create_indexes(safe=True)


def refuse_foreign_tables(db: Database) -> None:
    """ForeignDatabase if `db` holds tables but none of Organizer's (another program's)."""
    tables = set(db.get_tables())
    if tables and not tables & {SchemaInfo._meta.table_name, MARKER_TABLE, models.Group._meta.table_name}:
        raise ForeignDatabase(
            f"it holds {len(tables)} table{'s' if len(tables) != 1 else ''} of another program and no Organizer data; nothing was changed"
        )


def _v3_to_v4(db: Database, migrator: "SchemaMigrator | None") -> None:
    """Mark the database as Organizer's, widen money to 64 bits on PostgreSQL, and make one
    active member per email per group a unique index (self-contained: plain SQL only)."""
    if isinstance(db, SqliteDatabase):
        # Header fields: written here, inside the step's transaction, as any other change.
        db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
    else:
        db.execute_sql(f'CREATE TABLE IF NOT EXISTS "{MARKER_TABLE}" (application TEXT NOT NULL)')
        if not db.execute_sql(f'SELECT 1 FROM "{MARKER_TABLE}"').fetchone():
            db.execute_sql(f"INSERT INTO \"{MARKER_TABLE}\" (application) VALUES ('organizer')")
        db.execute_sql('ALTER TABLE "referral" ALTER COLUMN "value_minor" TYPE BIGINT')
    ensure_active_email_index(db)


def ensure_active_email_index(db: Database) -> bool:
    """The unique index on an active (or on-leave) member's email per group, if the rows
    allow it; False when two active members already share an email (an older version's
    race), which is left for a person to sort out rather than changed here."""
    if any(index.name == ACTIVE_EMAIL_INDEX for index in db.get_indexes("member")):
        return True
    seat = "status IN ('active', 'on_leave') AND email <> ''"
    clash = db.execute_sql(
        f'SELECT 1 FROM "member" WHERE {seat} GROUP BY group_id, lower(email) HAVING COUNT(*) > 1 LIMIT 1'
    ).fetchone()
    if clash:
        return False
    db.execute_sql(f'CREATE UNIQUE INDEX IF NOT EXISTS "{ACTIVE_EMAIL_INDEX}" ON "member" (group_id, lower(email)) '
                   f"WHERE {seat}")
    return True


STEPS: dict[int, Callable[[Database, "SchemaMigrator"], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}
