"""The monthly recap as one self-contained HTML file: pure, recap data in, UTF-8 bytes out.

No external stylesheet, font, script or image: the chart is inline SVG. Every user string
goes through `html.escape` (quotes too). The print stylesheet fits A4 and US Letter
(`paper` picks the @page size; the layout is sized to fit the narrower and shorter of
the two either way) and keeps sections and table rows from splitting across pages.
"""

from __future__ import annotations

import re
from html import escape as _escape

from organizer.exports.recap_data import (
    TEMPERATURE_NOTE,
    Recap,
    amounts_note,
    attendance_phrase,
    bar_scale,
    closed_intro,
    fiscal_year_label,
    long_date,
    more_chains,
    more_closed,
    more_give_get,
    more_new_members,
    membership_year,
    more_referrals,
    more_substitutes,
    more_threads,
    more_thanks,
    more_visitors,
    plural,
    thanks_intro,
)

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
MATRIX_MAX_COLUMNS = 24


def e(text: object) -> str:
    return _escape(str(text), quote=True)


def _some(html: str) -> list[str]:
    return [html] if html else []


_COMMAND = re.compile(r"`([^`]+)`")


def _note(text: str) -> str:
    """A capped list's opening or closing line (nothing when all is listed); `commands` in <code>."""
    if not text:
        return ""
    return '<p class="muted">' + _COMMAND.sub(r"<code>\1</code>", e(text)) + "</p>"


STYLE = """
:root { --ink: #1f2328; --muted: #59636e; --rule: #d0d7de; --accent: #1f6feb; --soft: #eef4ff; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Helvetica, Arial, sans-serif;
       color: var(--ink); max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.15rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; margin: 1.6rem 0 .6rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
p, ul { margin: .3rem 0 .6rem; }
ul { padding-left: 1.3rem; }
.muted { color: var(--muted); }
.header dt { font-weight: 600; float: left; clear: left; width: 9rem; }
.header dd { margin: 0 0 .2rem 9rem; }
.figures { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; padding: 0; list-style: none; }
.figures li { background: var(--soft); border-radius: 6px; padding: .4rem .8rem; }
.figures strong { font-size: 1.2rem; display: block; }
.giver { margin: .5rem 0 .1rem; font-weight: 600; }
table { border-collapse: collapse; margin: .4rem 0 .8rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .2rem .5rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.matrix td, table.matrix th { text-align: center; padding: .15rem .3rem; font-size: .85rem; }
table.matrix th.name { text-align: left; }
table.matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
tr.total td, tr.total th { font-weight: 600; border-top: 2px solid var(--ink); }
.chart svg { width: 100%; max-width: 40rem; height: auto; }
.chart rect { fill: var(--accent); }
.chart rect.this { fill: #0b3d91; }
.chart text { font-size: 11px; fill: var(--ink); }
footer { margin-top: 2rem; font-size: .8rem; color: var(--muted); }
@media print {
  body { font-size: 9.5pt; margin: 0; padding: 0; max-width: none; }
  h1 { font-size: 16pt; }
  h2 { font-size: 11.5pt; margin-top: 10pt; break-after: avoid; page-break-after: avoid; }
  h3, .giver { break-after: avoid; page-break-after: avoid; }
  section { break-inside: avoid-page; page-break-inside: auto; }
  table, tr, li, .chart { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .figures li { border: 1px solid var(--rule); background: none; }
  .chart rect { fill: #555; } .chart rect.this { fill: #000; }
  a { color: inherit; text-decoration: none; }
}
"""


def render(recap: Recap, *, paper: str | None = None) -> bytes:
    """The recap page; `paper` ('a4' or 'letter') fixes the printed page size."""
    page = "@page { margin: 14mm 13mm 16mm; %s}" % (
        f"size: {PAPER_SIZES[paper]}; " if paper in PAPER_SIZES else ""
    )
    body = "\n".join(
        [
            _header(recap),
            _who_referred_whom(recap),
            _chains(recap),
            _closed(recap),
            _give_get(recap),
            _attendance(recap),
            _threads(recap),
            _chart(recap),
            f"<footer>{e(recap.group)} · recap for {e(recap.month_label)}</footer>",
        ]
    )
    document = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(recap.title)}</title>\n"
        f"<style>{STYLE}\n/* Sized to fit both A4 (210 × 297 mm) and Letter (216 × 279 mm). */\n"
        f"@media print {{ {page} }}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    return document.encode("utf-8")


def _header(recap: Recap) -> str:
    rows = []
    for meeting in recap.meetings_held:
        rows.append(("Meeting held", f"{e(meeting.starts)} — {e(meeting.title)}"))
    if not recap.meetings_held:
        rows.append(("Meeting held", "none this month"))
    if recap.next_meeting:
        upcoming = recap.next_meeting
        rows.append(("Next meeting", f"{e(upcoming.starts)} — {e(upcoming.title)}"))
        if upcoming.intent:
            rows.append(("What it is for", e(upcoming.intent)))
    else:
        rows.append(("Next meeting", "not scheduled yet"))
    figures = [
        (recap.referrals_given, "referrals given" if recap.referrals_given != 1 else "referral given"),
        (recap.closed_count, "deals closed" + (f" · {recap.closed_total}" if recap.closed_total else "")),
        (recap.thanks_count, "thank-yous" if recap.thanks_count != 1 else "thank-you"),
        (recap.attendance.present + recap.attendance.late, "members came"),
        (recap.visitor_count, "visitors" if recap.visitor_count != 1 else "visitor"),
    ]
    return (
        "<header>\n"
        f"<h1>{e(recap.group)}</h1>\n<p class=\"muted\">Monthly recap · {e(recap.month_label)}</p>\n"
        '<dl class="header">'
        + "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
        + "</dl>\n<ul class=\"figures\">"
        + "".join(f"<li><strong>{n:,}</strong>{e(label)}</li>" for n, label in figures)
        + "</ul>\n</header>"
    )


def _who_referred_whom(recap: Recap) -> str:
    parts = ['<section id="who-referred-whom">', "<h2>Who referred whom</h2>"]
    if not recap.who_referred_whom:
        parts.append("<p>No referrals were given this month.</p>")
    else:
        parts.append(f'<p class="muted">{e(TEMPERATURE_NOTE)}</p>')
        for group in recap.who_referred_whom:
            parts.append(f'<p class="giver">{e(group.giver)} ({group.given})</p>')
            parts.append("<ul>" + "".join(f"<li>{e(line.text)}</li>" for line in group.referrals) + "</ul>")
        parts += _some(_note(more_referrals(recap)))
    parts.append(_matrix(recap))
    parts.append("</section>")
    return "\n".join(parts)


def _matrix(recap: Recap) -> str:
    matrix = recap.matrix
    if not matrix.total:
        return ""
    if len(matrix.receivers) > MATRIX_MAX_COLUMNS:
        return (f"<p class=\"muted\">{plural(len(matrix.givers), 'giver')} and "
                f"{plural(len(matrix.receivers), 'receiver')}: too many for a table here "
                "(see the ledger's matrix).</p>")
    head = "".join(f'<th class="col" scope="col">{e(name)}</th>' for name in matrix.receivers)
    rows = []
    for name, counts, total in zip(matrix.givers, matrix.counts, matrix.row_totals):
        cells = "".join(f"<td>{n or '·'}</td>" for n in counts)
        rows.append(f'<tr><th class="name" scope="row">{e(name)}</th>{cells}<td><strong>{total}</strong></td></tr>')
    totals = "".join(f"<td>{n}</td>" for n in matrix.column_totals)
    rows.append(f'<tr class="total"><th class="name" scope="row">total</th>{totals}<td>{matrix.total}</td></tr>')
    return (
        "<h3>The month's matrix</h3>\n"
        '<p class="muted">Rows give, columns receive.</p>\n'
        f'<table class="matrix"><thead><tr><th class="name">giver \\ receiver</th>{head}'
        f'<th class="col" scope="col">total</th></tr></thead>\n<tbody>{"".join(rows)}</tbody></table>'
    )


def _chains(recap: Recap) -> str:
    parts = ['<section id="chains">', "<h2>Chains</h2>"]
    if not recap.chains:
        parts.append("<p>No referral this month came out of an earlier one.</p>")
    else:
        parts.append('<p class="muted">Referrals this month that came out of earlier ones, from the first giver on.</p>')
        parts.append("<ul>" + "".join(
            f"<li>{e(chain.text)} <span class=\"muted\">({e(chain.prospect)}, {long_date(chain.given_on)})</span></li>"
            for chain in recap.chains) + "</ul>")
        parts += _some(_note(more_chains(recap)))
    parts.append("</section>")
    return "\n".join(parts)


def _closed(recap: Recap) -> str:
    parts = ['<section id="closed">', "<h2>Closed business and thank-yous</h2>", f'<p class="muted">{e(amounts_note(recap))}</p>']
    if recap.closed:
        show = recap.amounts != "hide"
        head = "<tr><th>closed</th><th>member</th><th>prospect</th><th>referred by</th>" + (
            '<th class="n">amount</th>' if show else "") + "</tr>"
        rows = "".join(
            f"<tr><td>{long_date(line.closed_on)}</td><td>{e(line.receiver)}</td><td>{e(line.prospect)}</td>"
            f"<td>{e(line.giver)}</td>" + (f'<td class="n">{e(line.amount)}</td>' if show else "") + "</tr>"
            for line in recap.closed
        )
        total = (f'<tr class="total"><th colspan="4">closed this month: {recap.closed_count:,}</th>'
                 + (f'<td class="n">{e(recap.closed_total)}</td>' if show else "") + "</tr>")
        parts += _some(_note(closed_intro(recap)))
        parts.append(f"<table><thead>{head}</thead><tbody>{rows}{total}</tbody></table>")
        parts += _some(_note(more_closed(recap)))
    else:
        parts.append("<p>No business was closed this month.</p>")
    if recap.thanks:
        parts.append("<h3>Thank-yous</h3>" + _note(thanks_intro(recap)) + "<ul>" + "".join(
            f"<li>{long_date(t.thanked_on)}: {e(t.receiver)} thanked {e(t.giver)} for {e(t.prospect)}"
            + (f" — “{e(t.note)}”" if t.note else "") + "</li>"
            for t in recap.thanks) + "</ul>" + _note(more_thanks(recap)))
    else:
        parts.append("<p>No thank-yous were recorded this month.</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _give_get(recap: Recap) -> str:
    parts = ['<section id="give-get">', "<h2>Give and get</h2>",
             f'<p class="muted">This month and this fiscal year ({e(fiscal_year_label(recap))}); top givers first.</p>']
    if not recap.give_get:
        parts.append("<p>No referrals yet this fiscal year.</p>")
    else:
        rows = "".join(
            f'<tr><td>{e(r.name)}</td><td class="n">{r.given}</td><td class="n">{r.received}</td>'
            f'<td class="n">{r.year_given}</td><td class="n">{r.year_received}</td></tr>'
            for r in recap.give_get
        )
        parts.append(
            '<table><thead><tr><th>member</th><th class="n">given</th><th class="n">received</th>'
            '<th class="n">given (year)</th><th class="n">received (year)</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
        parts += _some(_note(more_give_get(recap)))
    parts.append("</section>")
    return "\n".join(parts)


def _attendance(recap: Recap) -> str:
    counts = recap.attendance
    parts = ['<section id="attendance">', "<h2>Attendance</h2>"]
    if counts.meetings:
        parts.append(f"<p>Members: {e(attendance_phrase(counts))}.</p>")
        if counts.substitutes:
            parts.append("<ul>" + "".join(f"<li>{e(sub)} came for {e(member)}</li>"
                                          for member, sub in counts.substitutes) + "</ul>")
        parts += _some(_note(more_substitutes(recap)))
    else:
        parts.append("<p>No meeting was held this month.</p>")
    if recap.one_to_ones:
        parts.append(f"<p>One-to-ones: {e(recap.one_to_ones)}.</p>")
    if recap.visitors:
        parts.append("<h3>Visitors</h3><ul>" + "".join(
            f"<li>{e(v.name)}" + (f" ({e(v.business)})" if v.business else "")
            + (f", invited by {e(v.invited_by)}" if v.invited_by else "") + "</li>"
            for v in recap.visitors) + "</ul>" + _note(more_visitors(recap)))
    else:
        parts.append("<p>No visitors this month.</p>")
    if recap.new_members:
        parts.append("<h3>New members</h3><ul>" + "".join(
            f"<li>{e(m.name)}" + (f" ({e(m.business)})" if m.business else "")
            + f", joined {long_date(m.joined_on)}"
            + (f", invited by {e(m.invited_by)}" if m.invited_by else "") + "</li>"
            for m in recap.new_members) + "</ul>" + _note(more_new_members(recap)))
    else:
        parts.append("<p>No new members this month.</p>")
    parts.append(f"<p>{e(membership_year(recap))}</p>" if membership_year(recap) else "")
    parts.append("</section>")
    return "\n".join(parts)


def _threads(recap: Recap) -> str:
    threads = recap.threads
    parts = ['<section id="threads">', "<h2>Threads</h2>",
             f"<p>{threads.started} started · {threads.active_count} active · {threads.resolved} resolved this month.</p>"]
    if threads.active:
        items = []
        for line in threads.active:
            flags = [flag for flag, on in (("new", line.started_in_month), ("resolved", line.resolved)) if on]
            extra = f" [{', '.join(flags)}]" if flags else ""
            items.append(f"<li>{e(line.title)} — {e(line.kind)} by {e(line.author)}, "
                         f"{plural(line.posts_in_month, 'post')} this month{extra}</li>")
        parts.append("<ul>" + "".join(items) + "</ul>")
        parts += _some(_note(more_threads(recap)))
    if threads.carried:
        parts.append("<h3>Carried to the next meeting</h3><ul>" + "".join(
            f"<li>{e(line.title)} — {e(line.kind)} by {e(line.author)}</li>" for line in threads.carried) + "</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def _chart(recap: Recap) -> str:
    """Twelve bars as inline SVG, the recap's month darker; counts above the bars."""
    width, height, left, bottom, top_pad = 600, 180, 10, 24, 18
    slot = (width - 2 * left) / max(1, len(recap.series))
    top = bar_scale(recap.series)
    shapes = []
    for i, item in enumerate(recap.series):
        h = (height - bottom - top_pad) * item.count / top
        x = left + i * slot + slot * 0.15
        y = height - bottom - h
        css = ' class="this"' if i == len(recap.series) - 1 else ""
        shapes.append(f'<rect{css} x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}">'
                      f"<title>{e(item.label)}: {item.count}</title></rect>")
        shapes.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">{item.count}</text>')
        shapes.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - 8}" text-anchor="middle">{e(item.label)}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="Referrals given per month, last twelve months">{"".join(shapes)}</svg>')
    return f'<section id="chart" class="chart">\n<h2>Referrals given, last 12 months</h2>\n{svg}\n</section>'
