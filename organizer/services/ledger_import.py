"""Importing referrals from a CSV file: check every row first, then write them all at once.

Columns: date, giver, receiver, prospect, kind, temperature, status, value, notes
(optional: contact, closed_on, void, void_reason — so a file `export ledger` wrote comes
back with its voided entries still voided). Giver and receiver are a member's email (any case) or
exact name. Every row is checked before anything is written; `check_referrals` returns
the clean rows and a problem (line, column, reason) for each bad cell, and
`write_referrals` inserts the clean rows and their 'created' LedgerEvents in ONE
transaction, in batches of multi-row INSERTs: about 40,000 rows/s at 200,000 rows
(bench/ledger_scale.py), where a per-row `record_referral` would take minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from peewee import Value

from organizer.errors import ValidationError
from organizer.models import REFERRAL_KINDS, REFERRAL_STATUSES, Group, LedgerEvent, Member, Referral, database
from organizer.rows import row_tuples
from organizer.services.bulk import write_cache
from organizer.services.checks import parse_date
from organizer.services.csv_input import read_records
from organizer.services.groups import local_today
from organizer.services.money import check_amount, parse_money
from organizer.services.resolve import EVERYONE, resolve_member
from organizer.text import tidy

REQUIRED = ("date", "giver", "receiver", "prospect")
OPTIONAL = ("kind", "temperature", "status", "value", "notes", "contact", "closed_on", "void", "void_reason")
VOID_WORDS = {
    "": False,
    "no": False,
    "false": False,
    "0": False,
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "x": True,
    "void": True,
    "voided": True,
}
ALIASES = {
    "given_on": "date",
    "prospect_name": "prospect",
    "prospect_contact": "contact",
    "temp": "temperature",
    "amount": "value",
    "note": "notes",
}
BATCH = 1000  # rows per INSERT: 17 parameters × 1000 stays under SQLite's limit of 32,766

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


@dataclass
class ImportCheck:
    """What checking a file found: the rows to write and every problem, by line."""

    rows: list[dict] = field(default_factory=list)  # clean, ready to write
    problems: list[Problem] = field(default_factory=list)
    bad_lines: set[int] = field(default_factory=set)

    @property
    def bad_rows(self) -> int:
        return len(self.bad_lines)


def _memo(check: Callable[[str], T]) -> Callable[[str], T]:
    """Remember a cell check's answer per distinct text: a 200,000-row file has a few
    thousand dates and a few dozen members, kinds and statuses, each checked once."""
    answers: dict[str, T] = {}

    def checked(text: str) -> T:
        found = answers.get(text)
        if found is None:
            found = answers[text] = check(text)
        return found

    return checked


class _Cells:
    """The checks of one import, each returning (value, None) or (None, why not)."""

    def __init__(self, group: Group, now: datetime):
        self.group = group
        self.today = local_today(group, now)
        self.currency = group.currency
        self.by_email: dict[str, int] = {}
        for member_id, email in row_tuples(Member.select(Member.id, Member.email).where(Member.group == group)):
            if email:
                self.by_email[email.lower()] = member_id
        self.member = _memo(self._member)
        self.day = _memo(self._day)
        self.kind = _memo(self._kind)
        self.temperature = _memo(self._temperature)
        self.status = _memo(self._status)
        self.value = _memo(self._value)

    def _member(self, text: str) -> tuple:
        who = tidy(text)
        if not who:
            return None, "empty: give the member's email or name"
        if "@" in who and who.lower() in self.by_email:  # the usual case, without a query
            return self.by_email[who.lower()], None
        # A name (or an unknown address) is found as everywhere else; once per distinct text.
        found = resolve_member(self.group, who, statuses=EVERYONE)
        return (found.member.id, None) if found.member else (None, found.problem)

    def _day(self, text: str) -> tuple:
        errors: dict[str, str] = {}
        day = parse_date(text, "day", errors)
        if errors:
            return None, errors["day"]
        if day is not None and day > self.today:
            return None, f"{day.isoformat()} is in the future"
        return day, None

    def _kind(self, text: str) -> tuple:
        kind = tidy(text).lower() or "outside"
        return (kind, None) if kind in REFERRAL_KINDS else (None, f"“{text}”: kind is inside or outside")

    def _temperature(self, text: str) -> tuple:
        clean = tidy(text) or "3"
        if clean.isascii() and clean.isdigit() and 1 <= int(clean) <= 5:  # "²" is a digit to isdigit
            return int(clean), None
        return None, f"“{clean}”: temperature is a whole number from 1 (cold) to 5 (hot)"

    def _status(self, text: str) -> tuple:
        status = tidy(text).lower() or "open"
        if status in REFERRAL_STATUSES:
            return status, None
        return None, f"“{text}”: status is one of " + ", ".join(REFERRAL_STATUSES)

    def _value(self, text: str) -> tuple:
        text = text.strip()
        if not text:
            return None, None
        try:
            minor = check_amount(parse_money(text, self.currency), self.currency)
        except ValidationError as error:
            return None, error.fields["value"]
        return minor, None


def check_referrals(group: Group, data: bytes, *, now: datetime) -> ImportCheck:
    """Read and check every row of a referrals CSV; nothing is written.

    A wrong header (a required column missing, a column twice) raises UserError.
    """
    _, records = read_records(data, required=REQUIRED, optional=OPTIONAL, aliases=ALIASES)
    check = _Cells(group, now)
    result = ImportCheck()
    for record in records:
        cells = record.cells
        errors: dict[str, str] = {}
        if record.extra:
            errors["-"] = f"{record.extra} more cell(s) than the header has columns"
        given_on, why = check.day(cells["date"])
        if why or given_on is None:
            errors["date"] = why or "a date is required (YYYY-MM-DD)"
        giver_id, why = check.member(cells["giver"])
        if why:
            errors["giver"] = why
        receiver_id, why = check.member(cells["receiver"])
        if why:
            errors["receiver"] = why
        elif receiver_id == giver_id:
            errors["receiver"] = "the same member as the giver: nobody refers business to themselves"
        prospect = tidy(cells["prospect"])
        if not prospect:
            errors["prospect"] = "name the prospect (a person or a business)"
        kind, why = check.kind(cells.get("kind", ""))
        if why:
            errors["kind"] = why
        temperature, why = check.temperature(cells.get("temperature", ""))
        if why:
            errors["temperature"] = why
        status, why = check.status(cells.get("status", ""))
        if why:
            errors["status"] = why
        value, why = check.value(cells.get("value", ""))
        if why:  # a value may come before the business is won (said on the capture line)
            errors["value"] = why
        closed_on, why = check.day(cells.get("closed_on", ""))
        if why:
            errors["closed_on"] = why
        elif closed_on is not None:
            if status not in ("won", "lost", None):
                errors["closed_on"] = f"only a won or lost referral has a closing date (this one is {status})"
            elif given_on and closed_on < given_on:
                errors["closed_on"] = f"closed on {closed_on.isoformat()}, before it was given"
        voided = VOID_WORDS.get(tidy(cells.get("void", "")).lower())
        if voided is None:
            errors["void"] = f"“{tidy(cells['void'])}”: void is yes (a voided entry) or empty"
        if errors:
            result.bad_lines.add(record.line)
            result.problems.extend(Problem(record.line, column, reason) for column, reason in errors.items())
            continue
        result.rows.append(
            {
                "line": record.line,
                "giver_id": giver_id,
                "receiver_id": receiver_id,
                "prospect_name": prospect,
                "prospect_contact": tidy(cells.get("contact")),
                "kind": kind,
                "temperature": temperature,
                "given_on": given_on,
                "status": status,
                "contacted_on": given_on if status == "contacted" else None,
                "closed_on": (closed_on or given_on) if status in ("won", "lost") else None,
                "value_minor": value,
                "notes": tidy(cells.get("notes"), multiline=True),
                "void_reason": (tidy(cells.get("void_reason")) or "voided in the imported file") if voided else None,
            }
        )
    return result


_COLUMNS = (
    "group",
    "giver",
    "receiver",
    "prospect_name",
    "prospect_contact",
    "kind",
    "temperature",
    "given_on",
    "status",
    "contacted_on",
    "closed_on",
    "value_minor",
    "notes",
    "thank_note",
    "void_reason",
    "voided_at",
    "created_at",
)


def write_referrals(
    group: Group, rows: list[dict], *, now: datetime, source: str = "", actor: Member | None = None
) -> int:
    """Insert checked rows and a 'created' event for each (by `actor`, the member importing),
    all in one transaction.

    The events are written by one INSERT … SELECT over the rows just added, so their
    detail reads like `record_referral`'s ("giver → receiver: prospect").
    """
    if not rows:
        return 0
    fields = Referral._meta.fields
    quote = database.quote  # the database's identifier quotes, e.g. '""'
    columns = ", ".join(f"{quote[0]}{fields[name].column_name}{quote[1]}" for name in _COLUMNS)
    one = "(" + ", ".join([database.param] * len(_COLUMNS)) + ")"
    created = Referral.created_at.db_value(now)
    reason = f"imported from {source}" if source else "imported"

    def values(row: dict) -> tuple:
        return (
            group.id,
            row["giver_id"],
            row["receiver_id"],
            row["prospect_name"],
            row["prospect_contact"],
            row["kind"],
            row["temperature"],
            _day(row["given_on"]),
            row["status"],
            _day(row["contacted_on"]),
            _day(row["closed_on"]),
            row["value_minor"],
            row["notes"],
            "",
            row["void_reason"] or "",
            created if row["void_reason"] else None,
            created,
        )

    table = f"{quote[0]}{Referral._meta.table_name}{quote[1]}"
    full_sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * BATCH)
    # Written in date order, the rows land at the end of (or at a few hot spots in) every
    # index on Referral instead of all over it: a 200,000-row import is about 3× faster so.
    rows = sorted(rows, key=lambda row: row["given_on"])
    # Half a KiB of cache per row for the indexes it grows; a small file needs none.
    with database.atomic(), write_cache(64 + len(rows) // 2 if len(rows) >= 10_000 else 0):
        before = Referral.select(Referral.id).order_by(Referral.id.desc()).limit(1).scalar() or 0
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            sql = (
                full_sql
                if len(chunk) == BATCH
                else (f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(chunk)))
            )
            database.execute_sql(sql, [value for row in chunk for value in values(row)])
        giver, receiver = Member.alias("giver"), Member.alias("receiver")
        detail = giver.name.concat(" → ").concat(receiver.name).concat(": ").concat(Referral.prospect_name)
        # The actor only when known: an untyped NULL in INSERT … SELECT is text to PostgreSQL.
        by = [Value(actor.id)] if actor is not None else []
        new_events = (
            Referral.select(Referral.id, Referral.created_at, Value("created"), detail, Value(reason), *by)
            .join_from(Referral, giver, on=(Referral.giver == giver.id))
            .join_from(Referral, receiver, on=(Referral.receiver == receiver.id))
            .where((Referral.group == group) & (Referral.id > before) & (Referral.created_at == created))
            .order_by(Referral.id)
        )
        event_columns = [
            LedgerEvent.referral,
            LedgerEvent.at,
            LedgerEvent.action,
            LedgerEvent.detail,
            LedgerEvent.reason,
        ] + ([LedgerEvent.actor] if actor is not None else [])
        LedgerEvent.insert_from(new_events, event_columns).execute()
        if any(row["void_reason"] for row in rows):
            # Voided in the file: voided here too, with its own event, as `ledger.void` writes.
            voids = (
                Referral.select(Referral.id, Referral.voided_at, Value("voided"), Value(""), Referral.void_reason, *by)
                .where(
                    (Referral.group == group)
                    & (Referral.id > before)
                    & (Referral.created_at == created)
                    & Referral.voided_at.is_null(False)
                )
                .order_by(Referral.id)
            )
            LedgerEvent.insert_from(voids, event_columns).execute()
    return len(rows)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
