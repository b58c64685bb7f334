"""The PDF recap, read back with pypdf: title, every who-referred-whom line, names in
every script intact or reported, at most two pages, the footer.

`fallback_fonts=[]` stands for a fresh machine with no fonts beyond the bundled one
(CI); `None` uses whatever fontconfig finds here, so those tests accept either outcome
for CJK: drawn, or reported as undrawable — never silently missing.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from fpdf.fonts import TTFFont
from pypdf import PdfReader

from organizer.exports import recap_pdf
from organizer.exports.recap_pdf import REPLACEMENT, bundled_charset
from organizer.models import Member, Referral
from organizer.services.recap import build_recap
from tests.recap_expected import expected_month

CJK = ("陈静", "김지은")  # October's CJK names (佐藤 健 visits in November)
OTHER_SCRIPTS = ("Nguyễn Thị Mai", "Δήμητρα Παππά", "Ольга Смирнова", "José Núñez", "Chloé Tremblay")


def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def lines_of_month() -> list[str]:
    return sorted(f"{g} → {r}: {p} ({t}, {s})"
                  for g, r, p, t, s in expected_month(2026, 10, date(2026, 9, 1)).lines)


def drawable(text: str) -> bool:
    charset = bundled_charset()
    return all(ord(ch) in charset or ch.isspace() for ch in text)


@pytest.fixture
def october(sample_group, now):
    return build_recap(sample_group, 2026, 10, now=now)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_bare_machine_draws_latin_greek_cyrillic_vietnamese_and_reports_cjk(october, paper):
    rendered = recap_pdf.render(october, paper=paper, fallback_fonts=[])
    reader, text = read(rendered.data)
    assert len(reader.pages) <= 2
    assert reader.metadata.title == "Grand River Business Circle — recap for October 2026"
    assert "Grand River Business Circle — recap for October 2026" in text.splitlines()[0]
    extracted = set(text.splitlines())
    for line in lines_of_month():
        if drawable(line):
            assert line in extracted
        else:  # a CJK name: printed as the replacement character, and reported
            assert line.replace("陈静", REPLACEMENT * 2) in extracted
    for name in OTHER_SCRIPTS:
        assert name in text
    for name in CJK:
        assert name not in text
        assert any(f"“{name}”" in warning for warning in rendered.warnings), rendered.warnings
    assert f"page 1 of {len(reader.pages)}" in text and "Grand River Business Circle" in text.splitlines()[-1]


def test_cjk_names_are_drawn_or_reported_with_this_machines_fonts(october):
    rendered = recap_pdf.render(october)  # fallback fonts from fontconfig, if any
    reader, text = read(rendered.data)
    assert len(reader.pages) <= 2
    squeezed = re.sub(r"\s+", "", text)  # pypdf may space out glyphs of a fallback font
    for name in CJK:
        drawn = name in squeezed
        reported = any(f"“{name}”" in warning for warning in rendered.warnings)
        assert drawn != reported, (name, rendered.warnings)
    extracted = set(text.splitlines())
    for line in lines_of_month():
        reported = any(f"“{name}”" in warning for warning in rendered.warnings for name in CJK if name in line)
        assert line in extracted or reported, line


def test_fully_drawn_with_the_bundled_font(sample_group, now):
    Member.update(name="Chen Jing").where(Member.name == "陈静").execute()
    Member.update(name="Kim Ji-eun").where(Member.name == "김지은").execute()
    Member.update(name="Zoë Lefèvre-Ἀθηνᾶ").where(Member.name == "Zoë Lefèvre").execute()
    recap = build_recap(sample_group, 2026, 10, now=now)
    rendered = recap_pdf.render(recap, fallback_fonts=[])
    assert rendered.warnings == ()
    _, text = read(rendered.data)
    assert REPLACEMENT not in text
    for line in (line.text for group in recap.who_referred_whom for line in group.referrals):
        assert line in text.splitlines()
    for name in OTHER_SCRIPTS + ("Chen Jing", "Kim Ji-eun"):
        assert name in text


def test_a_letter_no_font_draws_is_reported_not_dropped(sample_group, now):
    Member.update(name="Linear B 𐀀𐀁").where(Member.name == "Priya Raman").execute()
    rendered = recap_pdf.render(build_recap(sample_group, 2026, 10, now=now), fallback_fonts=[])
    assert any("U+10000" in warning and "Linear B 𐀀𐀁" in warning for warning in rendered.warnings)
    _, text = read(rendered.data)
    assert f"Linear B {REPLACEMENT}{REPLACEMENT} → Oluwaseun Adeyemi: Elmira Bakehouse (4, won)" in text


def test_sections_and_privacy(sample_group, now):
    def text(mode):
        recap = build_recap(sample_group, 2026, 10, now=now, amounts=mode)
        return read(recap_pdf.render(recap, fallback_fonts=[]).data)[1]

    shown, bucketed, hidden = text("show"), text("bucket"), text("hide")
    for heading in ("Who referred whom", "The month's matrix", "Chains", "Closed business and thank-yous",
                    "Give and get", "Attendance, visitors and new members", "Threads",
                    "Referrals given, last 12 months"):
        assert heading in shown
    assert "Marcus Thompson → Daniel Okafor → Emily Wagner → Sarah Mitchell" in shown
    assert "22,475.99 CAD" in shown and "3,433.00 CAD" in shown
    assert "22,475" not in bucketed and "10,000–25,000 CAD" in bucketed
    assert "22,475" not in hidden and "1,000–5,000" not in hidden and "Amounts are not shown" in hidden


def test_empty_month(group, now):
    rendered = recap_pdf.render(build_recap(group, 2026, 10, now=now), fallback_fonts=[])
    reader, text = read(rendered.data)
    assert len(reader.pages) == 1 and "No referrals were given this month." in text


def test_a_long_line_stays_one_line(sample_group, now):
    long = "Kitchener-Waterloo Regional Manufacturing Association annual procurement committee"
    Referral.update(prospect_name=long).where(Referral.prospect_name == "Elmira Bakehouse").execute()
    rendered = recap_pdf.render(build_recap(sample_group, 2026, 10, now=now), fallback_fonts=[])
    _, text = read(rendered.data)
    assert f"Priya Raman → Oluwaseun Adeyemi: {long} (4, won)" in text.splitlines()


def test_right_to_left_names_are_shaped_and_come_out_intact(sample_group, now):
    # Drawn without a shaping engine, Arabic letters stand unjoined and right-to-left names
    # read backwards on paper (and come back reversed from a text extractor).
    Member.update(name="فاطمة الزهراء").where(Member.name == "Priya Raman").execute()
    Member.update(name="שרה כהן").where(Member.name == "Oluwaseun Adeyemi").execute()
    Referral.update(prospect_name="شركة (النور)").where(Referral.prospect_name == "Elmira Bakehouse").execute()
    recap = build_recap(sample_group, 2026, 10, now=now)
    rendered = recap_pdf.render(recap, fallback_fonts=[])
    _, text = read(rendered.data)
    for name in ("فاطمة الزهراء", "שרה כהן", "شركة (النور)"):
        assert name in text
    # The bundled font draws both scripts, and HarfBuzz joins the Arabic: nothing to report.
    assert not any("فاطمة" in warning or "שרה" in warning for warning in rendered.warnings)


def test_only_scripts_that_need_it_are_shaped():
    assert recap_pdf.needs_shaping(["Zoë → فاطمة"]) and recap_pdf.needs_shaping(["שרה"])
    assert recap_pdf.needs_shaping(["अनीता शर्मा"])  # Devanagari: conjuncts and vowel signs
    assert not recap_pdf.needs_shaping(["Nguyễn Thị Mai", "Ольга", "Δήμητρα", "陈静", "佐藤 健", "김지은"])


def test_only_texts_in_complex_scripts_go_through_harfbuzz(sample_group, now, monkeypatch):
    Member.update(name="فاطمة الزهراء").where(Member.name == "Priya Raman").execute()
    shaped: list[str] = []
    original = TTFFont.perform_harfbuzz_shaping

    def recording(self, text, *args, **kwargs):
        shaped.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(TTFFont, "perform_harfbuzz_shaping", recording)
    rendered = recap_pdf.render(build_recap(sample_group, 2026, 10, now=now), fallback_fonts=[])
    assert any("فاطمة" in text for text in shaped)
    # A line without such letters is drawn as in a recap that has none.
    assert not any("Hendricks Machine Shop" in text or "Who referred whom" in text for text in shaped)
    _, text = read(rendered.data)
    assert "فاطمة الزهراء" in text
    assert "Daniel Okafor → Marcus Thompson: Hendricks Machine Shop (3, contacted)" in text.splitlines()
