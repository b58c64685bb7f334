"""The recap document as Markdown: blocks in, UTF-8 bytes out.

People paste this into emails and chat, so text reads as typed: a backslash goes in only
where CommonMark would otherwise read markup ("Patel & Co" and "999.99 GBP" stay as they
are; "*bold*", "<script>" and "# 1" at a line's start are escaped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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

BAR_WIDTH = 30

# Anywhere in a line: the escape itself, code spans, "*" emphasis, links and images ("["
# opens them all), GFM strikethrough; "_" only where it can open or close emphasis (not
# inside a word: snake_case reads as typed); "<" only where it opens a tag or an autolink.
_SPECIAL = re.compile(r"([\\`*\[~]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?]))")
# An entity or character reference ("&amp;", "&#38;"): only then is "&" markup.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# At a line's start: headings, quotes, list items, ordered lists, thematic breaks, setext underlines.
_LEADING = re.compile(r"^(\s*)(#|>|=|[-+](?=\s|$|-)|\d{1,9}(?=[.)](?:\s|$)))")


def escape(text: str, *, in_table: bool = False, line_start: bool = False) -> str:
    """User text made literal in Markdown (and in whatever HTML it becomes)."""
    text = _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", text))
    if in_table:
        text = text.replace("|", r"\|")
    if line_start:
        match = _LEADING.match(text)
        if match:
            if match.group(2).isdigit():
                end = match.end()
                text = text[:end] + "\\" + text[end:]
            else:
                text = text[: match.start(2)] + "\\" + text[match.start(2) :]
    return text


def inline(runs: Inline, *, in_table: bool = False) -> str:
    out = []
    for index, run in enumerate(runs):
        if run.style == "code":
            out.append(f"`{run.text}`")  # our own commands, never user text
            continue
        text = escape(run.text, in_table=in_table, line_start=index == 0)
        if run.style == "strong" and text.strip():
            text = f"**{text}**"
        elif run.style == "em" and text.strip():
            text = f"*{text}*"
        out.append(text)
    return "".join(out)


def render(doc: Document) -> bytes:
    return "\n".join(lines(doc)).encode("utf-8")


def lines(doc: Document) -> list[str]:
    out: list[str] = []
    for block in doc.blocks:
        out += _block(block)
        out.append("")
    return out


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * block.level + " " + escape(block.text)]
    if isinstance(block, Paragraph):  # muted or not: asterisks around a line are noise in an email
        return [inline(block.runs)]
    if isinstance(block, More):
        return ["*" + inline(block.runs) + "*"]
    if isinstance(block, Facts):
        return [f"- **{label}:** {escape(value)}" for label, value in block.rows]
    if isinstance(block, BulletList):
        return ["- " + inline(item) for item in block.items]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return ["```", *_bars(block), "```"]
    raise TypeError(f"no Markdown for {type(block).__name__}")


def _table(table: Table) -> list[str]:
    def row(cells: Iterable[str]) -> str:
        return "| " + " | ".join(escape(cell, in_table=True) for cell in cells) + " |"

    align = ["---" if i < table.numeric_from else "---:" for i in range(len(table.header))]
    out = [row(table.header), "|" + "|".join(align) + "|"]
    out += [row(cells) for cells in table.rows]
    if table.total:
        out.append(
            "| " + " | ".join(f"**{escape(cell, in_table=True)}**" if cell else "" for cell in table.total) + " |"
        )
    return out


def _bars(chart: Chart) -> list[str]:
    """Text bars (inside a code block: no escaping, nothing read as markup)."""
    width = max(len(str(count)) for _, count in chart.bars)
    return [
        f"{label}  {str(count).rjust(width)} {'█' * round(count * BAR_WIDTH / chart.top)}".rstrip()
        for label, count in chart.bars
    ]
