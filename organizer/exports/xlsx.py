"""A sheet as an .xlsx workbook (openpyxl): text cells stay text, numbers and dates typed.

In CSV a cell that starts with = + - @ must be quoted against formula injection, which
leaves an apostrophe in front of every "+49 30 …" phone number. A workbook says what each
cell is: text is stored as text, never run as a formula, so nothing needs guarding.
Control characters, which the file format cannot hold, are left out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

# What XML 1.0 cannot carry (and openpyxl refuses): C0 controls but tab, newline, CR.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_bytes(
    title: str, header: Sequence[str], rows: Iterable[Sequence[object]], *, money_format: str = "#,##0.00"
) -> bytes:
    """A one-sheet workbook: `header` in bold and frozen, then `rows`.

    str cells are text; int and Decimal are numbers (Decimal in `money_format`); dates are
    dates; None is an empty cell.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook(write_only=False)
    sheet = book.active
    if not isinstance(sheet, Worksheet):  # a new workbook opens on its one worksheet
        raise TypeError("a new workbook has no worksheet")
    sheet.title = _UNSTORABLE.sub("", title)[:31] or "Sheet"
    sheet.append([_UNSTORABLE.sub("", name) for name in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                cell.value = _UNSTORABLE.sub("", value)
                cell.data_type = "s"  # text, even when it starts with "=" (openpyxl would make it a formula)
            elif isinstance(value, Decimal):
                cell.value = value
                cell.number_format = money_format
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, (int, float)):
                cell.value = value
            else:  # what openpyxl itself says of a value no cell holds
                raise ValueError(f"Cannot convert {value!r} to Excel")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
