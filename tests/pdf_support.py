"""Reading our PDFs back in tests: what a PDF draws, to compare two renders."""

from __future__ import annotations

import io

from pypdf import PdfReader


def body(data: bytes) -> list[bytes]:
    """Every page's content stream and every embedded font file: what the PDF draws
    (not its creation date, which differs from one second to the next)."""
    reader = PdfReader(io.BytesIO(data))
    out = [page.get_contents().get_data() for page in reader.pages]
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            out.append(descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data())
    return out
