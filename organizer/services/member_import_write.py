"""Writing what a member import checked: new members in batches of one prepared INSERT,
then the changes to stored members, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import itemgetter
from typing import Any

from organizer.models import Group, Member, database
from organizer.services.members import TEXT_FIELDS, update_member
from organizer.text import fold


class MemberWriter:
    """The checked rows waiting to be written. A new member has a provisional id below
    zero until written; a row may name one as its inviter."""

    def __init__(self, group: Group, now: datetime):
        self.now = now
        self.statement: str | None = None
        self.pick: Callable[[dict[str, Any]], tuple[object, ...]] | None = None
        stamp = Member.created_at.db_value(now)
        # What every new member's row has: written with the rest of its values.
        self.fixed: dict[str, object] = {"created_at": stamp, "updated_at": stamp, "group": group.id}
        self.new_rows: list[dict[str, Any]] = []  # checked new members
        self.updates: list[tuple[Member, dict[str, Any]]] = []  # checked changes to stored members

    def add(self, clean: dict[str, Any]) -> int:
        """Keep a new member's checked values (member_problems' clean ones) as the INSERT
        will write them; return their provisional id."""
        row = {**_DEFAULTS, **clean, **self.fixed}
        row["status"] = row["status"] or "active"
        row["search_key"] = fold(" ".join((row["name"], row["business"], row["category"], row["email"])))
        inviter = row["invited_by"]
        row["invited_by"] = inviter.id if isinstance(inviter, Member) else inviter
        for name in _DATES:  # as a DateField stores them
            if row[name] is not None:
                row[name] = row[name].isoformat()
        self.new_rows.append(row)
        return -len(self.new_rows)

    def write(self) -> None:
        """Write every checked row: new members in file order (an inviter before those it
        invited), then the changes to existing members. Inside the caller's transaction."""
        real: dict[int, int] = {}
        # Only a new member who invited another new one needs their id back: the rest go
        # in batches, one prepared statement run over many rows.
        inviters = {row["invited_by"] for row in self.new_rows if (row["invited_by"] or 0) < 0}
        batch: list[tuple] = []
        for index, row in enumerate(self.new_rows, start=1):
            if row["invited_by"] is not None and row["invited_by"] < 0:
                row["invited_by"] = real[row["invited_by"]]
            if -index in inviters:
                real[-index] = self.insert_one(row)
            else:
                batch.append(self.params(row))
                if len(batch) == 1000:
                    database.cursor().executemany(self.statement_sql(), batch)
                    batch.clear()
        if batch:
            database.cursor().executemany(self.statement_sql(), batch)
        for member, changes in self.updates:
            inviter = changes.get("invited_by")
            if isinstance(inviter, Member) and inviter.id < 0:
                changes["invited_by"] = real[inviter.id]
            update_member(Member.get_by_id(member.id), now=self.now, **changes)

    def insert_one(self, row: dict) -> int:
        """Insert one new member and return their id (on PostgreSQL the statement peewee
        built returns it: RETURNING)."""
        if database.returning_clause:
            return int(database.execute_sql(self.statement_sql(), self.params(row)).fetchone()[0])
        return int(database.last_insert_id(database.execute_sql(self.statement_sql(), self.params(row))))

    def statement_sql(self) -> str:
        """One member's INSERT, built once: building peewee's query per row cost four
        times the rest of the row's work."""
        if self.statement is None:
            # Sentinels name each parameter's column, whatever order peewee writes them in.
            sql, params = Member.insert(**{name: f"\x00{name}" for name in _INSERTED}).sql()
            self.statement = sql
            self.pick = itemgetter(*(param[1:] for param in params))
        return self.statement

    def params(self, row: dict[str, Any]) -> tuple[object, ...]:
        """The INSERT's parameters for a checked row (add() made it complete, as stored)."""
        if self.pick is None:
            self.statement_sql()
            assert self.pick is not None
        return self.pick(row)


# The columns a new member's row is inserted with (the rest take their defaults).
_INSERTED = (
    "group",
    *TEXT_FIELDS,
    "joined_on",
    "renewal_due",
    "status",
    "invited_by",
    "search_key",
    "created_at",
    "updated_at",
)
_DATES = ("joined_on", "renewal_due")
# A new member's fields that the row may leave out, as the model's defaults have them.
_DEFAULTS = {
    **{field: "" for field in TEXT_FIELDS if field != "name"},
    "joined_on": None,
    "renewal_due": None,
    "status": "active",
    "invited_by": None,
}
