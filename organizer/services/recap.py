"""The monthly recap: one month of the group gathered as plain data for the renderers.

`build_recap` asks the database a fixed number of aggregate questions (chains are
climbed by one recursive query), never one per referral, so a month stays
fast at 200,000 referrals. What comes back (`recap.model.Recap`) holds no database
objects, with amounts already shaped by the group's privacy setting.

Lists that grow with the group are capped here (the limits and their reasons are in
recap.model), always after the counts and totals are taken from everything, so
a month of 10,000 members is still a printable summary and every format lists the same.

Here: the month's meetings, its threads and the twelve months' counts, and the Recap
put together. The referrals, matrix and chains are read in recap_referrals, what was won,
thanked and given in recap_business, attendance and new members in recap_attendance.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from peewee import fn

from organizer.errors import ValidationError
from organizer.models import Group, Meeting, Member, Post, Referral, Thread, database
from organizer.recap.model import (
    CHAINS_MAX,
    PEOPLE_MAX,
    THREADS_MAX,
    MeetingInfo,
    MonthCount,
    Recap,
    ThreadLine,
    ThreadSummary,
    long_date,
    one_line,
)
from organizer.rows import as_date, row_tuples
from organizer.services.balances import month_bounds
from organizer.services.checks import year_problem
from organizer.services.groups import zone
from organizer.services.meetings import next_meeting
from organizer.services.recap_attendance import members_joined, month_attendance
from organizer.services.recap_business import closed_business, give_get_rows, latest_thanks, thanks_given
from organizer.services.recap_referrals import by_giver, month_matrix, referral_chains, referral_lines
from organizer.services.recurrence import local_start
from organizer.services.relationships import recap_figures

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

    lines = referral_lines(group, first, last)
    held = _meetings_held(group, start_at, end_at)
    upcoming = next_meeting(group, max(now, end_at))
    closed = closed_business(group, first, last, amounts)
    visitors, counts = month_attendance(held)
    chains = referral_chains(group, first, last, lines)
    thanks = thanks_given(group, first, last)
    give_get, give_get_count = give_get_rows(group, last, fiscal_start, lines)
    new_members = members_joined(group, first, last)
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
        who_referred_whom=by_giver(lines),
        matrix=month_matrix(group, first, last),
        chains=chains[:CHAINS_MAX],
        chain_count=len(chains),
        closed=closed.listed,
        closed_count=closed.count,
        closed_total=closed.total,
        closed_order=closed.order,
        closed_more_total=closed.more_total,
        thanks=latest_thanks(thanks),
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
