"""The monthly recap as plain data: what `services.recap` gathers and every renderer reads.

A frozen dataclass tree with no database object inside, so renderers stay pure (data in,
bytes out) and a worker thread can hand a recap to the app. Amounts arrive already shaped
by the group's privacy setting: renderers never see a figure the group chose to hide.
Helpers at the bottom give every renderer the same wording for the same fact.

A recap is a printable summary for any size of group, so the lists that grow with the group
are capped (the limits below, far above what a chapter of 60 sees in a month): the service
lists that many and counts the rest, exact, and every renderer says "and N more" with
the same words (`more_*` helpers). Totals and the header's figures always count everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
PRESENCE_ORDER = ("present", "late", "substitute", "medical", "absent")
TEMPERATURE_NOTE = "giver → receiver: prospect (temperature, status); temperature runs from 1 (cold) to 5 (hot)."

# -- how much of a month a recap lists ------------------------------------------------------
# Who referred whom is the recap's core: a chapter's month (60 members, 3,000 referrals a
# year: ~250) is listed in full; only a month past this many lines stops at a giver's end.
REFERRAL_LINES_MAX = 500
CHAINS_MAX = 100
# Closed business and thank-yous: a 60-member group closes ~60 deals in a busy month.
CLOSED_MAX = 100
THANKS_MAX = 100
# Give/get: a whole chapter is listed (top givers first); past that, the rest listed down to
# zeros would be a "worst" list, so they are counted, not named.
GIVE_GET_MAX = 60
PEOPLE_MAX = 60  # visitors, new members, substitutes: a whole chapter of each
THREADS_MAX = 50  # active threads, most recently active first
LEDGER_COMMAND = "`organizer export ledger`"  # where a capped list's rest can be read


@dataclass(frozen=True)
class MeetingInfo:
    starts: str  # "Tuesday 13 October 2026, 07:30" in the group's zone
    day: date
    title: str
    place: str
    intent: str
    status: str


@dataclass(frozen=True)
class ReferralLine:
    """One referral given in the month: `giver → receiver: prospect (temperature, status)`."""

    id: int
    given_on: date
    giver: str
    receiver: str
    prospect: str
    temperature: int
    status: str

    @property
    def text(self) -> str:
        return f"{self.giver} → {self.receiver}: {self.prospect} ({self.temperature}, {self.status})"


@dataclass(frozen=True)
class GiverReferrals:
    giver: str
    referrals: tuple[ReferralLine, ...]  # all the giver's, unless one giver alone passes the cap
    given: int  # referrals the giver gave in the month


@dataclass(frozen=True)
class Matrix:
    """Counts of the month's referrals: rows are givers, columns receivers.

    Sparse (a month at 10,000 members would be 10⁸ cells, nearly all empty): `cells`
    maps (row, column) to a count; `count` answers 0 for the rest.
    """

    givers: tuple[str, ...]
    receivers: tuple[str, ...]
    cells: dict[tuple[int, int], int]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int

    def count(self, row: int, column: int) -> int:
        return self.cells.get((row, column), 0)

    def row(self, row: int) -> tuple[int, ...]:
        return tuple(self.cells.get((row, column), 0) for column in range(len(self.receivers)))

    @property
    def counts(self) -> tuple[tuple[int, ...], ...]:
        """The dense table, row by row (only for a matrix small enough to print)."""
        return tuple(self.row(row) for row in range(len(self.givers)))


@dataclass(frozen=True)
class Chain:
    """A referral of the month that came out of earlier ones, from the root giver on."""

    names: tuple[str, ...]  # root giver, then each receiver down to this referral's
    prospect: str
    given_on: date

    @property
    def text(self) -> str:
        return " → ".join(self.names)


@dataclass(frozen=True)
class ClosedLine:
    giver: str
    receiver: str  # the member who closed the business
    prospect: str
    closed_on: date
    amount: str  # already shown / bucketed / "" (hidden) per the group's setting


@dataclass(frozen=True)
class ThankYou:
    receiver: str  # who said thank you (the member who received the referral)
    giver: str  # who was thanked
    prospect: str
    thanked_on: date
    note: str


@dataclass(frozen=True)
class GiveGetRow:
    name: str
    given: int  # in the month
    received: int
    year_given: int  # fiscal year to date
    year_received: int


@dataclass(frozen=True)
class AttendanceCounts:
    meetings: int
    present: int = 0
    late: int = 0
    substitute: int = 0
    medical: int = 0
    absent: int = 0
    substitutes: tuple[tuple[str, str], ...] = ()  # (member, the substitute who came), capped
    substitutes_more: int = 0  # substitutes not listed

    @property
    def recorded(self) -> int:
        return self.present + self.late + self.substitute + self.medical + self.absent


@dataclass(frozen=True)
class Visitor:
    name: str
    business: str
    invited_by: str  # "" when nobody is recorded
    day: date


@dataclass(frozen=True)
class NewMember:
    name: str
    business: str
    category: str
    joined_on: date
    invited_by: str


@dataclass(frozen=True)
class ThreadLine:
    title: str
    kind: str
    author: str
    posts_in_month: int
    started_in_month: bool
    resolved: bool


@dataclass(frozen=True)
class ThreadSummary:
    active: tuple[ThreadLine, ...]  # threads with posts in the month (new ones included), capped
    started: int
    resolved: int  # resolved threads whose last post fell in the month
    carried: tuple[ThreadLine, ...]  # carried onto the next meeting's agenda
    active_count: int  # all the month's active threads, listed or not

    @property
    def active_more(self) -> int:
        return self.active_count - len(self.active)


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    count: int

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1][:3]} {self.year % 100:02d}"


@dataclass(frozen=True)
class Recap:
    group: str
    currency: str
    year: int
    month: int
    amounts: str  # show | bucket | hide
    meetings_held: tuple[MeetingInfo, ...]
    next_meeting: MeetingInfo | None
    referrals_given: int  # every live referral of the month, listed or not
    who_referred_whom: tuple[GiverReferrals, ...]  # up to REFERRAL_LINES_MAX lines
    matrix: Matrix
    chains: tuple[Chain, ...]  # up to CHAINS_MAX, oldest first
    chain_count: int
    closed: tuple[ClosedLine, ...]  # by date; when capped, the largest (see closed_order)
    closed_count: int
    closed_total: str  # of all closed business, shaped like each amount; "" when hidden
    closed_order: str  # "date" (all listed), or how the capped list was chosen: largest | range | newest
    closed_more_total: str  # of the deals not listed, shaped; "" when hidden or all listed
    thanks: tuple[ThankYou, ...]  # by date; when capped, the latest, newest first
    thanks_count: int
    give_get: tuple[GiveGetRow, ...]  # top givers first, up to GIVE_GET_MAX
    give_get_count: int  # members who gave or received in the fiscal year
    fiscal_year_start: date
    attendance: AttendanceCounts
    visitors: tuple[Visitor, ...]  # up to PEOPLE_MAX
    visitor_count: int
    new_members: tuple[NewMember, ...]  # up to PEOPLE_MAX
    new_member_count: int
    threads: ThreadSummary
    series: tuple[MonthCount, ...]  # the twelve months ending with this one
    # The membership year: renewals recorded this month and still due in it; visitors of the
    # year to the month's end, how many joined, and who brought the ones who joined.
    renewed: int = 0
    renewals_outstanding: int = 0
    visitors_this_year: int = 0
    joined_this_year: int = 0
    brought_by: tuple[tuple[str, int], ...] = ()
    one_to_ones: str = ""  # one sentence: the month's one-to-ones and the pairs met (one_to_one_phrase)

    @property
    def referrals_more(self) -> int:
        return self.referrals_given - sum(len(group.referrals) for group in self.who_referred_whom)

    @property
    def month_label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def title(self) -> str:
        return f"{self.group} — recap for {self.month_label}"


# -- shared wording ----------------------------------------------------------------------


def long_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def attendance_phrase(counts: AttendanceCounts) -> str:
    """'21 present · 2 late · 1 absent' (states with zero left out)."""
    parts = [f"{getattr(counts, state)} {state}" for state in PRESENCE_ORDER if getattr(counts, state)]
    return " · ".join(parts) if parts else "no attendance recorded"


def one_to_one_phrase(held: int, percent: float, percent_year_ago: float) -> str:
    """'3 one-to-ones this month · 12% of pairs of active members have met (0% a year ago)'."""
    return (f"{held} one-to-one{'' if held == 1 else 's'} this month · {percent:.0f}% of pairs of active "
            f"members have met one-to-one ({percent_year_ago:.0f}% a year ago)")


def amounts_note(recap: Recap) -> str:
    """What the reader needs to know about the amounts, per the group's privacy setting."""
    if recap.amounts == "hide":
        return "Amounts are not shown (the group's privacy setting)."
    if recap.amounts == "bucket":
        return f"Amounts are shown as ranges in {recap.currency} (the group's privacy setting)."
    return f"Amounts in {recap.currency}."


def fiscal_year_label(recap: Recap) -> str:
    return f"since {long_date(recap.fiscal_year_start)}"


def one_line(text: str) -> str:
    """User text on one line: newlines and other control characters become spaces.

    Control characters would otherwise let a name move the cursor of the terminal that
    shows the text recap, or break a Markdown line in two.
    """
    if text.isprintable() and "  " not in text and text == text.strip():
        return text  # the usual case, checked in C: nothing to clean
    cleaned = "".join(" " if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) else ch for ch in text)
    return " ".join(cleaned.split())


def short_labels(names: tuple[str, ...]) -> dict[str, str]:
    """Short column labels for a matrix: initials ('Priya Raman' → 'PR'), made unique.

    A one-word name (陈静, 김지은) keeps its first two letters.
    """
    labels: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        words = name.replace("-", " ").split()
        base = "".join(word[0] for word in words[:3]) if len(words) > 1 else name[:2]
        label, n = base or "?", 2
        while label in used:
            label, n = f"{base}{n}", n + 1
        used.add(label)
        labels[name] = label
    return labels


def bar_scale(series: tuple[MonthCount, ...]) -> int:
    """The largest monthly count (at least 1, so bars can be scaled by it)."""
    return max((item.count for item in series), default=0) or 1


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 visitor', '2 visitors', '3,465 referrals'."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


# What each capped list says after its last line (empty when everything is listed). Text
# only: a renderer marks up the `command` in backticks its own way.

def more_referrals(recap: Recap) -> str:
    n = recap.referrals_more
    return f"and {plural(n, 'more referral')} this month: {LEDGER_COMMAND} has them all." if n else ""


def more_chains(recap: Recap) -> str:
    n = recap.chain_count - len(recap.chains)
    return f"and {plural(n, 'more chain')} this month: {LEDGER_COMMAND} has them all." if n else ""


def closed_intro(recap: Recap) -> str:
    """Which deals a capped list shows, and in what order."""
    if recap.closed_order == "date":
        return ""
    shown, of = len(recap.closed), f"{recap.closed_count:,}"
    if recap.closed_order == "largest":
        return f"The {shown} largest of {of} deals closed this month, largest first:"
    if recap.closed_order == "range":
        return f"The {shown} largest of {of} deals closed this month, by range, newest first within a range:"
    return f"The latest {shown} of {of} deals closed this month, newest first:"


def more_closed(recap: Recap) -> str:
    n = recap.closed_count - len(recap.closed)
    if not n:
        return ""
    together = f", together {recap.closed_more_total}" if recap.closed_more_total else ""
    return f"and {plural(n, 'more deal')} closed this month{together}."


def thanks_intro(recap: Recap) -> str:
    if recap.thanks_count == len(recap.thanks):
        return ""
    return f"The latest {len(recap.thanks)} of {recap.thanks_count:,} thank-yous, newest first:"


def more_thanks(recap: Recap) -> str:
    n = recap.thanks_count - len(recap.thanks)
    return f"and {plural(n, 'earlier thank-you')} this month." if n else ""


def more_give_get(recap: Recap) -> str:
    n = recap.give_get_count - len(recap.give_get)
    return (f"and {plural(n, 'other member')} gave or received referrals this fiscal year." if n else "")


def more_visitors(recap: Recap) -> str:
    n = recap.visitor_count - len(recap.visitors)
    return f"and {plural(n, 'more visitor')}." if n else ""


def more_new_members(recap: Recap) -> str:
    n = recap.new_member_count - len(recap.new_members)
    return f"and {plural(n, 'more new member')}." if n else ""


def membership_year(recap: Recap) -> str:
    """One sentence on renewals and the visitor pipeline ("" when there is nothing to say)."""
    parts = []
    if recap.renewed or recap.renewals_outstanding:
        parts.append(f"Renewals: {recap.renewed:,} renewed, {recap.renewals_outstanding:,} still due this month.")
    if recap.visitors_this_year or recap.joined_this_year:
        brought = ", ".join(f"{name} {count}" for name, count in recap.brought_by)
        parts.append(f"This year: {plural(recap.visitors_this_year, 'visitor')}, {recap.joined_this_year:,} joined"
                     + (f" (brought by {brought})." if brought else "."))
    return " ".join(parts)


def more_substitutes(recap: Recap) -> str:
    n = recap.attendance.substitutes_more
    return f"and {plural(n, 'more substitute')}." if n else ""


def more_threads(recap: Recap) -> str:
    n = recap.threads.active_more
    return f"and {plural(n, 'more active thread')}." if n else ""
