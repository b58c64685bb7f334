"""Everything the member detail shows, read in a handful of small queries.

One call, `member_detail`, gathers it so the screen never builds queries itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN

from organizer.models import Attendance, Meeting, Member, OneToOne, Referral
from organizer.services.attendance import ATTENDED, AttendanceRate, attendance_rate
from organizer.services.balances import Balance, member_balance


@dataclass(frozen=True)
class AttendanceMark:
    meeting: Meeting
    presence: str | None  # None: nothing recorded for this member
    rsvp: str | None


@dataclass(frozen=True)
class MemberDetail:
    member: Member
    invited_by: Member | None
    invitees: list[Member]
    balance: Balance
    attendance: list[AttendanceMark]  # the last meetings held, most recent first
    rate: AttendanceRate  # every held meeting since they joined
    last_one_to_one: OneToOne | None
    one_to_ones: int
    recent_referrals: list[Referral]  # given or received, newest first

    @property
    def attended(self) -> int:
        return sum(mark.presence in ATTENDED for mark in self.attendance)


def member_detail(member: Member, *, now: datetime, meetings: int = 6, referrals: int = 5) -> MemberDetail:
    """The member's detail: who invited them, whom they invited, give/get, attendance, one-to-ones."""
    group = member.group
    invited_by = Member.get_or_none(Member.id == member.invited_by_id) if member.invited_by_id else None
    invitees = list(
        Member.select().where((Member.group == group) & (Member.invited_by == member)).order_by(Member.name)
    )
    held = list(
        Meeting.select()
        .where((Meeting.group == group) & (Meeting.status == "held") & (Meeting.starts_at <= now))
        .order_by(Meeting.starts_at.desc())
        .limit(meetings)
    )
    marks = (
        {
            row.meeting_id: row
            for row in Attendance.select().where(
                (Attendance.member == member) & Attendance.meeting.in_([m.id for m in held])
            )
        }
        if held
        else {}
    )
    attendance = [
        AttendanceMark(
            meeting,
            marks[meeting.id].presence if meeting.id in marks else None,
            marks[meeting.id].rsvp if meeting.id in marks else None,
        )
        for meeting in held
    ]
    pairs = OneToOne.select().where(
        ((OneToOne.member_a == member) | (OneToOne.member_b == member)) & (OneToOne.planned == False)
    )
    last = pairs.order_by(OneToOne.met_on.desc(), OneToOne.id.desc()).first()
    Giver, Receiver = Member.alias(), Member.alias()
    recent = list(
        Referral.select(Referral, Giver, Receiver)
        .join(Giver, JOIN.INNER, on=(Referral.giver == Giver.id))
        .switch(Referral)
        .join(Receiver, JOIN.INNER, on=(Referral.receiver == Receiver.id))
        .where(((Referral.giver == member) | (Referral.receiver == member)) & Referral.voided_at.is_null())
        .order_by(Referral.given_on.desc(), Referral.id.desc())
        .limit(referrals)
    )
    return MemberDetail(
        member=member,
        invited_by=invited_by,
        invitees=invitees,
        balance=member_balance(member),
        attendance=attendance,
        rate=attendance_rate(member, now),
        last_one_to_one=last,
        one_to_ones=pairs.count(),
        recent_referrals=recent,
    )
