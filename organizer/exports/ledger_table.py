"""The ledger as a table of typed cells, written as CSV or as a spreadsheet.

Rows come shaped like `services.ledger_reports.export_rows` yields them. Values are major
units as Decimal (1250.50), dates as dates, "yes" in `void` for a voided entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

COLUMNS = (
    "id",
    "date",
    "giver",
    "giver_email",
    "receiver",
    "receiver_email",
    "prospect",
    "contact",
    "kind",
    "temperature",
    "status",
    "contacted_on",
    "closed_on",
    "value",
    "thanked_on",
    "thank_note",
    "parent",
    "meeting_id",
    "notes",
    "void",
    "void_reason",
)


def ledger_cells(rows: Iterable[dict], places: int) -> Iterator[list[object]]:
    """Each row's cells in COLUMNS order; `places` is the currency's decimals."""
    for row in rows:
        value = row["value_minor"]
        yield [
            row["id"],
            row["given_on"],
            row["giver_name"],
            row["giver_email"],
            row["receiver_name"],
            row["receiver_email"],
            row["prospect_name"],
            row["prospect_contact"],
            row["kind"],
            row["temperature"],
            row["status"],
            row["contacted_on"],
            row["closed_on"],
            None if value is None else Decimal(value).scaleb(-places),
            row["thanked_on"],
            row["thank_note"],
            row["parent"] or None,
            row["meeting"] or None,
            row["notes"],
            "yes" if row["voided_at"] else "",
            row["void_reason"],
        ]


def as_text(cell: object) -> object:
    """A cell as CSV writes it: dates as YYYY-MM-DD, None empty, the rest as it is."""
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    return cell
