"""Reading our PDFs back in tests: what a PDF draws, to compare two renders."""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont
from pypdf import PdfReader


def body(data: bytes) -> list[bytes]:
    """Every page's content stream and every embedded font file: what the PDF draws
    (not its creation date, which differs from one second to the next)."""
    reader = PdfReader(io.BytesIO(data))
    return [page.get_contents().get_data() for page in reader.pages] + font_files(reader)


def drawing(data: bytes) -> list:
    """Every page's content stream and every embedded font's glyphs (order, outlines, advance
    widths), however the font file packs them: what the PDF draws on paper, in the same
    letters, when the font's own bytes may differ (pdf_fonts writes a subset's glyphs as the
    font file packs them; fpdf2 packs them anew)."""
    reader = PdfReader(io.BytesIO(data))
    out: list = [page.get_contents().get_data() for page in reader.pages]
    for file in font_files(reader):
        font = TTFont(io.BytesIO(file))
        glyf, hmtx = font["glyf"], font["hmtx"]
        glyphs = []
        for name in font.getGlyphOrder():
            glyph = glyf[name]
            if glyph.isComposite():
                outline = [(c.glyphName, c.x, c.y, c.flags) for c in glyph.components]
            else:
                coordinates, ends, flags = glyph.getCoordinates(glyf)
                outline = (list(coordinates), list(ends), [flag & 1 for flag in flags])  # 1: on the curve
            program = glyph.program.getBytecode() if hasattr(glyph, "program") else b""
            glyphs.append((name, outline, program, hmtx[name]))
        out.append(glyphs)
    return out


def font_files(reader: PdfReader) -> list[bytes]:
    out = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            out.append(descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data())
    return out


def make_font(path, letters: str, *, cff: bool = False, family: str = "Test Sans") -> str:
    """A small font drawing each of `letters` as a box (and a space), saved at `path`:
    TrueType outlines, or CFF ones like Noto Sans CJK's, to stand for a machine's fonts."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef", "space"] + [f"uni{ord(ch):04X}" for ch in letters]
    advances = {name: 500 if name == "space" else 1000 for name in names}

    def draw(pen, name):
        if name != "space":
            pen.moveTo((100, 0)), pen.lineTo((100, 700)), pen.lineTo((900, 700)), pen.lineTo((900, 0))
            pen.closePath()

    builder = FontBuilder(1000, isTTF=not cff)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({0x20: "space", **{ord(ch): f"uni{ord(ch):04X}" for ch in letters}})
    if cff:
        strings = {}
        for name in names:
            pen = T2CharStringPen(advances[name], None)
            draw(pen, name)
            strings[name] = pen.getCharString()
        builder.setupCFF(family.replace(" ", ""), {"FullName": family}, strings, {})
    else:
        glyphs = {}
        for name in names:
            pen = TTGlyphPen(None)
            draw(pen, name)
            glyphs[name] = pen.glyph()
        builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (advances[name], 0 if name == "space" else 100) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))
    return str(path)
