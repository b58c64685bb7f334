"""Importing members from a spreadsheet file, with a report of what happened to each row.

Rows are checked in file order, each exactly as the member form checks it
(`member_problems`, its email and category questions answered from memory) and seeing
the rows before it: an inviter named on an earlier line is found, and a second row
claiming a category already taken by an earlier row is refused (unless the group allows
shared categories). Nothing is written while checking, so the write lock is held only
for the one short transaction that then writes what was checked (100,000 members in a
few seconds; another Organizer's write waits that long at most). What is written:

- by default all or nothing: any bad row and nothing is written;
- `skip_invalid`: the good rows are kept, the bad ones reported;
- `dry_run`: always rolled back, so the report says exactly what a real run would do.

A row whose inviter is on a later line waits for that line, so the order of the file
does not matter. A row updates the member with the same email (any case), else the one with the same
exact name and business; otherwise it adds a member. Empty cells never erase what is
stored, so a sparse spreadsheet cannot wipe details. Re-importing a file changes nothing:
every row comes back `unchanged`.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from peewee import IntegrityError, SqliteDatabase

from organizer.models import Group, Member, database
from organizer.services.errors import NotFound, UserError, ValidationError
from organizer.services.member_file import MemberTable, read_member_file
from organizer.services.members import (
    MULTI_LINE_FIELDS,
    SEAT_HOLDING,
    TEXT_FIELDS,
    MemberLookups,
    find_member,
    member_problems,
    update_member,
)
from organizer.services.text import fold, one_line, prepare_bulk_folding, tidy

Progress = Callable[[int, int], None]

# File column → member field, for the columns whose names differ.
_FIELD_FOR_COLUMN = {"joined": "joined_on"}
_COLUMN_FOR_FIELD = {value: key for key, value in _FIELD_FOR_COLUMN.items()}
_TEXT_COLUMNS = (*TEXT_FIELDS, "joined", "renewal_due")  # the form's text fields, then dates
_TEXT_COLUMN_SET = frozenset(_TEXT_COLUMNS)
# Status words chapter tools use, in the words of the member form.
_STATUS_WORDS = {
    "current": "active",
    "member": "active",
    "leave": "on_leave",
    "onleave": "on_leave",
    "on_leave": "on_leave",
    "paused": "on_leave",
    "inactive": "alumni",
    "former": "alumni",
    "dropped": "alumni",
    "alumnus": "alumni",
    "alumna": "alumni",
    "guest": "visitor",
}


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or one cell of it) could not be imported."""

    line: int
    column: str
    message: str
    name: str = ""

    def __str__(self) -> str:
        """One line, even when a cell held line breaks or control characters."""
        who = f" ({self.name})" if self.name else ""
        return one_line(f"line {self.line}{who}, column {self.column}: {self.message}")


@dataclass
class ImportReport:
    """What an import did (or, when not `written`, would have done)."""

    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ","
    dry_run: bool = False
    skip_invalid: bool = False
    written: bool = False

    @property
    def invalid(self) -> int:
        """How many rows were bad (a row with two bad cells counts once)."""
        return len({problem.line for problem in self.problems})

    def count_lines(self) -> list[str]:
        """`name: N` lines for scripts and the screen."""
        return [
            f"added: {self.added}",
            f"updated: {self.updated}",
            f"unchanged: {self.unchanged}",
            f"invalid: {self.invalid}",
        ]

    def problem_lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


def import_members(
    group: Group,
    source: MemberTable | bytes | str | Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a member file (path, bytes or an already read table); see the module docstring.

    `progress(done, total)` is called about a hundred times at most, then once at the end,
    so an app can move a progress bar from a worker without flooding its screen.
    """
    table = source if isinstance(source, MemberTable) else read_member_file(_read(source))
    if len(table.rows) > 1000:
        prepare_bulk_folding()
    report = ImportReport(
        rows=len(table.rows),
        warnings=[one_line(warning) for warning in table.warnings],
        encoding=table.encoding,
        delimiter=table.delimiter,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    total = len(table.rows)
    step = max(1, -(-total // 100))  # ceiling: at most a hundred calls
    rows = [_TidyRow(row.line, _tidy_cells(row.values), row.extra_cells) for row in table.rows]
    importer = _Importer(group, table, rows, report, now)
    for done, row in enumerate(_inviters_first(rows, importer.line_of), start=1):
        importer.apply(row)
        if progress and (done % step == 0 or done == total):
            progress(done, total)
    report.problems.sort(key=lambda problem: problem.line)  # rows may wait for their inviter
    if dry_run or (report.problems and not skip_invalid):
        return report
    try:
        with _page_cache(), database.atomic():
            importer.write()
    except IntegrityError:
        # Another Organizer added a member with one of these emails since we checked.
        raise UserError(
            "members changed while the file was checked (another Organizer is "
            "adding members): nothing was imported; try again"
        ) from None
    report.written = True
    return report


@contextmanager
def _page_cache() -> Iterator[None]:
    """On SQLite, a page cache that holds the member table's indexes while the rows go in.

    With the default 2 MB, 100,000 inserts into seven indexes spill pages to the log
    mid-transaction and read them back, which tripled the write's time (and the time
    another Organizer waits for it). Restored afterwards: the connection is shared.
    """
    if not isinstance(database.obj, SqliteDatabase):
        yield
        return
    before = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    database.execute_sql(f"PRAGMA cache_size = {-_WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(before)}")


_WRITE_CACHE_KIB = 64 * 1024


def _read(source: bytes | str | Path) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise UserError(f"cannot read {source}: {error.strerror or error}")


class _Importer:
    """Applies rows one by one, remembering what earlier rows did."""

    def __init__(self, group: Group, table: MemberTable, rows: list[_TidyRow], report: ImportReport, now: datetime):
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
        self.statement: tuple[str, list[str]] | None = None
        stamp = Member.created_at.db_value(now)
        # What every new member's row has: written with the rest of its values.
        self.fixed: dict[str, object] = {"created_at": stamp, "updated_at": stamp, "group": group.id}
        self.new_rows: list[dict] = []  # checked new members, written by write()
        self.updates: list[tuple[Member, dict]] = []  # checked changes to stored members
        columns = (Member.id, Member.name, Member.business, Member.email, Member.category, Member.status)
        for member_id, name, business, email, category, status in (
            Member.select(*columns).where(Member.group == group).tuples().iterator()
        ):
            self.remember(member_id, name, business, email)
            self.hold(member_id, category, status)
        for row in rows:
            for key in _keys(row.cells):
                self.line_of.setdefault(key, row.line)

    def apply(self, row: _TidyRow) -> None:
        problems = self.check_and_write(row)
        if problems:
            name = row.cells.get("name", "")
            self.report.problems.extend(RowProblem(row.line, column, message, name) for column, message in problems)
            for key in _keys(row.cells):
                self.bad_lines.setdefault(key, row.line)

    def check_and_write(self, row: _TidyRow) -> list[tuple[str, str]]:
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
        values = {
            _FIELD_FOR_COLUMN.get(column, column): text
            for column, text in cells.items()
            if text and column in _TEXT_COLUMN_SET
        }
        if cells.get("status"):
            values["status"] = _status_word(cells["status"])
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
        try:
            if member is None:
                member = self.add(values)
                self.report.added += 1
            elif _as_stored(member, values):
                self.report.unchanged += 1  # nothing to write, so nothing to check
            else:
                changes = self.changes(member, values)
                if changes:
                    self.forget(member.id, member.name, member.business, member.email)
                    self.updates.append((member, changes))
                    for name, value in changes.items():  # what later rows see of this member
                        if name != "invited_by":
                            setattr(member, name, value)
                    self.hold(member.id, member.category, member.status)
                    self.report.updated += 1
                else:
                    self.report.unchanged += 1
        except ValidationError as error:
            return [(self.column(name), message) for name, message in error.fields.items()]
        self.remember(member.id, member.name, member.business, member.email)
        self.done_by[member.id] = row.line
        return []

    def add(self, values: dict) -> _Added:
        """Check a new member against the rules (answered from memory) and insert it: one
        statement, no query per rule, so the import stays linear in the file's rows."""
        clean, errors = member_problems(self.group, {"name": "", **values}, lookups=self.lookups)
        if errors:
            raise ValidationError(errors)
        row = {**_DEFAULTS, **clean, **self.fixed}
        row["status"] = row["status"] or "active"
        row["search_key"] = fold(" ".join((row["name"], row["business"], row["category"], row["email"])))
        inviter = row["invited_by"]
        row["invited_by"] = inviter.id if isinstance(inviter, Member) else inviter
        for name in _DATES:  # as a DateField stores them
            if row[name] is not None:
                row[name] = row[name].isoformat()
        # Written later (write()); until then the new member has a provisional id below zero.
        self.new_rows.append(row)
        added = _Added(-len(self.new_rows), row["name"], row["business"], row["email"])
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
            return database.execute_sql(self.statement_sql(), self.params(row)).fetchone()[0]
        return database.last_insert_id(database.execute_sql(self.statement_sql(), self.params(row)))

    def statement_sql(self) -> str:
        """One member's INSERT, built once: building peewee's query per row cost four
        times the rest of the row's work."""
        if self.statement is None:
            # Sentinels name each parameter's column, whatever order peewee writes them in.
            sql, params = Member.insert(**{name: f"\x00{name}" for name in _INSERTED}).sql()
            names = [param[1:] for param in params]
            self.statement = (sql, names)
            self.pick = itemgetter(*names)
        return self.statement[0]

    def params(self, row: dict) -> tuple:
        """The INSERT's parameters for a checked row (add() made it complete, as stored)."""
        self.statement_sql()
        return self.pick(row)

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
        return self.table.column(_COLUMN_FOR_FIELD.get(member_field, member_field))

    def inviter_hint(self, who: str, row: _TidyRow, error: NotFound) -> str:
        key = _inviter_key(who)
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


def _inviters_first(rows: list[_TidyRow], line_of: dict[str, int]) -> list[_TidyRow]:
    """The rows in file order, except that a row whose inviter is another row comes after it.

    So a roster sorted by name imports even when an inviter comes later in the
    alphabet. Rows in a circle of inviters keep their order at the end (and are reported).
    `line_of`: the first line of each name and email (see `_keys`).
    """
    by_line = {row.line: row for row in rows}
    waiting: dict[int, list[int]] = {}  # inviter's line → the lines waiting for it
    ready: list[int] = []
    for row in rows:
        inviter_line = line_of.get(_inviter_key(row.cells.get("invited_by", "")))
        if inviter_line and inviter_line != row.line:
            waiting.setdefault(inviter_line, []).append(row.line)
        else:
            ready.append(row.line)
    heapq.heapify(ready)
    ordered: list[_TidyRow] = []
    while ready:
        line = heapq.heappop(ready)
        ordered.append(by_line[line])
        for waiter in waiting.pop(line, []):
            heapq.heappush(ready, waiter)
    placed = {row.line for row in ordered}
    return ordered + [row for row in rows if row.line not in placed]


def _inviter_key(text: str) -> str:
    text = tidy(text)
    return text.lower() if "@" in text else text


def _keys(cells: dict[str, str]) -> list[str]:
    """What an invited_by cell may use to name this row (tidy cells): its email (any case)
    or exact name."""
    keys = [cells.get("name", "")]
    email = cells.get("email", "")
    if email:
        keys.append(email.lower())
    return [key for key in keys if key]


@dataclass(frozen=True)
class _TidyRow:
    """A file row with every cell tidied once (the checks and the matching read them)."""

    line: int
    cells: dict[str, str]  # member field → tidy text
    extra_cells: int


def _tidy_cells(values: dict[str, str]) -> dict[str, str]:
    return {column: tidy(text, multiline=column in MULTI_LINE_FIELDS) for column, text in values.items()}


def _status_word(text: str) -> str:
    word = re.sub(r"[\s\-_]+", "_", tidy(text).lower())
    return _STATUS_WORDS.get(word, _STATUS_WORDS.get(word.replace("_", ""), tidy(text)))


# The columns a new member's row is inserted with (the rest take their defaults).
_INSERTED = (
    "group",
    "name",
    "business",
    "category",
    "email",
    "phone",
    "website",
    "bio",
    "good_referral",
    "notes",
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
    "business": "",
    "category": "",
    "email": "",
    "phone": "",
    "website": "",
    "bio": "",
    "good_referral": "",
    "notes": "",
    "joined_on": None,
    "renewal_due": None,
    "status": "active",
    "invited_by": None,
}


class _Added(NamedTuple):
    """What the import remembers of a member it inserted (a named tuple: one per new row)."""

    id: int
    name: str
    business: str
    email: str
