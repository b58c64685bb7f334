"""The PDF recap's fonts: the bundled DejaVu Sans, the machine's fonts for letters it lacks
(through fontconfig), and what is kept of them for the life of the process.

Everything here depends on font files only, never on a recap, so it is kept between
renders (the app renders in a worker, the bench several times in one process):

- the machine's font list: one `fc-list` for the process, looked at again (at most every
  30 s) only while some letter has no font, so a font installed after the warning is found;
- each font file parsed once (fpdf2 parses it on every add_font, ~17 ms per DejaVu face);
  every document gets its own copy of what it changes (`add_font`);
- for the bundled faces, the file's tables decompiled once too (fpdf2 subsets a font when it
  writes the PDF, and decompiling DejaVu's tables again cost ~20 ms a face a render): every
  document subsets a cheap clone of them, which never changes the one kept (`_clone`);
- a CFF fallback font (Noto Sans CJK) converted to TrueType once per set of letters, in a
  private folder removed at exit (`truetype_subset`).

Files are known by path, index, size and mtime: a font replaced on disk is read anew.
Caches are bounded and safe to use from several threads.
"""

from __future__ import annotations

import atexit
import bisect
import copy
import hashlib
import io
import shutil
import subprocess
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0  # the face inside a .ttc collection


# -- what a font draws, and the machine's fonts ------------------------------------------------


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
                     if entry.covers(point) and point in charset_of(entry.font)), None)
        if best is None:
            missing = True
            remaining.pop(0)  # nothing on this machine draws it: reported by the renderer
            continue
        found.append(best)
        covered = charset_of(best)
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


def charset_of(font: FontFile) -> frozenset[int]:
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
    tables: TTFont | None = None  # every table decompiled, cloned per document (None: read from `data`)


_parsed: OrderedDict[tuple, _Parsed] = OrderedDict()
_parsed_lock = threading.Lock()
PARSED_FONTS_KEPT = 8  # the two bundled faces and a few fallbacks


def add_font(pdf: FPDF, family: str, style: str, path: str, index: int = 0) -> None:
    """`pdf.add_font(family, style, path)`, with the file parsed once per process."""
    parsed = _parse(path, index, style) if _COPYABLE else _Parsed(None)
    if parsed.template is None:
        pdf.add_font(family, style, path, collection_font_number=index)
        return
    font = copy.copy(parsed.template)  # shares what is read only: widths, cmap, metrics
    font.i = len(pdf.fonts) + 1
    font.fontkey = f"{family.lower()}{style}"
    if parsed.tables is not None:
        font.ttfont = _clone(parsed.tables)
    else:
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
        template.ttfont.close()  # each document reads its own (from `data`, or a clone of `tables`)
        if not reusable:
            parsed = _Parsed(None)
        elif Path(path).resolve() in (REGULAR, BOLD):
            parsed = _Parsed(template, data, index, _decompiled(data, index))
        else:
            parsed = _Parsed(template, data, index)
        _parsed[key] = parsed
        while len(_parsed) > PARSED_FONTS_KEPT:
            _parsed.popitem(last=False)
        return parsed


# -- the bundled faces' tables, decompiled once, cloned per document ------------------------------
#
# When fpdf2 writes a PDF it subsets each TrueType font with fontTools (fpdf/output.py,
# `_add_fonts`: `Subsetter.subset(font.ttfont)`, then `font.ttfont.save`), which decompiles
# what it reads: hmtx, cmap, post's glyph names, glyf's index, the layout tables… ~20 ms a
# DejaVu face, in every document. The bundled faces are in every recap, so their tables are
# decompiled once per process and each document subsets a clone: a new TTFont of shallow
# copies of the tables. The subsetter and `save` change a table by assigning its attributes
# (fontTools 4.68, fontTools/subset/__init__.py and ttLib/tables/), which touches the copy only:
#
# - subset_glyphs assigns hmtx.metrics, glyf.glyphs and .glyphOrder, post.extraNames, and
#   each cmap subtable's .cmap (.uvsDict), each kern subtable's .kernTable; prune_pre_subset
#   and prune_post_subset assign cmap.tables, kern.kernTables, name.names, maxp's and post's
#   fields, OS/2's ranges (recalcUnicodeRanges/recalcCodePageRanges, pruneOnly);
# - save: glyf.compile assigns loca.locations and maxp.numGlyphs, maxp.recalc head's bounds,
#   loca head.indexToLocFormat, hhea and hmtx hhea's fields, OS/2 its char range (panose is
#   put back), post.compile builds a new extraNames;
# - what is changed in place, the clone owns (`_copy_table`): the subtables of cmap and kern
#   (their dicts are assigned), the lists cmap.compile and name.compile sort, the name records
#   (compile sets their offset and length), glyf's order and reverse map (glyf[x] = … adds to
#   them), and the glyphs: glyf[x] expands a Glyph in place, subset_glyphs rewrites a
#   composite's component ids (remapComponentsFast), prune_post_subset trims it, compile
#   expands it. So the clone copies a kept glyph, still packed, when it first reads it
#   (`_LentGlyphs`), and the kept glyphs are never expanded;
# - FFTM GDEF GPOS GSUB MATH are dropped by fpdf2's options, and kern with them where there
#   is a GPOS (prune_pre_subset, before any glyph closure): a clone leaves them out, so they
#   are never decompiled at all (GPOS alone took ~48 ms a face) and the subset is the same.
#
# Before output, fpdf2 reads a document's ttfont only to shape text (getGlyphName,
# hmtx.metrics: read only); it draws a missing .notdef into it at parse time, but such fonts
# are parsed per document (_parse). Only fonts of the tables listed here, whose handling was
# checked, are cloned, and of those only the bundled faces: a fallback font serves some
# recaps, not every one, and may be large. Any other font is read per document, as before.

_COPIED_TABLES = frozenset(("OS/2", "cmap", "cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx",
                            "kern", "loca", "maxp", "name", "post", "prep"))
_DROPPED_TABLES = frozenset(("FFTM", "GDEF", "GPOS", "GSUB", "MATH"))  # fpdf2's options drop these


def _decompiled(data: bytes, index: int) -> TTFont | None:
    """The font's tables fpdf2 keeps, every one decompiled (None: a font whose tables are not cloned).

    Decompiled to the last lazy part: a clone is read by several threads at once, and a
    lazy part decompiles itself (in place) when first read. glyf's glyphs stay packed."""
    font = TTFont(io.BytesIO(data), recalcTimestamp=False, fontNumber=index, lazy=True)
    tags = set(font.keys()) - {"GlyphOrder"}
    if not tags <= _COPIED_TABLES | _DROPPED_TABLES:
        return None
    dropped = _DROPPED_TABLES | ({"kern"} if "GPOS" in tags else set())
    font.getGlyphOrder()  # post hands its glyph names to the font (and forgets them) first
    kept = TTFont(recalcTimestamp=False, sfntVersion=font.sfntVersion, lazy=False)
    kept.glyphOrder = font.getGlyphOrder()
    for tag in sorted(tags - dropped):
        table = font[tag]
        if tag != "glyf" and hasattr(table, "ensureDecompiled"):
            table.ensureDecompiled(recurse=True)  # glyf's would expand every glyph
        if tag == "cmap":
            _windows_unicode_only(table)
        kept.tables[tag] = table
    font.close()  # every table kept is in memory now
    kept.getReverseGlyphMap()  # built once here, copied per clone (the subsetter looks names up)
    return kept


def _windows_unicode_only(cmap) -> None:
    """Keep one Windows Unicode map of a font's cmap (the BMP one, else the full one), where
    it has one.

    The PDF's CID font maps codes to glyphs itself (CIDToGIDMap), so the embedded subset's
    cmap is never read to draw; DejaVu's five near-identical maps each cost the subsetter
    ~1 ms to filter, per face, per render."""
    for encoding in (1, 10):
        kept = [sub for sub in cmap.tables if sub.platformID == 3 and sub.platEncID == encoding]
        if kept:
            cmap.tables = kept[:1]
            return


def _clone(tables: TTFont) -> TTFont:
    """A TTFont of `tables`' tables that fontTools may subset and save without changing them.

    ~0.2 ms, where decompiling the file's tables again takes ~20 ms (DejaVu Sans); its
    subset is written in ~5 ms a face, where fpdf2's own took ~20."""
    clone = TTFont(recalcTimestamp=False, sfntVersion=tables.sfntVersion, lazy=False)
    # Kept glyphs are written as the file packs them, not unpacked and packed again only to
    # tighten the subset's bounds in head, hhea and maxp (over half of what subsetting a face
    # cost): those stay the whole font's, which bound the subset's glyphs just as well.
    clone.recalcBBoxes = False
    clone.glyphOrder = order = list(tables.getGlyphOrder())  # glyf shares it, as when read
    clone._reverseGlyphOrderDict = dict(tables.getReverseGlyphMap())  # (fontTools builds it on first use)
    for tag, table in tables.tables.items():
        if tag != "GlyphOrder":
            clone.tables[tag] = _copy_table(table, order)
    return clone


def _copy_table(table, order: list[str]):
    copied = copy.copy(table)  # its own attributes: what subsetting and saving set
    if table.tableTag == "glyf":
        copied.glyphs = _LentGlyphs(table.glyphs)
        copied.glyphOrder = order  # the font's own, as glyf.decompile leaves it
        copied._reverseGlyphOrder = {}
    elif table.tableTag == "cmap":
        copied.tables = [copy.copy(subtable) for subtable in table.tables]
    elif table.tableTag == "kern":
        copied.kernTables = [copy.copy(subtable) for subtable in table.kernTables]
    elif table.tableTag == "name":
        copied.names = [copy.copy(record) for record in table.names]
    return copied


_UNREAD = object()


class _LentGlyphs(MutableMapping):
    """A clone's glyf.glyphs: the kept glyphs, each copied the first time this document reads
    it (fontTools expands, remaps and trims a glyph in place), so the kept ones stay packed
    and unchanged; the few hundred a recap draws are copied, not the ~6,000 of the font."""

    def __init__(self, kept: dict):
        self._kept = kept
        self._glyphs = dict.fromkeys(kept, _UNREAD)  # this document's glyphs, in the font's order

    def __getitem__(self, name):
        glyph = self._glyphs[name]
        if glyph is _UNREAD:
            glyph = self._glyphs[name] = copy.copy(self._kept[name])
        return glyph

    def __setitem__(self, name, glyph):
        self._glyphs[name] = glyph

    def __delitem__(self, name):
        del self._glyphs[name]

    def __contains__(self, name):
        return name in self._glyphs  # without copying it

    def __iter__(self):
        return iter(self._glyphs)

    def __len__(self):
        return len(self._glyphs)


# -- fallback fonts converted to TrueType, kept for the process ----------------------------------

_converted: OrderedDict[tuple, FontFile] = OrderedDict()
_converted_lock = threading.Lock()
CONVERTED_FONTS_KEPT = 16
_converted_dir: str | None = None


def truetype_subset(font: FontFile, points: set[int]) -> FontFile:
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
