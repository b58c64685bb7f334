"""The recap document as one self-contained HTML page: blocks in, UTF-8 bytes out.

No external stylesheet, font, script or image: the chart is inline SVG. Every text goes
through `html.escape` (quotes too). The print stylesheet fits A4 and US Letter (`paper`
picks the @page size). A heading is never left alone at the foot of a printed page: it is
printed in one unbreakable box with what follows it (the first lines of a long list), since
Chromium's print-to-PDF does not honour `break-after: avoid` on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

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

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
KEEP_ITEMS = 3  # list items printed with their heading
KEEP_ROWS = 12  # a table this short goes with its heading whole

STYLE = """
:root { --ink: #1f2328; --muted: #59636e; --rule: #d0d7de; --accent: #1f6feb; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Helvetica, Arial, sans-serif;
       color: var(--ink); max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; margin: 1.4rem 0 .5rem; }
h3 { font-size: 1rem; margin: .9rem 0 .3rem; }
p, ul { margin: .3rem 0 .5rem; }
ul { padding-left: 1.3rem; }
ul.cont { margin-top: -.5rem; }
.muted { color: var(--muted); }
dl.facts { margin: .3rem 0; }
dl.facts dt { font-weight: 600; float: left; clear: left; width: 9rem; }
dl.facts dd { margin: 0 0 .2rem 9rem; }
table { border-collapse: collapse; margin: .4rem 0 .6rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .15rem .5rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
table.matrix td, table.matrix th { text-align: center; padding: .1rem .3rem; font-size: .85rem; }
table.matrix td.name, table.matrix th.name { text-align: left; }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
.chart svg { width: 100%; max-width: 36rem; height: auto; }
.chart rect { fill: var(--accent); }
.chart rect.this { fill: #0b3d91; }
.chart text { font-size: 11px; fill: var(--ink); }
footer { margin-top: 2rem; font-size: .8rem; color: var(--muted); }
@media print {
  body { font-size: 9pt; margin: 0; padding: 0; max-width: none; }
  h1 { font-size: 15pt; }
  h2 { font-size: 11pt; margin-top: 8pt; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .keep, tr, li, .chart { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .chart svg { max-width: 28rem; }
  .chart rect { fill: #555; } .chart rect.this { fill: #000; }
}
"""


def render(doc: Document, *, paper: str | None = None) -> bytes:
    """The recap page; `paper` ('a4' or 'letter') fixes the printed page size."""
    size = f"size: {PAPER_SIZES[paper]}; " if paper in PAPER_SIZES else ""
    body = "\n".join(_body(doc))
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title)}</title>\n"
        f"<style>{STYLE}@media print {{ @page {{ margin: 13mm 13mm 15mm; {size}}} }}\n</style>\n</head>\n"
        f"<body>\n{body}\n<footer>{escape(doc.footer)}</footer>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _body(doc: Document) -> list[str]:
    """Blocks as HTML; each heading opens a keep-together box with what follows it."""
    out: list[str] = []
    blocks = list(doc.blocks)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if not isinstance(block, Heading):
            out.append(_block(block))
            i += 1
            continue
        keep = [_block(block)]
        i += 1
        while i < len(blocks) and isinstance(blocks[i], (Paragraph, More, Facts)):
            keep.append(_block(blocks[i]))
            i += 1
        rest = ""
        if i < len(blocks) and not isinstance(blocks[i], Heading):
            head, rest = _split(blocks[i])
            keep.append(head)
            i += 1
        out.append('<div class="keep">' + "\n".join(keep) + "</div>")
        if rest:
            out.append(rest)
    return out


def _split(block: Block) -> tuple[str, str]:
    """A list's first few items (to go with its heading) and the rest; a short table whole."""
    if isinstance(block, BulletList) and len(block.items) > KEEP_ITEMS:
        return (
            _list(block.items[:KEEP_ITEMS]),
            _list(block.items[KEEP_ITEMS:], "cont"),
        )
    if isinstance(block, Table) and len(block.rows) > KEEP_ROWS:
        return "", _block(block)
    return _block(block), ""


def inline(runs: Inline) -> str:
    out = []
    for run in runs:
        text = escape(run.text)
        if run.user:  # a name in Arabic or Hebrew keeps the sentence around it in order
            text = f"<bdi>{text}</bdi>"
        out.append(
            {
                "strong": f"<strong>{text}</strong>",
                "em": f"<em>{text}</em>",
                "code": f"<code>{text}</code>",
            }.get(run.style, text)
        )
    return "".join(out)


def _list(items: Iterable[Inline], css: str = "") -> str:
    attr = f' class="{css}"' if css else ""
    return f"<ul{attr}>" + "".join(f"<li>{inline(item)}</li>" for item in items) + "</ul>"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return ('<p class="muted">' if block.muted else "<p>") + inline(block.runs) + "</p>"
    if isinstance(block, More):
        return '<p class="muted more">' + inline(block.runs) + "</p>"
    if isinstance(block, Facts):
        return (
            '<dl class="facts">'
            + "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in block.rows)
            + "</dl>"
        )
    if isinstance(block, BulletList):
        return _list(block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return _chart(block)
    raise TypeError(f"no HTML for {type(block).__name__}")


def _table(table: Table) -> str:
    def cell(tag: str, i: int, value: str) -> str:
        css = []
        if i >= table.numeric_from:
            css.append("n")
        if i in table.nowrap:
            css.append("nowrap")
        if table.kind == "matrix" and i == 0:
            css.append("name")
        attr = f' class="{" ".join(css)}"' if css else ""
        return f"<{tag}{attr}>{escape(value)}</{tag}>"

    head = "<tr>" + "".join(cell("th", i, value) for i, value in enumerate(table.header)) + "</tr>"
    rows = "".join(
        "<tr>" + "".join(cell("td", i, value) for i, value in enumerate(row)) + "</tr>" for row in table.rows
    )
    if table.total:
        rows += '<tr class="total">' + "".join(cell("td", i, v) for i, v in enumerate(table.total)) + "</tr>"
    css = ' class="matrix"' if table.kind == "matrix" else ""
    return f"<table{css}><thead>{head}</thead><tbody>{rows}</tbody></table>"


def _chart(chart: Chart) -> str:
    """Twelve bars as inline SVG, the recap's month darker; counts above the bars."""
    width, height, left, bottom, top_pad = 600, 150, 10, 24, 18
    slot = (width - 2 * left) / max(1, len(chart.bars))
    shapes = []
    for i, (label, count) in enumerate(chart.bars):
        h = (height - bottom - top_pad) * count / chart.top
        x = left + i * slot + slot * 0.15
        y = height - bottom - h
        css = ' class="this"' if i == len(chart.bars) - 1 else ""
        shapes.append(
            f'<rect{css} x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}">'
            f"<title>{escape(label)}: {count}</title></rect>"
        )
        shapes.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">{count}</text>')
        shapes.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>')
    return (
        f'<div class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="Referrals given per month, last twelve months">{"".join(shapes)}</svg></div>'
    )
