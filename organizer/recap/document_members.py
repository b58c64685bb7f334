"""The recap document's sections about the members: give and get, attendance (with
the visitors, the one-to-ones and the membership year), and the month's threads.

Part of `organizer.recap.document`, which puts the sections in order.
"""

from __future__ import annotations

from organizer.recap.blocks import (
    Block,
    BulletList,
    Heading,
    Paragraph,
    Run,
    Table,
    more,
    plain,
    runs,
    u,
)
from organizer.recap.model import Recap, long_date
from organizer.wording import plural

# -- give and get ----------------------------------------------------------------------------------


def give_get_section(recap: Recap) -> list[Block]:
    out: list[Block] = [
        Heading(2, "Give and get"),
        Paragraph(
            plain(
                f"Referrals given and received this month and this fiscal year "
                f"(since {long_date(recap.fiscal_year_start)}); top givers first."
            ),
            muted=True,
        ),
    ]
    if not recap.give_get:
        return out + [Paragraph(plain("No referrals yet this fiscal year."))]
    rows = tuple(
        (
            row.name,
            str(row.given),
            str(row.received),
            str(row.year_given),
            str(row.year_received),
        )
        for row in recap.give_get
    )
    out.append(Table(("member", "given", "received", "given (year)", "received (year)"), rows))
    n = recap.give_get_count - len(recap.give_get)
    return out + more(f"and {plural(n, 'other member')} gave or received referrals this fiscal year." if n else "")


# -- attendance and people ---------------------------------------------------------------------------


def attendance_phrase(recap: Recap) -> str:
    """'5 members came (2 meetings; 1 late) · 1 sent a substitute · 2 absent': people, each once."""
    counts = recap.attendance
    came = f"{plural(counts.came, 'member')} came ({plural(counts.meetings, 'meeting')}"
    came += f"; {counts.late} late)" if counts.late else ")"
    parts = [came]
    if counts.substitute:
        parts.append(f"{counts.substitute} sent a substitute")
    if counts.medical:
        parts.append(f"{counts.medical} on medical leave")
    if counts.absent:
        parts.append(f"{counts.absent} absent")
    return " · ".join(parts)


def attendance_section(recap: Recap) -> list[Block]:
    counts = recap.attendance
    out: list[Block] = [Heading(2, "Attendance")]
    if counts.meetings:
        out.append(Paragraph(plain(attendance_phrase(recap) + ".")))
        if counts.substitutes:
            out.append(
                BulletList(
                    tuple(runs(u(substitute), " came for ", u(member)) for member, substitute in counts.substitutes)
                )
            )
        n = counts.substitutes_more
        out += more(f"and {plural(n, 'more substitute')}." if n else "")
    else:
        out.append(Paragraph(plain("No meeting was held this month.")))
    if recap.one_to_ones_held or recap.coverage:
        out.append(Paragraph(plain(one_to_one_phrase(recap))))
    out.append(Heading(3, "Visitors"))
    if recap.visitors:
        out.append(
            BulletList(
                tuple(
                    runs(
                        u(v.name),
                        *((" (", u(v.business), ")") if v.business else ()),
                        *((", invited by ", u(v.invited_by)) if v.invited_by else ()),
                    )
                    for v in recap.visitors
                )
            )
        )
        n = recap.visitor_count - len(recap.visitors)
        out += more(f"and {plural(n, 'more visitor')}." if n else "")
    else:
        out.append(Paragraph(plain("No visitors this month.")))
    out.append(Heading(3, "New members"))
    if recap.new_members:
        items = []
        for member in recap.new_members:
            detail = [part for part in (member.business, member.category) if part]
            items.append(
                runs(
                    u(member.name),
                    *((" (", u(", ".join(detail)), ")") if detail else ()),
                    f", joined {long_date(member.joined_on)}",
                    *((", invited by ", u(member.invited_by)) if member.invited_by else ()),
                )
            )
        out.append(BulletList(tuple(items)))
        n = recap.new_member_count - len(recap.new_members)
        out += more(f"and {plural(n, 'more new member')}." if n else "")
    else:
        out.append(Paragraph(plain("No new members this month.")))
    if membership_year(recap):
        out.append(Paragraph(runs(*membership_year(recap))))
    return out


def one_to_one_phrase(recap: Recap) -> str:
    """'3 one-to-ones this month · 12% of pairs of active members have met one-to-one (0% a year ago).'"""
    return (
        f"{plural(recap.one_to_ones_held, 'one-to-one')} this month · {recap.coverage:.0f}% of pairs of "
        f"active members have met one-to-one ({recap.coverage_year_ago:.0f}% a year ago)."
    )


def membership_year(recap: Recap) -> list[str | Run]:
    """Renewals and the visitor pipeline in a sentence or two (nothing when there is nothing to say)."""
    parts: list[str | Run] = []
    if recap.renewed or recap.renewals_outstanding:
        parts.append(f"Renewals: {recap.renewed:,} renewed, {recap.renewals_outstanding:,} still due this month.")
    if recap.visitors_this_year or recap.joined_this_year:
        parts.append(
            f"{' ' if parts else ''}This year: {plural(recap.visitors_this_year, 'visitor')}, "
            f"{recap.joined_this_year:,} joined"
        )
        for index, (name, count) in enumerate(recap.brought_by):
            parts += [" (brought by " if index == 0 else ", ", u(name), f" {count}"]
        parts.append(")." if recap.brought_by else ".")
    return parts


# -- threads ------------------------------------------------------------------------------------


def threads_section(recap: Recap) -> list[Block]:
    threads = recap.threads
    out: list[Block] = [
        Heading(2, "Threads"),
        Paragraph(
            plain(
                f"{threads.started} started · {threads.active_count} active · {threads.resolved} resolved this month."
            )
        ),
    ]
    if threads.active:
        items = []
        for line in threads.active:
            flags = [
                flag
                for flag, on in (
                    ("new", line.started_in_month),
                    ("resolved", line.resolved),
                )
                if on
            ]
            extra = f" [{', '.join(flags)}]" if flags else ""
            items.append(
                runs(
                    u(line.title),
                    f" — {line.kind} by ",
                    u(line.author),
                    f", {plural(line.posts_in_month, 'post')} this month{extra}",
                )
            )
        out.append(BulletList(tuple(items)))
    n = threads.active_more
    out += more(f"and {plural(n, 'more active thread')}." if n else "")
    if threads.carried:
        out.append(Heading(3, "Carried to the next meeting"))
        out.append(
            BulletList(tuple(runs(u(line.title), f" — {line.kind} by ", u(line.author)) for line in threads.carried))
        )
    return out
