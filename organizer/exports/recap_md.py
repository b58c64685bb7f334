"""The monthly recap as Markdown: pure, recap data in, UTF-8 bytes out.

Every piece of user text goes through `escape`, so a member called `*bold*` or
`<script>alert(1)</script>` is printed as typed, never interpreted as Markdown or HTML.
"""

from __future__ import annotations

import re

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

MATRIX_MAX_COLUMNS = 24  # wider than this, a Markdown table stops being readable
BAR_WIDTH = 30

# Characters that mean something anywhere in a Markdown line (CommonMark lets any ASCII
# punctuation be backslash-escaped; these are the ones that can start markup mid-line).
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&!$])")
# At the start of a line: list items, ordered lists, headings' underlines, quotes.
_LEADING = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))")


def escape(text: str) -> str:
    """User text made literal in Markdown (and in whatever HTML it becomes)."""
    text = _SPECIAL.sub(r"\\\1", text)
    match = _LEADING.match(text)
    if match and match.group(2).isdigit():
        end = match.end()
        return text[:end] + "\\" + text[end:]
    return _LEADING.sub(r"\1\\\2", text, count=1)


def _more(text: str) -> list[str]:
    """A capped list's closing line as its own paragraph (nothing when all is listed). Our
    text, not the user's: the command in it stays a code span; counts and shaped amounts
    hold nothing Markdown would read."""
    return [f"*{text}*", ""] if text else []


def render(recap: Recap) -> bytes:
    return "\n".join(lines(recap)).encode("utf-8")


def lines(recap: Recap) -> list[str]:
    out: list[str] = [f"# {escape(recap.group)} — recap for {recap.month_label}", ""]
    out += _header(recap)
    out += _who_referred_whom(recap)
    out += _matrix(recap)
    out += _chains(recap)
    out += _closed(recap)
    out += _give_get(recap)
    out += _attendance(recap)
    out += _threads(recap)
    out += _chart(recap)
    return out


def _header(recap: Recap) -> list[str]:
    out = []
    if recap.meetings_held:
        for meeting in recap.meetings_held:
            out.append(f"- **Meeting held:** {meeting.starts} — {escape(meeting.title)}")
    else:
        out.append("- **Meeting held:** none this month")
    if recap.next_meeting:
        upcoming = recap.next_meeting
        out.append(f"- **Next meeting:** {upcoming.starts} — {escape(upcoming.title)}")
        if upcoming.intent:
            out.append(f"- **What it is for:** {escape(upcoming.intent)}")
    else:
        out.append("- **Next meeting:** not scheduled yet")
    closed = f"**{recap.closed_count:,}** closed"
    if recap.closed_total:
        closed += f" ({escape(recap.closed_total)})"
    out += ["", f"**{plural(recap.referrals_given, 'referral')}** given · {closed} · "
            f"**{plural(recap.thanks_count, 'thank-you')}** · **{plural(recap.visitor_count, 'visitor')}**", ""]
    return out


def _who_referred_whom(recap: Recap) -> list[str]:
    out = ["## Who referred whom", ""]
    if not recap.who_referred_whom:
        return out + ["No referrals were given this month.", ""]
    out += [TEMPERATURE_NOTE, ""]
    for group in recap.who_referred_whom:
        out += [f"**{escape(group.giver)}** ({group.given})", ""]
        out += [f"- {escape(line.text)}" for line in group.referrals]
        out.append("")
    return out + _more(more_referrals(recap))


def _matrix(recap: Recap) -> list[str]:
    matrix = recap.matrix
    if not matrix.total:
        return []
    out = ["### The month's matrix", ""]
    if len(matrix.receivers) > MATRIX_MAX_COLUMNS:
        return out + [f"{plural(len(matrix.givers), 'giver')} and {plural(len(matrix.receivers), 'receiver')}: "
                      "too many for a table here (see the ledger's matrix).", ""]
    out.append("| giver / receiver | " + " | ".join(escape(name) for name in matrix.receivers) + " | total |")
    out.append("|---|" + "---:|" * (len(matrix.receivers) + 1))
    for name, row, total in zip(matrix.givers, matrix.counts, matrix.row_totals):
        cells = " | ".join(str(n) if n else "·" for n in row)
        out.append(f"| {escape(name)} | {cells} | **{total}** |")
    totals = " | ".join(f"**{n}**" for n in matrix.column_totals)
    out += [f"| **total** | {totals} | **{matrix.total}** |", ""]
    return out


def _chains(recap: Recap) -> list[str]:
    out = ["## Chains", ""]
    if not recap.chains:
        return out + ["No referral this month came out of an earlier one.", ""]
    out += ["Referrals this month that came out of earlier ones, from the first giver on.", ""]
    for chain in recap.chains:
        out.append(f"- {escape(chain.text)} ({escape(chain.prospect)}, {long_date(chain.given_on)})")
    return out + [""] + _more(more_chains(recap))


def _closed(recap: Recap) -> list[str]:
    out = ["## Closed business and thank-yous", "", amounts_note(recap), ""]
    if recap.closed:
        if closed_intro(recap):
            out += [closed_intro(recap), ""]
        for line in recap.closed:
            amount = f" — {escape(line.amount)}" if line.amount else ""
            out.append(f"- {long_date(line.closed_on)}: {escape(line.receiver)} closed "
                       f"{escape(line.prospect)}, referred by {escape(line.giver)}{amount}")
        out.append("")
        out += _more(more_closed(recap))
        total = f", {escape(recap.closed_total)}" if recap.closed_total else ""
        out += [f"**Closed this month:** {recap.closed_count:,}{total}", ""]
    else:
        out += ["No business was closed this month.", ""]
    if recap.thanks:
        out += ["**Thank-yous**", ""]
        if thanks_intro(recap):
            out += [thanks_intro(recap), ""]
        for thanks in recap.thanks:
            note = f" — “{escape(thanks.note)}”" if thanks.note else ""
            out.append(f"- {long_date(thanks.thanked_on)}: {escape(thanks.receiver)} thanked "
                       f"{escape(thanks.giver)} for {escape(thanks.prospect)}{note}")
        out.append("")
        out += _more(more_thanks(recap))
    else:
        out += ["No thank-yous were recorded this month.", ""]
    return out


def _give_get(recap: Recap) -> list[str]:
    out = ["## Give and get", "",
           f"Referrals given and received this month and this fiscal year ({fiscal_year_label(recap)}); "
           "top givers first.", ""]
    if not recap.give_get:
        return out + ["No referrals yet this fiscal year.", ""]
    out += ["| member | given | received | given (year) | received (year) |", "|---|---:|---:|---:|---:|"]
    for row in recap.give_get:
        out.append(f"| {escape(row.name)} | {row.given} | {row.received} | {row.year_given} | {row.year_received} |")
    return out + [""] + _more(more_give_get(recap))


def _attendance(recap: Recap) -> list[str]:
    counts = recap.attendance
    out = ["## Attendance", ""]
    if not counts.meetings:
        out += ["No meeting was held this month.", ""]
    else:
        out += [f"Members: {attendance_phrase(counts)}.", ""]
        for member, substitute in counts.substitutes:
            out.append(f"- {escape(substitute)} came for {escape(member)}")
        if counts.substitutes:
            out.append("")
        out += _more(more_substitutes(recap))
    if recap.one_to_ones:
        out += [f"One-to-ones: {escape(recap.one_to_ones)}.", ""]
    if recap.visitors:
        out += ["**Visitors**", ""]
        for visitor in recap.visitors:
            business = f" ({escape(visitor.business)})" if visitor.business else ""
            invited = f", invited by {escape(visitor.invited_by)}" if visitor.invited_by else ""
            out.append(f"- {escape(visitor.name)}{business}{invited}")
        out.append("")
        out += _more(more_visitors(recap))
    else:
        out += ["No visitors this month.", ""]
    if recap.new_members:
        out += ["**New members**", ""]
        for member in recap.new_members:
            detail = ", ".join(escape(part) for part in (member.business, member.category) if part)
            invited = f", invited by {escape(member.invited_by)}" if member.invited_by else ""
            out.append(f"- {escape(member.name)}{f' ({detail})' if detail else ''}, joined "
                       f"{long_date(member.joined_on)}{invited}")
        out.append("")
        out += _more(more_new_members(recap))
    else:
        out += ["No new members this month.", ""]
    out += [escape(membership_year(recap)), ""] if membership_year(recap) else []
    return out


def _threads(recap: Recap) -> list[str]:
    threads = recap.threads
    out = ["## Threads", "",
           f"{threads.started} started · {threads.active_count} active · {threads.resolved} resolved this month.", ""]
    for line in threads.active:
        flags = [flag for flag, on in (("new", line.started_in_month), ("resolved", line.resolved)) if on]
        extra = f" [{', '.join(flags)}]" if flags else ""
        out.append(f"- {escape(line.title)} — {line.kind} by {escape(line.author)}, "
                   f"{line.posts_in_month} post{'s' if line.posts_in_month != 1 else ''} this month{extra}")
    if threads.active:
        out.append("")
    out += _more(more_threads(recap))
    if threads.carried:
        out += ["**Carried to the next meeting**", ""]
        out += [f"- {escape(line.title)} — {line.kind} by {escape(line.author)}" for line in threads.carried]
        out.append("")
    return out


def _chart(recap: Recap) -> list[str]:
    out = ["## Referrals given, last 12 months", "", "```"]
    top = bar_scale(recap.series)
    for item in recap.series:
        bar = "█" * round(item.count * BAR_WIDTH / top)
        out.append(f"{item.label}  {bar} {item.count}")
    return out + ["```", ""]
