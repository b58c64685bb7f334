"""The monthly recap: one month of the group gathered as plain data for the renderers.

`build_recap` asks the database a fixed number of aggregate questions (chains are
climbed by one recursive query), never one per referral, so a month stays
fast at 200,000 referrals. What comes back (`recap.model.Recap`) holds no database
objects, with amounts already shaped by the group's privacy setting.

Lists that grow with the group are capped here (the limits and their reasons are in
recap.model), always after the counts and totals are taken from everything, so
a month of 10,000 members is still a printable summary and every format lists the same.

The matrix comes from services.ledger_queries. Chains are climbed here by one recursive
query (`_chain_root`): ledger_queries.ancestors reads one referral at a time, which is
right for one referral's history but would be a query per ancestor for a whole month.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import takewhile
from typing import Any

from peewee import JOIN, fn

from organizer.models import PROSPECT_STATUSES, Attendance, Group, Meeting, Member, Post, Referral, Thread, database
from organizer.recap.model import (
    CHAINS_MAX,
    CLOSED_MAX,
    GIVE_GET_MAX,
    PEOPLE_MAX,
    PRESENCE_ORDER,
    REFERRAL_LINES_MAX,
    THANKS_MAX,
    THREADS_MAX,
    AttendanceCounts,
    Chain,
    ClosedLine,
    GiveGetRow,
    GiverReferrals,
    Matrix,
    MeetingInfo,
    MonthCount,
    NewMember,
    Recap,
    ReferralLine,
    ThankYou,
    ThreadLine,
    ThreadSummary,
    Visitor,
    long_date,
    one_line,
)
from organizer.rows import as_date, row_tuples
from organizer.services import ledger_queries
from organizer.services.balances import Balance, give_get, month_bounds
from organizer.services.checks import year_problem
from organizer.services.errors import ValidationError
from organizer.services.groups import zone
from organizer.services.meetings import next_meeting
from organizer.services.money import amount_text, exponent, format_units
from organizer.services.recurrence import local_start
from organizer.services.relationships import recap_figures
from organizer.services.text import fold

# Upper bounds (major units) of the ranges shown when the group buckets amounts.
BUCKETS = (1_000, 5_000, 10_000, 25_000, 100_000)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_month(text: str) -> tuple[int, int]:
    """'2026-10' → (2026, 10); anything else is a ValidationError on `month`."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
        raise ValidationError.single("month", f"“{text}” is not a month: use YYYY-MM, e.g. 2026-10")
    if problem := year_problem(int(match[1]), text.strip()):
        raise ValidationError.single("month", problem)
    return int(match[1]), int(match[2])


def default_paper(group: Group) -> str:
    """US Letter where it is the usual paper (the Americas), A4 elsewhere (CLI and app share it)."""
    return "letter" if group.timezone.startswith("America/") else "a4"


def build_recap(group: Group, year: int, month: int, *, now: datetime, amounts: str | None = None) -> Recap:
    """Everything the recap of `year`-`month` shows. `amounts` overrides the group's setting."""
    first, last = month_bounds(date(year, month, 1))
    tz = zone(group)
    start_at = local_start(first, time(0), tz)
    end_at = local_start(last + timedelta(days=1), time(0), tz)
    amounts = amounts or group.recap_amounts
    fiscal_start = _fiscal_year_start(group, first)

    lines = _referral_lines(group, first, last)
    held = _meetings_held(group, start_at, end_at)
    upcoming = next_meeting(group, max(now, end_at))
    closed = _closed(group, first, last, amounts)
    visitors, counts = _attendance(held)
    chains = _chains(group, first, last, lines)
    thanks = _thanks(group, first, last)
    give_get, give_get_count = _give_get(group, last, fiscal_start, lines)
    new_members = _new_members(group, first, last)
    one_to_ones_held, coverage, coverage_year_ago = recap_figures(group, first, last, now=now)
    return Recap(
        group=one_line(group.name),
        currency=group.currency,
        year=year,
        month=month,
        amounts=amounts,
        meetings_held=tuple(_meeting_info(meeting, tz) for meeting in held),
        next_meeting=_meeting_info(upcoming, tz) if upcoming else None,
        referrals_given=len(lines),
        who_referred_whom=_by_giver(lines),
        matrix=_matrix(group, first, last),
        chains=chains[:CHAINS_MAX],
        chain_count=len(chains),
        closed=closed.listed,
        closed_count=closed.count,
        closed_total=closed.total,
        closed_order=closed.order,
        closed_more_total=closed.more_total,
        thanks=_latest_thanks(thanks),
        thanks_count=len(thanks),
        give_get=give_get,
        give_get_count=give_get_count,
        fiscal_year_start=fiscal_start,
        attendance=counts,
        visitors=visitors[:PEOPLE_MAX],
        visitor_count=len(visitors),
        new_members=new_members[:PEOPLE_MAX],
        new_member_count=len(new_members),
        threads=_threads(group, start_at, end_at, upcoming),
        series=_series(group, year, month),
        **_membership_year(group, first, last, start_at, end_at),
        one_to_ones_held=one_to_ones_held,
        coverage=coverage,
        coverage_year_ago=coverage_year_ago,
    )


def _membership_year(group: Group, first: date, last: date, start_at: datetime, end_at: datetime) -> dict[str, Any]:
    """Renewals of the month and the visitor pipeline of the year to the month's end."""
    from organizer.services.pipeline import conversion
    from organizer.services.renewals import month_renewals

    renewals = month_renewals(group, first, last, start_at, end_at)
    figures = conversion(group, local_start(date(first.year, 1, 1), time(0), zone(group)), end_at)
    return dict(
        renewed=renewals.renewed,
        renewals_outstanding=renewals.outstanding,
        visitors_this_year=figures.visitors,
        joined_this_year=figures.joined,
        brought_by=figures.brought_by,
    )


# -- the header ----------------------------------------------------------------------------


def _meetings_held(group: Group, start_at: datetime, end_at: datetime) -> list[Meeting]:
    return list(
        Meeting.select()
        .where(
            (Meeting.group == group)
            & (Meeting.status == "held")
            & (Meeting.starts_at >= start_at)
            & (Meeting.starts_at < end_at)
        )
        .order_by(Meeting.starts_at)
    )


def _meeting_info(meeting: Meeting, tz: tzinfo) -> MeetingInfo:
    local = meeting.starts_at.astimezone(tz)
    day = local.date()
    return MeetingInfo(
        starts=f"{WEEKDAYS[day.weekday()]} {long_date(day)}, {local:%H:%M}",
        day=day,
        title=one_line(meeting.title),
        place=one_line(meeting.place),
        intent=one_line(meeting.intent),
        status=meeting.status,
    )


def _fiscal_year_start(group: Group, first: date) -> date:
    start_month = group.fiscal_year_start or 1
    year = first.year if first.month >= start_month else first.year - 1
    return date(year, start_month, 1)


# -- who referred whom ---------------------------------------------------------------------


def _referral_lines(group: Group, first: date, last: date) -> list[tuple[ReferralLine, int | None, int, int]]:
    """Every live referral given in the month, oldest first, with its parent's, giver's and
    receiver's ids. Rows are read raw: at 17,000 a month, peewee's row conversion was most
    of the time."""
    giver, receiver = Member.alias(), Member.alias()
    query = (
        Referral.select(
            Referral.id,
            Referral.given_on,
            giver.name,
            receiver.name,
            Referral.prospect_name,
            Referral.temperature,
            Referral.status,
            Referral.parent,
            Referral.giver,
            Referral.receiver,
        )
        .join(giver, on=(Referral.giver == giver.id))
        .switch(Referral)
        .join(receiver, on=(Referral.receiver == receiver.id))
        .where(
            (Referral.group == group)
            & Referral.voided_at.is_null()
            & (Referral.given_on >= first)
            & (Referral.given_on <= last)
        )
        .order_by(Referral.given_on, Referral.id)
    )
    return [
        (
            ReferralLine(rid, as_date(given_on), one_line(g), one_line(r), one_line(prospect), temperature, status),
            parent,
            giver_id,
            receiver_id,
        )
        for rid, given_on, g, r, prospect, temperature, status, parent, giver_id, receiver_id in database.execute(query)
    ]


def _by_giver(lines: list[tuple[ReferralLine, int | None, int, int]]) -> tuple[GiverReferrals, ...]:
    """The month's referrals grouped by giver (by name), up to REFERRAL_LINES_MAX lines.

    A month past the cap stops at the end of the last giver who fits, so each giver listed
    is listed whole; only a single giver with more than the cap is cut short.
    """
    groups: dict[str, list[ReferralLine]] = defaultdict(list)
    for line, *_ in lines:
        groups[line.giver].append(line)
    listed: list[GiverReferrals] = []
    room = REFERRAL_LINES_MAX
    for name in sorted(groups, key=lambda n: (fold(n), n)):
        referrals = groups[name]
        if len(referrals) > room:
            if not listed:
                listed.append(GiverReferrals(name, tuple(referrals[:room]), len(referrals)))
            break
        listed.append(GiverReferrals(name, tuple(referrals), len(referrals)))
        room -= len(referrals)
    return tuple(listed)


def _matrix(group: Group, first: date, last: date) -> Matrix:
    """The month's who-referred-whom matrix (services.ledger_queries, busiest givers and
    receivers first), as plain data indexed by row and column."""
    found = ledger_queries.matrix(group, first, last)
    row_of = {member_id: index for index, (member_id, _) in enumerate(found.givers)}
    column_of = {member_id: index for index, (member_id, _) in enumerate(found.receivers)}
    return Matrix(
        givers=tuple(one_line(name) for _, name in found.givers),
        receivers=tuple(one_line(name) for _, name in found.receivers),
        cells={(row_of[g], column_of[r]): n for (g, r), n in found.cells.items()},
        row_totals=tuple(found.row_totals[member_id] for member_id, _ in found.givers),
        column_totals=tuple(found.column_totals[member_id] for member_id, _ in found.receivers),
        total=found.total,
    )


def _names(ids: set[int]) -> dict[int, str]:
    """Member id → name (one line), fetched in chunks that stay under SQLite's variable limit."""
    names: dict[int, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 5000):
        chunk = ordered[start : start + 5000]
        names.update(
            (mid, one_line(name))
            for mid, name in row_tuples(Member.select(Member.id, Member.name).where(Member.id.in_(chunk)))
        )
    return names


def _chain_root(group: Group, first: date, last: date) -> dict[int, tuple[int, int, int | None]]:
    """Every ancestor of the month's referrals: id → (giver, receiver, parent), in one query.

    A recursive CTE climbs from the month's parents to each root (UNION, not UNION ALL,
    so even a cycle in bad data ends).
    """
    month_parents = Referral.select(Referral.parent).where(
        (Referral.group == group)
        & Referral.voided_at.is_null()
        & Referral.parent.is_null(False)
        & (Referral.given_on >= first)
        & (Referral.given_on <= last)
    )
    base = (
        Referral.select(Referral.id, Referral.giver, Referral.receiver, Referral.parent)
        .where(Referral.id.in_(month_parents))
        .cte("ancestors", recursive=True, columns=("id", "giver_id", "receiver_id", "parent_id"))
    )
    earlier = Referral.alias()
    climb = earlier.select(earlier.id, earlier.giver, earlier.receiver, earlier.parent).join(
        base, on=(earlier.id == base.c.parent_id)
    )
    ancestors = base.union(climb)
    query = row_tuples(
        ancestors.select_from(ancestors.c.id, ancestors.c.giver_id, ancestors.c.receiver_id, ancestors.c.parent_id)
    )
    return {rid: (giver_id, receiver_id, parent) for rid, giver_id, receiver_id, parent in query}


def _chains(
    group: Group, first: date, last: date, lines: list[tuple[ReferralLine, int | None, int, int]]
) -> tuple[Chain, ...]:
    """Each referral of the month that has a parent, as the people from the root giver on."""
    if not any(parent is not None for _, parent, *_ in lines):
        return ()
    known = _chain_root(group, first, last)
    names = _names({member for giver_id, receiver_id, _ in known.values() for member in (giver_id, receiver_id)})
    chains = []
    for line, parent, *_ in lines:
        if parent is None:
            continue
        path, seen = [], {line.id}
        while parent is not None and parent in known and parent not in seen:  # a cycle stops
            seen.add(parent)
            giver_id, receiver_id, parent_next = known[parent]
            path.append((giver_id, receiver_id))
            parent = parent_next
        path.reverse()
        people = [names[path[0][0]]] + [names[receiver] for _, receiver in path] if path else []
        if not people or people[-1] != line.giver:
            people.append(line.giver)  # a parent received by someone else than this giver
        chains.append(Chain(tuple(people) + (line.receiver,), line.prospect, line.given_on))
    return tuple(chains)


# -- closed business and thank-yous --------------------------------------------------------


def shape_amount(minor: int, currency: str, amounts: str, locale: str = "") -> str:
    """An amount as the group's privacy setting wants it: shown, a range, or nothing."""
    if amounts == "hide":
        return ""
    if amounts == "bucket":
        index = _bucket(minor, currency)
        if index == len(BUCKETS):
            return f"{format_units(BUCKETS[-1], locale)} and over {currency}"
        upper, lower = format_units(BUCKETS[index], locale), format_units(BUCKETS[index - 1], locale)
        return f"under {upper} {currency}" if index == 0 else f"{lower}–{upper} {currency}"
    return amount_text(minor, currency, locale)


def _bucket(minor: int, currency: str) -> int:
    """Which range of BUCKETS an amount falls in: 0 under the first bound, len(BUCKETS) over the last."""
    return bisect_right(BUCKETS, minor // 10 ** exponent(currency))


@dataclass(frozen=True)
class _Closed:
    listed: tuple[ClosedLine, ...]
    count: int
    total: str
    order: str  # recap.model.Recap.closed_order
    more_total: str


def _closed(group: Group, first: date, last: date, amounts: str) -> _Closed:
    """Business won in the month (whenever the referral was given), and its total.

    All of it by date; past CLOSED_MAX, the largest deals, since a reader wants the
    month's biggest wins. Largest only as far as the privacy setting lets a reader tell:
    bucketed amounts rank by their range and then newest first, hidden ones just newest
    first, so the order of the list never gives away more than the amounts printed.
    """
    giver, receiver = Member.alias(), Member.alias()
    rows = list(
        row_tuples(
            Referral.select(
                giver.name, receiver.name, Referral.prospect_name, Referral.closed_on, Referral.value_minor, Referral.id
            )
            .join(giver, on=(Referral.giver == giver.id))
            .switch(Referral)
            .join(receiver, on=(Referral.receiver == receiver.id))
            .where(
                (Referral.group == group)
                & Referral.voided_at.is_null()
                & (Referral.status == "won")
                & (Referral.closed_on >= first)
                & (Referral.closed_on <= last)
            )
            .order_by(Referral.closed_on, Referral.id)
        )
    )
    total = sum(value or 0 for *_, value, _ in rows)
    order, rest = "date", []
    size: Callable[[int], int]
    if len(rows) > CLOSED_MAX:
        currency = group.currency
        if amounts == "show":
            order, size = "largest", lambda value: value
        elif amounts == "bucket":
            order, size = "range", lambda value: _bucket(value, currency)
        else:
            order, size = "newest", lambda value: 0
        # closed_on as text (SQLite) or date (PostgreSQL) sorts the same within one database.
        rows.sort(key=lambda row: (size(row[4] or 0), row[3], row[5]), reverse=True)
        rows, rest = rows[:CLOSED_MAX], rows[CLOSED_MAX:]

    def shape(minor: int) -> str:
        return shape_amount(minor, group.currency, amounts, group.locale)

    listed = tuple(
        ClosedLine(one_line(g), one_line(r), one_line(prospect), as_date(closed_on), shape(value or 0))
        for g, r, prospect, closed_on, value, _ in rows
    )
    return _Closed(
        listed=listed,
        count=len(rows) + len(rest),
        total=shape(total) if rows else "",
        order=order,
        more_total=shape(sum(value or 0 for *_, value, _ in rest)) if rest else "",
    )


def _latest_thanks(thanks: tuple[ThankYou, ...]) -> tuple[ThankYou, ...]:
    """All the month's thank-yous by date; past THANKS_MAX, the latest, newest first (the
    ones said since the meeting, which the room has not heard yet)."""
    if len(thanks) <= THANKS_MAX:
        return thanks
    return tuple(reversed(thanks[-THANKS_MAX:]))


def _thanks(group: Group, first: date, last: date) -> tuple[ThankYou, ...]:
    giver, receiver = Member.alias(), Member.alias()
    query = row_tuples(
        Referral.select(receiver.name, giver.name, Referral.prospect_name, Referral.thanked_on, Referral.thank_note)
        .join(giver, on=(Referral.giver == giver.id))
        .switch(Referral)
        .join(receiver, on=(Referral.receiver == receiver.id))
        .where(
            (Referral.group == group)
            & Referral.voided_at.is_null()
            & (Referral.thanked_on >= first)
            & (Referral.thanked_on <= last)
        )
        .order_by(Referral.thanked_on, Referral.id)
    )
    return tuple(
        ThankYou(one_line(r), one_line(g), one_line(prospect), as_date(day), one_line(note or ""))
        for r, g, prospect, day, note in query
    )


# -- give / get ------------------------------------------------------------------------------


def _give_get(
    group: Group, last: date, fiscal_start: date, lines: list[tuple[ReferralLine, int | None, int, int]]
) -> tuple[tuple[GiveGetRow, ...], int]:
    """Month and fiscal-year-to-date counts of the top GIVE_GET_MAX givers, top givers first,
    and how many members gave or received in the year.

    The month's counts come from the month's referrals already read; the year's from
    balances.give_get. Sorted by the counts first (cheap) and by folded name only among
    those who could make the list, so 10,000 members cost no 10,000 name foldings.
    """
    given = Counter(giver_id for *_, giver_id, _ in lines)
    received = Counter(receiver_id for *_, receiver_id in lines)
    year = give_get(group, fiscal_start, last, include_idle=False)

    def counts(y: Balance) -> tuple[int, int, int]:  # .get: a Counter's missing key costs a Python call
        return -given.get(y.member_id, 0), -y.given, -received.get(y.member_id, 0)

    year.sort(key=counts)
    candidates = year
    if len(year) > GIVE_GET_MAX:
        edge = counts(year[GIVE_GET_MAX - 1])
        candidates = list(takewhile(lambda y: counts(y) <= edge, year))  # ties at the edge too
    rows = [
        GiveGetRow(one_line(y.name), given.get(y.member_id, 0), received.get(y.member_id, 0), y.given, y.received)
        for y in candidates
    ]
    rows.sort(key=lambda row: (-row.given, -row.year_given, -row.received, fold(row.name), row.name))
    return tuple(rows[:GIVE_GET_MAX]), len(year)


# -- attendance and people -----------------------------------------------------------------------


def _attendance(held: list[Meeting]) -> tuple[tuple[Visitor, ...], AttendanceCounts]:
    """Members at the month's held meetings, each once by their best presence (people, not
    seats: the same five at two meetings are five), and the visitors who came."""
    if not held:
        return (), AttendanceCounts(meetings=0)
    ids = [meeting.id for meeting in held]
    day_of = {meeting.id: meeting.starts_at for meeting in held}
    rank = {presence: index for index, presence in enumerate(PRESENCE_ORDER)}
    best: dict[int, int] = {}
    for member_id, presence in row_tuples(
        Attendance.select(Attendance.member, Attendance.presence)
        .join(Member)
        .where(
            Attendance.meeting.in_(ids) & Member.status.not_in(PROSPECT_STATUSES) & Attendance.presence.is_null(False)
        )
    ):
        index = rank.get(presence, len(PRESENCE_ORDER))
        if index < best.get(member_id, len(PRESENCE_ORDER)):
            best[member_id] = index
    counts = Counter(PRESENCE_ORDER[index] for index in best.values() if index < len(PRESENCE_ORDER))
    substitutes = [
        (one_line(name), one_line(sub))
        for name, sub in row_tuples(
            Attendance.select(Member.name, Attendance.substitute_name)
            .join(Member)
            .where(Attendance.meeting.in_(ids) & (Attendance.presence == "substitute"))
            .order_by(Member.name)
        )
    ]
    inviter = Member.alias()
    visitors = tuple(
        Visitor(one_line(name), one_line(business), one_line(invited or ""), _day(day_of[meeting_id], held))
        for name, business, invited, meeting_id in row_tuples(
            Attendance.select(Member.name, Member.business, inviter.name, Attendance.meeting)
            .join(Member)
            .join(inviter, JOIN.LEFT_OUTER, on=(Member.invited_by == inviter.id))
            .where(
                Attendance.meeting.in_(ids)
                & Member.status.in_(PROSPECT_STATUSES)
                & Attendance.presence.in_(("present", "late"))
            )
            .order_by(Attendance.meeting, Member.name)
        )
    )
    return visitors, AttendanceCounts(
        meetings=len(held),
        came=counts["present"] + counts["late"],
        late=counts["late"],
        substitute=counts["substitute"],
        medical=counts["medical"],
        absent=counts["absent"],
        substitutes=tuple(substitutes[:PEOPLE_MAX]),
        substitutes_more=max(0, len(substitutes) - PEOPLE_MAX),
    )


def _day(starts_at: datetime, held: list[Meeting]) -> date:
    return starts_at.astimezone(zone(held[0].group)).date()


def _new_members(group: Group, first: date, last: date) -> tuple[NewMember, ...]:
    inviter = Member.alias()
    query = row_tuples(
        Member.select(Member.name, Member.business, Member.category, Member.joined_on, inviter.name)
        .join(inviter, JOIN.LEFT_OUTER, on=(Member.invited_by == inviter.id))
        .where(
            (Member.group == group)
            & Member.status.not_in(PROSPECT_STATUSES)
            & (Member.joined_on >= first)
            & (Member.joined_on <= last)
        )
        .order_by(Member.joined_on, Member.name)
    )
    return tuple(
        NewMember(one_line(name), one_line(business), one_line(category), as_date(joined), one_line(invited or ""))
        for name, business, category, joined, invited in query
    )


# -- threads ------------------------------------------------------------------------------------


def _threads(group: Group, start_at: datetime, end_at: datetime, upcoming: Meeting | None) -> ThreadSummary:
    author = Member.alias()
    posts = fn.COUNT(Post.id)
    active = [
        ThreadLine(one_line(title), kind, one_line(name), n, start_at <= _as_time(created) < end_at, bool(resolved))
        for title, kind, name, created, resolved, n in row_tuples(
            Thread.select(Thread.title, Thread.kind, author.name, Thread.created_at, Thread.resolved, posts)
            .join(author, on=(Thread.author == author.id))
            .switch(Thread)
            .join(Post, on=(Post.thread == Thread.id))
            .where((Thread.group == group) & (Post.created_at >= start_at) & (Post.created_at < end_at))
            .group_by(Thread.id, Thread.title, Thread.kind, author.name, Thread.created_at, Thread.resolved)
            .order_by(fn.MAX(Post.created_at).desc())
        )
    ]
    resolved = (
        Thread.select()
        .where(
            (Thread.group == group)
            & (Thread.resolved == True)
            & (Thread.last_activity_at >= start_at)
            & (Thread.last_activity_at < end_at)
        )
        .count()
    )
    carried: list[ThreadLine] = []
    if upcoming is not None:
        carried = [
            ThreadLine(one_line(title), kind, one_line(name), 0, False, bool(is_resolved))
            for title, kind, name, is_resolved in row_tuples(
                Thread.select(Thread.title, Thread.kind, author.name, Thread.resolved)
                .join(author, on=(Thread.author == author.id))
                .where(Thread.carried_to == upcoming.id)
                .order_by(Thread.title)
            )
        ]
    return ThreadSummary(
        active=tuple(active[:THREADS_MAX]),  # the most recently active
        started=sum(1 for line in active if line.started_in_month),
        resolved=resolved,
        carried=tuple(carried),
        active_count=len(active),
    )


# -- the twelve months -----------------------------------------------------------------------------


def _series(group: Group, year: int, month: int) -> tuple[MonthCount, ...]:
    """Referrals given in each of the twelve months ending with this one.

    Grouped by day in SQL (at most 366 rows) and summed by month here: portable across
    SQLite and PostgreSQL date types without per-database date functions.
    """
    months = []
    index = year * 12 + month - 1
    for back in range(11, -1, -1):
        y, m = divmod(index - back, 12)
        months.append((y, m + 1))
    first = date(*months[0], 1)
    _, last = month_bounds(date(year, month, 1))
    per_month: dict[tuple[int, int], int] = defaultdict(int)
    for day, n in database.execute(
        Referral.select(Referral.given_on, fn.COUNT(Referral.id))
        .where(
            (Referral.group == group)
            & Referral.voided_at.is_null()
            & (Referral.given_on >= first)
            & (Referral.given_on <= last)
        )
        .group_by(Referral.given_on)
    ):
        day = as_date(day)
        per_month[(day.year, day.month)] += n
    return tuple(MonthCount(y, m, per_month[(y, m)]) for y, m in months)


# -- small conversions -------------------------------------------------------------------------------


def _as_time(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else Thread.created_at.python_value(value)
