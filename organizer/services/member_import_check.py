"""Checking a member file's rows one by one, each as the member form checks it and seeing
the rows before it (see services.member_import); what passes goes to the writer."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from organizer.errors import NotFound, UserError, ValidationError
from organizer.models import Group, Member
from organizer.services.member_file import MemberTable
from organizer.services.member_import_report import ImportReport, RowProblem
from organizer.services.member_import_rows import (
    COLUMN_FOR_FIELD,
    FIELD_FOR_COLUMN,
    TEXT_COLUMNS,
    TidyRow,
    inviter_key,
    row_keys,
    status_word,
)
from organizer.services.member_import_write import MemberWriter
from organizer.services.members import SEAT_HOLDING, MemberLookups, find_member, member_problems


class Importer:
    """Applies rows one by one, remembering what earlier rows did."""

    def __init__(self, group: Group, table: MemberTable, rows: list[TidyRow], report: ImportReport, now: datetime):
        self.group, self.table, self.report, self.now = group, table, report, now
        self.done_by: dict[int, int] = {}  # member id → the line that added or updated them
        self.bad_lines: dict[str, int] = {}  # name or email of a bad row → its line
        self.line_of: dict[str, int] = {}  # name or email → the first line that has it
        self.by_email: dict[str, int] = {}  # lower-case email → member id
        self.by_name: dict[str, list[tuple[int, str]]] = {}  # exact name → [(member id, business)]
        self.name_of: dict[int, str] = {}  # member id → name, for messages
        self.seat_of: dict[int, str] = {}  # member id → the category key they hold
        self.seats: dict[str, int] = {}  # lower-case category → the member holding its seat
        self.lookups = MemberLookups(self.email_user, self.category_holder)
        self.writer = MemberWriter(group, now)
        columns = (Member.id, Member.name, Member.business, Member.email, Member.category, Member.status)
        for member_id, name, business, email, category, status in (
            Member.select(*columns).where(Member.group == group).tuples().iterator()
        ):
            self.remember(member_id, name, business, email)
            self.hold(member_id, category, status)
        for row in rows:
            for key in row_keys(row.cells):
                self.line_of.setdefault(key, row.line)

    def apply(self, row: TidyRow) -> None:
        problems = self.check_and_write(row)
        if problems:
            name = row.cells.get("name", "")
            self.report.problems.extend(RowProblem(row.line, column, message, name) for column, message in problems)
            for key in row_keys(row.cells):
                self.bad_lines.setdefault(key, row.line)

    def check_and_write(self, row: TidyRow) -> list[tuple[str, str]]:
        """Write the row (or count it unchanged); return its (column, message) problems."""
        if row.extra_cells:
            return [
                (
                    "—",
                    f"{row.extra_cells} more cell(s) than the header has columns: "
                    "a value that contains the delimiter must be in quotes",
                )
            ]
        cells = row.cells
        # The row's non-empty text cells, by member field (member_problems reads them by name).
        values: dict[str, Any] = {
            FIELD_FOR_COLUMN.get(column, column): text
            for column, text in cells.items()
            if text and column in TEXT_COLUMNS
        }
        if cells.get("status"):
            values["status"] = status_word(cells["status"])
        problems: list[tuple[str, str]] = []
        inviter_text = cells.get("invited_by", "")
        if inviter_text:
            try:
                values["invited_by"] = self.find(inviter_text)
            except NotFound as error:
                problems.append((self.column("invited_by"), self.inviter_hint(inviter_text, row, error)))
        try:
            member = self.match(values)
        except UserError as error:
            return problems + [(self.column("email" if "email" in values else "name"), str(error))]
        if member is not None and member.id in self.done_by:
            return problems + [
                (
                    self.column("email" if "email" in values else "name"),
                    f"the same member as line {self.done_by[member.id]}",
                )
            ]
        if problems:
            # Still check the other cells, so one pass names every problem of the row.
            values.pop("invited_by", None)
            _, errors = member_problems(self.group, values if member else {"name": "", **values}, member)
            return problems + [(self.column(name), message) for name, message in errors.items()]
        done: Member | _Added | None = member  # the member this row added or matched
        try:
            if member is None:
                done = self.add(values)
                self.report.added += 1
            elif _as_stored(member, values):
                self.report.unchanged += 1  # nothing to write, so nothing to check
            else:
                changes = self.changes(member, values)
                if changes:
                    self.forget(member.id, member.name, member.business, member.email)
                    self.writer.updates.append((member, changes))
                    for name, value in changes.items():  # what later rows see of this member
                        if name != "invited_by":
                            setattr(member, name, value)
                    self.hold(member.id, member.category, member.status)
                    self.report.updated += 1
                else:
                    self.report.unchanged += 1
        except ValidationError as error:
            return [(self.column(name), message) for name, message in error.fields.items()]
        assert done is not None  # added, or matched above
        self.remember(done.id, done.name, done.business, done.email)
        self.done_by[done.id] = row.line
        return []

    def add(self, values: dict) -> _Added:
        """Check a new member against the rules (answered from memory) and keep it for the
        writer: no query per rule, so the import stays linear in the file's rows."""
        clean, errors = member_problems(self.group, {"name": "", **values}, lookups=self.lookups)
        if errors:
            raise ValidationError(errors)
        added = _Added(self.writer.add(clean), clean["name"], clean.get("business", ""), clean.get("email", ""))
        row = self.writer.new_rows[-1]
        self.hold(added.id, row["category"], row["status"])
        return added

    def find(self, who: str) -> Member:
        """An inviter by email or exact name, among the members and the file's earlier rows."""
        if "@" in who:
            member_id = self.by_email.get(who.lower())
            found = [member_id] if member_id is not None else []
        else:
            found = [member_id for member_id, _ in self.by_name.get(who, ())]
        if len(found) == 1 and found[0] < 0:
            return Member(id=found[0], group=self.group, name=self.name_of.get(found[0], who))
        return find_member(self.group, who)  # stored (or not found, or several): its own words

    def write(self) -> None:
        """Write every checked row (inside the caller's transaction)."""
        self.writer.write()

    def email_user(self, group: Group, email: str, existing: Member | None) -> Member | None:
        member_id = self.by_email.get(email.lower())
        if member_id is None or (existing is not None and existing.id == member_id):
            return None
        return Member(id=member_id, name=self.name_of.get(member_id, ""))

    def category_holder(self, group: Group, category: str, status: str, existing: Member | None) -> Member | None:
        if group.allow_shared_categories or not category or status not in SEAT_HOLDING:
            return None
        member_id = self.seats.get(category.lower())
        if member_id is None or (existing is not None and existing.id == member_id):
            return None
        return Member(id=member_id, name=self.name_of.get(member_id, ""))

    def hold(self, member_id: int, category: str, status: str) -> None:
        """Remember who holds a category's seat (and forget a seat the member left)."""
        old = self.seat_of.pop(member_id, None)
        if old is not None and self.seats.get(old) == member_id:
            del self.seats[old]
        if category and status in SEAT_HOLDING:
            key = category.lower()
            self.seats.setdefault(key, member_id)
            if self.seats[key] == member_id:
                self.seat_of[member_id] = key

    def match(self, values: dict) -> Member | None:
        """The member this row is about: same email, else same exact name (and business)."""
        email = values.get("email", "")
        if email and email.lower() in self.by_email:
            return self.member(self.by_email[email.lower()])
        name = values.get("name", "")
        found = [
            member_id
            for member_id, business in self.by_name.get(name, ())
            if not values.get("business") or business == values["business"]
        ]
        if len(found) > 1:
            raise UserError(f"several members are called “{name}”: add their email to tell them apart")
        return self.member(found[0]) if found else None

    def member(self, member_id: int) -> Member:
        """A stored member, or a new one of this file (already done: see `done_by`)."""
        return Member(id=member_id) if member_id < 0 else Member.get_by_id(member_id)

    # The group's names and emails, kept in memory for matching: a lookup per row
    # instead of a query that cannot use an index (emails are compared in lower case).

    def remember(self, member_id: int, name: str, business: str, email: str) -> None:
        self.name_of[member_id] = name
        if email:
            self.by_email[email.lower()] = member_id
        entries = self.by_name.get(name)
        if not entries:  # most names: the first member with it
            self.by_name[name] = [(member_id, business)]
        else:
            self.by_name[name] = [entry for entry in entries if entry[0] != member_id] + [(member_id, business)]

    def forget(self, member_id: int, name: str, business: str, email: str) -> None:
        if email and self.by_email.get(email.lower()) == member_id:
            del self.by_email[email.lower()]
        self.by_name[name] = [entry for entry in self.by_name.get(name, []) if entry[0] != member_id]

    def changes(self, member: Member, values: dict) -> dict:
        """The fields whose checked value differs from what is stored (raises if any is bad)."""
        clean, errors = member_problems(self.group, values, existing=member, lookups=self.lookups)
        if errors:
            raise ValidationError(errors)
        changes = {}
        for name, value in clean.items():
            stored = member.invited_by_id if name == "invited_by" else getattr(member, name)
            if name == "invited_by" and value is not None:
                value = value.id if isinstance(value, Member) else value
            if stored != value:
                changes[name] = values[name] if name == "invited_by" else value
        return changes

    def column(self, member_field: str) -> str:
        return self.table.column(COLUMN_FOR_FIELD.get(member_field, member_field))

    def inviter_hint(self, who: str, row: TidyRow, error: NotFound) -> str:
        key = inviter_key(who)
        if key in self.bad_lines:
            return f"“{who}” is on line {self.bad_lines[key]}, which is not valid"
        if self.line_of.get(key) == row.line:
            return "a member cannot have invited themselves"
        if key in self.line_of:
            # Rows wait for their inviter's row, so a missing one means a circle of inviters.
            return (
                f"“{who}” (line {self.line_of[key]}) was invited by this row's member, or by "
                "someone they invited: an inviter cannot be invited by their own invitee"
            )
        return str(error)


def _as_stored(member: Member, values: dict) -> bool:
    """Whether every value of the row is already what the member has (a cheap first look)."""
    for name, value in values.items():
        if name == "invited_by":
            stored, value = member.invited_by_id, value.id
        elif name in ("joined_on", "renewal_due"):
            stored = getattr(member, name)
            stored = stored.isoformat() if stored else ""
        else:
            stored = getattr(member, name)
            if name == "email" and value.isascii():
                value = value.lower()
            elif name == "status":
                value = value.lower().replace(" ", "_")
        if value != stored:
            return False
    return True


class _Added(NamedTuple):
    """What the import remembers of a member it inserted (a named tuple: one per new row)."""

    id: int
    name: str
    business: str
    email: str
