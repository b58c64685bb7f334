"""Version 2's frozen code, and the helpers every migration step uses.

A step is frozen: it names its columns, tables and rules as they were at its version and
never calls the live models or services. Version 2 needed tables and a search folding of
its own; later steps build on its frozen base model (organizer/migrations.py).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from peewee import Database, DateField, Field, ForeignKeyField, IntegerField, Model, SqliteDatabase, TextField

if TYPE_CHECKING:  # the migrator loads only when a database needs upgrading
    from playhouse.migrate import SchemaMigrator


def migrator_for(db: Database) -> SchemaMigrator:
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

    if isinstance(db, SqliteDatabase):
        return SqliteMigrator(db)
    return PostgresqlMigrator(db)


def add_missing_columns(db: Database, migrator: SchemaMigrator, table: str, fields: dict[str, Field]) -> None:
    """Add each of `fields` (column name → field as it was at that version) the table lacks."""
    from playhouse.migrate import migrate

    have = {column.name for column in db.get_columns(table)}
    operations = [migrator.add_column(table, name, field) for name, field in fields.items() if name not in have]
    if operations:
        migrate(*operations)


# -- version 2 ------------------------------------------------------------------------------
# Frozen: these are the rules and tables as they were at version 2, so that upgrading an old
# database does the same thing whatever the live models and services have become since.


def fold_v2(text: str) -> str:
    """Search text as version 2 folded it (lower case, accents off, spaces collapsed)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("ø", "o").replace("ł", "l")
    return " ".join(bare.split())


class FrozenV2(Model):
    class Meta:
        legacy_table_names = False


class GroupV2(FrozenV2):
    class Meta:
        table_name = "group"


class MemberV2(FrozenV2):
    class Meta:
        table_name = "member"


class AttendanceV2(FrozenV2):
    class Meta:
        table_name = "attendance"


class SettingV2(FrozenV2):
    group = ForeignKeyField(GroupV2, null=True, on_delete="CASCADE")
    key = TextField()
    value = TextField(default="")

    class Meta:
        table_name = "setting"
        indexes = ((("group", "key"), True),)


class AttendanceCorrectionV2(FrozenV2):
    attendance = ForeignKeyField(AttendanceV2)
    at = TextField()
    actor = ForeignKeyField(MemberV2, null=True)
    old_presence = TextField(null=True)
    new_presence = TextField(null=True)
    reason = TextField(default="")

    class Meta:
        table_name = "attendance_correction"


def v1_to_v2(db: Database, migrator: SchemaMigrator) -> None:
    add_missing_columns(
        db, migrator, "member", {"search_key": TextField(default=""), "archived_on": DateField(null=True)}
    )
    add_missing_columns(
        db,
        migrator,
        "group",
        {"followup_days": IntegerField(default=30), "reminder_minutes": IntegerField(default=1440)},
    )
    add_missing_columns(db, migrator, "thread", {"search_key": TextField(default="")})
    frozen = [GroupV2, MemberV2, AttendanceV2, SettingV2, AttendanceCorrectionV2]
    with db.bind_ctx(frozen):
        db.create_tables([SettingV2, AttendanceCorrectionV2], safe=True)
    update = f'UPDATE "{{table}}" SET search_key = {db.param} WHERE id = {db.param}'
    members = db.execute_sql('SELECT id, name, business, category, email FROM "member"').fetchall()
    for member_id, *words in members:
        db.execute_sql(update.format(table="member"), (fold_v2(" ".join(words)), member_id))
    # Each thread's title and post bodies, posts read in thread order (one pass).
    bodies: dict[int, list[str]] = {
        thread_id: [title] for thread_id, title in db.execute_sql('SELECT id, title FROM "thread"').fetchall()
    }
    for thread_id, body in db.execute_sql('SELECT thread_id, body FROM "post" ORDER BY thread_id, id').fetchall():
        bodies.setdefault(thread_id, [""]).append(body)
    for thread_id, words in bodies.items():
        db.execute_sql(update.format(table="thread"), (fold_v2(" ".join(words)), thread_id))
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "referral_group_id_status_closed_on" '
        'ON "referral" ("group_id", "status", "closed_on")'
    )
