"""One member's answer to a meeting (RSVP) and how they attended it; a change to a held
meeting's attendance is kept as a correction."""

from __future__ import annotations

from datetime import datetime

from organizer.errors import UserError, ValidationError
from organizer.models import (
    PRESENCE_STATES,
    RSVP_STATES,
    Attendance,
    AttendanceCorrection,
    Meeting,
    Member,
    database,
)
from organizer.services.meeting_lookup import local_date
from organizer.text import tidy


def _attendance(meeting: Meeting, member: Member, now: datetime) -> Attendance:
    row = Attendance.get_or_none((Attendance.meeting == meeting) & (Attendance.member == member))
    if row is None:
        row = Attendance.create(meeting=meeting, member=member, updated_at=now)
    return row


def set_rsvp(meeting: Meeting, member: Member, rsvp: str, *, now: datetime) -> Attendance:
    if rsvp not in RSVP_STATES:
        raise ValidationError.single("rsvp", "an RSVP is one of " + ", ".join(RSVP_STATES))
    with database.atomic():
        row = _attendance(meeting, member, now)
        row.rsvp = rsvp
        row.updated_at = now
        row.save()
    return row


def set_presence(
    meeting: Meeting,
    member: Member,
    presence: str | None,
    *,
    now: datetime,
    substitute_name: str = "",
    actor: Member | None = None,
    reason: str = "",
) -> Attendance:
    """Record how a member attended; a change to a held meeting is kept as a correction."""
    substitute_name = tidy(substitute_name)
    if meeting.status in ("skipped", "cancelled"):
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} is {meeting.status}: nobody attends it")
    if presence is not None and presence not in PRESENCE_STATES:
        raise ValidationError.single("presence", "attendance is one of " + ", ".join(PRESENCE_STATES))
    if presence == "substitute" and not substitute_name:
        raise ValidationError.single("substitute_name", "name the substitute who came instead")
    with database.atomic():
        row = _attendance(meeting, member, now)
        if meeting.status == "held" and row.presence != presence:
            AttendanceCorrection.create(
                attendance=row,
                at=now,
                actor=actor,
                old_presence=row.presence,
                new_presence=presence,
                reason=tidy(reason),
            )
        row.presence = presence
        row.substitute_name = substitute_name if presence == "substitute" else ""
        row.updated_at = now
        row.save()
    return row


def answer_and_attend(
    meeting: Meeting,
    member: Member,
    *,
    now: datetime,
    rsvp: str | None = None,
    presence: tuple[str | None, str] | None = None,
    actor: Member | None = None,
    reason: str = "",
) -> None:
    """A member's RSVP and attendance changed together, or not at all (one form saves both).

    `presence` is (presence, substitute's name), or None to leave attendance as it is.
    """
    with database.atomic():
        if rsvp is not None:
            set_rsvp(meeting, member, rsvp, now=now)
        if presence is not None:
            set_presence(meeting, member, presence[0], now=now, substitute_name=presence[1], actor=actor, reason=reason)
