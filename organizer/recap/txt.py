"""The recap document as plain text: blocks in, UTF-8 bytes out (and a str for the app).

Columns are aligned by terminal cells, not characters, so 陈静 (two cells a letter) and
Nguyễn Thị Mai line up with Latin names; paragraphs wrap at 78 cells.
"""

from __future__ import annotations

import unicodedata

from organizer.recap.blocks import (
    Block,
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

WIDTH = 78
BAR_WIDTH = 40


def render(doc: Document) -> bytes:
    return text(doc).encode("utf-8")


def text(doc: Document) -> str:
    """The whole recap as one string (what the app's Recap section previews)."""
    out: list[str] = []
    for block in doc.blocks:
        out += _block(block)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- cells ---------------------------------------------------------------------------------------


def cells(text: str) -> int:
    """How many terminal cells `text` takes: wide East Asian letters 2, combining marks 0."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(text))


def rjust(text: str, width: int) -> str:
    return " " * max(0, width - cells(text)) + text


def wrap(text: str, width: int = WIDTH, hang: int = 2) -> list[str]:
    """Wrap at spaces by cell width (textwrap counts characters, not cells); continuation
    lines are indented `hang` cells."""
    lines: list[str] = []
    current: list[str] = []
    used = 0
    for word in text.split(" "):
        size = cells(word)
        if current and used + 1 + size > width:
            lines.append(" ".join(current))
            current, used = [" " * hang + word], hang + size
        else:
            used += size + (1 if current else 0)
            current.append(word)
    lines.append(" ".join(current))
    return lines


def _inline(runs: Inline) -> str:
    return "".join(run.text for run in runs)


# -- blocks ----------------------------------------------------------------------------------------


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        rule = "=" if block.level == 1 else "-"
        if block.level == 3:
            return [block.text]
        return [block.text, rule * min(WIDTH, cells(block.text))]
    if isinstance(block, (Paragraph, More)):
        return wrap(_inline(block.runs))
    if isinstance(block, Facts):
        width = max(cells(label) for label, _ in block.rows) + 3  # "label:" and two spaces
        return [line for label, value in block.rows for line in wrap(ljust(label + ":", width) + value, hang=width)]
    if isinstance(block, BulletList):  # an item stays one line: grep and copy it whole
        return ["  " + _inline(item) for item in block.items]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        width = max(len(str(count)) for _, count in block.bars)
        return [
            f"  {label}  {str(count).rjust(width)} {'█' * round(count * BAR_WIDTH / block.top)}".rstrip()
            for label, count in block.bars
        ]
    raise TypeError(f"no text for {type(block).__name__}")


def _table(table: Table) -> list[str]:
    body = [*table.rows, *([table.total] if table.total else [])]
    widths = [max(cells(row[i]) for row in [table.header, *body]) for i in range(len(table.header))]

    def line(row: tuple[str, ...]) -> str:
        parts = [
            ljust(value, widths[i]) if i < table.numeric_from else rjust(value, widths[i])
            for i, value in enumerate(row)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [line(table.header), rule, *(line(row) for row in table.rows)]
    if table.total:
        out += [rule, line(table.total)]
    return out
