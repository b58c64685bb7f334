"""Copy whole groups, with every row they own, from one Organizer database into the open one.

What a group owns is read from the models' foreign keys, not listed here: a model with a
foreign key to Group belongs to a group (a member, a meeting, a setting), and so does one
whose non-null foreign key leads to a model that does (an attendance through its meeting,
a post through its thread, a ledger event through its referral). A table added to
organizer/models.py is copied with no change here; tests/test_group_copy.py fails if a
model has no way to its group or is missing from ALL_MODELS.

Every copied row gets a new id: the next ones after the highest its table has here, in the
backup's order, and every foreign key follows the row it points to. A table that is empty
here (every group table, in a database with no group yet) keeps the backup's ids.
Ids held in text move too where the schema has them (the settings naming a member). Drafts,
whose keys and JSON name rows the app's screens chose, are copied only when ids are kept;
otherwise they are left out and counted, since they would reopen the wrong row.

A meeting's or series' iCal UID is unique in a database: a copied UID already here (the
backup of a group still here, restored under another name) gets a new one, so calendars
keep the two apart.

`read_groups` reads through the models, bound by the caller to the source database;
`write_groups` writes to the open database inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from peewee import Field, ForeignKeyField, PostgresqlDatabase, fn

from organizer.errors import UserError
from organizer.models import ALL_MODELS, BaseModel, Draft, Group, Member, Setting, database
from organizer.services.meetings import new_uid

Row = list[Any]  # a row's values in its model's `_meta.sorted_fields` order
Model = type[BaseModel]

BATCH = 500  # rows per INSERT: well inside SQLite's limit on bound values

# Settings whose text names a member by id: services.groups's "me" (its value), and a
# member's mail opt-outs (services.mail_plans: the key "mail.opt_out.<member id>").
MEMBER_ID_VALUES = ("me",)
MEMBER_ID_KEY_PREFIXES = ("mail.opt_out.",)


@cache
def owners() -> dict[Model, ForeignKeyField | None]:
    """Group and each model whose rows belong to a group, by the foreign key that leads
    there (None for Group), parents before the models that refer to them."""
    found: dict[Model, ForeignKeyField | None] = {Group: None}
    changed = True
    while changed:
        changed = False
        for model in ALL_MODELS:
            if model not in found and (key := _owner_key(model, found)) is not None:
                found[model] = key
                changed = True
    return {model: found[model] for model in _parents_first(list(found))}


def _parents_first(models: list[Model]) -> list[Model]:
    """`models` ordered so each comes after every other model it has a foreign key to."""
    ordered: list[Model] = []
    while len(ordered) < len(models):
        ready = [
            model
            for model in models
            if model not in ordered
            and all(
                field.rel_model in ordered or field.rel_model is model or field.rel_model not in models
                for field in model._meta.sorted_fields
                if isinstance(field, ForeignKeyField)
            )
        ]
        if not ready:
            raise RuntimeError("the models' foreign keys go round in a circle")  # a schema bug, not a user's
        ordered.extend(ready)
    return ordered


def _owner_key(model: Model, owned: dict[Model, ForeignKeyField | None]) -> ForeignKeyField | None:
    keys = [f for f in model._meta.sorted_fields if isinstance(f, ForeignKeyField) and f.rel_model is not model]
    direct = [key for key in keys if key.rel_model is Group]
    if direct:
        return direct[0]
    return next((key for key in keys if not key.null and key.rel_model in owned), None)


def column(model: Model, field: Field) -> int:
    """Where `field` is in a row of `model` (by identity: a field's == builds a query)."""
    return next(at for at, each in enumerate(model._meta.sorted_fields) if each is field)


@dataclass
class Snapshot:
    """The rows of some groups, read from a source database, by model; `database_wide`
    holds the rows whose owner key is empty (the settings of no group: the theme…)."""

    rows: dict[Model, list[Row]]
    database_wide: dict[Model, list[Row]]

    def groups(self) -> list[tuple[int, str]]:
        """(id in the source, name) of each group read."""
        id_at, name_at = column(Group, Group.id), column(Group, Group.name)
        return [(row[id_at], row[name_at]) for row in self.rows[Group]]

    def count(self, model: Model) -> int:
        return len(self.rows.get(model, []))


@dataclass(frozen=True)
class Copied:
    groups: list[tuple[int, str]]  # (id here, name) of each group written
    rows: dict[Model, int]  # rows written, by model
    drafts_left_out: int


def source_groups() -> list[tuple[int, str]]:
    """(id, name) of every group in the database the models are bound to, in id order."""
    return [(row.id, row.name) for row in Group.select(Group.id, Group.name).order_by(Group.id)]


def read_groups(group_ids: set[int]) -> Snapshot:
    """Every row of the groups `group_ids` in the database the models are bound to, and
    the rows of no group."""
    rows: dict[Model, list[Row]] = {}
    database_wide: dict[Model, list[Row]] = {}
    kept: dict[Model, set[int]] = {}
    for model, owner in owners().items():
        fields = model._meta.sorted_fields
        id_at = column(model, model.id)
        owner_at = column(model, owner) if owner is not None else id_at
        chosen: list[Row] = []
        for values in model.select(*fields).order_by(model.id).tuples().iterator():
            row, key = list(values), values[owner_at]
            if key is None:
                database_wide.setdefault(model, []).append(row)
            elif key in (group_ids if owner is None else kept[owner.rel_model]):
                chosen.append(row)
        rows[model] = chosen
        kept[model] = {row[id_at] for row in chosen}
    return Snapshot(rows, database_wide)


def hold_tables() -> None:
    """On PostgreSQL, keep other writers out of every group table until the transaction
    ends (the new ids follow each table's highest); SQLite's write transaction already does."""
    if isinstance(database.obj, PostgresqlDatabase):
        for model in owners():
            database.execute_sql(f'LOCK TABLE "{model._meta.table_name}" IN SHARE ROW EXCLUSIVE MODE')


def write_groups(snapshot: Snapshot, names: dict[int, str]) -> Copied:
    """Write `snapshot` into the open database with new ids, each group named as `names`
    says (by its id in the source). Call it inside a transaction, after `hold_tables`."""
    ids_kept = not Group.select().exists()
    chosen: dict[Model, list[Row]] = {}
    drafts_left_out = 0
    for model in owners():
        if model is Draft and not ids_kept:
            drafts_left_out = snapshot.count(Draft)
            continue
        chosen[model] = snapshot.rows.get(model, [])
        if ids_kept:
            chosen[model] += _missing_here(model, snapshot.database_wide.get(model, []))
    # Every table's new ids first: a setting names a member by id, and comes before it.
    new_ids = {model: _new_ids(model, rows) for model, rows in chosen.items()}
    written: dict[Model, int] = {}
    for model, rows in chosen.items():  # parents first: each foreign key's row is written already
        rows = _fresh_unique_values(model, rows)
        moved, later = _moved(model, rows, new_ids)
        if model is Group:
            id_at, name_at = column(Group, Group.id), column(Group, Group.name)
            for old, row in zip(rows, moved, strict=True):
                row[name_at] = names[old[id_at]]
        if model is Setting:
            moved = _move_member_ids(moved, new_ids[Member])
        fields = model._meta.sorted_fields
        for start in range(0, len(moved), BATCH):
            model.insert_many(moved[start : start + BATCH], fields=fields).execute()
        for row_id, key, value in later:
            model.update({key: value}).where(model.id == row_id).execute()
        written[model] = len(moved)
    _advance_sequences()
    groups = [(new_ids[Group][old], names[old]) for old, _ in snapshot.groups()]
    return Copied(groups, written, drafts_left_out)


def _new_ids(model: Model, rows: list[Row]) -> dict[int, int]:
    """Each row's id here: its own in an empty table, else the next ones after the highest."""
    at = column(model, model.id)
    old = sorted(row[at] for row in rows)
    highest = int(model.select(fn.MAX(model.id)).scalar() or 0)
    if not highest:
        return {row_id: row_id for row_id in old}
    return {row_id: highest + number for number, row_id in enumerate(old, start=1)}


def _missing_here(model: Model, rows: list[Row]) -> list[Row]:
    """The database-wide settings a database with no group yet does not have already."""
    if model is not Setting or not rows:
        return []
    key_at = column(Setting, Setting.key)
    have = {row.key for row in Setting.select(Setting.key).where(Setting.group.is_null())}
    return [row for row in rows if row[key_at] not in have]


def _moved(
    model: Model, rows: list[Row], new_ids: dict[Model, dict[int, int]]
) -> tuple[list[Row], list[tuple[int, Field, int]]]:
    """The rows with new ids and foreign keys, and the keys to a row of the same table
    (a member's inviter, a referral's parent), set once all of the table is written."""
    fields = model._meta.sorted_fields
    id_at = column(model, model.id)
    keys = [(at, field) for at, field in enumerate(fields) if isinstance(field, ForeignKeyField)]
    moved: list[Row] = []
    later: list[tuple[int, Field, int]] = []
    for row in rows:
        new = list(row)
        new[id_at] = new_ids[model][row[id_at]]
        for at, field in keys:
            value = row[at]
            if value is None:
                continue
            target = new_ids.get(field.rel_model, {}).get(value)
            if target is None:  # a row of a group not restored: the backup's own data disagrees
                raise UserError(
                    f"row {row[id_at]} of {model._meta.table_name} in the backup refers to "
                    f"{field.rel_model._meta.table_name} {value}, which is not in the groups restored: "
                    "nothing was restored"
                )
            new[at] = target
            if field.rel_model is model:
                later.append((new[id_at], field, target))
                new[at] = None
        moved.append(new)
    return moved, later


def _fresh_unique_values(model: Model, rows: list[Row]) -> list[Row]:
    """The rows, with a new iCal UID for each one that is already here; any other unique
    value already here is refused."""
    fields = model._meta.sorted_fields
    unique = [(at, field) for at, field in enumerate(fields) if field.unique and not field.primary_key]
    if not unique or not rows:
        return rows
    rows = [list(row) for row in rows]
    for at, field in unique:
        values = [row[at] for row in rows]
        taken: set[Any] = set()
        for start in range(0, len(values), BATCH):
            chunk = values[start : start + BATCH]
            taken.update(getattr(row, field.name) for row in model.select(field).where(field.in_(chunk)))
        if not taken:
            continue
        if field.name != "uid":
            raise UserError(
                f"a {model._meta.table_name} {field.name} in the backup is already in this database: nothing was restored"
            )
        for row in rows:
            if row[at] in taken:
                row[at] = new_uid()
    return rows


def _move_member_ids(rows: list[Row], members: dict[int, int]) -> list[Row]:
    """Settings naming a member by id in their key or value follow the member's new id; one
    naming a member not restored is left out (its id could be another group's member here)."""
    group_at, key_at, value_at = (column(Setting, f) for f in (Setting.group, Setting.key, Setting.value))
    kept = []
    for row in rows:
        key, value = str(row[key_at]), str(row[value_at])
        if row[group_at] is not None:
            if key in MEMBER_ID_VALUES and value.isdigit():
                if int(value) not in members:
                    continue
                row[value_at] = str(members[int(value)])
            prefix = next((prefix for prefix in MEMBER_ID_KEY_PREFIXES if key.startswith(prefix)), None)
            if prefix is not None and key.removeprefix(prefix).isdigit():
                if int(key.removeprefix(prefix)) not in members:
                    continue
                row[key_at] = f"{prefix}{members[int(key.removeprefix(prefix))]}"
        kept.append(row)
    return kept


def _advance_sequences() -> None:
    """PostgreSQL hands out ids from a sequence per table, which rows written with their
    own ids do not move: set each to its table's highest id."""
    if not isinstance(database.obj, PostgresqlDatabase):
        return
    for model in owners():
        table = model._meta.table_name
        column = model.id.column_name
        database.execute_sql(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), MAX({column})) FROM "{table}" HAVING MAX({column}) IS NOT NULL',
            (f'"{table}"', column),
        )
