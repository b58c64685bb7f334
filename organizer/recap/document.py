"""The recap as one document of blocks: every sentence of the recap is written here, once.

`document(recap)` turns the recap's data (recap.model) into headings, paragraphs, lists,
tables, "and N more" notes and a chart. It knows nothing of formats; each printer
(md, txt, html, pdf) only lays these blocks out, so the four formats cannot drift apart.

The blocks and their inline text are defined in recap.blocks; the sections about the
members (give and get, attendance, threads) are written in recap.document_members.
"""

from __future__ import annotations

from organizer.recap.blocks import (
    Block,
    BulletList,
    Chart,
    Document,
    Facts,
    Heading,
    Paragraph,
    Run,
    Table,
    more,
    more_in_ledger,
    plain,
    runs,
    u,
)
from organizer.recap.document_members import attendance_section, give_get_section, threads_section
from organizer.recap.model import Recap, long_date, short_labels
from organizer.wording import plural

TEMPERATURE_NOTE = "giver → receiver: prospect (temperature, status); temperature runs from 1 (cold) to 5 (hot)."
# A wider matrix is unreadable on a page (24 count columns fit A4 and Letter): its size is said instead.
MATRIX_MAX_COLUMNS = 24


def document(recap: Recap) -> Document:
    blocks: list[Block] = [Heading(1, recap.title)]
    blocks += _header(recap)
    blocks += _who_referred_whom(recap)
    blocks += _matrix(recap)
    blocks += _chains(recap)
    blocks += _closed(recap)
    blocks += give_get_section(recap)
    blocks += attendance_section(recap)
    blocks += threads_section(recap)
    blocks += _chart(recap)
    return Document(
        recap.title,
        recap.group,
        recap.month_label,
        tuple(blocks),
        footer=f"{recap.group} · recap for {recap.month_label}",
    )


# -- the header ------------------------------------------------------------------------------


def _header(recap: Recap) -> list[Block]:
    rows = [("Meeting held", f"{meeting.starts} — {meeting.title}") for meeting in recap.meetings_held]
    if not recap.meetings_held:
        rows.append(("Meeting held", "none this month"))
    if recap.next_meeting:
        rows.append(
            (
                "Next meeting",
                f"{recap.next_meeting.starts} — {recap.next_meeting.title}",
            )
        )
        if recap.next_meeting.intent:
            rows.append(("What it is for", recap.next_meeting.intent))
    else:
        rows.append(("Next meeting", "not scheduled yet"))
    closed = f" ({recap.closed_total})" if recap.closed_total else ""
    counts = recap.attendance
    figures: list[Run] = [
        Run(plural(recap.referrals_given, "referral"), "strong"),
        Run(" given · "),
        Run(f"{recap.closed_count:,}", "strong"),
        Run(f" closed{closed} · "),
        Run(plural(recap.thanks_count, "thank-you"), "strong"),
        Run(" · "),
    ]
    if counts.meetings:
        figures += [
            Run(f"{plural(counts.came, 'member')} came", "strong"),
            Run(f" ({plural(counts.meetings, 'meeting')}) · "),
        ]
    figures.append(Run(plural(recap.visitor_count, "visitor"), "strong"))
    return [Facts(tuple(rows)), Paragraph(tuple(figures))]


# -- who referred whom ------------------------------------------------------------------------


def _who_referred_whom(recap: Recap) -> list[Block]:
    out: list[Block] = [Heading(2, "Who referred whom")]
    if not recap.who_referred_whom:
        return out + [Paragraph(plain("No referrals were given this month."))]
    out.append(Paragraph(plain(TEMPERATURE_NOTE), muted=True))
    out.append(
        BulletList(
            tuple(
                runs(
                    u(line.giver),
                    " → ",
                    u(line.receiver),
                    ": ",
                    u(line.prospect),
                    f" ({line.temperature}, {line.status})",
                )
                for group in recap.who_referred_whom
                for line in group.referrals
            )
        )
    )
    return out + more_in_ledger(recap.referrals_more, "more referral")


def _matrix(recap: Recap) -> list[Block]:
    matrix = recap.matrix
    if not matrix.total:
        return []
    out: list[Block] = [Heading(3, "The month's matrix: rows give, columns receive")]
    if len(matrix.receivers) > MATRIX_MAX_COLUMNS:
        return out + [
            Paragraph(
                plain(
                    f"{plural(len(matrix.givers), 'giver')} and {plural(len(matrix.receivers), 'receiver')}: "
                    "too many for a table here (see the ledger's matrix)."
                )
            )
        ]
    labels = short_labels(matrix.receivers)
    rows = tuple(
        (name, *(str(n) if n else "·" for n in counts), str(total))
        for name, counts, total in zip(matrix.givers, matrix.counts, matrix.row_totals)
    )
    table = Table(
        ("giver", *(labels[name] for name in matrix.receivers), "total"),
        rows,
        total=("total", *(str(n) for n in matrix.column_totals), str(matrix.total)),
        kind="matrix",
    )
    legend: list[str | Run] = ["Columns: "]
    for index, name in enumerate(matrix.receivers):
        legend += [", " if index else "", u(labels[name]), " ", u(name)]
    return out + [table, Paragraph(runs(*legend, "."), muted=True)]


def _chains(recap: Recap) -> list[Block]:
    out: list[Block] = [Heading(2, "Chains")]
    if not recap.chains:
        return out + [Paragraph(plain("No referral this month came out of an earlier one."))]
    out.append(
        Paragraph(
            plain("Referrals this month that came out of earlier ones, from the first giver on."),
            muted=True,
        )
    )
    out.append(
        BulletList(
            tuple(
                runs(
                    *_arrows(chain.names),
                    " (",
                    u(chain.prospect),
                    f", {long_date(chain.given_on)})",
                )
                for chain in recap.chains
            )
        )
    )
    return out + more_in_ledger(recap.chain_count - len(recap.chains), "more chain")


def _arrows(names: tuple[str, ...]) -> list[str | Run]:
    """'A → B → C', each name its own run."""
    out: list[str | Run] = []
    for index, name in enumerate(names):
        out += [" → " if index else "", u(name)]
    return out


# -- closed business and thank-yous ---------------------------------------------------------------


def amounts_note(recap: Recap) -> str:
    """What the reader needs to know about the amounts, per the group's privacy setting."""
    if recap.amounts == "hide":
        return "Amounts are not shown (the group's privacy setting)."
    if recap.amounts == "bucket":
        return f"Amounts are shown as ranges in {recap.currency} (the group's privacy setting)."
    return f"Amounts in {recap.currency}."


def _closed_intro(recap: Recap) -> str:
    """Which deals a capped list shows, and in what order."""
    if recap.closed_order == "date":
        return ""
    shown, of = len(recap.closed), f"{recap.closed_count:,}"
    if recap.closed_order == "largest":
        return f"The {shown} largest of {of} deals closed this month, largest first:"
    if recap.closed_order == "range":
        return f"The {shown} largest of {of} deals closed this month, by range, newest first within a range:"
    return f"The latest {shown} of {of} deals closed this month, newest first:"


def _closed(recap: Recap) -> list[Block]:
    out: list[Block] = [
        Heading(2, "Closed business and thank-yous"),
        Paragraph(plain(amounts_note(recap)), muted=True),
    ]
    if recap.closed:
        out += more(_closed_intro(recap))
        show = recap.amounts != "hide"
        header = ("closed", "member", "prospect", "referred by") + (("amount",) if show else ())
        rows = tuple(
            (long_date(line.closed_on), line.receiver, line.prospect, line.giver) + ((line.amount,) if show else ())
            for line in recap.closed
        )
        total = (f"closed this month: {recap.closed_count:,}", "", "", "") + ((recap.closed_total,) if show else ())
        out.append(Table(header, rows, numeric_from=4, total=total, nowrap=(0,)))
        n = recap.closed_count - len(recap.closed)
        if n:
            together = f", together {recap.closed_more_total}" if recap.closed_more_total else ""
            out += more(f"and {plural(n, 'more deal')} closed this month{together}.")
    else:
        out.append(Paragraph(plain("No business was closed this month.")))
    out.append(Heading(3, "Thank-yous"))
    if not recap.thanks:
        return out + [Paragraph(plain("No thank-yous were recorded this month."))]
    if recap.thanks_count != len(recap.thanks):
        out += more(f"The latest {len(recap.thanks)} of {recap.thanks_count:,} thank-yous, newest first:")
    out.append(
        BulletList(
            tuple(
                runs(
                    f"{long_date(t.thanked_on)}: ",
                    u(t.receiver),
                    " thanked ",
                    u(t.giver),
                    " for ",
                    u(t.prospect),
                    *((" — “", u(t.note), "”") if t.note else ()),
                )
                for t in recap.thanks
            )
        )
    )
    n = recap.thanks_count - len(recap.thanks)
    return out + more(f"and {plural(n, 'earlier thank-you')} this month." if n else "")


# -- the chart ---------------------------------------------------------------------------------


def _chart(recap: Recap) -> list[Block]:
    """The last twelve months' referrals; nothing at all for a group with none yet (a chart
    of twelve zeros says less than no chart)."""
    if not any(item.count for item in recap.series):
        return []
    return [
        Heading(2, "Referrals given, last 12 months"),
        Chart(tuple((item.label, item.count) for item in recap.series)),
    ]
