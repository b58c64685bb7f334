"""The recap in any of its formats by name, for the command line and the app alike.

`render(recap, "pdf", paper="a4")` returns the bytes and the PDF's font warnings (a letter
no font on this machine can draw); the other formats never warn. Renderers are imported
when asked for, so a Markdown recap never loads fpdf2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the data classes load with the recap itself, not with every command
    from organizer.exports.recap_data import Recap

FORMATS = ("md", "txt", "html", "pdf")
SUFFIXES = {".md": "md", ".markdown": "md", ".txt": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def render(recap: "Recap", fmt: str, *, paper: str = "a4") -> tuple[bytes, tuple[str, ...]]:
    """`recap` as `fmt` (md, txt, html or pdf): (data, warnings)."""
    if fmt == "txt":
        from organizer.exports import recap_txt

        return recap_txt.render(recap), ()
    if fmt == "html":
        from organizer.exports import recap_html

        return recap_html.render(recap, paper=paper), ()
    if fmt == "pdf":
        from organizer.exports import recap_pdf

        rendered = recap_pdf.render(recap, paper=paper)
        return rendered.data, tuple(rendered.warnings)
    if fmt == "md":
        from organizer.exports import recap_md

        return recap_md.render(recap), ()
    raise ValueError(f"unknown recap format {fmt!r}")
