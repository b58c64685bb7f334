"""The monthly recap as plain data: what `services.recap` gathers and `recap.document` reads.

A frozen dataclass tree with no database object inside, so the document and its printers
stay pure (data in, bytes out) and a worker thread can hand a recap to the app. Amounts
arrive already shaped by the group's privacy setting: no printer ever sees a figure the
group chose to hide. The wording lives in `recap.document`, written once.

A recap is a printable summary for any size of group, so the lists that grow with the group
are capped (the limits below, far above what a chapter of 60 sees in a month): the service
lists that many and counts the rest, exact, and the document says "and N more" once.
Totals and the header's figures always count everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from organizer.wording import MONTH_NAMES

# A member's month, from their best presence at any of its meetings (people, not seats).
PRESENCE_ORDER = ("present", "late", "substitute", "medical", "absent")

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
    """Members (not visitors) at the month's held meetings, each counted once by their best
    presence: two meetings with the same five people is 5 came, not 10."""

    meetings: int
    came: int = 0  # present or late at one meeting at least
    late: int = 0  # of those who came, late every time they came
    substitute: int = 0  # never came, sent a substitute
    medical: int = 0  # otherwise away on medical leave
    absent: int = 0  # otherwise absent
    substitutes: tuple[tuple[str, str], ...] = ()  # (member, the substitute who came), capped
    substitutes_more: int = 0  # substitutes not listed

    @property
    def recorded(self) -> int:
        return self.came + self.substitute + self.medical + self.absent


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
    # One-to-ones held in the month, and the share of pairs of active members who have met
    # one-to-one (percent), now and a year before.
    one_to_ones_held: int = 0
    coverage: float = 0.0
    coverage_year_ago: float = 0.0

    @property
    def referrals_more(self) -> int:
        return self.referrals_given - sum(len(group.referrals) for group in self.who_referred_whom)

    @property
    def month_label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def title(self) -> str:
        return f"{self.group} — recap for {self.month_label}"


# -- small shared helpers (the service and the document) ----------------------------


def long_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


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
