"""CSV that is safe to open in a spreadsheet.

A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets skip
before reading a formula) is run as a formula by Excel, LibreOffice and Google Sheets, so
text from users could compute, fetch URLs or worse ("CSV injection"): "=HYPERLINK(...)"
typed as a prospect's name must stay text. Such cells get a leading single quote, which
spreadsheets read as "this is text"; Organizer's own import removes it again.

Control characters other than tabs and line breaks are dropped (defence in depth: text
is cleaned where it enters). Line ends are CRLF (RFC 4180). `bom=True` prefixes the byte order mark without which
Excel reads UTF-8 as the local code page and mangles every accent; Python reads it back
with `encoding="utf-8-sig"`, LibreOffice and Google Sheets ignore it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from organizer.text import drop_controls

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text quoted with a leading ' if a spreadsheet would run it as a formula.

    Numbers stay numbers (a negative amount is not a formula); None is an empty cell.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    value = drop_controls(value)  # an ESC kept in old data never reaches a terminal's `cat`
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]], *, bom: bool = False) -> bytes:
    """UTF-8 CSV with every text cell made safe."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    data = out.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data
