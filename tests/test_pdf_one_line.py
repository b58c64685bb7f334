"""OneLineCells draws a one-line multi_cell exactly as fpdf2 does: the same PDF bytes, the
same position afterwards, the same return value; anything else is left to fpdf2."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fpdf.enums import MethodReturnValue

from organizer.exports import recap_pdf
from organizer.exports.pdf_fonts import BOLD, REGULAR
from organizer.exports.pdf_one_line import OneLineCells
from organizer.models import Member, Referral
from organizer.services.recap import build_recap
from tests.pdf_support import body

LATIN = "Ángel Brontë → Aoife Núñez: Uptown Yoga (5, won)"
LONG = "Kitchener-Waterloo Regional Manufacturing Association annual procurement committee " * 2


class Doc(OneLineCells):
    def __init__(self, fast: bool, shaping: bool = False):
        super().__init__(unit="mm", format="A4")
        self.one_line_cells = fast
        self.set_creation_date(datetime(2026, 11, 1, tzinfo=timezone.utc))
        self.add_font("dejavu", "", str(REGULAR))
        self.add_font("dejavu", "B", str(BOLD))
        if shaping:
            self.set_text_shaping(True, direction="ltr")  # as the recap's shaped texts are drawn
        self.add_page()
        self.set_font("dejavu", "", 8.5)
        self.calls = 0

    def _one_line(self, *args, **kwargs):
        drawn = super()._one_line(*args, **kwargs)
        self.calls += drawn is not None
        return drawn


def both(draw, shaping: bool = False):
    """Run `draw(doc)` on a document with and without the shortcut: (results, fast doc)."""
    out = []
    for fast in (True, False):
        doc = Doc(fast, shaping)
        returned = draw(doc)
        out.append((returned, round(doc.x, 9), round(doc.y, 9), doc.page, bytes(doc.output())))
    assert out[0] == out[1]
    return out[0], doc


def test_the_installed_fpdf2_has_the_steps_the_shortcut_takes():
    # If this fails, fpdf2 renamed its internals: the shortcut is off and recaps are slow.
    assert OneLineCells.one_line_cells


CASES = {
    "paragraph": dict(w=150, h=3.9, text=LATIN, align="L", new_x="LMARGIN", new_y="NEXT"),
    "whole width": dict(w=0, h=None, text=LATIN, align="L", new_x="LMARGIN"),
    "right": dict(w=40, h=4, text="22,475.99 CAD", align="R", new_x="RIGHT", new_y="TOP"),
    "centre": dict(w=12, h=4, text="12", align="C", new_x="RIGHT", new_y="TOP"),
    "padded table cell": dict(w=38, h=3.8, text="Νίκος Βασιλείου", align="LEFT", max_line_height=3.8, border=0,
                              new_x="RIGHT", new_y="TOP", fill=False, markdown=False, link=None,
                              output=MethodReturnValue.PAGE_BREAK | MethodReturnValue.HEIGHT, padding=(0.4, 1)),
    "uneven padding": dict(w=30, h=5, text="Иван Смирнова", align="R", padding=(1, 2, 0.5, 0.3), new_y="NEXT"),
    "height only": dict(w=30, h=5, text="Olga", output="HEIGHT", new_x="LEFT", new_y="LAST", padding=(0.5, 1.5)),
    "nothing returned": dict(w=30, h=5, text="Olga", output=MethodReturnValue(0)),
    "spaces around": dict(w=60, h=4, text="  Inês  MacLeod  ", align="L"),
    "justified": dict(w=150, h=4, text=LATIN, align="J"),
}


@pytest.mark.parametrize("case", CASES)
def test_one_line_is_drawn_as_fpdf2_draws_it(case):
    (returned, *_), doc = both(lambda doc: [doc.multi_cell(**CASES[case]) for _ in range(3)])
    assert doc.calls == 0  # the last document ran fpdf2's own
    fast = Doc(True)
    fast.multi_cell(**CASES[case])
    assert fast.calls == 1


ARABIC = "فاطمة الزهراء → Kevin O'Brien: Kim Dental Care (4, won)"
SHAPED = {
    "arabic in a paragraph": dict(w=150, h=3.9, text=ARABIC, align="L", new_x="LMARGIN", new_y="NEXT"),
    "hebrew on the right": dict(w=40, h=4, text="שרה כהן", align="R", new_x="RIGHT", new_y="TOP"),
    "mixed in the centre": dict(w=60, h=4, text="José → شركة (النور)", align="C"),
    "padded table cell": dict(w=38, h=3.8, text="مطعم الأرز", align="LEFT", max_line_height=3.8, new_x="RIGHT",
                              new_y="TOP", output=MethodReturnValue.PAGE_BREAK | MethodReturnValue.HEIGHT,
                              padding=(0.4, 1)),
}


@pytest.mark.parametrize("case", SHAPED)
def test_a_shaped_line_is_drawn_as_fpdf2_draws_it(case):
    both(lambda doc: [doc.multi_cell(**SHAPED[case]) for _ in range(3)], shaping=True)
    fast = Doc(True, shaping=True)
    fast.multi_cell(**SHAPED[case])
    assert fast.calls == 1


def test_shaped_fragments_the_breaker_would_merge_are_left_to_fpdf2():
    # Bidi splits this Devanagari name from "open)" in two left-to-right runs of one style.
    text = "अनीता शर्मा (3, open)"
    both(lambda doc: doc.multi_cell(w=60, h=4, text=text), shaping=True)
    fast = Doc(True, shaping=True)
    fast.multi_cell(w=60, h=4, text=text)
    assert fast.calls == 0


def test_a_shaped_line_near_the_edge_is_left_to_fpdf2():
    # The breaker measures shaped text its own way (the line so far, plus one letter shaped
    # alone): within two ems of the edge, it decides.
    doc = Doc(True, shaping=True)
    width, em = doc.get_string_width(ARABIC), doc.font_size
    doc.multi_cell(w=width + 2 * doc.c_margin + 1.9 * em, h=4, text=ARABIC)
    assert doc.calls == 0
    doc.multi_cell(w=width + 2 * doc.c_margin + 2.1 * em, h=4, text=ARABIC)
    assert doc.calls == 1
    for w in (width + 2 * doc.c_margin + 0.5 * em, width + 2 * doc.c_margin + 2.1 * em, width * 0.6):
        both(lambda doc: doc.multi_cell(w=w, h=4, text=ARABIC, new_x="LMARGIN", new_y="NEXT"), shaping=True)


def test_a_line_at_the_foot_of_the_page_breaks_the_page_as_fpdf2_does():
    def draw(doc):
        doc.set_y(doc.page_break_trigger - 2)
        return [doc.multi_cell(w=40, h=4, text="Olga Rossi", padding=(0.3, 1), new_x="RIGHT", new_y="TOP",
                               output=MethodReturnValue.PAGE_BREAK | MethodReturnValue.HEIGHT),
                doc.multi_cell(w=40, h=4, text="Olga Rossi", new_y="NEXT")]

    (returned, x, y, page, _), _ = both(draw)
    assert page == 2 and returned[0][0] is True


def test_a_measuring_pass_leaves_no_trace():
    def draw(doc):
        with doc._disable_writing():
            measured = doc.multi_cell(w=40, h=4, text=LATIN, output="HEIGHT")
        return measured, doc.multi_cell(w=40, h=4, text="Olga")

    both(draw)


@pytest.mark.parametrize("text", [LONG, "two\nlines", "soft\u00adhyphen", "no\u00a0break", "page {nb}", ""])
def test_what_the_breaker_changes_is_left_to_fpdf2(text):
    (returned, *_), _ = both(lambda doc: doc.multi_cell(w=60, h=4, text=text, new_x="LMARGIN", new_y="NEXT"))
    fast = Doc(True)
    fast.multi_cell(w=60, h=4, text=text)
    assert fast.calls == 0


@pytest.mark.parametrize("options", [dict(align="X"), dict(border=1), dict(fill=True),
                                     dict(markdown=True), dict(center=True), dict(output="LINES"),
                                     dict(dry_run=True)])
def test_options_it_does_not_handle_are_left_to_fpdf2(options):
    both(lambda doc: doc.multi_cell(w=60, h=4, text="Olga **Rossi**", **options))
    fast = Doc(True)
    fast.multi_cell(w=60, h=4, text="Olga **Rossi**", **options)
    assert fast.calls == 0


def test_a_text_just_too_wide_is_left_to_fpdf2():
    doc = Doc(True)
    width = doc.get_string_width(LATIN)
    doc.multi_cell(w=width + 2 * doc.c_margin, h=4, text=LATIN)  # fits only to the last micrometre
    assert doc.calls == 0
    doc.multi_cell(w=width + 2 * doc.c_margin + 0.01, h=4, text=LATIN)
    assert doc.calls == 1


def test_a_recap_is_the_same_pdf_with_and_without_the_shortcut(sample_group, now, monkeypatch):
    # Every section, tables and long lines, Latin, Greek, Cyrillic, Arabic and Hebrew.
    Member.update(name="فاطمة الزهراء").where(Member.name == "Priya Raman").execute()
    Member.update(name="שרה כהן").where(Member.name == "Oluwaseun Adeyemi").execute()
    long = "Kitchener-Waterloo Regional Manufacturing Association annual procurement committee"
    Referral.update(prospect_name=long).where(Referral.prospect_name == "KW Oktoberfest committee").execute()
    recap = build_recap(sample_group, 2026, 10, now=now)
    for paper in ("a4", "letter"):
        fast = recap_pdf.render(recap, paper=paper, fallback_fonts=[])
        monkeypatch.setattr(recap_pdf._Document, "one_line_cells", False)
        slow = recap_pdf.render(recap, paper=paper, fallback_fonts=[])
        monkeypatch.undo()
        assert body(fast.data) == body(slow.data)
        assert fast.warnings == slow.warnings
