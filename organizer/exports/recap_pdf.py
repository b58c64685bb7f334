"""The monthly recap as a PDF (fpdf2): recap data in, bytes and warnings out.

Names come in every script. The bundled DejaVu Sans (organizer/fonts/, licence beside it)
draws Latin with accents, Vietnamese, Greek, Cyrillic, Hebrew and Arabic everywhere; for
letters it lacks (Chinese, Japanese, Korean…) fonts are looked up on this machine through
fontconfig and given to fpdf2 as fallback fonts. A letter no font can draw is printed as
"�" and named in the warnings returned with the bytes: never dropped silently.

Scripts whose letters change shape or order as they are written (Arabic and Hebrew right
to left, the Indic scripts, Thai…) are laid out by HarfBuzz (uharfbuzz, through fpdf2's
text shaping) on a left-to-right page: Arabic letters join, right-to-left names read right
to left, and a text extractor gets them back as typed. Only a text holding such letters
goes through the shaping engine; every other text is drawn without it (much faster, and
the same whether or not the recap has such names elsewhere).

The only thing read besides the recap is the machine's font list (`find_fallback_fonts`);
pass `fallback_fonts` to choose them yourself (tests pass [] to stand for a bare machine).
"""

from __future__ import annotations

import atexit
import bisect
import copy
import dataclasses
import hashlib
import io
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace, SubsetMap, TTFFont

from organizer.exports.pdf_one_line import OneLineCells
from organizer.exports.recap_data import (
    TEMPERATURE_NOTE,
    Recap,
    amounts_note,
    attendance_phrase,
    bar_scale,
    fiscal_year_label,
    long_date,
    plural,
    short_labels,
)

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FAMILY = "dejavu"
PAPERS = {"a4": "A4", "letter": "Letter"}
REPLACEMENT = "\ufffd"
MATRIX_MAX_COLUMNS = 16

INK, MUTED, RULE, ACCENT, SOFT = (31, 35, 40), (89, 99, 110), (200, 205, 212), (31, 111, 235), (238, 244, 255)
BODY, SMALL = 8.5, 7.2  # points
LINE = 3.9  # mm per body line


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0  # the face inside a .ttc collection


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    warnings: tuple[str, ...]


# -- fonts -------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _charset(path: str, index: int = 0, *stamp) -> frozenset[int]:
    """The code points a face draws; `stamp` (the file's mtime and size) tells a file
    replaced on disk from the one read before."""
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def bundled_charset() -> frozenset[int]:
    """Code points both bundled faces draw (body text is regular, headings bold)."""
    return _charset(str(REGULAR)) & _charset(str(BOLD))


def find_fallback_fonts(chars: Iterable[str]) -> list[FontFile]:
    """Fonts on this machine (via fontconfig's fc-list) that draw `chars`; [] without fontconfig.

    One font per gap, not per letter: each font found covers whatever it can.
    TrueType outlines are preferred to CFF, since PDF text extraction reads them better.
    """
    remaining = sorted({ord(ch) for ch in chars if not ch.isspace()})
    if not remaining or not shutil.which("fc-list"):
        return []
    found = _pick_fallbacks(remaining, _machine_fonts())
    if not found.missing:
        return list(found.fonts)
    # Some letters no font here draws: the warning tells the user to install a font, so
    # look again (once the listing is a little old) for one installed since.
    fresh = _machine_fonts(refresh_after=FONT_LIST_FRESH)
    return list(found.fonts if fresh is None else _pick_fallbacks(remaining, fresh).fonts)


@dataclass(frozen=True)
class _Listed:
    """One face fc-list reports, with fontconfig's idea of the letters it draws."""

    rank: tuple
    font: FontFile
    starts: tuple[int, ...]  # the charset as sorted ranges starts[i]..ends[i]
    ends: tuple[int, ...]

    def covers(self, point: int) -> bool:
        i = bisect.bisect_right(self.starts, point) - 1
        return i >= 0 and point <= self.ends[i]


@dataclass(frozen=True)
class _Picked:
    fonts: tuple[FontFile, ...]
    missing: bool  # some letter is drawn by no font listed


def _pick_fallbacks(wanted: list[int], listed: Sequence[_Listed]) -> _Picked:
    remaining = list(wanted)
    found: list[FontFile] = []
    missing, tried = False, 0
    while remaining and tried < 24:
        tried += 1
        point = remaining[0]
        best = next((entry.font for entry in listed
                     if entry.covers(point) and point in _safe_charset(entry.font)), None)
        if best is None:
            missing = True
            remaining.pop(0)  # nothing on this machine draws it: reported by the renderer
            continue
        found.append(best)
        covered = _safe_charset(best)
        remaining = [p for p in remaining if p not in covered]
    return _Picked(tuple(found), missing or bool(remaining))


FONT_LIST_FRESH = 30.0  # seconds a listing is trusted to say a letter has no font here
_font_list: tuple[float, tuple[_Listed, ...]] | None = None
_font_list_lock = threading.Lock()


def _machine_fonts(refresh_after: float | None = None) -> tuple[_Listed, ...] | None:
    """Every face fontconfig knows, best first: one fc-list per process rather than one per
    letter (each run costs a few milliseconds, and a recap may lack two dozen letters).

    With `refresh_after`, list again if the listing is older than that many seconds (else
    None: nothing new to look at)."""
    global _font_list
    with _font_list_lock:
        if _font_list is not None:
            listed_at, listed = _font_list
            if refresh_after is None:
                return listed
            if time.monotonic() - listed_at < refresh_after:
                return None
        listed = _list_fonts()
        _font_list = (time.monotonic(), listed)
        return listed


def _list_fonts() -> tuple[_Listed, ...]:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return ()
    try:
        result = subprocess.run(
            [fc_list, "--format", "%{file}\t%{index}\t%{fontformat}\t%{style}\t%{charset}\n"],
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    rows = []
    for line in result.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) < 5 or not parts[0].lower().endswith((".ttf", ".ttc", ".otf", ".otc")):
            continue
        path, index, fontformat, style, charset = parts[:5]
        rank = (
            fontformat != "TrueType",  # glyf outlines first
            "Regular" not in style and "Book" not in style,
            any(word in path for word in ("Mono", "Serif", "Bold", "Italic")),
            path,
        )
        starts, ends = _parse_charset(charset)
        rows.append(_Listed(rank, FontFile(path, int(index) if index.isdigit() else 0), starts, ends))
    return tuple(sorted(rows, key=lambda row: row.rank))


def _parse_charset(charset: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """fontconfig's "20-7e a0-17f 2010" as range starts and ends (hex code points)."""
    ranges = []
    for item in charset.split():
        low, _, high = item.partition("-")
        try:
            start = int(low, 16)
            end = int(high, 16) if high else start
        except ValueError:
            continue
        ranges.append((start, end))
    ranges.sort()
    return tuple(start for start, _ in ranges), tuple(end for _, end in ranges)


def _safe_charset(font: FontFile) -> frozenset[int]:
    key = _file_key(font)
    if key is None:
        return frozenset()
    try:
        return _charset(*key)
    except Exception:  # an unreadable font on the machine is simply not used
        return frozenset()


# -- parsed fonts, kept for the process ---------------------------------------------------------
#
# fpdf2 parses a font file with fontTools on every add_font (~17 ms for each DejaVu face),
# for every document. What it derives from the file (glyph widths, cmap, metrics) never
# changes, so each face is parsed once per process into a template, and every document
# gets a copy with the state that is its own: its number, its glyph subset, its missing
# glyphs, its descriptor (written into the PDF) and a fontTools view of the file (fpdf2
# subsets that in place when it writes the PDF). If the installed fpdf2 holds other
# attributes than these, fonts are simply parsed per document as before.

_TTF_SLOTS = frozenset((
    "i", "type", "name", "desc", "glyph_ids", "_hbfont", "sp", "ss", "up", "ut", "cw", "ttffile",
    "fontkey", "emphasis", "scale", "subset", "cmap", "ttfont", "missing_glyphs", "biggest_size_pt",
    "color_font", "unicode_range", "palette_index", "is_compressed", "is_cff", "is_cid_keyed",
    "is_symbol", "cff_ros", "collection_font_number",
))
_COPYABLE = frozenset(getattr(TTFFont, "__slots__", ())) == _TTF_SLOTS


@dataclass(frozen=True)
class _Parsed:
    template: TTFFont | None  # None: this file is parsed per document (see _parse)
    data: bytes = b""
    index: int = 0


_parsed: OrderedDict[tuple, _Parsed] = OrderedDict()
_parsed_lock = threading.Lock()
PARSED_FONTS_KEPT = 8  # the two bundled faces and a few fallbacks


def _add_font(pdf: FPDF, family: str, style: str, path: str, index: int = 0) -> None:
    """`pdf.add_font(family, style, path)`, with the file parsed once per process."""
    parsed = _parse(path, index, style) if _COPYABLE else _Parsed(None)
    if parsed.template is None:
        pdf.add_font(family, style, path, collection_font_number=index)
        return
    font = copy.copy(parsed.template)  # shares what is read only: widths, cmap, metrics
    font.i = len(pdf.fonts) + 1
    font.fontkey = f"{family.lower()}{style}"
    font.ttfont = TTFont(io.BytesIO(parsed.data), recalcTimestamp=False, fontNumber=parsed.index, lazy=True)
    font._hbfont = None  # HarfBuzz's view, built from the file when this document shapes
    font.desc = copy.copy(parsed.template.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")


def _parse(path: str, index: int, style: str) -> _Parsed:
    try:
        stat = Path(path).stat()
    except OSError:
        return _Parsed(None)  # add_font says what is wrong with the file
    key = (path, index, style, stat.st_mtime_ns, stat.st_size)
    with _parsed_lock:
        parsed = _parsed.get(key)
        if parsed is not None:
            _parsed.move_to_end(key)
            return parsed
        scratch = FPDF()
        scratch.add_font("template", style, path, collection_font_number=index)
        template = scratch.fonts[f"template{style}"]
        data = Path(path).read_bytes()
        reusable = (
            isinstance(template, TTFFont) and not template.is_compressed and template.color_font is None
            # fpdf2 draws a .notdef into a font without one, in memory only
            and ("glyf" not in template.ttfont or ".notdef" in TTFont(io.BytesIO(data), fontNumber=index,
                                                                     lazy=True)["glyf"])
        )
        parsed = _Parsed(template, data, index) if reusable else _Parsed(None)
        template.ttfont.close()  # each document reads its own (from `data`)
        _parsed[key] = parsed
        while len(_parsed) > PARSED_FONTS_KEPT:
            _parsed.popitem(last=False)
        return parsed


# -- fallback fonts converted to TrueType, kept for the process ----------------------------------

_converted: OrderedDict[tuple, FontFile] = OrderedDict()
_converted_lock = threading.Lock()
CONVERTED_FONTS_KEPT = 16
_converted_dir: str | None = None


def _truetype_subset(font: FontFile, points: set[int]) -> FontFile:
    """The letters `points` of a CFF (PostScript-outline) font, as a small TrueType file.

    fpdf2 embeds CFF CID fonts correctly, but common text extractors (pypdf among them)
    read their text back garbled; quadratic TrueType outlines of just the letters needed
    extract cleanly, and subsetting first keeps a 20 MB CJK collection fast to embed.
    Any font that cannot be converted is used as it is.

    Converting takes ~300 ms for Noto Sans CJK, so each conversion is kept for the process
    (per font file and set of letters), in a private folder removed at exit.
    """
    key = _file_key(font)
    if key is None or not _is_cff(key):
        return font
    wanted = (key, frozenset(points))
    with _converted_lock:
        kept = _converted.get(wanted)
        if kept is not None and Path(kept.path).exists():
            _converted.move_to_end(wanted)
            return kept
        converted = _convert_to_truetype(font, points, _private_folder())
        if converted != font:
            _converted[wanted] = converted
            while len(_converted) > CONVERTED_FONTS_KEPT:
                _converted.popitem(last=False)  # its file stays until exit: a render may be reading it
        return converted


def _file_key(font: FontFile) -> tuple | None:
    try:
        stat = Path(font.path).stat()
    except OSError:
        return None
    return (font.path, font.index, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _is_cff(key: tuple) -> bool:
    path, index = key[0], key[1]
    try:
        font = TTFont(path, fontNumber=index, lazy=True)
    except Exception:  # an unreadable font is used as it is (and fails, if it must, in fpdf2)
        return False
    try:
        return "CFF " in font
    finally:
        font.close()


def _private_folder() -> str:
    global _converted_dir
    if _converted_dir is None or not Path(_converted_dir).is_dir():
        _converted_dir = tempfile.mkdtemp(prefix="organizer-fonts-")  # 0700
        atexit.register(shutil.rmtree, _converted_dir, ignore_errors=True)
    return _converted_dir


def _convert_to_truetype(font: FontFile, points: set[int], folder: str) -> FontFile:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    try:
        # recalcTimestamp=False: the same letters give the same file, so the same PDF
        source = TTFont(font.path, fontNumber=font.index, lazy=False, recalcTimestamp=False)
        if "CFF " not in source:
            return font
        options = subset.Options()
        options.layout_features, options.name_IDs = [], ["*"]
        options.notdef_outline, options.desubroutinize = True, True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(points))
        subsetter.subset(source)
        glyphs, order = source.getGlyphSet(), source.getGlyphOrder()
        glyf = newTable("glyf")
        glyf.glyphOrder, glyf.glyphs = order, {}
        for name in order:
            pen = TTGlyphPen(glyphs)
            glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        source["glyf"], source["loca"] = glyf, newTable("loca")
        for table in ("CFF ", "VORG"):
            if table in source:
                del source[table]
        maxp = source["maxp"]
        maxp.tableVersion = 0x00010000
        for attribute in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                          "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                          "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                          "maxComponentDepth"):
            setattr(maxp, attribute, 0)
        maxp.maxZones = 1
        source["head"].indexToLocFormat, source["head"].glyphDataFormat = 0, 0
        source["post"].formatType, source["post"].extraNames, source["post"].mapping = 2.0, [], {}
        source.sfntVersion = "\x00\x01\x00\x00"
        name = hashlib.sha256(repr((font, sorted(points))).encode()).hexdigest()[:24]
        path = str(Path(folder) / f"fallback-{name}.ttf")
        source.save(path)
        return FontFile(path)
    except Exception:  # conversion is a nicety: the original font still draws
        return font


def _strings(value) -> Iterable[str]:
    """Every string inside the recap's dataclass tree."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)


# -- complex scripts --------------------------------------------------------------------------

_RTL_CLASSES = ("R", "AL")  # Hebrew-like and Arabic-like letters
# Scripts that need a shaping engine beyond right to left: Indic (Devanagari … Sinhala),
# Thai and Lao, Tibetan, Myanmar, Khmer.
_SHAPED_RANGES = ((0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF))


def needs_shaping(texts: Iterable[str]) -> bool:
    """True if any text holds letters that are drawn wrong without a shaping engine."""
    return any(_needs_shaping(text) for text in texts)


def _needs_shaping(text: str) -> bool:
    if text.isascii():
        return False
    for ch in text:
        point = ord(ch)
        if point < 0x0590:
            continue
        if unicodedata.bidirectional(ch) in _RTL_CLASSES:
            return True
        if any(low <= point <= high for low, high in _SHAPED_RANGES):
            return True
    return False


# -- the document ----------------------------------------------------------------------------


class _Document(OneLineCells):
    def __init__(self, recap: Recap, paper: str, *, shaping: bool):
        super().__init__(orientation="portrait", unit="mm", format=PAPERS.get(paper, "A4"))
        self.recap = recap
        self.undrawable: set[str] = set()
        self.set_margins(14, 13, 14)
        self.set_auto_page_break(True, margin=16)
        _add_font(self, FAMILY, "", str(REGULAR))
        _add_font(self, FAMILY, "B", str(BOLD))
        # The page reads left to right; right-to-left names inside a line are reordered.
        self.set_text_shaping(True, direction="ltr") if shaping else self.set_text_shaping(False)
        # Only the texts that need it go through HarfBuzz: shaping measures a line one
        # letter at a time, each time shaping all of it so far, which made a recap with one
        # Arabic name 2.5 times as slow. Every other text is drawn as in a recap without
        # such names (no kerning or ligatures), so a Latin line looks the same in both.
        self._shaping = self.text_shaping
        self.text_shaping = None

    def _shape_if_needed(self, text) -> None:
        self.text_shaping = self._shaping if self._shaping and _needs_shaping(text) else None

    # fpdf2's three doors for text (the tables' cells go through multi_cell)
    def cell(self, w=None, h=None, text="", *args, **kwargs):
        self._shape_if_needed(text)
        return super().cell(w, h, text, *args, **kwargs)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        self._shape_if_needed(text)
        return super().multi_cell(w, h, text, *args, **kwargs)

    def get_string_width(self, s, *args, **kwargs):
        self._shape_if_needed(s)
        return super().get_string_width(s, *args, **kwargs)

    # text through one door, so every string is checked against the fonts
    def safe(self, text: str) -> str:
        if not self.undrawable or not any(ch in self.undrawable for ch in text):
            return text
        return "".join(REPLACEMENT if ch in self.undrawable else ch for ch in text)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FAMILY, "", 7)
        self.set_text_color(*MUTED)
        self.cell(self.epw / 2, 4, self.safe(self.recap.group), align="L")
        self.cell(self.epw / 2, 4, f"Recap {self.recap.month_label} · page {self.page_no()} of {{nb}}", align="R")

    def style(self, size: float = BODY, bold: bool = False, color=INK) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*color)

    def room(self, height: float) -> None:
        """Start a new page unless `height` mm still fit (keeps a heading with its first lines)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def heading(self, title: str, keep: float = 14) -> None:
        self.room(keep + 8)
        self.ln(2.5)
        self.style(11, bold=True)
        self.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(1.5)

    def para(self, text: str, size: float = BODY, color=INK, bold: bool = False, indent: float = 0) -> None:
        self.style(size, bold, color)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, LINE * size / BODY, self.safe(text), align="L",
                        new_x="LMARGIN", new_y="NEXT")

    def label_value(self, label: str, value: str) -> None:
        self.style(BODY, bold=True)
        self.cell(30, LINE, label)
        self.style(BODY)
        self.multi_cell(self.epw - 30, LINE, self.safe(value), align="L", new_x="LMARGIN", new_y="NEXT")


def render(recap: Recap, *, paper: str = "a4", fallback_fonts: Sequence[FontFile] | None = None) -> RenderedPdf:
    """The recap on one or two pages for a typical month; `paper` is 'a4' or 'letter'."""
    texts = list(_strings(recap))
    bundled = bundled_charset()
    lacking = {ch for text in texts for ch in text if ord(ch) not in bundled and not ch.isspace()}
    if fallback_fonts is None:
        fallback_fonts = find_fallback_fonts(lacking) if lacking else []

    pdf = _Document(recap, paper, shaping=needs_shaping(texts))
    names = []
    for i, font in enumerate(fallback_fonts):
        charset = _safe_charset(font)
        wanted = {ord(ch) for ch in lacking if ord(ch) in charset}
        if not wanted:
            continue
        font = _truetype_subset(font, wanted)
        name = f"fallback{i}"
        _add_font(pdf, name, "", font.path, font.index)
        names.append(name)
        lacking -= {chr(point) for point in wanted}
    if names:
        pdf.set_fallback_fonts(names, exact_match=False)
    pdf.undrawable = lacking
    return _draw(pdf, recap, texts, lacking)


def _draw(pdf: "_Document", recap: Recap, texts: list[str], lacking: set[str]) -> RenderedPdf:
    warnings = _warnings(texts, lacking)

    pdf.set_title(recap.title)
    pdf.set_author(recap.group)
    pdf.set_creator("Organizer")
    pdf.add_page()
    _header(pdf, recap)
    _who_referred_whom(pdf, recap)
    _matrix(pdf, recap)
    _chains(pdf, recap)
    _closed(pdf, recap)
    _give_get(pdf, recap)
    _attendance(pdf, recap)
    _threads(pdf, recap)
    _chart(pdf, recap)
    data = bytes(pdf.output())
    # Whatever fpdf2 itself could not find a glyph for (should be nothing by now).
    late = sorted({chr(code) for font in pdf.fonts.values() for code in getattr(font, "missing_glyphs", [])}
                  - lacking - {REPLACEMENT})
    if late:
        warnings += (f"the PDF fonts lack {', '.join(_describe(ch) for ch in late)}",)
    return RenderedPdf(data, warnings)


def _describe(ch: str) -> str:
    return f"“{ch}” (U+{ord(ch):04X})"


def _warnings(texts: list[str], undrawable: set[str]) -> tuple[str, ...]:
    out = []
    seen: set[str] = set()
    for text in texts:
        if text in seen:
            continue
        missing = sorted({ch for ch in text if ch in undrawable}, key=ord)
        if missing:
            seen.add(text)
            out.append(f"no font here can draw {', '.join(_describe(ch) for ch in missing)} in “{text}”: "
                       f"printed as {REPLACEMENT} (install a font for that script, e.g. Noto Sans CJK)")
    return tuple(out)


# -- sections ---------------------------------------------------------------------------------------


def _header(pdf: _Document, recap: Recap) -> None:
    pdf.style(15, bold=True)
    pdf.multi_cell(0, 7, pdf.safe(recap.title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    for meeting in recap.meetings_held:
        pdf.label_value("Meeting held", f"{meeting.starts} — {meeting.title}")
    if not recap.meetings_held:
        pdf.label_value("Meeting held", "none this month")
    if recap.next_meeting:
        pdf.label_value("Next meeting", f"{recap.next_meeting.starts} — {recap.next_meeting.title}")
        if recap.next_meeting.intent:
            pdf.label_value("What it is for", recap.next_meeting.intent)
    else:
        pdf.label_value("Next meeting", "not scheduled yet")
    pdf.ln(2)
    counts = recap.attendance
    figures = [
        (str(recap.referrals_given), "referrals given" if recap.referrals_given != 1 else "referral given"),
        (str(len(recap.closed)), "closed" + (f" · {recap.closed_total}" if recap.closed_total else "")),
        (str(len(recap.thanks)), "thank-yous" if len(recap.thanks) != 1 else "thank-you"),
        (str(counts.present + counts.late), "members came"),
        (str(len(recap.visitors)), "visitors" if len(recap.visitors) != 1 else "visitor"),
    ]
    gap = 2.5
    width = (pdf.epw - gap * (len(figures) - 1)) / len(figures)
    top = pdf.get_y()
    pdf.set_fill_color(*SOFT)
    for i, (number, label) in enumerate(figures):
        x = pdf.l_margin + i * (width + gap)
        pdf.rect(x, top, width, 12, style="F")
        pdf.set_xy(x + 2, top + 1.2)
        pdf.style(13, bold=True)
        pdf.cell(width - 4, 5.5, number)
        pdf.set_xy(x + 2, top + 7)
        pdf.style(SMALL, color=MUTED)
        pdf.cell(width - 4, 3.5, pdf.safe(label))
    pdf.set_xy(pdf.l_margin, top + 14)


def _who_referred_whom(pdf: _Document, recap: Recap) -> None:
    pdf.heading("Who referred whom")
    if not recap.who_referred_whom:
        pdf.para("No referrals were given this month.")
        return
    pdf.para(TEMPERATURE_NOTE, SMALL, MUTED)
    pdf.ln(0.8)
    for group in recap.who_referred_whom:
        pdf.room(LINE * min(len(group.referrals), 3))
        for line in group.referrals:
            pdf.para(line.text, size=_fitting_size(pdf, pdf.safe(line.text)))
        pdf.ln(1.0)


def _fitting_size(pdf: _Document, text: str, size: float = BODY, smallest: float = 6.0) -> float:
    """A font size at which `text` stays on one line (so it reads back as one), down to
    `smallest`; longer text wraps."""
    pdf.style(size)
    width = pdf.get_string_width(text)
    room = pdf.epw - 2 * pdf.c_margin - 1
    if width <= room:
        return size
    return max(smallest, size * room / width)


def _matrix(pdf: _Document, recap: Recap) -> None:
    matrix = recap.matrix
    if not matrix.total:
        return
    if len(matrix.receivers) > MATRIX_MAX_COLUMNS:
        pdf.para(f"{plural(len(matrix.givers), 'giver')} and {plural(len(matrix.receivers), 'receiver')} this "
                 "month: too many for a matrix on paper (see the ledger's matrix).", SMALL, MUTED)
        return
    labels = short_labels(matrix.receivers)
    rows = len(matrix.givers) + 2
    pdf.room(4.2 * rows + 16)
    pdf.ln(1)
    pdf.style(9.5, bold=True)
    pdf.cell(0, 5, "The month's matrix", new_x="LMARGIN", new_y="NEXT")
    pdf.para("Rows give, columns receive.", SMALL, MUTED)
    pdf.style(SMALL)
    name_width = min(48, max(pdf.get_string_width(pdf.safe(name)) for name in matrix.givers) + 4)
    column = 8.5
    widths = (name_width, *([column] * len(matrix.receivers)), 10)
    with pdf.table(
        col_widths=widths, width=sum(widths), align="LEFT", line_height=4.0,
        text_align=("LEFT", *(["CENTER"] * (len(matrix.receivers) + 1))),
        borders_layout="HORIZONTAL_LINES", headings_style=FontFace(emphasis="BOLD", color=INK),
        padding=(0.3, 0.8),
    ) as table:
        heading = table.row()
        heading.cell("")
        for name in matrix.receivers:
            heading.cell(pdf.safe(labels[name]))
        heading.cell("total")
        for name, counts, total in zip(matrix.givers, matrix.counts, matrix.row_totals):
            row = table.row()
            row.cell(pdf.safe(name))
            for n in counts:
                row.cell(str(n) if n else "·")
            row.cell(str(total), style=FontFace(emphasis="BOLD"))
        row = table.row(style=FontFace(emphasis="BOLD"))
        row.cell("total")
        for n in matrix.column_totals:
            row.cell(str(n))
        row.cell(str(matrix.total))
    legend = ", ".join(f"{labels[name]} {name}" for name in matrix.receivers)
    pdf.ln(0.8)
    pdf.para("Columns: " + legend, SMALL, MUTED)


def _chains(pdf: _Document, recap: Recap) -> None:
    pdf.heading("Chains", keep=8)
    if not recap.chains:
        pdf.para("No referral this month came out of an earlier one.")
        return
    pdf.para("Referrals this month that came out of earlier ones, from the first giver on.", SMALL, MUTED)
    for chain in recap.chains:
        pdf.para(f"{chain.text}   ({chain.prospect}, {long_date(chain.given_on)})")


def _closed(pdf: _Document, recap: Recap) -> None:
    pdf.heading("Closed business and thank-yous", keep=20)
    pdf.para(amounts_note(recap), SMALL, MUTED)
    pdf.ln(0.5)
    if recap.closed:
        show = recap.amounts != "hide"
        pdf.style(BODY - 0.5)
        widths = (26, 38, 52, 38, 28) if show else (26, 42, 70, 44)
        aligns = ("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT")[: len(widths)]
        with pdf.table(col_widths=widths, width=min(pdf.epw, sum(widths)), align="LEFT", line_height=3.8,
                       text_align=aligns, borders_layout="HORIZONTAL_LINES", padding=(0.4, 1),
                       headings_style=FontFace(emphasis="BOLD", color=INK)) as table:
            table.row(("closed", "member", "prospect", "referred by", "amount")[: len(widths)])
            for line in recap.closed:
                cells = [long_date(line.closed_on), line.receiver, line.prospect, line.giver]
                if show:
                    cells.append(line.amount)
                table.row([pdf.safe(cell) for cell in cells])
        pdf.ln(1)
        total = f", {recap.closed_total}" if recap.closed_total else ""
        pdf.para(f"Closed this month: {len(recap.closed)}{total}", bold=True)
    else:
        pdf.para("No business was closed this month.")
    pdf.ln(1.5)
    if recap.thanks:
        pdf.room(LINE * 3)
        pdf.para("Thank-yous", bold=True)
        for t in recap.thanks:
            note = f" — “{t.note}”" if t.note else ""
            pdf.para(f"{long_date(t.thanked_on)}: {t.receiver} thanked {t.giver} for {t.prospect}{note}")
    else:
        pdf.para("No thank-yous were recorded this month.")


def _give_get(pdf: _Document, recap: Recap) -> None:
    pdf.heading("Give and get", keep=20)
    pdf.para(f"Referrals given and received (got) this month and this fiscal year ({fiscal_year_label(recap)}); "
             "top givers first.", SMALL, MUTED)
    pdf.ln(0.5)
    if not recap.give_get:
        pdf.para("No referrals yet this fiscal year.")
        return
    rows = list(recap.give_get)
    half = (len(rows) + 1) // 2
    row_height = 3.9
    two_columns = len(rows) > 10 and pdf.get_y() + (half + 1) * row_height + 2 < pdf.page_break_trigger
    pdf.style(SMALL + 0.3)
    if not two_columns:
        _give_get_table(pdf, rows, pdf.epw * 0.62, "LEFT")
        return
    top = pdf.get_y()
    width = (pdf.epw - 6) / 2
    _give_get_table(pdf, rows[:half], width, "LEFT")
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    _give_get_table(pdf, rows[half:], width, "RIGHT")
    pdf.set_y(max(left_bottom, pdf.get_y()))


def _give_get_table(pdf: _Document, rows, width: float, align: str) -> None:
    with pdf.table(col_widths=(40, 12, 12, 15, 15), width=width, align=align, line_height=3.6,
                   text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"), borders_layout="HORIZONTAL_LINES",
                   padding=(0.3, 1), headings_style=FontFace(emphasis="BOLD", color=INK)) as table:
        table.row(("member", "given", "got", "year given", "year got"))
        for r in rows:
            table.row((pdf.safe(r.name), str(r.given), str(r.received), str(r.year_given), str(r.year_received)))


def _attendance(pdf: _Document, recap: Recap) -> None:
    counts = recap.attendance
    pdf.heading("Attendance, visitors and new members", keep=10)
    if counts.meetings:
        pdf.para(f"Members: {attendance_phrase(counts)}")
        for member, substitute in counts.substitutes:
            pdf.para(f"{substitute} came for {member}", indent=4)
    else:
        pdf.para("No meeting was held this month.")
    if recap.visitors:
        pdf.para("Visitors", bold=True)
        for v in recap.visitors:
            business = f" ({v.business})" if v.business else ""
            invited = f", invited by {v.invited_by}" if v.invited_by else ""
            pdf.para(f"{v.name}{business}{invited}", indent=4)
    else:
        pdf.para("Visitors: none this month")
    if recap.new_members:
        pdf.para("New members", bold=True)
        for m in recap.new_members:
            invited = f", invited by {m.invited_by}" if m.invited_by else ""
            business = f" ({m.business})" if m.business else ""
            pdf.para(f"{m.name}{business}, joined {long_date(m.joined_on)}{invited}", indent=4)
    else:
        pdf.para("New members: none this month")


def _threads(pdf: _Document, recap: Recap) -> None:
    threads = recap.threads
    pdf.heading("Threads", keep=8)
    pdf.para(f"{threads.started} started · {len(threads.active)} active · {threads.resolved} resolved this month")
    for line in threads.active:
        flags = [flag for flag, on in (("new", line.started_in_month), ("resolved", line.resolved)) if on]
        extra = f" [{', '.join(flags)}]" if flags else ""
        pdf.para(f"{line.title} — {line.kind} by {line.author}, {plural(line.posts_in_month, 'post')}{extra}",
                 indent=4)
    if threads.carried:
        pdf.para("Carried to the next meeting", bold=True)
        for line in threads.carried:
            pdf.para(f"{line.title} — {line.kind} by {line.author}", indent=4)


def _chart(pdf: _Document, recap: Recap) -> None:
    """Twelve bars, the recap's month darker, counts above and month labels below."""
    height = 30
    pdf.heading("Referrals given, last 12 months", keep=height + 10)
    top = pdf.get_y() + 4
    base = top + height
    scale = bar_scale(recap.series)
    slot = pdf.epw / max(1, len(recap.series))
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, base, pdf.l_margin + pdf.epw, base)
    for i, item in enumerate(recap.series):
        h = height * item.count / scale
        x = pdf.l_margin + i * slot + slot * 0.18
        last = i == len(recap.series) - 1
        pdf.set_fill_color(*((11, 61, 145) if last else ACCENT))
        if h:
            pdf.rect(x, base - h, slot * 0.64, h, style="F")
        pdf.style(SMALL, bold=last)
        pdf.set_xy(x - slot * 0.18, base - h - 4)
        pdf.cell(slot, 3.5, str(item.count), align="C")
        pdf.set_xy(x - slot * 0.18, base + 0.8)
        pdf.style(SMALL, bold=last, color=INK if last else MUTED)
        pdf.cell(slot, 3.5, item.label, align="C")
    pdf.set_xy(pdf.l_margin, base + 6)
