"""The recap document as a PDF, typeset by Typst through its Python binding (public API only).

The layout is the template shipped beside this module (recap.typ); the document goes in as
JSON through `sys_inputs`, so user text is data Typst prints, never markup it runs. Typst
shapes every script (Arabic joins, Hebrew and Arabic read right to left), breaks long
tables across pages with their header repeated, and falls back letter by letter from the
bundled DejaVu Sans (given through `font_paths`) to the machine's fonts (CJK…).

A letter no font here draws is printed as "�" and named in the warnings returned with the
bytes: never dropped silently. One `typst.Compiler` is kept for the process (the template
and the fonts are read once; a recap then compiles in a few milliseconds).
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from organizer.errors import UserError
from organizer.recap import fonts
from organizer.recap.blocks import (
    BulletList,
    Chart,
    Document,
    Facts,
    Heading,
    Inline,
    More,
    Paragraph,
    Table,
)

if TYPE_CHECKING:
    import typst

TEMPLATE = Path(__file__).with_name("recap.typ")
PAPERS = {"a4": "a4", "letter": "us-letter"}
REPLACEMENT = "\ufffd"
RTL_BOX_MAX = 40  # letters: a longer right-to-left text goes between isolates, free to wrap

_compilers: dict[bool, typst.Compiler] = {}  # by whether the machine's fonts are used
_lock = threading.Lock()  # one compile at a time on a shared compiler


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    warnings: tuple[str, ...]


def render(doc: Document, *, paper: str = "a4", system_fonts: bool = True) -> RenderedPdf:
    """The PDF and its warnings. `system_fonts=False` uses the bundled font alone (tests
    stand for a bare machine with it)."""
    letters = {ch for text in doc.texts() if not text.isascii() for ch in text}
    lacking = fonts.undrawable(letters, machine=system_fonts)
    data = json.dumps(as_data(doc, paper, lacking), ensure_ascii=False)
    # The machine's fonts only when the bundled one lacks a letter: Typst reads the whole
    # system's font list when a compiler is made (~0.2 s, once a process).
    system_fonts = system_fonts and bool(fonts.undrawable(letters, machine=False) - lacking)
    with _lock:
        import typst

        compiler = _compilers.get(system_fonts)
        if compiler is None:
            compiler = _compilers[system_fonts] = typst.Compiler(
                str(TEMPLATE),
                root=str(TEMPLATE.parent),
                font_paths=[str(fonts.FONT_DIR)],
                ignore_system_fonts=not system_fonts,
            )
        try:
            pdf = compiler.compile(format="pdf", sys_inputs={"recap": data})
        except typst.TypstError as error:  # our template's fault, but said in one line
            raise UserError(f"the PDF could not be typeset: {error.message}") from error
    if not isinstance(pdf, bytes):  # one file asked for, one PDF back
        raise TypeError(f"Typst gave {type(pdf).__name__}, not the PDF's bytes")
    return RenderedPdf(pdf, warnings(doc, lacking))


def warnings(doc: Document, lacking: set[str]) -> tuple[str, ...]:
    """One warning naming the letters no font draws and the first few texts that hold them
    (the shortest first: usually the names to look for)."""
    if not lacking:
        return ()
    letters = ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in sorted(lacking, key=ord))
    texts = sorted(
        {text for text in doc.texts() if any(ch in lacking for ch in text)},
        key=lambda t: (len(t), t),
    )
    shown = ", ".join(f"“{text}”" for text in texts[:3])
    more = f" and {len(texts) - 3} more" if len(texts) > 3 else ""
    return (
        (
            f"no font here can draw {letters} (in {shown}{more}): printed as {REPLACEMENT}; "
            "install a font for that script, e.g. Noto Sans CJK"
        ),
    )


def _rtl(text: str) -> bool:
    return not text.isascii() and any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def as_data(doc: Document, paper: str, lacking: Set[str] = frozenset()) -> dict[str, Any]:
    """The document as the template reads it (plain JSON types; lacking letters as "�")."""
    table = str.maketrans({ch: REPLACEMENT for ch in lacking})

    def t(text: str) -> str:
        return text.translate(table) if lacking else text

    def runs(items: Inline) -> list[list[object]]:
        # Text from outside holding right-to-left letters is kept apart from the words around
        # it, so "שרה כהן → فاطمة الزهراء" still reads giver → receiver: a short one in a box
        # (the template's), a long one (which must be free to wrap) between Unicode isolates.
        out: list[list[object]] = []
        for run in items:
            text, isolate = t(run.text), run.user and _rtl(run.text)
            if isolate and len(text) > RTL_BOX_MAX:
                text, isolate = f"\u2068{text}\u2069", False
            out.append([text, run.style, isolate])
        return out

    blocks: list[dict[str, object]] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            blocks.append({"t": "heading", "level": block.level, "text": t(block.text)})
        elif isinstance(block, Paragraph):
            blocks.append({"t": "p", "runs": runs(block.runs), "muted": block.muted})
        elif isinstance(block, More):
            blocks.append({"t": "more", "runs": runs(block.runs)})
        elif isinstance(block, Facts):
            blocks.append(
                {
                    "t": "facts",
                    "rows": [[t(label), t(value)] for label, value in block.rows],
                }
            )
        elif isinstance(block, BulletList):
            blocks.append({"t": "list", "items": [runs(item) for item in block.items]})
        elif isinstance(block, Table):
            blocks.append(
                {
                    "t": "table",
                    "header": [t(cell) for cell in block.header],
                    "rows": [[t(cell) for cell in row] for row in block.rows],
                    "total": [t(cell) for cell in block.total] if block.total else None,
                    "numeric_from": block.numeric_from,
                    "nowrap": list(block.nowrap),
                    "kind": block.kind,
                }
            )
        elif isinstance(block, Chart):
            blocks.append(
                {
                    "t": "chart",
                    "bars": [[t(label), count] for label, count in block.bars],
                }
            )
        else:
            raise TypeError(f"no PDF for {type(block).__name__}")
    return {
        "title": t(doc.title),
        "group": t(doc.group),
        "footer": t(doc.footer),
        "paper": PAPERS.get(paper, "a4"),
        "blocks": blocks,
    }
