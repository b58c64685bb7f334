"""A DataTable for lists of rows: a row cursor, zebra stripes, home/end jump to the first/last row.

Lists that page (load more rows as the user nears the end) watch `RowHighlighted` and
`scroll_y`; `end` lands on the last row loaded so far, which brings in the next page.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class ListTable(DataTable):
    """A row-per-item table."""

    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)


def row_id(key: RowKey) -> int:
    """The id of the record a list's row shows: every list keys its rows by that id."""
    if key.value is None:
        raise ValueError("a list row without a key")
    return int(key.value)


def cursor_row_id(table: DataTable) -> int | None:
    """The id of the record under `table`'s cursor; None when the table is empty."""
    if table.row_count == 0:
        return None
    return row_id(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key)
