"""The recap's people: who came to the month's held meetings (each member once, by their
best presence), the visitors who came, and the members who joined.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from peewee import JOIN

from organizer.models import PROSPECT_STATUSES, Attendance, Group, Meeting, Member
from organizer.recap.model import (
    PEOPLE_MAX,
    PRESENCE_ORDER,
    AttendanceCounts,
    NewMember,
    Visitor,
    one_line,
)
from organizer.rows import as_date, row_tuples
from organizer.services.groups import zone


def month_attendance(held: list[Meeting]) -> tuple[tuple[Visitor, ...], AttendanceCounts]:
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


def members_joined(group: Group, first: date, last: date) -> tuple[NewMember, ...]:
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
