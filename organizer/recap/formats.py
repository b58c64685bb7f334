"""The recap in any of its formats by name, for the command line and the app alike.

`render(recap, "pdf", paper="a4")` builds the document once and returns the printer's bytes
and its warnings (a letter no font on this machine can draw: PDF only). Printers are
imported when asked for, so a Markdown recap never loads Typst.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the data classes load with the recap itself, not with every command
    from organizer.recap.model import Recap

FORMATS = ("md", "txt", "html", "pdf")
SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


def render(recap: Recap, fmt: str, *, paper: str = "a4") -> tuple[bytes, tuple[str, ...]]:
    """`recap` as `fmt` (md, txt, html or pdf): (data, warnings)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown recap format {fmt!r}")
    from organizer.recap.document import document

    doc = document(recap)
    if fmt == "txt":
        from organizer.recap import txt

        return txt.render(doc), ()
    if fmt == "html":
        from organizer.recap import html

        return html.render(doc, paper=paper), ()
    if fmt == "pdf":
        from organizer.recap import pdf

        rendered = pdf.render(doc, paper=paper)
        return rendered.data, rendered.warnings
    from organizer.recap import md

    return md.render(doc), ()


def preview(recap: Recap) -> str:
    """The recap as plain text, for the app's preview."""
    from organizer.recap import txt
    from organizer.recap.document import document

    return txt.text(document(recap))
