"""Reading a CSV file people made in a spreadsheet: encoding, delimiter, header, line numbers.

Shared by the imports (members and referrals). Files come from spreadsheets and chapter
tools, so this module is forgiving about the container:

- encoding: UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"),
  else Windows-1252 (which covers Latin-1's printable characters);
- delimiter: comma, semicolon or tab, whichever the header line uses most (outside
  quotes), or Excel's `sep=;` first line;
- line numbers are physical lines (the header is line 1), so a quoted cell that spans
  lines does not throw off the numbers of the rows after it;
- a cell that a spreadsheet-safe export escaped ('=…, '+…, '-…, '@…) loses its quote
  (`unescape`), so our own exports import back as they were typed.

It is strict about what would otherwise be swallowed or flood the screen: a quote that
is never closed, UTF-16 without its BOM, a header of thousands of columns or a column
named twice are refused in one short line naming where (nothing is imported).

What the cells mean is each import's business.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from organizer.errors import UserError

_DELIMITERS = (",", ";", "\t")
# More columns than any member or ledger file has (a roster export has a few dozen).
MAX_COLUMNS = 500
# What exports.csv_safe quotes with a leading ' (a spreadsheet would run it as a formula).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def unescape(cell: str) -> str:
    """Undo a spreadsheet-safe export's leading quote ('=SUM… → =SUM…)."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _FORMULA_STARTS else cell


def decode(data: bytes) -> tuple[str, str]:
    """The text of `data` and the encoding it was read with."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8 with BOM"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as error:
            # A BOM says UTF-16, so a guess at another encoding would only read garbage.
            raise UserError(
                f"the file starts as UTF-16 text but byte {error.start} cannot be read "
                "as UTF-16 (is it cut short?): save it again as UTF-8 CSV"
            ) from None
    start = data[:4096]
    if start.count(b"\x00") * 4 > len(start):
        # Text saved as UTF-16 without its BOM: every other byte is NUL, which would
        # read as "valid" UTF-8 full of NULs. Guessing the byte order is not our job.
        raise UserError(
            "the file looks like UTF-16 text without a byte-order mark: save it again as UTF-8 CSV (or UTF-16 with BOM)"
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        # The five bytes cp1252 leaves undefined: read them as Latin-1 control characters.
        return data.decode("latin-1"), "Latin-1"


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header line uses most, not counting those inside quotes."""
    bare = re.sub(r'"[^"]*"', "", header_line)
    counts = {delimiter: bare.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


@dataclass
class Table:
    """A decoded, delimited file: its header and its non-blank rows with their line numbers."""

    encoding: str
    delimiter: str
    header_line: int
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (first physical line, cells), read lazily


def read_table(data: bytes, *, empty_hint: str = "") -> Table:
    """Open a spreadsheet's CSV; an empty file or an unreadable header is a UserError."""
    text, encoding = decode(data)
    first_line = 1
    declared = re.match(r"sep=(.)\r?\n", text)  # Excel's hint: `sep=;` on the first line
    if declared:
        delimiter = declared.group(1)
        text = text[declared.end() :]
        first_line = 2
    else:
        delimiter = sniff_delimiter(next((line for line in text.splitlines() if line.strip()), ""))
    # strict: a quote opened and never closed is an error, not the rest of the file in one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header_line, header = first_line, next(reader)
        while not any(cell.strip() for cell in header):  # blank lines before the header
            header_line, header = first_line + reader.line_num, next(reader)
    except StopIteration:
        raise UserError(f"the file is empty: the first line names the columns{empty_hint}") from None
    except csv.Error as error:
        raise UserError(f"the header line cannot be read: {_reason(error)}") from None
    if len(header) > MAX_COLUMNS:
        raise UserError(
            f"line {header_line}: the header has {len(header):,} columns; a file to import has at most {MAX_COLUMNS}"
        )
    seen: dict[str, int] = {}
    for index, cell in enumerate(header, start=1):
        name = " ".join(cell.split()).casefold()
        if name and name in seen:
            raise UserError(
                f"line {header_line}, column {index}: the column “{_short(cell)}” "
                f"appears twice (also column {seen[name]})"
            )
        seen[name] = index

    def rows() -> Iterator[tuple[int, list[str]]]:
        previous = reader.line_num
        try:
            for cells in reader:
                line = first_line + previous
                previous = reader.line_num
                if "".join(cells).strip():  # not a blank line (one C call, not a loop per row)
                    yield line, cells
        except csv.Error as error:
            line = first_line + previous
            raise UserError(f"line {line} cannot be read: {_reason(error)}") from None

    return Table(encoding, delimiter, header_line, header, rows())


def _reason(error: csv.Error) -> str:
    text = str(error)
    if "unexpected end of data" in text or "EOF" in text:
        return 'a quote (") is opened and never closed'
    return _short(text)


def _short(text: str, limit: int = 60) -> str:
    from organizer.text import one_line

    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Record:
    line: int  # where the record starts; the header is line 1
    cells: dict[str, str]  # canonical column name → cell text (missing cells are "")
    extra: int  # non-empty cells beyond the header's columns (trailing blanks are fine)


def normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_records(
    data: bytes,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    aliases: dict[str, str] | None = None,
) -> tuple[list[str], Iterator[Record]]:
    """Check the header and return (the file's known columns, an iterator of its records).

    A missing required column or a column named twice is a UserError (nothing is read).
    Columns the import does not know are ignored; blank lines are skipped.
    """
    aliases = aliases or {}
    table = read_table(data)
    known = set(required) | set(optional)
    positions: dict[str, int] = {}
    for index, raw in enumerate(table.header):
        name = normalise_header(raw)
        name = aliases.get(name, name)
        if name not in known:
            continue
        if name in positions:
            raise UserError(f"line {table.header_line}: the column “{name}” appears twice")
        positions[name] = index
    missing = [name for name in required if name not in positions]
    if missing:
        raise UserError(
            f"line {table.header_line}: missing column"
            + ("s " if len(missing) > 1 else " ")
            + ", ".join(missing)
            + " (the header needs "
            + ",".join(required)
            + ")"
        )
    width = len(table.header)
    wanted = list(positions.items())

    def records() -> Iterator[Record]:
        for line, row in table.rows:
            # unescape only what starts with the export's quote: most cells don't.
            cells = {
                name: ("" if index >= len(row) else unescape(row[index]) if row[index][:1] == "'" else row[index])
                for name, index in wanted
            }
            extra = sum(1 for cell in row[width:] if cell.strip())
            yield Record(line, cells, extra)

    return list(positions), records()
