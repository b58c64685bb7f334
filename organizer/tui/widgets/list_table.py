"""A DataTable for lists of rows: a row cursor, zebra stripes, home/end jump to the first/last row.

Lists that page (load more rows as the user nears the end) watch `RowHighlighted` and
`scroll_y`; `end` lands on the last row loaded so far, which brings in the next page.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class ListTable(DataTable):
    """A row-per-item table."""

    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
