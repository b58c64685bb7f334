"""Lines and tables for the PDF recap, written straight to the page where they can be.

fpdf2 lays out each table cell twice through multi_cell (once to measure the row, once to
draw it) and each one-line paragraph through its fragment machinery: ~200 µs a cell,
over half of a recap's PDF time for its give-and-get and closed-business tables. A text
that the bundled face draws as it is (no shaping, no fallback font: the document's
`plain` says so) and that fits on one line is placed here with `FPDF.text()` where
cell() would put it (~15 µs). Anything else — a text that wraps, a name that needs
HarfBuzz or a machine font — goes through multi_cell as before, so nothing is cut off.

Tables are drawn row by row: the heading row tinted and repeated at the top of every page
a table runs onto, a thin rule under every row, a row taller where a cell wraps (its other
cells centred in it, as in fpdf2's tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from fpdf import FPDF

_SPARE = 0.05  # mm kept free at a cell's edge, so a text that only just fits is still drawn whole
# What fpdf2's line breaker reads rather than draws (line and page feeds, tabs; a soft hyphen
# shows only where a line breaks; a no-break space is measured as a space): left to multi_cell.
_BREAKER_CHARS = frozenset("\n\r\f\t\v\u00ad\u00a0")


def written_line(pdf: FPDF, plain: Callable[[str], bool], text: str, w: float, h: float,
                 align: str = "L", pad: float | None = None) -> bool:
    """Write `text` as one line in the box at the current position (w × h mm), as
    cell(w, h, text, align=align) would; False (nothing drawn) if it would wrap or is not plain.

    `pad` is the space kept each side (fpdf2's cell margin by default). The position is left as it was.
    """
    pad = pdf.c_margin if pad is None else pad
    width = plain_width(pdf, plain, text)
    if width is None or width > w - 2 * pad - _SPARE:
        return False
    _write(pdf, text, width, w, h, align, pad)
    return True


def plain_width(pdf: FPDF, plain: Callable[[str], bool], text: str) -> float | None:
    """The width (mm) of a plain `text` in the current font, summed from the font's advance
    widths as fpdf2 sums them; None for a text that is not plain (or empty)."""
    if (not text or pdf.char_spacing or pdf.font_stretching != 100 or not _BREAKER_CHARS.isdisjoint(text)
            or not plain(text)):
        return None
    widths = pdf.current_font.cw
    return sum(widths[ord(ch)] for ch in text) * pdf.font_size_pt * 0.001 / pdf.k


def _write(pdf: FPDF, text: str, width: float, w: float, h: float, align: str, pad: float) -> None:
    if align == "R":
        x = pdf.x + w - pad - width
    elif align == "C":
        x = pdf.x + (w - width) / 2
    else:
        x = pdf.x + pad
    pdf.text(x, pdf.y + 0.5 * h + 0.3 * pdf.font_size, text)  # fpdf2's own baseline in a cell


@dataclass(frozen=True)
class Table:
    widths: tuple[float, ...]  # mm per column
    aligns: tuple[str, ...]  # "L", "R" or "C" per column
    line_height: float  # mm per line of text
    padding: tuple[float, float] = (0.3, 1.0)  # mm above and below, and each side, of a cell's text
    heading_fill: tuple[int, int, int] = (238, 244, 255)
    rule: tuple[int, int, int] = (200, 205, 212)

    @property
    def width(self) -> float:
        return sum(self.widths)


def draw_table(pdf: FPDF, plain: Callable[[str], bool], table: Table, heading: Sequence[str],
               rows: Iterable[Sequence[str]], *, x: float | None = None, size: float | None = None,
               bold_last_row: bool = False, bold_last_column: bool = False) -> None:
    """The table from the current y, its left edge at `x` (the left margin by default), in the
    current font family at `size` points (the current size by default); leaves y under it."""
    left = pdf.l_margin if x is None else x
    size = pdf.font_size_pt if size is None else size
    rows = list(rows)
    last = len(table.widths) - 1

    def draw(cells: Sequence[str], *, bold: bool, heading_row: bool) -> None:
        styles = ["B" if bold or (bold_last_column and i == last) else "" for i in range(len(cells))]
        widths = []  # each cell's one-line width, or None where it goes through multi_cell
        heights = []  # each cell's text height, to centre it in the row as fpdf2's tables do
        above, side = table.padding
        for text, w, style in zip(cells, table.widths, styles):
            _font(pdf, style, size)
            width = plain_width(pdf, plain, text)
            if width is not None and width > w - 2 * side - _SPARE:
                width = None
            height = table.line_height
            if width is None and text:
                height = pdf.multi_cell(w, table.line_height, text, padding=(0, side), dry_run=True, output="HEIGHT")
            widths.append(width)
            heights.append(height)
        row_height = max(heights) + 2 * above
        if pdf.get_y() + row_height > pdf.page_break_trigger:
            pdf.add_page()
            if not heading_row:  # a page of body rows starts with the heading again
                draw(heading, bold=True, heading_row=True)
        top = pdf.get_y()
        if heading_row:
            pdf.set_fill_color(*table.heading_fill)
            pdf.rect(left, top, table.width, row_height, style="F")
        cell_x = left
        for text, w, align, style, width, height in zip(cells, table.widths, table.aligns, styles, widths, heights):
            pdf.set_xy(cell_x, top + (row_height - height) / 2)
            _font(pdf, style, size)
            if width is not None:
                _write(pdf, text, width, w, table.line_height, align, side)
            elif text:
                pdf.multi_cell(w, table.line_height, text, align=align, padding=(0, side), new_x="RIGHT",
                               new_y="TOP")
            cell_x += w
        pdf.set_draw_color(*table.rule)
        pdf.set_line_width(0.2)
        pdf.line(left, top + row_height, left + table.width, top + row_height)
        pdf.set_xy(left, top + row_height)

    draw(heading, bold=True, heading_row=True)
    for i, cells in enumerate(rows):
        draw(cells, bold=bold_last_row and i == len(rows) - 1, heading_row=False)
    pdf.set_x(pdf.l_margin)


def _font(pdf: FPDF, style: str, size: float) -> None:
    if pdf.font_style != style or pdf.font_size_pt != size:  # set_font costs ~10 µs even when nothing changes
        pdf.set_font(style=style, size=size)
