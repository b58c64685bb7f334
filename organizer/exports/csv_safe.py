"""CSV that is safe to open in a spreadsheet.

A cell that begins with = + - @ (or a tab or carriage return, which some spreadsheets
skip before reading a formula) would be run as a formula: "=HYPERLINK(...)" typed as a
prospect's name must stay text. Such cells get a leading single quote, which every
spreadsheet reads as "this is text" and shows without the quote.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, with a leading ' when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]], *, bom: bool = False) -> bytes:
    """UTF-8 CSV (CRLF line ends, as RFC 4180 says) with every cell made safe.

    `bom` prefixes the byte-order mark older Excel needs to read UTF-8 accents correctly.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    data = out.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data
