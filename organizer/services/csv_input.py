"""Reading a CSV file people made in a spreadsheet: its encoding, its header, its line numbers.

Shared by the imports. Files come as UTF-8 (with or without the BOM Excel writes) or,
from older Windows spreadsheets, as Windows-1252. Header names match case-insensitively
and ignore surrounding spaces. Each record carries the line number it starts on, counting
the header as line 1, so a report can point at the line a person sees in an editor.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Iterator

from organizer.services.errors import UserError


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252; anything else is refused in one line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UserError(
            f"the file is neither UTF-8 nor Windows-1252 text (byte {error.start + 1}): "
            "save it as CSV UTF-8"
        ) from None


@dataclass(frozen=True)
class Record:
    line: int  # where the record starts; the header is line 1
    cells: dict[str, str]  # canonical column name → cell text (missing cells are "")
    extra: int  # non-empty cells beyond the header's columns (trailing blanks are fine)


def normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_records(
    text: str, *, required: tuple[str, ...], optional: tuple[str, ...] = (),
    aliases: dict[str, str] | None = None,
) -> tuple[list[str], Iterator[Record]]:
    """Check the header and return (the file's known columns, an iterator of its records).

    A missing required column or a column named twice is a UserError (nothing is read).
    Columns the import does not know are ignored; blank lines are skipped.
    """
    aliases = aliases or {}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise UserError("the file is empty: the first line names the columns") from None
    known = set(required) | set(optional)
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = normalise_header(raw)
        name = aliases.get(name, name)
        if name not in known:
            continue
        if name in positions:
            raise UserError(f"line 1: the column “{name}” appears twice")
        positions[name] = index
    missing = [name for name in required if name not in positions]
    if missing:
        raise UserError(
            "line 1: missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing)
            + " (the header needs " + ",".join(required) + ")"
        )
    width = len(header)

    wanted = list(positions.items())

    def records() -> Iterator[Record]:
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not "".join(row).strip():
                continue
            if len(row) >= width:
                cells = {name: row[index] for name, index in wanted}
                extra = sum(1 for cell in row[width:] if cell.strip()) if len(row) > width else 0
            else:
                cells = {name: (row[index] if index < len(row) else "") for name, index in wanted}
                extra = 0
            yield Record(line, cells, extra)

    return list(positions), records()
