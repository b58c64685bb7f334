"""A read-only table that redraws in a millisecond or two: each row is one line drawn with
Textual's line API from its cells, cut to the column widths once.

DataTable renders every visible cell through Rich on each change: a screenful of 35 rows
× 5 columns took about 40 ms, too slow to redraw per keystroke of a search. FastTable
keeps a DataTable's look (header, zebra stripes, a row cursor) and the small part of its
API a list needs:

    table.add_column("Name", width=24, key="name")
    table.add_row(Text("Zoë Lefèvre"), "Lefèvre Design", key="17")
    table.clear()                   # rows only; clear(columns=True) drops the columns too
    table.move_cursor(row=3)
    table.row_count, table.cursor_row, table.get_row_at(3), table.get_row_index("17")
    table.row_key_at(table.cursor_row)

It posts `FastTable.RowHighlighted` when the cursor moves and `FastTable.RowSelected` on
enter or a click on the cursor's row. Cells are strings or Rich Text (never markup).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.style_cache import StyleCache

PADDING = 1  # a space on each side of every cell, as DataTable draws them


@dataclass(frozen=True)
class Column:
    label: str
    width: int
    key: str


class FastTable(Guarded, StyleCache, ScrollView, can_focus=True):
    """Rows of cells under a header line; one row has the cursor."""

    DEFAULT_CSS = """
    FastTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .fast-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .fast-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .fast-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .fast-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .fast-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .fast-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {"fast-table--header", "fast-table--even-row", "fast-table--cursor"}
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First row", show=False),
        Binding("end", "jump(-1)", "Last row", show=False),
        Binding("enter", "select_cursor", "Select", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class RowHighlighted(Message):
        def __init__(self, table: FastTable, cursor_row: int, row_key: str | None):
            super().__init__()
            self.table, self.cursor_row, self.row_key = table, cursor_row, row_key

    class RowSelected(Message):
        def __init__(self, table: FastTable, cursor_row: int, row_key: str):
            super().__init__()
            self.table, self.cursor_row, self.row_key = table, cursor_row, row_key

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.columns: list[Column] = []
        self._keys: list[str] = []
        self._cells: list[tuple[str | Text, ...]] = []
        self._index: dict[str, int] = {}
        self._lines: dict[int, list[Segment]] = {}  # row → its cells cut to width, unstyled

    # -- content ----------------------------------------------------------------------------

    def add_column(self, label: str, *, width: int, key: str | None = None) -> None:
        self.columns.append(Column(label, width, key or label.lower()))
        self._changed()

    def add_row(self, *cells: str | Text, key: str) -> None:
        self.add_rows([(key, cells)])

    def add_rows(self, rows: Iterable[tuple[str, Sequence[str | Text]]]) -> None:
        """Several (key, cells) at once: the table is measured again once, not per row."""
        for key, cells in rows:
            self._index[key] = len(self._keys)
            self._keys.append(key)
            self._cells.append(tuple(cells))
        self._changed()

    def clear(self, columns: bool = False) -> None:
        self._forget_rows(columns=columns)
        self._changed()

    def replace_rows(self, rows: Iterable[tuple[str, Sequence[str | Text]]]) -> None:
        """`clear()` then `add_rows(rows)`, measured once: a list refilled per keystroke
        whose size stays the same needs no new layout."""
        self._forget_rows()
        self.add_rows(rows)

    def _forget_rows(self, *, columns: bool = False) -> None:
        self._keys, self._cells, self._index = [], [], {}
        if columns:
            self.columns = []
        self.set_reactive(FastTable.cursor_row, 0)
        if self.scroll_y:
            self.scroll_to(y=0, animate=False, immediate=True)

    def _changed(self) -> None:
        self._lines.clear()
        width = sum(column.width + 2 * PADDING for column in self.columns)
        self.virtual_size = Size(width, len(self._keys) + 1)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def rows(self) -> dict[str, int]:
        """Row keys → their index."""
        return self._index

    def get_row_at(self, index: int) -> list[str | Text]:
        return list(self._cells[index])

    def get_row_index(self, key: str) -> int:
        return self._index[key]

    def row_key_at(self, index: int) -> str | None:
        return self._keys[index] if 0 <= index < len(self._keys) else None

    # -- the cursor -------------------------------------------------------------------------

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        if self._keys:
            self.cursor_row = max(0, min(row, len(self._keys) - 1))

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._keys) - 1)) if self._keys else 0

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._keep_visible(new)
        self.refresh()
        self.post_message(self.RowHighlighted(self, new, self.row_key_at(new)))

    def _keep_visible(self, row: int) -> None:
        shown = max(1, self.scrollable_content_region.height - 1)  # the header takes a line
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + shown:
            self.scroll_to(y=row - shown + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.cursor_row += step

    def action_page(self, step: int) -> None:
        self.cursor_row += step * max(1, self.scrollable_content_region.height - 2)

    def action_jump(self, row: int) -> None:
        self.cursor_row = row if row >= 0 else len(self._keys) - 1

    def action_select_cursor(self) -> None:
        key = self.row_key_at(self.cursor_row)
        if key is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, key))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        row = round(self.scroll_y) + event.y - 1
        if 0 <= row < len(self._keys):
            if row == self.cursor_row:
                self.action_select_cursor()
            else:
                self.cursor_row = row

    def on_focus(self) -> None:
        self._forget_styles()
        self.refresh()

    def on_blur(self) -> None:
        self._forget_styles()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_styles()

    # -- drawing ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self._style("base")
        if y == 0:
            segments = self._header()
            style = self._style("fast-table--header")
        else:
            row = scroll_y + y - 1
            if row >= len(self._keys):
                return Strip.blank(width, base)
            segments = self._row(row)
            style = self._style("fast-table--even-row") if row % 2 else base
            if row == self.cursor_row:
                style += self.get_component_rich_style("fast-table--cursor")
        if len(segments) == 1 and segments[0].style is None and not scroll_x:
            # The usual line, plain cells: one segment in the line's style, no cutting.
            text = segments[0].text
            room = width - cell_len(text) if not text.isascii() else width - len(text)
            if room >= 0:
                return Strip([Segment(text + " " * room, style)], width)
        strip = Strip(segments).apply_style(style)
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _header(self) -> list[Segment]:
        return self._joined([Segment(_cut(column.label, column.width)) for column in self.columns])

    def _row(self, row: int) -> list[Segment]:
        line = self._lines.get(row)
        if line is None:
            cells: list[Segment] = []
            for column, cell in zip(self.columns, self._cells[row]):
                cells.extend(self._cell(cell, column.width))
            line = self._lines[row] = self._joined(cells)
        return line

    @staticmethod
    def _joined(segments: list[Segment]) -> list[Segment]:
        """Unstyled neighbours as one segment: a line of plain cells is drawn as one run."""
        if all(segment.style is None for segment in segments):
            return [Segment("".join(segment.text for segment in segments))]
        return segments

    def _cell(self, cell: str | Text, width: int) -> list[Segment]:
        """A cell's segments (its own styles kept) in exactly its column's width plus padding;
        a Text with justify="right" (a number) keeps to the right."""
        if isinstance(cell, str):
            return [Segment(_cut(cell, width))]
        right = cell.justify == "right"
        if not cell.spans and not cell.style and not right:
            return [Segment(_cut(cell.plain, width))]
        text = cell.copy()
        text.truncate(width, overflow="ellipsis")
        if right:
            text.pad_left(width - text.cell_len)
        else:
            text.pad_right(width - text.cell_len)
        pad = Segment(" " * PADDING)
        # Text.render leaves out the Text's own style (its caller is meant to add it).
        console = self.app.console
        style = console.get_style(text.style) if text.style else None
        return [pad, *Segment.apply_style(text.render(console), style), pad]


def _cut(text: str, width: int) -> str:
    """`text` in exactly `width` cells (cut with an ellipsis if longer), padded each side."""
    pad = " " * PADDING
    if text.isascii() and text.isprintable():  # one cell a letter: no need to measure
        if len(text) > width:
            text = text[: max(0, width - 1)] + "…"
        return pad + text.ljust(width) + pad
    if cell_len(text) > width:
        text = set_cell_size(text, max(0, width - 1)) + "…"
    pad = " " * PADDING
    return pad + set_cell_size(text, width) + pad
