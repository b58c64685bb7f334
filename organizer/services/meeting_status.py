"""A meeting's status: skipped (a holiday), cancelled, put back on, held, finished.

Skipped and cancelled meetings stay, for calendars (an EXDATE, STATUS:CANCELLED); each of
these changes but holding raises SEQUENCE. A held meeting is history: it cannot be
skipped, cancelled, moved or put back on.
"""

from __future__ import annotations

from datetime import datetime

from organizer.errors import UserError
from organizer.models import Attendance, Meeting, Member, database
from organizer.services.groups import local_today
from organizer.services.meeting_lookup import (
    local_date,
    refuse_clash,
)


def refuse_if_held(meeting: Meeting, doing: str) -> None:
    if meeting.status == "held":
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} was held: it cannot be {doing}")


def skip_occurrence(meeting: Meeting, *, now: datetime) -> Meeting:
    """Mark one occurrence skipped (a holiday): it stays, as an EXDATE for calendars."""
    refuse_if_held(meeting, "skipped")
    return _set_status(meeting, "skipped", now=now)


def cancel_meeting(meeting: Meeting, *, now: datetime) -> Meeting:
    """Call one meeting off: it stays, STATUS:CANCELLED for calendars, SEQUENCE +1."""
    refuse_if_held(meeting, "cancelled")
    return _set_status(meeting, "cancelled", now=now)


def reinstate(meeting: Meeting, *, now: datetime) -> Meeting:
    """Put a skipped or cancelled meeting back on, at the time it has."""
    refuse_if_held(meeting, "put back on")
    refuse_clash(meeting.group, meeting.starts_at, moving=meeting)
    return _set_status(meeting, "scheduled", now=now)


def mark_held(meeting: Meeting, *, now: datetime) -> Meeting:
    return _set_status(meeting, "held", now=now, material=False)


def finish_meeting(meeting: Meeting, *, now: datetime) -> Meeting:
    """End a meeting: it becomes held, and active members not checked in are marked absent.

    Marking the absences makes the record explicit, so a later change (someone forgot to
    check in) is kept as an AttendanceCorrection. A one-off meeting (a social, an extra
    session) is nobody's duty: only who came is recorded, no one is marked absent.
    """
    if meeting.status != "scheduled":
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} is {meeting.status}, not scheduled")
    if local_date(meeting) > local_today(meeting.group, now):
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} has not happened yet")
    with database.atomic():
        recorded = {row.member_id: row for row in Attendance.select().where(Attendance.meeting == meeting)}
        for member in absent_on_finish(meeting):
            row = recorded.get(member.id)
            if row is None:
                Attendance.create(meeting=meeting, member=member, presence="absent", updated_at=now)
            else:
                row.presence = "absent"
                row.updated_at = now
                row.save()
        mark_held(meeting, now=now)
    return meeting


def absent_on_finish(meeting: Meeting) -> list[Member]:
    """Whom finishing `meeting` now marks absent, by name: active members who had joined by
    its date and are not checked in; nobody for a one-off meeting (see finish_meeting)."""
    if meeting.series_id is None:
        return []
    day = local_date(meeting)
    recorded = {
        row.member_id: row.presence
        for row in Attendance.select(Attendance.member, Attendance.presence).where(Attendance.meeting == meeting)
    }
    members = Member.select().where((Member.group == meeting.group) & (Member.status == "active"))
    return [
        member
        for member in members.order_by(Member.name, Member.id)
        if not (member.joined_on and member.joined_on > day) and recorded.get(member.id) is None
    ]


def _set_status(meeting: Meeting, status: str, *, now: datetime, material: bool = True) -> Meeting:
    if meeting.status == status:
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} is already {status}")
    with database.atomic():
        meeting.status = status
        if material:
            meeting.sequence += 1
        meeting.updated_at = now
        meeting.save()
    return meeting
