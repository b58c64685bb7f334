"""CSV that is safe to open in a spreadsheet.

A cell starting with = + - @ (or a tab or carriage return) is run as a formula by
Excel, LibreOffice and Google Sheets, so text from users could compute, fetch URLs or
worse ("CSV injection"). Such cells get a leading single quote, which spreadsheets
read as "this is text"; Organizer's own import removes it again.

The bytes are UTF-8 with a byte order mark and CRLF line ends: without the BOM, Excel
reads UTF-8 as the local code page and mangles every accent; Python reads it back with
`encoding="utf-8-sig"`, LibreOffice and Google Sheets ignore it.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """`value`, quoted with a leading ' if a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_csv(rows: Iterable[Sequence[object]], header: Sequence[str]) -> bytes:
    """The CSV file for `rows` under `header`; text cells are made formula-safe.

    Numbers stay numbers (a negative amount is not a formula); None is an empty cell.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(title) for title in header])
    for row in rows:
        writer.writerow(["" if cell is None else safe_cell(cell) if isinstance(cell, str) else cell
                         for cell in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
