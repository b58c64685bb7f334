"""The visitor pipeline: visitor → applicant → member.

A visitor is a Member row with status `visitor` (added at the door, with who invited
them); their visits are their attendance at meetings, so nothing is copied when they move
on. An organizer owes a visitor a follow-up once they visited and were not contacted
within FOLLOW_UP_DAYS (the queue, oldest visit first). Converting an applicant (or a
visitor) into a member changes only the status and dates: the visits and the inviter stay,
and each step is an event in the member's history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from peewee import fn

from organizer.errors import UserError
from organizer.models import (
    PROSPECT_STATUSES,
    Attendance,
    Group,
    Meeting,
    Member,
    MemberEvent,
    database,
)
from organizer.rows import row_tuples
from organizer.services.attendance import ATTENDED
from organizer.services.groups import local_today, zone
from organizer.services.renewals import one_year_on

FOLLOW_UP_DAYS = 7


def visit_dates(member: Member) -> list[date]:
    """The local dates of the meetings the person came to, oldest first."""
    tz = zone(member.group)
    starts = (
        Meeting.select(Meeting.starts_at)
        .join(Attendance)
        .where((Attendance.member == member) & Attendance.presence.in_(ATTENDED))
        .order_by(Meeting.starts_at)
    )
    return [row.starts_at.astimezone(tz).date() for row in starts]


@dataclass(frozen=True)
class FollowUp:
    member: Member
    last_visit: date
    days: int  # since the last visit
    invited_by: str  # the inviter's name, or ""


def _last_visits(group: Group) -> dict[int, datetime]:
    """{member id: start of their latest attended meeting} for the group's prospects."""
    rows = row_tuples(
        Attendance.select(Attendance.member, fn.MAX(Meeting.starts_at))
        .join(Meeting)
        .switch(Attendance)
        .join(Member)
        .where((Member.group == group) & Member.status.in_(PROSPECT_STATUSES) & Attendance.presence.in_(ATTENDED))
        .group_by(Attendance.member)
    )
    field = Meeting.starts_at
    return {member_id: field.python_value(latest) for member_id, latest in rows}


def follow_ups_owed(group: Group, now: datetime) -> list[FollowUp]:
    """Visitors and applicants who visited FOLLOW_UP_DAYS or more ago and were not contacted
    since that visit, oldest visit first."""
    today, tz = local_today(group, now), zone(group)
    latest = _last_visits(group)
    if not latest:
        return []
    owed = []
    for member in Member.select().where(Member.id.in_(list(latest))):
        visit = latest[member.id].astimezone(tz).date()
        if (today - visit).days < FOLLOW_UP_DAYS:
            continue
        if member.contacted_on is not None and member.contacted_on >= visit:
            continue
        inviter = member.invited_by.name if member.invited_by_id else ""
        owed.append(FollowUp(member, visit, (today - visit).days, inviter))
    return sorted(owed, key=lambda row: (row.last_visit, row.member.name, row.member.id))


def _event(member: Member, now: datetime, action: str, detail: str) -> None:
    MemberEvent.create(member=member, at=now, action=action, detail=detail)


def mark_contacted(member: Member, *, now: datetime, on: date | None = None) -> Member:
    """Record the follow-up: contacted today (or `on`)."""
    day = on or local_today(member.group, now)
    with database.atomic():
        member.contacted_on = day
        member.updated_at = now
        member.save()
        _event(member, now, "contacted", f"followed up on {day.isoformat()}")
    return member


def make_applicant(member: Member, *, now: datetime) -> Member:
    """A visitor applies for membership."""
    if member.status != "visitor":
        raise UserError(f"{member.name} is {member.status.replace('_', ' ')}, not a visitor")
    return _move(member, "applicant", now)


def convert_to_member(
    member: Member,
    *,
    now: datetime,
    joined_on: date | None = None,
    renewal_due: date | None = None,
) -> Member:
    """An applicant (or a visitor) joins: active from `joined_on` (today), renewal a year on.
    Their visits (attendance) and who invited them stay as they are."""
    if member.status not in PROSPECT_STATUSES:
        raise UserError(f"{member.name} is already {member.status.replace('_', ' ')}")
    joined = joined_on or local_today(member.group, now)
    member.joined_on = joined
    member.renewal_due = renewal_due or member.renewal_due or one_year_on(joined)
    return _move(member, "active", now, joined=True)


def _move(member: Member, status: str, now: datetime, *, joined: bool = False) -> Member:
    before = member.status
    with database.atomic():
        member.status = status
        member.updated_at = now
        member.save()
        _event(member, now, "joined" if joined else "status", f"{before} → {status}")
    return member


@dataclass(frozen=True)
class Conversion:
    visitors: int  # people who visited in the period, as visitors or applicants
    joined: int  # of the group's visitors and applicants, how many joined in the period
    brought_by: tuple[tuple[str, int], ...]  # who invited the ones who joined: (name, count), most first


def conversion(group: Group, start: datetime, end: datetime) -> Conversion:
    """Visitors and conversions in [start, end) (a year for the dashboard, a month for the recap)."""
    joined_ids = [
        row.member_id
        for row in MemberEvent.select(MemberEvent.member)
        .join(Member)
        .where(
            (Member.group == group)
            & (MemberEvent.action == "joined")
            & (MemberEvent.at >= start)
            & (MemberEvent.at < end)
        )
    ]
    visited = {
        row.member_id
        for row in Attendance.select(Attendance.member)
        .join(Meeting)
        .switch(Attendance)
        .join(Member)
        .where(
            (Member.group == group)
            & Attendance.presence.in_(ATTENDED)
            & (Meeting.starts_at >= start)
            & (Meeting.starts_at < end)
            & Member.status.in_(PROSPECT_STATUSES)
        )
    }
    joiners = list(Member.select().where(Member.id.in_(joined_ids))) if joined_ids else []
    brought = Counter(member.invited_by.name for member in joiners if member.invited_by_id)
    return Conversion(
        visitors=len(visited | set(joined_ids)),
        joined=len(set(joined_ids)),
        brought_by=tuple(sorted(brought.items(), key=lambda item: (-item[1], item[0]))),
    )


def year_bounds(group: Group, now: datetime) -> tuple[datetime, datetime]:
    """The calendar year of `now` where the group meets, as aware datetimes [start, end)."""
    from organizer.services.recurrence import local_start

    year = local_today(group, now).year
    tz = zone(group)
    midnight = datetime.min.time()
    return local_start(date(year, 1, 1), midnight, tz), local_start(date(year + 1, 1, 1), midnight, tz)
