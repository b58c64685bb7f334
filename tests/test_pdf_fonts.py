"""The PDF recap's fonts (organizer/exports/pdf_fonts.py): what a process keeps between
renders (the machine's font list, parsed fonts, converted fallback fonts) changes nothing
in the PDF, and never carries one render's fonts into another's.

fc-list is faked here (a listing naming the bundled font), so these tests read the same on
a machine with any fonts, or none.
"""

from __future__ import annotations

import array
import io
import re
import subprocess
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import pytest
from fontTools.misc.lazyTools import LazyList
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from organizer.exports import pdf_fonts, recap_pdf
from organizer.exports.pdf_fonts import BOLD, REGULAR, FontFile
from organizer.services.recap import build_recap
from tests.pdf_support import body, drawing, font_files, make_font


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


@pytest.fixture
def clones(monkeypatch):
    """The fontTools views handed out as clones of a kept font's tables, in order."""
    made = []
    clone = pdf_fonts._clone

    def counted(tables):
        made.append(clone(tables))
        return made[-1]

    monkeypatch.setattr(pdf_fonts, "_clone", counted)
    return made


def test_fonts_parsed_once_draw_the_same_pdf_as_fonts_parsed_per_document(october, monkeypatch, clones):
    first = recap_pdf.render(october, fallback_fonts=[])
    second = recap_pdf.render(october, fallback_fonts=[])
    assert len(clones) == 4  # both bundled faces, subset from clones, in both documents
    with monkeypatch.context() as patch:
        patch.setattr(pdf_fonts, "_COPYABLE", False)  # fpdf2's own add_font, every time
        parsed_here = recap_pdf.render(october, fallback_fonts=[])
    assert len(clones) == 4
    assert body(first.data) == body(second.data)
    assert drawing(first.data) == drawing(parsed_here.data)
    assert first.warnings == second.warnings == parsed_here.warnings


def test_an_embedded_subset_is_a_sound_font_whose_bounds_hold_its_glyphs(october):
    reader = PdfReader(io.BytesIO(recap_pdf.render(october, fallback_fonts=[]).data))
    files = font_files(reader)
    assert files
    for file in files:
        font = TTFont(io.BytesIO(file))
        glyf, head, hhea, maxp = font["glyf"], font["head"], font["hhea"], font["maxp"]
        assert maxp.numGlyphs == len(font.getGlyphOrder()) == len(font["hmtx"].metrics) < 1000
        for name in font.getGlyphOrder():
            glyph = glyf[name]
            glyph.recalcBounds(glyf)
            if glyph.numberOfContours:
                assert head.xMin <= glyph.xMin <= glyph.xMax <= head.xMax
                assert head.yMin <= glyph.yMin <= glyph.yMax <= head.yMax
            if glyph.numberOfContours > 0:
                points, contours = glyph.getMaxpValues()
                assert points <= maxp.maxPoints and contours <= maxp.maxContours
            assert font["hmtx"][name][0] <= hhea.advanceWidthMax


@pytest.fixture
def quiet(sample_group, now):
    return build_recap(sample_group, 2025, 1, now=now)  # before the group began: few letters


def test_a_document_embeds_only_its_own_glyphs(october, quiet, monkeypatch, clones):
    recap_pdf.render(october, fallback_fonts=[])  # many letters, in every script
    after = recap_pdf.render(quiet, fallback_fonts=[])
    assert len(clones) == 4
    monkeypatch.setattr(pdf_fonts, "_COPYABLE", False)
    alone = recap_pdf.render(quiet, fallback_fonts=[])
    assert drawing(after.data) == drawing(alone.data)


def kept_tables(path) -> TTFont:
    """The decompiled tables this process keeps for a bundled face (parsing it if need be)."""
    tables = pdf_fonts._parse(str(path), 0, "B" if path == BOLD else "").tables
    assert tables is not None
    return tables


def state(value):
    """A value and everything it holds, as plain data (a table, a glyph, a cmap subtable…)."""
    if isinstance(value, TTFont):
        return "<TTFont>"  # cmap subtables point back to the font that read them
    if isinstance(value, dict):
        return {key: state(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, LazyList)):
        return [state(item) for item in value]
    if isinstance(value, array.array):
        return value.tolist()
    if hasattr(value, "__dict__"):
        return type(value).__name__, {key: state(item) for key, item in vars(value).items()}
    return value


def fingerprint(tables: TTFont) -> dict:
    glyphs = tables["glyf"].glyphs
    return {
        "tables": {tag: id(table) for tag, table in tables.tables.items()},
        "glyphs": (id(glyphs), {name: id(glyph) for name, glyph in glyphs.items()}),
        "order": (id(tables.glyphOrder), list(tables.glyphOrder)),
        **{f"state of {tag}": state(table) for tag, table in tables.tables.items()},
    }


def read_whole(path) -> TTFont:
    """The file as fontTools reads it, every table decompiled but glyf's glyphs (packed)."""
    font = TTFont(str(path))
    font.getGlyphOrder()
    for tag in font.keys():
        if tag not in ("GlyphOrder", "glyf") and hasattr(font[tag], "ensureDecompiled"):
            font[tag].ensureDecompiled(recurse=True)
    return font


def test_renders_leave_the_kept_tables_as_they_were_read(october, quiet):
    kept = {path: kept_tables(path) for path in (REGULAR, BOLD)}
    before = {path: fingerprint(tables) for path, tables in kept.items()}
    recap_pdf.render(october, fallback_fonts=[])
    recap_pdf.render(quiet, fallback_fonts=[])
    for path, tables in kept.items():
        after = fingerprint(tables)
        assert [part for part in after if after[part] != before[path][part]] == []

        fresh = read_whole(path)
        pdf_fonts._windows_unicode_only(fresh["cmap"])  # of the file's five maps, the one kept
        # all fpdf2 keeps: not the layout tables it drops, nor kern (dropped as there is a GPOS)
        assert sorted(tables.tables) == sorted(set(fresh.keys()) - {"GlyphOrder", "kern"} - pdf_fonts._DROPPED_TABLES)
        assert [tag for tag in tables.tables if state(tables[tag]) != state(fresh[tag])] == []
        assert tables["hmtx"].metrics == TTFont(str(path))["hmtx"].metrics  # (as plainly as it gets)
        # every glyph still packed, as the file holds it (documents expand copies of them)
        assert all("data" in vars(glyph) or vars(glyph) == {"numberOfContours": 0}
                   for glyph in tables["glyf"].glyphs.values())


def test_the_kept_tables_have_no_part_left_to_decompile():
    # A lazy part decompiles itself (in place) when first read: in tables read by several
    # renders at once, there must be none.
    lazy = []

    def walk(value, where, seen):
        if id(value) in seen or isinstance(value, TTFont):
            return
        seen.add(id(value))
        if isinstance(value, LazyList) or "reader" in getattr(value, "__dict__", {}):
            lazy.append(where)
        if type(value).__name__.startswith("cmap_format_") and value.data is not None:
            lazy.append(where)
        items = (value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list)
                 else vars(value).items() if hasattr(value, "__dict__") else ())
        for key, item in items:
            walk(item, f"{where}.{key}", seen)

    for path in (REGULAR, BOLD):
        for tag, table in kept_tables(path).tables.items():
            if tag != "glyf":  # glyphs are copied before they are read (see the test above)
                walk(table, tag, set())
    assert lazy == []


def test_a_clone_is_a_font_of_its_own():
    kept = kept_tables(REGULAR)
    clone = pdf_fonts._clone(kept)
    assert clone.reader is None and clone.glyphOrder is not kept.glyphOrder
    assert sorted(clone.keys()) == sorted(kept.keys())
    for tag in kept.tables:
        assert clone[tag] is not kept[tag]
    assert not {id(sub) for sub in clone["cmap"].tables} & {id(sub) for sub in kept["cmap"].tables}
    glyph = clone["glyf"]["Aacute"]  # a composite: expanded, its components read
    assert glyph is clone["glyf"]["Aacute"] and glyph is not kept["glyf"].glyphs["Aacute"]
    assert glyph.components and "data" in vars(kept["glyf"].glyphs["Aacute"])
    assert "Aacute" in clone["glyf"] and len(clone["glyf"]) == len(kept["glyf"].glyphs)


def test_a_font_other_than_the_bundled_ones_is_read_per_document(tmp_path):
    path = make_font(tmp_path / "other.ttf", "陈静", family="Other Test")
    parsed = pdf_fonts._parse(path, 0, "")
    assert parsed.template is not None and parsed.tables is None


def test_renders_in_several_threads_draw_what_renders_one_after_another_draw(october, quiet, monkeypatch):
    monkeypatch.setattr(pdf_fonts, "_parsed", OrderedDict())  # the threads parse the fonts, too
    recaps = (october, quiet)
    start = threading.Barrier(4, timeout=60)  # all four render at once (never hangs on a failure)

    def renders(worker: int) -> list[tuple[int, list[bytes]]]:
        start.wait()
        drawn = []
        for turn in range(3):
            which = (worker + turn) % 2
            drawn.append((which, body(recap_pdf.render(recaps[which], fallback_fonts=[]).data)))
        return drawn

    with ThreadPoolExecutor(max_workers=4) as pool:
        together = [drawn for result in pool.map(renders, range(4)) for drawn in result]
    one_after_another = [body(recap_pdf.render(recap, fallback_fonts=[]).data) for recap in recaps]
    assert len(together) == 12
    for which, drawn in together:
        assert drawn == one_after_another[which]


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
