"""The PDF recap (Typst), read back with pypdf: title, every who-referred-whom line, names in
every script intact or reported, the CJK matrix rows as counts, pages, privacy, layout.

`system_fonts=False` stands for a bare machine with the bundled DejaVu Sans alone; the
default uses this machine's fonts, where a CJK font must be installed (CI installs
fonts-noto-cjk: see .ci/run) so the CJK rows are checked drawn, not just reported.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from organizer.models import Member, Referral
from organizer.recap import pdf
from organizer.recap.blocks import Heading
from organizer.recap.document import document
from organizer.recap.model import long_date
from organizer.recap.pdf import REPLACEMENT
from organizer.services import ledger
from organizer.services.recap import build_recap
from tests.recap_expected import expected_month

CJK = ("陈静", "김지은")  # October's CJK names (佐藤 健 visits in November)
OTHER_SCRIPTS = (
    "Nguyễn Thị Mai",
    "Δήμητρα Παππά",
    "Ольга Смирнова",
    "José Núñez",
    "Chloé Tremblay",
)


def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text with line breaks as spaces: a list item may wrap in a half-width column."""
    return " ".join(text.split())


def lines_of_month() -> list[str]:
    return sorted(f"{g} → {r}: {p} ({t}, {s})" for g, r, p, t, s in expected_month(2026, 10, date(2026, 9, 1)).lines)


def render(recap, paper="a4", system_fonts=True):
    return pdf.render(document(recap), paper=paper, system_fonts=system_fonts)


@pytest.fixture
def october(sample_group, now):
    return build_recap(sample_group, 2026, 10, now=now)


def test_a_cjk_font_is_installed():
    """The CJK checks below need one (CI: `apt-get install fonts-noto-cjk`, in .ci/run)."""
    assert shutil.which("fc-list"), "fontconfig is needed to find the machine's fonts"
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    assert listed.strip(), "install a CJK font (fonts-noto-cjk) to run the recap's CJK checks"


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_bare_machine_draws_latin_greek_cyrillic_vietnamese_and_reports_cjk(october, paper):
    rendered = render(october, paper, system_fonts=False)
    reader, text = read(rendered.data)
    assert len(reader.pages) <= 2
    assert reader.metadata.title == "Grand River Business Circle — recap for October 2026"
    assert text.splitlines()[0] == "Grand River Business Circle — recap for October 2026"
    for line in lines_of_month():
        assert flat(line.replace("陈静", REPLACEMENT * 2).replace("김지은", REPLACEMENT * 3)) in flat(text)
    for name in OTHER_SCRIPTS:
        assert name in flat(text)
    assert len(rendered.warnings) == 1  # one warning names every letter and a few texts
    for name in CJK:
        assert name not in text
        assert all(f"U+{ord(ch):04X}" in rendered.warnings[0] for ch in name)
    assert "“陈静”" in rendered.warnings[0]
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == ((595, 842) if paper == "a4" else (612, 792))
    assert f"page 1 of {len(reader.pages)}" in text


def test_cjk_matrix_rows_read_back_as_counts(october):
    """Every matrix row, CJK givers included, reads back as the dots and counts it holds
    (fpdf2 printed "D D D … v" for a Chinese giver's row: upstream fpdf2 #1488)."""
    rendered = render(october)
    assert rendered.warnings == ()
    _, text = read(rendered.data)
    matrix = october.matrix
    lines = text.splitlines()
    for name, counts, total in zip(matrix.givers, matrix.counts, matrix.row_totals):
        expected = " ".join([name, *(str(n) if n else "·" for n in counts), str(total)])
        assert expected in lines, (
            expected,
            [line for line in lines if line.startswith(name)],
        )
    assert any(name in matrix.givers for name in CJK)
    for line in lines_of_month():
        assert flat(line) in flat(text)


def test_a_letter_no_font_draws_is_reported_not_dropped(sample_group, now):
    Member.update(name="Linear B 𐀀𐀁").where(Member.name == "Priya Raman").execute()
    rendered = render(build_recap(sample_group, 2026, 10, now=now))
    assert any("U+10000" in warning and "“Linear B 𐀀𐀁”" in warning for warning in rendered.warnings)
    _, text = read(rendered.data)
    assert f"Linear B {REPLACEMENT}{REPLACEMENT} → Oluwaseun Adeyemi: Elmira Bakehouse (4, won)" in flat(text)


def test_user_text_is_data_never_typst_markup(sample_group, now):
    hostile = '#panic("x") ]; #set page(width: 1cm) [*b* $x$ <l> @ref \\ // c'
    Member.update(name=hostile).where(Member.name == "Priya Raman").execute()
    _, text = read(render(build_recap(sample_group, 2026, 10, now=now), system_fonts=False).data)
    assert hostile in flat(text)


def test_sections_privacy_and_dates_on_one_line(sample_group, now):
    def text(mode):
        recap = build_recap(sample_group, 2026, 10, now=now, amounts=mode)
        return recap, read(render(recap, system_fonts=False).data)[1]

    recap, shown = text("show")
    (_, bucketed), (_, hidden) = text("bucket"), text("hide")
    for heading in (
        "Who referred whom",
        "The month's matrix",
        "Chains",
        "Closed business and thank-yous",
        "Give and get",
        "Attendance",
        "Threads",
        "Referrals given, last 12 months",
    ):
        assert heading in shown
    assert "Marcus Thompson → Daniel Okafor → Emily Wagner → Sarah Mitchell" in flat(shown)
    assert "22,475.99 CAD" in shown and "3,433.00 CAD" in shown
    assert "22,475" not in bucketed and "10,000–25,000 CAD" in bucketed
    assert "22,475" not in hidden and "1,000–5,000" not in hidden and "Amounts are not shown" in hidden
    lines = shown.splitlines()
    for line in recap.closed:  # a date in a table cell is never broken across lines
        assert any(long_date(line.closed_on) in row for row in lines), long_date(line.closed_on)


def test_new_group_has_no_chart_of_zeros(group, now):
    rendered = render(build_recap(group, 2026, 10, now=now), system_fonts=False)
    reader, text = read(rendered.data)
    assert len(reader.pages) == 1 and "No referrals were given this month." in text
    assert "last 12 months" not in text


def test_right_to_left_names_come_out_intact(sample_group, now):
    """Arabic joins and each right-to-left word reads back as typed. (pypdf returns a right-to-
    left run's words in the order they stand on paper, right to left: words, not their order.)"""
    Member.update(name="فاطمة الزهراء").where(Member.name == "Priya Raman").execute()
    Member.update(name="שרה כהן").where(Member.name == "Oluwaseun Adeyemi").execute()
    Referral.update(prospect_name="شركة النور").where(Referral.prospect_name == "Elmira Bakehouse").execute()
    rendered = render(build_recap(sample_group, 2026, 10, now=now), system_fonts=False)
    _, text = read(rendered.data)
    for word in ("فاطمة", "الزهراء", "שרה", "כהן", "شركة", "النور"):
        assert word in text
    assert rendered.warnings == () or not any("فاطمة" in w or "שרה" in w for w in rendered.warnings)


def _headings_alone(data: bytes, doc) -> list[str]:
    """Headings that end a page (the last line above the footer)."""
    headings = {block.text for block in doc.blocks if isinstance(block, Heading)}
    reader = PdfReader(io.BytesIO(data))
    alone = []
    for page in reader.pages:
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if not re.search(r"page \d+ of \d+$", line)]
        if body and body[-1].strip() in headings:
            alone.append(body[-1])
    return alone


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_busy_month_fits_two_pages_with_no_heading_alone(sample_group, now, paper):
    """One meeting and ~40 referrals: the handout is two pages, A4 or Letter."""
    members = list(
        Member.select().where((Member.group == sample_group) & (Member.status == "active")).order_by(Member.name)
    )
    day = date(2026, 10, 1)
    for i in range(40 - len(lines_of_month())):
        giver, receiver = members[i % len(members)], members[(i * 7 + 3) % len(members)]
        if giver.id == receiver.id:
            receiver = members[(i * 7 + 4) % len(members)]
        ledger.record_referral(
            sample_group,
            now=now,
            giver=giver,
            receiver=receiver,
            prospect_name=f"Prospect number {i} Holdings Ltd",
            given_on=(day + timedelta(days=i % 28)).isoformat(),
            temperature=1 + i % 5,
        )
    recap = build_recap(sample_group, 2026, 10, now=now)
    assert recap.referrals_given >= 40
    doc = document(recap)
    rendered = pdf.render(doc, paper=paper)
    reader, text = read(rendered.data)
    assert len(reader.pages) == 2
    assert _headings_alone(rendered.data, doc) == []
    for group in recap.who_referred_whom:
        for line in group.referrals:
            assert flat(line.text) in flat(text)
    matrix, lines = recap.matrix, text.splitlines()
    assert len(matrix.receivers) > 16  # the matrix is printed whole, not just counted
    for name, counts, total in zip(matrix.givers, matrix.counts, matrix.row_totals):
        assert " ".join([name, *(str(n) if n else "·" for n in counts), str(total)]) in lines, name
    # The chart shares its page with other sections.
    chart_page = next(page.extract_text() for page in reader.pages if "last 12 months" in page.extract_text())
    assert "Threads" in chart_page
