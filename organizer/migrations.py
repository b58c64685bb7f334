"""The schema's version and the path from each version to the next.

A new database gets every table at the current version. An older one is brought forward
one step at a time, each step in its own transaction, and its rows are kept. A step is
frozen code: it names its columns, tables and rules as they were at its version and never
calls the live models or services, which go on changing after it is written.

Version history:
1. The first schema.
2. Members gain `search_key` (folded text for search) and `archived_on`; groups gain
   `followup_days` and `reminder_minutes`; threads gain `search_key` (folded title and
   post bodies); new tables `setting` and `attendance_correction`.
3. Members gain an index for search: (group, name, id, status, search_key).
4. New tables `send_log` (every message sent, so nothing goes twice) and `mail_received`
   (the Message-IDs of imported mail).
5. Meeting series gain `rrule` (their rule as an RFC 5545 RRULE; the nth-weekday
   `ordinal`/`weekday` of older series converted into it); groups gain `country` and
   `subdivision` (public holidays); members gain `contacted_on` (visitor follow-up);
   new table `member_event` (renewals and status changes in a member's history).
6. Groups gain `locale` (how amounts are written), filled from the group's time zone.
7. One-to-ones gain `planned` (a pairing accepted, not yet held; false for every earlier row).
8. The database says it is Organizer's (SQLite: `PRAGMA application_id` and
   `user_version`; PostgreSQL: an `organizer_database` marker table); a referral's value
   is 64-bit on PostgreSQL too; one active member per email per group is a unique index.
9. A new table `draft`: unsaved input kept per group and key (crash recovery).
10. Two covering indexes on referrals, one per side, for a whole group's give/get.

Version 2's frozen tables and rules, and the helpers every step uses, are in
migrations_v2.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from peewee import (
    BooleanField,
    Database,
    DateField,
    Field,
    ForeignKeyField,
    SqliteDatabase,
    TextField,
)

from organizer import models
from organizer.migrations_v2 import FrozenV2, GroupV2, add_missing_columns, migrator_for, v1_to_v2
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
            _v7_to_v8(db, None)  # the marks a new database carries too
        return SCHEMA_VERSION
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(f"this database is at schema version {found}; this Organizer knows up to {SCHEMA_VERSION}")
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
                STEPS[version](db, migrator_for(db))
                db.create_tables([SchemaInfo], safe=True)
                SchemaInfo.delete().execute()
                SchemaInfo.create(version=version + 1)
                if sqlite and db.execute_sql("PRAGMA foreign_key_check").fetchone():
                    raise RuntimeError(f"migration to version {version + 1} broke a foreign key")
    finally:
        if sqlite:
            db.execute_sql("PRAGMA foreign_keys = ON")
    return found


# -- version 3 ------------------------------------------------------------------------------


def _v2_to_v3(db: Database, migrator: SchemaMigrator) -> None:
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "member_group_id_name_id_status_search_key" '
        'ON "member" ("group_id", "name", "id", "status", "search_key")'
    )


def _v3_to_v4(db: Database, migrator: SchemaMigrator) -> None:
    """The send log and the imported mail's Message-IDs: two new tables, written out here
    so the step does not change when the models do (idempotent: IF NOT EXISTS)."""
    for statement in (
        "CREATE TABLE IF NOT EXISTS send_log (id {pk}, group_id INTEGER NOT NULL REFERENCES "
        '"group" (id) ON DELETE CASCADE, kind TEXT NOT NULL, send_key TEXT NOT NULL, '
        "member_id INTEGER REFERENCES member (id), email TEXT NOT NULL, subject TEXT NOT NULL, "
        "message_id TEXT NOT NULL, sent_at TEXT NOT NULL, result TEXT NOT NULL, detail TEXT NOT NULL)",
        "CREATE UNIQUE INDEX IF NOT EXISTS send_log_group_id_send_key_email ON send_log (group_id, send_key, email)",
        "CREATE INDEX IF NOT EXISTS send_log_group_id_kind_sent_at ON send_log (group_id, kind, sent_at)",
        "CREATE INDEX IF NOT EXISTS send_log_group_id ON send_log (group_id)",
        "CREATE INDEX IF NOT EXISTS send_log_member_id ON send_log (member_id)",
        "CREATE TABLE IF NOT EXISTS mail_received (id {pk}, group_id INTEGER NOT NULL REFERENCES "
        '"group" (id) ON DELETE CASCADE, message_id TEXT NOT NULL, kind TEXT NOT NULL, '
        "sender TEXT NOT NULL, received_at TEXT NOT NULL)",
        "CREATE UNIQUE INDEX IF NOT EXISTS mail_received_group_id_message_id ON mail_received (group_id, message_id)",
        "CREATE INDEX IF NOT EXISTS mail_received_group_id ON mail_received (group_id)",
    ):
        pk = "INTEGER NOT NULL PRIMARY KEY" if isinstance(db, SqliteDatabase) else "SERIAL NOT NULL PRIMARY KEY"
        db.execute_sql(statement.format(pk=pk))


# -- version 5 ------------------------------------------------------------------------------


def _v4_to_v5(db: Database, migrator: SchemaMigrator) -> None:
    """Idempotent; its own code (no services): the rule conversion is spelled out here."""
    from peewee import TextField
    from playhouse.migrate import migrate

    additions: dict[str, list[tuple[str, Field]]] = {
        "meeting_series": [("rrule", TextField(default=""))],
        "group": [("country", TextField(default="")), ("subdivision", TextField(default=""))],
        "member": [("contacted_on", DateField(null=True))],
    }
    for table, columns in additions.items():
        have = {column.name for column in db.get_columns(table)}
        operations = [migrator.add_column(table, name, field) for name, field in columns if name not in have]
        if operations:
            migrate(*operations)
    days = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    rows = db.execute_sql(
        "SELECT id, ordinal, weekday FROM meeting_series WHERE rrule IS NULL OR rrule = ''"
    ).fetchall()
    for series_id, ordinal, weekday in rows:
        # Version 3 knew one rule: the `ordinal` (1–4, -1 = last) `weekday` (0 = Monday).
        rule = f"FREQ=MONTHLY;BYDAY={int(ordinal)}{days[int(weekday)]}"
        db.execute_sql(f"UPDATE meeting_series SET rrule = {db.param} WHERE id = {db.param}", (rule, series_id))
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS member_event (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL "
        "REFERENCES member (id) ON DELETE CASCADE, at TEXT NOT NULL, action TEXT NOT NULL, "
        "detail TEXT NOT NULL)"
        if isinstance(db, SqliteDatabase)
        else "CREATE TABLE IF NOT EXISTS member_event (id SERIAL PRIMARY KEY, member_id INTEGER NOT NULL "
        "REFERENCES member (id) ON DELETE CASCADE, at TEXT NOT NULL, action TEXT NOT NULL, "
        "detail TEXT NOT NULL)"
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS member_event_member_id ON member_event (member_id)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS member_event_member_id_at ON member_event (member_id, at)")


# -- version 6 ------------------------------------------------------------------------------


def _v5_to_v6(db: Database, migrator: SchemaMigrator) -> None:
    """Groups gain `locale`: the usual one of the country their time zone is in (CLDR's
    zone → territory → likely language), '' where there is none (UTC)."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    add_missing_columns(db, migrator, "group", {"locale": TextField(default="")})
    territories = get_global("zone_territories")
    for group_id, timezone, locale in db.execute_sql('SELECT id, timezone, locale FROM "group"').fetchall():
        territory = territories.get(timezone)
        if locale or not territory or territory == "001":
            continue
        try:
            found = str(Locale.parse(f"und_{territory}"))
        except (ValueError, UnknownLocaleError):
            continue
        db.execute_sql(f'UPDATE "group" SET locale = {db.param} WHERE id = {db.param}', (found, group_id))


# -- version 7 ------------------------------------------------------------------------------


def _v6_to_v7(db: Database, migrator: SchemaMigrator) -> None:
    """One-to-ones gain `planned` (false for every earlier row)."""
    add_missing_columns(db, migrator, "one_to_one", {"planned": BooleanField(default=False)})


def refuse_foreign_tables(db: Database) -> None:
    """ForeignDatabase if `db` holds tables but none of Organizer's (another program's)."""
    tables = set(db.get_tables())
    if tables and not tables & {SchemaInfo._meta.table_name, MARKER_TABLE, models.Group._meta.table_name}:
        raise ForeignDatabase(
            f"it holds {len(tables)} table{'s' if len(tables) != 1 else ''} of another program and no Organizer data; nothing was changed"
        )


# -- version 8 ------------------------------------------------------------------------------


def _v7_to_v8(db: Database, migrator: SchemaMigrator | None) -> None:
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
    db.execute_sql(
        f'CREATE UNIQUE INDEX IF NOT EXISTS "{ACTIVE_EMAIL_INDEX}" ON "member" (group_id, lower(email)) WHERE {seat}'
    )
    return True


# -- version 9 ------------------------------------------------------------------------------


class _DraftV9(FrozenV2):
    group = ForeignKeyField(GroupV2, on_delete="CASCADE")
    key = TextField()
    title = TextField(default="")
    data = TextField(default="{}")
    updated_at = TextField()

    class Meta:
        table_name = "draft"
        indexes = ((("group", "key"), True),)


def _v8_to_v9(db: Database, migrator: SchemaMigrator) -> None:
    """A new table `draft`: unsaved input kept per group and key (crash recovery)."""
    with db.bind_ctx([GroupV2, _DraftV9]):
        db.create_tables([_DraftV9], safe=True)


# -- version 10 -----------------------------------------------------------------------------


def _v9_to_v10(db: Database, migrator: SchemaMigrator) -> None:
    """Two covering indexes for a whole group's give/get, one per side (giver, receiver)."""
    for side in ("giver_id", "receiver_id"):
        db.execute_sql(
            f'CREATE INDEX IF NOT EXISTS "referral_{side}_totals" ON "referral" '
            f'("group_id", "{side}", "voided_at", "given_on", "status", "value_minor")'
        )


STEPS: dict[int, Callable[[Database, SchemaMigrator], None]] = {
    1: v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
    7: _v7_to_v8,
    8: _v8_to_v9,
    9: _v9_to_v10,
}
