"""A member file's rows as the import reads them: each cell tidied once, the names and
emails an invited_by cell may use, and the order that puts an inviter before its invitees."""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from organizer.services.members import MULTI_LINE_FIELDS, TEXT_FIELDS
from organizer.text import tidy

# File column → member field, for the columns whose names differ.
FIELD_FOR_COLUMN = {"joined": "joined_on"}
COLUMN_FOR_FIELD = {value: key for key, value in FIELD_FOR_COLUMN.items()}
# The text columns: the form's text fields, then dates.
TEXT_COLUMNS = frozenset((*TEXT_FIELDS, "joined", "renewal_due"))
# Status words chapter tools use, in the words of the member form.
_STATUS_WORDS = {
    "current": "active",
    "member": "active",
    "leave": "on_leave",
    "onleave": "on_leave",
    "on_leave": "on_leave",
    "paused": "on_leave",
    "inactive": "alumni",
    "former": "alumni",
    "dropped": "alumni",
    "alumnus": "alumni",
    "alumna": "alumni",
    "guest": "visitor",
}


def row_keys(cells: dict[str, str]) -> list[str]:
    """What an invited_by cell may use to name this row (tidy cells): its email (any case)
    or exact name."""
    keys = [cells.get("name", "")]
    email = cells.get("email", "")
    if email:
        keys.append(email.lower())
    return [key for key in keys if key]


@dataclass(frozen=True)
class TidyRow:
    """A file row with every cell tidied once (the checks and the matching read them)."""

    line: int
    cells: dict[str, str]  # member field → tidy text
    extra_cells: int


def tidy_cells(values: dict[str, str]) -> dict[str, str]:
    return {column: tidy(text, multiline=column in MULTI_LINE_FIELDS) for column, text in values.items()}


def inviter_key(text: str) -> str:
    """How `row_keys` would list the row an invited_by cell (tidy) names."""
    return text.lower() if "@" in text else text


def inviters_first(rows: list[TidyRow], line_of: dict[str, int]) -> list[TidyRow]:
    """The rows in file order, except that a row whose inviter is another row comes after it.

    So a roster sorted by name imports even when an inviter comes later in the
    alphabet. Rows in a circle of inviters keep their order at the end (and are reported).
    `line_of`: the first line of each name and email (see `row_keys`).
    """
    by_line = {row.line: row for row in rows}
    waiting: dict[int, list[int]] = {}  # inviter's line → the lines waiting for it
    ready: list[int] = []
    for row in rows:
        inviter_line = line_of.get(inviter_key(row.cells.get("invited_by", "")))
        if inviter_line and inviter_line != row.line:
            waiting.setdefault(inviter_line, []).append(row.line)
        else:
            ready.append(row.line)
    heapq.heapify(ready)
    ordered: list[TidyRow] = []
    while ready:
        line = heapq.heappop(ready)
        ordered.append(by_line[line])
        for waiter in waiting.pop(line, []):
            heapq.heappush(ready, waiter)
    placed = {row.line for row in ordered}
    return ordered + [row for row in rows if row.line not in placed]


def status_word(text: str) -> str:
    word = re.sub(r"[\s\-_]+", "_", tidy(text).lower())
    return _STATUS_WORDS.get(word, _STATUS_WORDS.get(word.replace("_", ""), tidy(text)))
