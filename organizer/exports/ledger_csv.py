"""The ledger as a spreadsheet-safe CSV: every referral, voided ones marked in a `void` column."""

from __future__ import annotations

from datetime import date
from typing import Iterable

from organizer.exports.csv_safe import csv_bytes
from organizer.services.money import format_money

COLUMNS = (
    "id", "date", "giver", "giver_email", "receiver", "receiver_email", "prospect", "contact",
    "kind", "temperature", "status", "contacted_on", "closed_on", "value", "thanked_on",
    "thank_note", "parent", "meeting_id", "notes", "void", "void_reason",
)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def ledger_csv(rows: Iterable[dict], currency: str, *, bom: bool = False) -> bytes:
    """CSV bytes for rows shaped like `ledger_queries.export_rows` yields.

    Values are in major units without thousands separators (1250.50), so a spreadsheet
    reads them as numbers; `void` is "yes" for a voided entry, else empty.
    """
    def line(row: dict) -> list[object]:
        value = row["value_minor"]
        return [
            row["id"], _day(row["given_on"]), row["giver_name"], row["giver_email"],
            row["receiver_name"], row["receiver_email"], row["prospect_name"],
            row["prospect_contact"], row["kind"], row["temperature"], row["status"],
            _day(row["contacted_on"]), _day(row["closed_on"]),
            "" if value is None else format_money(value, currency, grouping=False),
            _day(row["thanked_on"]), row["thank_note"], row["parent"] or "",
            row["meeting"] or "", row["notes"], "yes" if row["voided_at"] else "",
            row["void_reason"],
        ]

    return csv_bytes(COLUMNS, (line(row) for row in rows), bom=bom)
