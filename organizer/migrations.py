"""The schema's version and the path from each version to the next.

A new database gets every table at the current version. An older one is brought forward
one step at a time, each step in its own transaction, and its rows are kept.

Version history:
1. The first schema.
2. Members gain `search_key` (folded text for search) and `archived_on`; groups gain
   `followup_days` and `reminder_minutes`; threads gain `search_key` (folded title and
   post bodies); new tables `setting` and `attendance_correction`.
3. Members gain an index for search: (group, name, id, status, search_key).
4. A new table `draft`: unsaved input kept per group and key (crash recovery).
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
        with db.atomic():
            db.create_tables(ALL_MODELS)
            SchemaInfo.create(version=SCHEMA_VERSION)
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


def _v3_to_v4(db: Database, migrator: "SchemaMigrator") -> None:
    """The draft table, as version 4 has it (its own copy: later models may differ)."""
    from peewee import ForeignKeyField, Model, TextField

    class Draft(Model):
        group = ForeignKeyField(models.Group, on_delete="CASCADE")
        key = TextField()
        title = TextField(default="")
        data = TextField(default="{}")
        updated_at = TextField()

        class Meta:
            database = db
            table_name = "draft"
            indexes = ((("group", "key"), True),)

    db.create_tables([Draft], safe=True)


STEPS: dict[int, Callable[[Database, "SchemaMigrator"], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}
