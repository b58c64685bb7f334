"""The PDF recap's fonts (organizer/exports/pdf_fonts.py): what a process keeps between
renders (the machine's font list, parsed fonts, converted fallback fonts) changes nothing
in the PDF, and never carries one render's fonts into another's.

fc-list is faked here (a listing naming the bundled font), so these tests read the same on
a machine with any fonts, or none.
"""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from organizer.exports import pdf_fonts, recap_pdf
from organizer.exports.pdf_fonts import REGULAR, FontFile
from organizer.services.recap import build_recap
from tests.pdf_support import body, make_font


class FakeFcList:
    """Stands for `fc-list --format …`: one line per face, as fontconfig prints them."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.calls = 0

    def __call__(self, args, **kwargs):
        assert args[0] == "/usr/bin/fc-list" and "--format" in args
        self.calls += 1
        return subprocess.CompletedProcess(args, 0, stdout="".join(self.lines), stderr="")


def listing(path: str, charset: str, fontformat: str = "TrueType", style: str = "Book") -> str:
    return f"{path}\t0\t{fontformat}\t{style}\t{charset}\n"


@pytest.fixture
def fc_list(monkeypatch):
    fake = FakeFcList([])
    monkeypatch.setattr(pdf_fonts.shutil, "which", lambda name: "/usr/bin/fc-list")
    monkeypatch.setattr(pdf_fonts.subprocess, "run", fake)
    monkeypatch.setattr(pdf_fonts, "_font_list", None)
    return fake


def test_charset_ranges_as_fontconfig_prints_them():
    starts, ends = pdf_fonts._parse_charset("a0-17f 20-7e 2010 4e00-9fff")
    entry = pdf_fonts._Listed((), FontFile("x.ttf"), starts, ends)
    assert [entry.covers(p) for p in (0x1F, 0x20, 0x7E, 0x7F, 0xE9, 0x2010, 0x2011, 0x4E00, 0x9FFF, 0xA000)] == [
        False, True, True, False, True, True, False, True, True, False]


def test_the_machines_fonts_are_listed_once_for_many_renders(fc_list):
    fc_list.lines = [listing("/fonts/Other.ttf", "20-7e"), listing(str(REGULAR), "20-7e a0-17f")]
    for _ in range(3):
        assert pdf_fonts.find_fallback_fonts("éø") == [FontFile(str(REGULAR))]
    assert fc_list.calls == 1


def test_a_font_fontconfig_lists_but_that_lacks_the_letter_is_not_used(fc_list):
    # fontconfig's charset is a hint; the font's own cmap decides (DejaVu has no CJK).
    fc_list.lines = [listing(str(REGULAR), "20-7e 4e00-9fff")]
    assert pdf_fonts.find_fallback_fonts("陈") == []


def test_a_font_installed_after_the_warning_is_found_once_the_listing_is_old(fc_list):
    fc_list.lines = [listing("/fonts/Other.ttf", "20-7e")]
    assert pdf_fonts.find_fallback_fonts("é") == []
    assert pdf_fonts.find_fallback_fonts("é") == []  # a fresh listing is trusted
    assert fc_list.calls == 1
    fc_list.lines.append(listing(str(REGULAR), "20-7e a0-17f"))  # the user installs a font
    listed_at, listed = pdf_fonts._font_list
    pdf_fonts._font_list = (listed_at - pdf_fonts.FONT_LIST_FRESH - 1, listed)
    assert pdf_fonts.find_fallback_fonts("é") == [FontFile(str(REGULAR))]
    assert fc_list.calls == 2
    assert pdf_fonts.find_fallback_fonts("é") == [FontFile(str(REGULAR))]
    assert fc_list.calls == 2  # everything drawn: no reason to look again


def test_no_fontconfig_no_fallback_fonts(monkeypatch):
    monkeypatch.setattr(pdf_fonts.shutil, "which", lambda name: None)
    assert pdf_fonts.find_fallback_fonts("陈静") == []


# -- parsed fonts ---------------------------------------------------------------------------


@pytest.fixture
def october(sample_group, now):
    return build_recap(sample_group, 2026, 10, now=now)


def test_the_installed_fpdf2_lets_fonts_be_parsed_once():
    # If this fails, fpdf2's TTFFont changed: check that add_font still gives each document
    # its own copy of every per-document attribute, then update _TTF_SLOTS.
    assert pdf_fonts._COPYABLE


def test_fonts_parsed_once_draw_the_same_pdf_as_fonts_parsed_per_document(october, monkeypatch):
    first = recap_pdf.render(october, fallback_fonts=[])
    second = recap_pdf.render(october, fallback_fonts=[])
    with monkeypatch.context() as patch:
        patch.setattr(pdf_fonts, "_COPYABLE", False)  # fpdf2's own add_font, every time
        parsed_here = recap_pdf.render(october, fallback_fonts=[])
    assert body(first.data) == body(second.data) == body(parsed_here.data)
    assert first.warnings == second.warnings == parsed_here.warnings


def test_a_document_embeds_only_its_own_glyphs(october, sample_group, now, monkeypatch):
    recap_pdf.render(october, fallback_fonts=[])  # many letters, in every script
    quiet = build_recap(sample_group, 2025, 1, now=now)  # before the group began: few letters
    after = recap_pdf.render(quiet, fallback_fonts=[])
    monkeypatch.setattr(pdf_fonts, "_COPYABLE", False)
    alone = recap_pdf.render(quiet, fallback_fonts=[])
    assert body(after.data) == body(alone.data)


# -- fallback fonts -----------------------------------------------------------------------------


def extracted(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def embedded_families(data: bytes) -> set[str]:
    return {str(font.get_object()["/BaseFont"]).split("+")[-1]
            for page in PdfReader(io.BytesIO(data)).pages for font in page["/Resources"]["/Font"].values()}


def reported(rendered, name: str) -> bool:
    return any(f"“{name}”" in warning for warning in rendered.warnings)


@pytest.mark.parametrize("cff", [False, True], ids=["truetype", "cff"])
def test_one_renders_fallback_fonts_never_reach_the_next(october, tmp_path, cff):
    chinese = FontFile(make_font(tmp_path / "zh.otf", "陈静", cff=cff, family="Zh Test"))
    korean = FontFile(make_font(tmp_path / "ko.otf", "김지은", cff=cff, family="Ko Test"))
    both = recap_pdf.render(october, fallback_fonts=[chinese, korean])
    only_korean = recap_pdf.render(october, fallback_fonts=[korean])
    none = recap_pdf.render(october, fallback_fonts=[])
    again = recap_pdf.render(october, fallback_fonts=[chinese, korean])

    assert both.warnings == () and body(both.data) == body(again.data)
    assert {"ZhTest", "KoTest"} <= embedded_families(both.data)
    assert reported(only_korean, "陈静") and not reported(only_korean, "김지은")
    assert "ZhTest" not in embedded_families(only_korean.data) and "김지은" in extracted(only_korean.data)
    assert reported(none, "陈静") and reported(none, "김지은")
    assert not {"ZhTest", "KoTest"} & embedded_families(none.data)


def test_a_cff_font_is_converted_once_per_set_of_letters(october, tmp_path, monkeypatch):
    font = FontFile(make_font(tmp_path / "cjk.otf", "陈静김지은", cff=True, family="Cjk Test"))
    conversions = []
    convert = pdf_fonts._convert_to_truetype
    monkeypatch.setattr(pdf_fonts, "_convert_to_truetype",
                        lambda font, points, folder: conversions.append(set(points)) or convert(font, points, folder))
    first = recap_pdf.render(october, fallback_fonts=[font])
    second = recap_pdf.render(october, fallback_fonts=[font])
    assert len(conversions) == 1 and body(first.data) == body(second.data)
    assert first.warnings == () and "陈静" in extracted(first.data)

    # Other letters, another conversion holding just those.
    only_korean = pdf_fonts.truetype_subset(font, {ord(ch) for ch in "김지은"})
    both = pdf_fonts.truetype_subset(font, {ord(ch) for ch in "陈静김지은"})
    assert len(conversions) == 2 and only_korean != both
    assert set(TTFont(only_korean.path).getBestCmap()) == {ord(ch) for ch in "김지은"}


def test_a_font_file_replaced_on_disk_is_read_anew(october, tmp_path):
    path = tmp_path / "fallback.ttf"
    make_font(path, "陈静", family="First Test")
    assert reported(recap_pdf.render(october, fallback_fonts=[FontFile(str(path))]), "김지은")
    make_font(path, "陈静김지은", family="Second Test")
    rendered = recap_pdf.render(october, fallback_fonts=[FontFile(str(path))])
    assert rendered.warnings == () and "SecondTest" in embedded_families(rendered.data)
