"""pdf_table: a one-line text lands where fpdf2's cell() puts it; tables wrap what does not fit,
repeat their heading on each page, and lose no text."""

from __future__ import annotations

import io

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from organizer.exports.pdf_fonts import BOLD, REGULAR, bundled_charset
from organizer.exports.pdf_table import Table, draw_table, written_line

BUNDLED = bundled_charset()


def plain(text: str) -> bool:
    return all(ord(ch) in BUNDLED for ch in text)


def document() -> FPDF:
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font("dejavu", "", str(REGULAR))
    pdf.add_font("dejavu", "B", str(BOLD))
    pdf.add_page()
    pdf.set_font("dejavu", "", 8.5)
    return pdf


def runs(pdf: FPDF) -> list[tuple[str, float, float, int]]:
    """Every text run drawn: (text, x, y in points, page number)."""
    found = []
    for number, page in enumerate(PdfReader(io.BytesIO(bytes(pdf.output()))).pages, 1):
        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                found.append((text.strip(), round(tm[4], 2), round(tm[5], 2), number))
        page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("align", ["L", "R", "C"])
@pytest.mark.parametrize("pad", [None, 0.8])
def test_a_line_is_written_where_cell_puts_it(align, pad):
    text = "Ángel Brontë 1,648.50 CAD"
    written = document()
    written.set_xy(30, 40)
    assert written_line(written, plain, text, 60, 4.2, align, pad)
    assert (written.x, written.y) == (30, 40)  # the position is left as it was
    drawn = document()
    if pad is not None:
        drawn.c_margin = pad
    drawn.set_xy(30, 40)
    drawn.cell(60, 4.2, text, align=align)
    assert runs(written) == runs(drawn)


def test_what_would_wrap_or_needs_another_font_is_not_written():
    pdf = document()
    assert not written_line(pdf, plain, "Kitchener-Waterloo Regional Manufacturing Association", 30, 4)
    assert not written_line(pdf, plain, "和風キッチン", 60, 4)  # a letter the bundled face lacks
    assert not written_line(pdf, plain, "", 60, 4)
    for breaker in ("two\nlines", "tab\there", "soft\u00adhyphen", "no-break\u00a0space"):
        assert not written_line(pdf, plain, breaker, 60, 4)  # fpdf2's line breaker handles these
    assert runs(pdf) == []


TABLE = Table((40, 60, 25), ("L", "L", "R"), line_height=3.8)
HEADING = ("member", "prospect", "amount")


def test_a_cell_that_does_not_fit_wraps_and_the_row_grows():
    long = "Kitchener-Waterloo Regional Manufacturing Association annual procurement committee"
    pdf = document()
    top = pdf.get_y()
    draw_table(pdf, plain, TABLE, HEADING, [("Ana", long, "10.00"), ("Ben", "Uptown Yoga", "5.00")])
    drawn = runs(pdf)
    text = " ".join(run[0] for run in drawn)
    for word in long.split():
        assert word in text
    rows = {run[0]: run[2] for run in drawn}
    lines = [run for run in drawn if run[0] in long]
    assert len({y for _, _, y, _ in lines}) >= 2  # the long prospect took more than one line
    assert rows["Ben"] < min(y for _, _, y, _ in lines)  # the next row starts below all of it
    assert pdf.get_y() - top > 4 * TABLE.line_height  # heading, two lines, one line


def test_a_long_table_repeats_its_heading_on_every_page():
    pdf = document()
    rows = [(f"Member {i}", f"Prospect {i}", f"{i}.00") for i in range(150)]
    draw_table(pdf, plain, TABLE, HEADING, rows)
    drawn = runs(pdf)
    pages = sorted({page for *_, page in drawn})
    assert len(pages) >= 2
    for page in pages:
        on_page = [run for run in drawn if run[3] == page]
        top = max(y for _, _, y, _ in on_page)  # PDF y grows upwards
        assert {run[0] for run in on_page if run[2] == top} == set(HEADING)
    body = [run[0] for run in drawn if run[0].startswith("Member ")]
    assert body == [f"Member {i}" for i in range(150)]  # every row once, in order


def test_numbers_end_at_the_column_edge():
    pdf = document()
    draw_table(pdf, plain, TABLE, HEADING, [("Ana", "Uptown Yoga", "1.00"), ("Ben", "Huron", "1,648.50")])
    ends = set()
    for text, x, _, _ in runs(pdf):
        if text in ("1.00", "1,648.50", "amount"):
            pdf.set_font(style="B" if text == "amount" else "")
            ends.add(round(x + pdf.get_string_width(text) * pdf.k, 1))
    assert len(ends) == 1


def test_text_with_the_pdf_string_delimiters_reads_back_as_typed():
    pdf = document()
    text = r"O'Brien (Café) \ back\slash) ("
    pdf.set_xy(20, 20)
    assert written_line(pdf, plain, text, 120, 4)
    assert [run[0] for run in runs(pdf)] == [text]
