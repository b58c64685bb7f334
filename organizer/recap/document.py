"""The recap as one document of blocks: every sentence of the recap is written here, once.

`document(recap)` turns the recap's data (recap.model) into headings, paragraphs, lists,
tables, "and N more" notes and a chart. It knows nothing of formats; each printer
(md, txt, html, pdf) only lays these blocks out, so the four formats cannot drift apart.

Inline text is a tuple of runs, each plain, strong, emphasised or code: a printer marks a
run up its own way and escapes the text for where it goes. User text is never markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from organizer.recap.model import Recap, long_date, short_labels
from organizer.wording import plural

TEMPERATURE_NOTE = "giver → receiver: prospect (temperature, status); temperature runs from 1 (cold) to 5 (hot)."
LEDGER_COMMAND = "organizer export ledger"  # where a capped list's rest can be read
# A wider matrix is unreadable on a page (24 count columns fit A4 and Letter): its size is said instead.
MATRIX_MAX_COLUMNS = 24


@dataclass(frozen=True)
class Run:
    text: str
    style: str = ""  # "" | "strong" | "em" | "code"
    # Text from outside (a name, a prospect, a title): a printer that lays out right-to-left
    # text isolates it, so "שרה כהן → فاطمة الزهراء" keeps giver → receiver in reading order.
    user: bool = False


Inline = tuple[Run, ...]


def plain(text: str) -> Inline:
    return (Run(text),)


def u(text: str) -> Run:
    """A run of text from outside (see Run.user)."""
    return Run(text, user=True)


def runs(*parts: str | Run) -> Inline:
    """Inline text from our words (str) and text from outside (u(...)); empty parts dropped."""
    return tuple(
        part if isinstance(part, Run) else Run(part) for part in parts if (part.text if isinstance(part, Run) else part)
    )


@dataclass(frozen=True)
class Heading:
    level: int  # 1 the title, 2 a section, 3 a part of one
    text: str


@dataclass(frozen=True)
class Paragraph:
    runs: Inline
    muted: bool = False  # an explanation rather than content


@dataclass(frozen=True)
class Facts:
    """Label: value lines (the header's meetings)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class More:
    """A capped list's "and N more …" (or a capped list's opening line)."""

    runs: Inline


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_from: int = 1  # columns from this one on are numbers (right-aligned)
    total: tuple[str, ...] | None = None  # a closing totals row
    nowrap: tuple[int, ...] = ()  # columns never broken across lines (dates)
    kind: str = ""  # "matrix": counts under short column labels


@dataclass(frozen=True)
class Chart:
    """Bars, one per month; the last is the recap's month."""

    bars: tuple[tuple[str, int], ...]

    @property
    def top(self) -> int:
        return max((count for _, count in self.bars), default=0) or 1


Block = Heading | Paragraph | Facts | BulletList | More | Table | Chart


@dataclass(frozen=True)
class Document:
    title: str
    group: str
    month_label: str
    blocks: tuple[Block, ...]
    footer: str = ""
    meta: dict = field(default_factory=dict, compare=False)

    def texts(self) -> Iterator[str]:
        """Every piece of text in the document (what a printer may have to draw)."""
        yield self.title
        yield self.footer
        for block in self.blocks:
            if isinstance(block, Heading):
                yield block.text
            elif isinstance(block, (Paragraph, More)):
                yield from (run.text for run in block.runs)
            elif isinstance(block, Facts):
                for label, value in block.rows:
                    yield label
                    yield value
            elif isinstance(block, BulletList):
                for item in block.items:
                    yield from (run.text for run in item)
            elif isinstance(block, Table):
                yield from block.header
                for row in block.rows:
                    yield from row
                yield from block.total or ()
            elif isinstance(block, Chart):
                yield from (label for label, _ in block.bars)


def document(recap: Recap) -> Document:
    blocks: list[Block] = [Heading(1, recap.title)]
    blocks += _header(recap)
    blocks += _who_referred_whom(recap)
    blocks += _matrix(recap)
    blocks += _chains(recap)
    blocks += _closed(recap)
    blocks += _give_get(recap)
    blocks += _attendance(recap)
    blocks += _threads(recap)
    blocks += _chart(recap)
    return Document(
        recap.title,
        recap.group,
        recap.month_label,
        tuple(blocks),
        footer=f"{recap.group} · recap for {recap.month_label}",
    )


def _more(text: str) -> list[Block]:
    return [More(plain(text))] if text else []


def _more_in_ledger(n: int, what: str) -> list[Block]:
    """'and 3 more referrals this month: `organizer export ledger` has them all.'"""
    if not n:
        return []
    return [
        More(
            (
                Run(f"and {plural(n, what)} this month: "),
                Run(LEDGER_COMMAND, "code"),
                Run(" has them all."),
            )
        )
    ]


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
    return out + _more_in_ledger(recap.referrals_more, "more referral")


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
    return out + _more_in_ledger(recap.chain_count - len(recap.chains), "more chain")


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
        out += _more(_closed_intro(recap))
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
            out += _more(f"and {plural(n, 'more deal')} closed this month{together}.")
    else:
        out.append(Paragraph(plain("No business was closed this month.")))
    out.append(Heading(3, "Thank-yous"))
    if not recap.thanks:
        return out + [Paragraph(plain("No thank-yous were recorded this month."))]
    if recap.thanks_count != len(recap.thanks):
        out += _more(f"The latest {len(recap.thanks)} of {recap.thanks_count:,} thank-yous, newest first:")
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
    return out + _more(f"and {plural(n, 'earlier thank-you')} this month." if n else "")


# -- give and get ----------------------------------------------------------------------------------


def _give_get(recap: Recap) -> list[Block]:
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
    return out + _more(f"and {plural(n, 'other member')} gave or received referrals this fiscal year." if n else "")


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


def _attendance(recap: Recap) -> list[Block]:
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
        out += _more(f"and {plural(n, 'more substitute')}." if n else "")
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
        out += _more(f"and {plural(n, 'more visitor')}." if n else "")
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
        out += _more(f"and {plural(n, 'more new member')}." if n else "")
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


# -- threads and the chart ----------------------------------------------------------------------------


def _threads(recap: Recap) -> list[Block]:
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
    out += _more(f"and {plural(n, 'more active thread')}." if n else "")
    if threads.carried:
        out.append(Heading(3, "Carried to the next meeting"))
        out.append(
            BulletList(tuple(runs(u(line.title), f" — {line.kind} by ", u(line.author)) for line in threads.carried))
        )
    return out


def _chart(recap: Recap) -> list[Block]:
    """The last twelve months' referrals; nothing at all for a group with none yet (a chart
    of twelve zeros says less than no chart)."""
    if not any(item.count for item in recap.series):
        return []
    return [
        Heading(2, "Referrals given, last 12 months"),
        Chart(tuple((item.label, item.count) for item in recap.series)),
    ]
