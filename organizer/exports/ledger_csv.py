"""The ledger as a spreadsheet-safe CSV: every referral, voided ones marked in a `void` column."""

from __future__ import annotations

from collections.abc import Iterable

from organizer.exports.csv_safe import csv_bytes
from organizer.exports.ledger_table import COLUMNS, as_text, ledger_cells


def ledger_csv(rows: Iterable[dict], places: int, *, bom: bool = False) -> bytes:
    """CSV bytes for rows shaped like `ledger_reports.export_rows` yields.

    Values are in major units without thousands separators (1250.50, `places` decimals),
    so a spreadsheet reads them as numbers; `void` is "yes" for a voided entry, else empty.
    """
    return csv_bytes(COLUMNS, ([as_text(cell) for cell in cells] for cells in ledger_cells(rows, places)), bom=bom)
