"""The monthly recap as plain text: pure, recap data in, UTF-8 bytes out.

Columns are aligned by terminal cells, not characters, so 陈静 (two cells a letter) and
Nguyễn Thị Mai line up with Latin names. `text(recap)` returns the same recap as a str
for a preview widget; text bars draw the twelve-month chart.
"""

from __future__ import annotations

import unicodedata

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
    short_labels,
    thanks_intro,
)

WIDTH = 78
MATRIX_MAX_COLUMNS = 16
BAR_WIDTH = 40


def render(recap: Recap) -> bytes:
    return text(recap).encode("utf-8")


def text(recap: Recap) -> str:
    """The whole recap as one string (what the app's Recap section previews)."""
    out: list[str] = []
    title = recap.title
    out += [title, "=" * min(WIDTH, cells(title)), ""]
    out += _header(recap)
    out += _who_referred_whom(recap)
    out += _matrix(recap)
    out += _chains(recap)
    out += _closed(recap)
    out += _give_get(recap)
    out += _attendance(recap)
    out += _threads(recap)
    out += _chart(recap)
    return "\n".join(out).rstrip() + "\n"


# -- cells ---------------------------------------------------------------------------------------


def cells(text: str) -> int:
    """How many terminal cells `text` takes: wide East Asian letters 2, combining marks 0."""
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


def _more(text: str, indent: str = "", blank: bool = True) -> list[str]:
    """A capped list's closing line (nothing when all is listed)."""
    if not text:
        return []
    wrapped = [indent + line for line in _wrap(text, WIDTH - cells(indent)).split("\n")]
    return wrapped + ([""] if blank else [])


def _section(title: str) -> list[str]:
    return [title, "-" * cells(title), ""]


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], numeric_from: int = 1) -> list[str]:
    widths = [max(cells(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        parts = [ljust(value, widths[i]) if i < numeric_from else rjust(value, widths[i])
                 for i, value in enumerate(row)]
        return "  ".join(parts).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]


# -- sections --------------------------------------------------------------------------------------


def _header(recap: Recap) -> list[str]:
    out = []
    for meeting in recap.meetings_held:
        out.append(f"Meeting held:  {meeting.starts}  {meeting.title}")
    if not recap.meetings_held:
        out.append("Meeting held:  none this month")
    if recap.next_meeting:
        out.append(f"Next meeting:  {recap.next_meeting.starts}  {recap.next_meeting.title}")
        if recap.next_meeting.intent:
            out.append(_wrap(f"What it is for: {recap.next_meeting.intent}"))
    else:
        out.append("Next meeting:  not scheduled yet")
    closed = f"{recap.closed_count:,} closed" + (f" ({recap.closed_total})" if recap.closed_total else "")
    out += ["", f"{plural(recap.referrals_given, 'referral')} given · {closed} · "
            f"{plural(recap.thanks_count, 'thank-you')} · {plural(recap.visitor_count, 'visitor')}", ""]
    return out


def _who_referred_whom(recap: Recap) -> list[str]:
    out = _section("Who referred whom")
    if not recap.who_referred_whom:
        return out + ["No referrals were given this month.", ""]
    out += [TEMPERATURE_NOTE, ""]
    for group in recap.who_referred_whom:
        out += [f"  {line.text}" for line in group.referrals]
        out.append("")
    return out + _more(more_referrals(recap))


def _matrix(recap: Recap) -> list[str]:
    matrix = recap.matrix
    if not matrix.total:
        return []
    out = _section("The month's matrix (rows give, columns receive)")
    if len(matrix.receivers) > MATRIX_MAX_COLUMNS:
        return out + [f"{plural(len(matrix.givers), 'giver')} and {plural(len(matrix.receivers), 'receiver')}: too many "
                      "columns for text (see the ledger's matrix).", ""]
    labels = short_labels(matrix.receivers)
    header = ("", *(labels[name] for name in matrix.receivers), "total")
    rows = [
        (name, *(str(n) if n else "·" for n in row), str(total))
        for name, row, total in zip(matrix.givers, matrix.counts, matrix.row_totals)
    ]
    rows.append(("total", *(str(n) for n in matrix.column_totals), str(matrix.total)))
    out += _table(header, rows)
    legend = ", ".join(f"{labels[name]} {name}" for name in matrix.receivers)
    return out + ["", _wrap("Columns: " + legend), ""]


def _chains(recap: Recap) -> list[str]:
    out = _section("Chains")
    if not recap.chains:
        return out + ["No referral this month came out of an earlier one.", ""]
    for chain in recap.chains:
        out.append(f"  {chain.text}  ({chain.prospect}, {long_date(chain.given_on)})")
    return out + [""] + _more(more_chains(recap))


def _closed(recap: Recap) -> list[str]:
    out = _section("Closed business and thank-yous") + [amounts_note(recap), ""]
    if recap.closed:
        out += _more(closed_intro(recap))
        rows = [(long_date(line.closed_on), line.receiver, line.prospect, line.giver, line.amount)
                for line in recap.closed]
        header = ("closed", "member", "prospect", "referred by", "amount")
        if recap.amounts == "hide":
            rows, header = [row[:4] for row in rows], header[:4]
        out += _table(header, rows, numeric_from=4) + [""]
        out += _more(more_closed(recap))
        total = f", {recap.closed_total}" if recap.closed_total else ""
        out += [f"Closed this month: {recap.closed_count:,}{total}", ""]
    else:
        out += ["No business was closed this month.", ""]
    if recap.thanks:
        out += ["Thank-yous:"]
        out += _more(thanks_intro(recap), "  ", blank=False)
        for thanks in recap.thanks:
            note = f" — “{thanks.note}”" if thanks.note else ""
            out.append(f"  {long_date(thanks.thanked_on)}: {thanks.receiver} thanked {thanks.giver} "
                       f"for {thanks.prospect}{note}")
        out += _more(more_thanks(recap), "  ", blank=False)
        out.append("")
    else:
        out += ["No thank-yous were recorded this month.", ""]
    return out


def _give_get(recap: Recap) -> list[str]:
    out = _section("Give and get") + [
        f"This month and this fiscal year ({fiscal_year_label(recap)}); top givers first.", ""]
    if not recap.give_get:
        return out + ["No referrals yet this fiscal year.", ""]
    rows = [(row.name, str(row.given), str(row.received), str(row.year_given), str(row.year_received))
            for row in recap.give_get]
    out += _table(("member", "given", "received", "year given", "year received"), rows) + [""]
    return out + _more(more_give_get(recap))


def _attendance(recap: Recap) -> list[str]:
    counts = recap.attendance
    out = _section("Attendance")
    if counts.meetings:
        out.append(f"Members: {attendance_phrase(counts)}")
        out += [f"  {substitute} came for {member}" for member, substitute in counts.substitutes]
        out += _more(more_substitutes(recap), "  ", blank=False)
    else:
        out.append("No meeting was held this month.")
    if recap.one_to_ones:
        out.append(f"One-to-ones: {recap.one_to_ones}")
    if recap.visitors:
        out.append("Visitors:")
        for visitor in recap.visitors:
            business = f" ({visitor.business})" if visitor.business else ""
            invited = f", invited by {visitor.invited_by}" if visitor.invited_by else ""
            out.append(f"  {visitor.name}{business}{invited}")
        out += _more(more_visitors(recap), "  ", blank=False)
    else:
        out.append("Visitors: none")
    if recap.new_members:
        out.append("New members:")
        for member in recap.new_members:
            invited = f", invited by {member.invited_by}" if member.invited_by else ""
            out.append(f"  {member.name} ({member.business}), joined {long_date(member.joined_on)}{invited}")
        out += _more(more_new_members(recap), "  ", blank=False)
    else:
        out.append("New members: none")
    out += [membership_year(recap)] if membership_year(recap) else []
    return out + [""]


def _threads(recap: Recap) -> list[str]:
    threads = recap.threads
    out = _section("Threads") + [
        f"{threads.started} started · {threads.active_count} active · {threads.resolved} resolved this month"]
    for line in threads.active:
        flags = [flag for flag, on in (("new", line.started_in_month), ("resolved", line.resolved)) if on]
        extra = f" [{', '.join(flags)}]" if flags else ""
        out.append(f"  {line.title} — {line.kind} by {line.author}, {line.posts_in_month} "
                   f"post{'s' if line.posts_in_month != 1 else ''}{extra}")
    out += _more(more_threads(recap), "  ", blank=False)
    if threads.carried:
        out.append("Carried to the next meeting:")
        out += [f"  {line.title} — {line.kind} by {line.author}" for line in threads.carried]
    return out + [""]


def _chart(recap: Recap) -> list[str]:
    out = _section("Referrals given, last 12 months")
    top = bar_scale(recap.series)
    width = max(len(str(item.count)) for item in recap.series) if recap.series else 1
    for item in recap.series:
        bar = "█" * round(item.count * BAR_WIDTH / top)
        out.append(f"  {item.label}  {str(item.count).rjust(width)} {bar}".rstrip())
    return out + [""]


def _wrap(text: str, width: int = WIDTH) -> str:
    """Wrap at spaces by cell width (textwrap counts characters, not cells)."""
    lines, current = [], ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and cells(candidate) > width:
            lines.append(current)
            current = "  " + word
        else:
            current = candidate
    lines.append(current)
    return "\n".join(lines)
