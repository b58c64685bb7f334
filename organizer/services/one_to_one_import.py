"""Importing one-to-ones from a CSV file: check every row first, then write them all at once.

Columns: date, member_a, member_b, where, notes. Members are found by email or exact name
whatever their status (history with a member now alumni is still history); `where` is
in-person, video or phone (empty: in person). A row is refused, with its line and column,
when a date is missing, impossible or in the future, a member is unknown, a member meets
themselves, or the same pair already met that day (in the database or earlier in the file).
"""

from __future__ import annotations

from datetime import date, datetime

from organizer.models import Group, Member, OneToOne, database
from organizer.services.checks import parse_date
from organizer.services.csv_input import read_records
from organizer.services.groups import local_today
from organizer.services.ledger_import import ImportCheck, Problem
from organizer.services.one_to_ones import WHERE_HINT, find_member, mode_of, same_day
from organizer.text import one_line, tidy

REQUIRED = ("date", "member_a", "member_b")
OPTIONAL = ("where", "notes")
ALIASES = {
    "met_on": "date",
    "mode": "where",
    "note": "notes",
    "a": "member_a",
    "b": "member_b",
}
BATCH = 500


def check_one_to_ones(group: Group, data: bytes, *, now: datetime) -> ImportCheck:
    """Read and check every row of a one-to-ones CSV; nothing is written.

    A wrong header (a required column missing, a column twice) raises UserError.
    """
    _, records = read_records(data, required=REQUIRED, optional=OPTIONAL, aliases=ALIASES)
    today = local_today(group, now)
    members: dict[str, tuple[Member | None, str | None]] = {}
    seen: set[tuple[int, int, date]] = set()
    result = ImportCheck()
    for record in records:
        cells = record.cells
        errors: dict[str, str] = {}
        if record.extra:
            errors["-"] = f"{record.extra} more cell(s) than the header has columns"
        day = parse_date(cells["date"], "date", errors)
        if day is None and "date" not in errors:
            errors["date"] = "a date is required (YYYY-MM-DD)"
        elif day is not None and day > today:
            errors["date"] = f"{day.isoformat()} is in the future"
        found = {}
        for column in ("member_a", "member_b"):
            text = tidy(cells[column])
            if text not in members:
                members[text] = find_member(group, text)
            found[column], why = members[text]
            if why:
                errors[column] = why
        a, b = found["member_a"], found["member_b"]
        if a is not None and b is not None:
            if a.id == b.id:
                errors["member_b"] = "the same member as member_a: a one-to-one takes two members"
            elif day is not None:
                key = (min(a.id, b.id), max(a.id, b.id), day)
                if key in seen or same_day(a.id, b.id, day):
                    errors["date"] = f"{a.name} and {b.name} already have a one-to-one on {day.isoformat()}"
                seen.add(key)
        mode = mode_of(cells.get("where", ""))
        if mode is None:
            errors["where"] = f"“{tidy(cells['where'])}”: {WHERE_HINT}"
        if errors or a is None or b is None:  # a member not found has its reason in `errors`
            result.bad_lines.add(record.line)
            result.problems.extend(Problem(record.line, column, reason) for column, reason in errors.items())
            continue
        result.rows.append(
            {
                "line": record.line,
                "member_a": a.id,
                "member_b": b.id,
                "met_on": day,
                "mode": mode,
                "notes": one_line(tidy(cells.get("notes"))),  # control characters never stored
            }
        )
    return result


def write_one_to_ones(group: Group, rows: list[dict], *, now: datetime) -> int:
    """Insert checked rows in one transaction (multi-row INSERTs)."""
    with database.atomic():
        for start in range(0, len(rows), BATCH):
            OneToOne.insert_many(
                [
                    {
                        "group": group.id,
                        "member_a": row["member_a"],
                        "member_b": row["member_b"],
                        "met_on": row["met_on"],
                        "mode": row["mode"],
                        "notes": row["notes"],
                        "created_at": now,
                        "planned": False,
                    }
                    for row in rows[start : start + BATCH]
                ]
            ).execute()
    return len(rows)
