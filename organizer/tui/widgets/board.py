"""A board of bordered panels drawn as one widget: the dashboard's six boxes.

Six Static widgets with borders cost the first screen about 20 ms to lay out and paint
(a Textual widget per box, each line cut and joined by the compositor); one widget that
draws the boxes line by line costs a few. The board keeps what the boxes did: a title in
each top border and a hint in the bottom one, any content a Static takes (markup,
Rich renderables), a selected box that shows the focus, arrows to move, enter or a click
to open one.

    board = Board([BoardPanel("panel-next-meeting", "Next meeting"), ...], columns=3)
    board.update("panel-next-meeting", "[b]Tue 8 Dec[/b] …")

It posts `Board.Opened(panel_id)` when a box is opened (`open()`, or a click); the screen
that holds it binds the keys (`step(1)`, `step(-1)`, `open()`), so its help lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.style_cache import StyleCache

MARGIN, GUTTER = 1, 1  # blank columns at each side, and between two boxes
NARROW_BOX_HEIGHT = 11  # lines per box when the board scrolls (a small terminal)


@dataclass(frozen=True)
class BoardPanel:
    panel_id: str
    title: str
    hint: str = "enter ↵"


@dataclass(frozen=True)
class Box:
    index: int
    region: Region  # within the board


class Board(Guarded, StyleCache, Widget, can_focus=True):
    """Panels in a grid of `columns`; the selected one opens on enter."""

    DEFAULT_CSS = """
    Board {
        height: 1fr;
        & > .board--border { color: $primary 60%; }
        & > .board--title { color: $text; text-style: bold; }
        & > .board--hint { color: $text-muted; }
        &:focus > .board--selected { color: $accent; }
        & > .board--selected { color: $primary 60%; }
    }
    """
    COMPONENT_CLASSES = {"board--border", "board--title", "board--hint", "board--selected"}

    selected: reactive[int] = reactive(0, init=False)

    class Opened(Message):
        def __init__(self, panel_id: str):
            super().__init__()
            self.panel_id = panel_id

    def __init__(self, panels: list[BoardPanel], *, columns: int, id: str | None = None):
        super().__init__(id=id)
        self.panels = panels
        self.columns = columns
        self.contents: dict[str, object] = {panel.panel_id: "" for panel in panels}
        self._lines: dict[tuple[int, int], list[Strip]] = {}  # (box, inner width) → its content's lines
        self._drawn: dict[int, Strip] = {}  # y → the line as last drawn; cleared by any change
        self._boxes: tuple[tuple, list[Box]] | None = None  # (the geometry they were made for, boxes)

    # -- content ----------------------------------------------------------------------------

    def update(self, panel_id: str, content: object) -> None:
        self.contents[panel_id] = content
        index = self.index_of(panel_id)
        self._lines = {key: lines for key, lines in self._lines.items() if key[0] != index}
        self._redraw()

    def _redraw(self) -> None:
        self._forget_drawing()
        self.refresh()

    def _forget_drawing(self) -> None:
        self._drawn.clear()
        self._forget_styles()

    def index_of(self, panel_id: str) -> int:
        return next(i for i, panel in enumerate(self.panels) if panel.panel_id == panel_id)

    def set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.columns = columns
            self._lines.clear()
            self._forget_drawing()
            self.refresh(layout=True)

    # -- geometry ---------------------------------------------------------------------------

    @property
    def rows(self) -> int:
        return -(-len(self.panels) // self.columns)

    @property
    def scrolls(self) -> bool:
        """Fixed-height boxes in a board taller than its place (a small terminal)."""
        return self.styles.height is not None and self.styles.height.is_auto

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.rows * NARROW_BOX_HEIGHT

    def boxes(self) -> list[Box]:
        geometry = (self.size, self.columns, self.scrolls)
        if self._boxes is None or self._boxes[0] != geometry:
            self._boxes = (geometry, self._layout())
            self._forget_drawing()
        return self._boxes[1]

    def _layout(self) -> list[Box]:
        width, height = self.size
        inside = max(self.columns, width - 2 * MARGIN - GUTTER * (self.columns - 1))
        extra = inside % self.columns  # to the last columns, as Textual's grid shares them
        widths = [inside // self.columns + (c >= self.columns - extra) for c in range(self.columns)]
        if self.scrolls:
            heights = [NARROW_BOX_HEIGHT] * self.rows
        else:
            heights = [height // self.rows + (r < height % self.rows) for r in range(self.rows)]
        boxes = []
        for index in range(len(self.panels)):
            row, column = divmod(index, self.columns)
            x = MARGIN + sum(widths[:column]) + GUTTER * column
            boxes.append(Box(index, Region(x, sum(heights[:row]), widths[column], heights[row])))
        return boxes

    def panel_at(self, x: int, y: int) -> int | None:
        for box in self.boxes():
            if box.region.contains(x, y):
                return box.index
        return None

    # -- keys and clicks --------------------------------------------------------------------

    def watch_selected(self) -> None:
        self._redraw()
        if self.scrolls and isinstance(self.parent, Widget):
            # The board is the first thing in its (scrolling) parent: its boxes' places are the parent's.
            box = self.boxes()[self.selected]
            self.parent.scroll_to_region(
                Region(0, box.region.y, self.size.width, box.region.height), animate=False, immediate=True
            )

    def step(self, step: int) -> None:
        self.selected = (self.selected + step) % len(self.panels)

    def open(self) -> None:
        self.post_message(self.Opened(self.panels[self.selected].panel_id))

    def on_click(self, event: events.Click) -> None:
        index = self.panel_at(event.x, event.y)
        if index is not None:
            self.selected = index
            self.open()

    def on_focus(self) -> None:
        self._redraw()

    def on_blur(self) -> None:
        self._redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()  # a new theme: new colours for every line
        self._forget_drawing()

    # -- drawing ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        boxes = self.boxes()
        drawn = self._drawn.get(y)
        if drawn is None:
            drawn = self._drawn[y] = self._draw_line(y, boxes)
        return drawn

    def _draw_line(self, y: int, boxes: list[Box]) -> Strip:
        # One Strip per line, from plain segments: building Strips per box and joining
        # them cost the first screen more than drawing the boxes.
        base = self._style("base")
        width = self.size.width
        segments: list[Segment] = []
        x = 0
        for box in boxes:
            region = box.region
            if not region.y <= y < region.bottom:
                continue
            if region.x > x:
                segments.append(Segment(" " * (region.x - x), base))
            segments.extend(self._box_line(box, y - region.y))
            x = region.right
        if width > x:
            segments.append(Segment(" " * (width - x), base))
        return Strip(segments, width)

    def _box_line(self, box: Box, line: int) -> list[Segment]:
        """One line of a box, exactly its width."""
        panel = self.panels[box.index]
        width, height = box.region.size
        base = self._style("base")
        edge = self._style("board--selected" if box.index == self.selected else "board--border")
        if line == 0:
            return self._edge_line("╭", "╮", width, edge, panel.title, "board--title", left=True)
        if line == height - 1:
            return self._edge_line("╰", "╯", width, edge, panel.hint, "board--hint", left=False)
        inner = max(0, width - 4)
        lines = self._content(box.index, inner)
        middle = list(lines[line - 1]) if line - 1 < len(lines) else [Segment(" " * inner, base)]
        return [Segment("│", edge), Segment(" ", base), *middle, Segment(" ", base), Segment("│", edge)]

    def _edge_line(
        self, left_corner: str, right_corner: str, width: int, edge: Style, label: str, label_class: str, *, left: bool
    ) -> list[Segment]:
        label = f" {label} " if label else ""
        room = max(0, width - 4)
        if len(label) > room:
            label = label[: max(0, room - 2)] + "… " if room > 2 else ""
        fill = "─" * max(0, width - 4 - len(label))
        label_style = edge + self._style(label_class)
        if left:
            return [
                Segment(left_corner + "─", edge),
                Segment(label, label_style),
                Segment(fill + "─" + right_corner, edge),
            ]
        return [Segment(left_corner + "─" + fill, edge), Segment(label, label_style), Segment("─" + right_corner, edge)]

    def _content(self, index: int, width: int) -> list[Strip]:
        """A box's content as lines `width` wide, drawn as a Static would draw it (cached)."""
        key = (index, width)
        lines = self._lines.get(key)
        if lines is None:
            content = self.contents[self.panels[index].panel_id]
            visual = visualize(self, content, markup=True)
            strips = Visual.to_strips(self, visual, width, None, self.visual_style, pad=True)
            lines = self._lines[key] = [strip.crop_extend(0, width, self._style("base")) for strip in strips]
        return lines
