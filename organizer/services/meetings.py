"""Meetings: one-off meetings, and the changes to one meeting (move, edit, skip, cancel,
put back on, hold, finish).

A series' occurrences are stored as Meeting rows (`meeting_series`); a one-off meeting is
a Meeting without a series. Dates name meetings: a group has at most one meeting that
happens (scheduled or held) on a local date, which `skip`, `cancel` and `ics --meeting
DATE` rely on. Every material change raises the meeting's SEQUENCE (`meeting_fields`).

This module also re-exports the names of the meeting modules split from it (fields,
series, lookup, presence), so `services.meetings.X` keeps working for every caller.
"""

from __future__ import annotations

from datetime import UTC, datetime

from organizer.models import Attendance, Group, Meeting, MeetingSeries, Member, database
from organizer.services.errors import UserError, ValidationError
from organizer.services.groups import local_today, zone
from organizer.services.meeting_fields import (
    DEFAULT_FIELDS,
    EDITABLE,
    INVITATION_FIELDS,
    INVITATION_LABELS,
    LIVE_STATUSES,
    MATERIAL_FIELDS,
    MAX_MINUTES,
    MIN_MINUTES,
    fill_time_needed,
    fit_time_needed,
    invitation_defaults,
    invitation_gaps,
    invitee_count,
    meeting_problems,
    minutes_problem,
    new_uid,
    unlabelled,
    update_invitation_defaults,
)
from organizer.services.meeting_lookup import (
    day_bounds,
    find_meeting,
    get_meeting,
    list_meetings,
    local_date,
    next_meeting,
    occurrence,
)
from organizer.services.meeting_presence import answer_and_attend, set_presence, set_rsvp
from organizer.services.meeting_series import (
    HORIZON_DAYS,
    MAX_AHEAD_DAYS,
    create_series,
    extend_all,
    extend_series,
    insert_series,
    series_clock,
    series_rule,
)
from organizer.services.text import tidy

__all__ = [
    "DEFAULT_FIELDS",
    "EDITABLE",
    "HORIZON_DAYS",
    "INVITATION_FIELDS",
    "INVITATION_LABELS",
    "LIVE_STATUSES",
    "MATERIAL_FIELDS",
    "MAX_AHEAD_DAYS",
    "MAX_MINUTES",
    "MIN_MINUTES",
    "absent_on_finish",
    "answer_and_attend",
    "cancel_meeting",
    "create_meeting",
    "create_series",
    "extend_all",
    "extend_series",
    "fill_time_needed",
    "find_meeting",
    "finish_meeting",
    "fit_time_needed",
    "get_meeting",
    "insert_series",
    "invitation_defaults",
    "invitation_gaps",
    "invitee_count",
    "list_meetings",
    "local_date",
    "mark_held",
    "meeting_problems",
    "minutes_problem",
    "new_uid",
    "next_meeting",
    "occurrence",
    "reinstate",
    "reschedule",
    "run_now",
    "series_clock",
    "series_rule",
    "set_presence",
    "set_rsvp",
    "skip_occurrence",
    "unlabelled",
    "update_invitation_defaults",
    "update_meeting",
]


def create_meeting(
    group: Group,
    *,
    starts_at: datetime,
    minutes: int,
    title: str = "",
    place: str = "",
    now: datetime,
    **invitation: str,
) -> Meeting:
    """A one-off meeting (no series), its invitation fields prefilled from the group's."""
    unknown = set(invitation) - set(INVITATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {', '.join(sorted(unknown))}")
    if starts_at.tzinfo is None:
        raise ValueError("a meeting's start must be timezone-aware")
    errors: dict[str, str] = {}
    minutes = minutes_problem(minutes, errors)
    if errors:
        raise ValidationError(errors)
    fields = invitation_defaults(group) | {key: tidy(value) for key, value in invitation.items()}
    usual = MeetingSeries.select().where(MeetingSeries.group == group).order_by(MeetingSeries.starts_on).first()
    if "time_needed" not in invitation and usual is not None:
        # The group's default is worded for its series: a one-off at 11:00 says its own times.
        local = starts_at.astimezone(zone(group))
        fields["time_needed"] = fit_time_needed(
            fields["time_needed"],
            was=datetime.combine(local.date(), series_clock(usual)),
            was_minutes=usual.minutes,
            now_at=local.replace(tzinfo=None),
            minutes=minutes,
        )
    with database.atomic():
        _refuse_clash(group, starts_at)
        return Meeting.create(
            group=group,
            series=None,
            occurrence_date=None,
            starts_at=starts_at,
            minutes=minutes,
            place=tidy(place) or group.default_place,
            title=tidy(title) or f"{group.name} meeting",
            uid=new_uid(),
            created_at=now,
            updated_at=now,
            **fields,
        )


def _refuse_clash(group: Group, starts_at: datetime, moving: Meeting | None = None) -> None:
    """Refuse a second meeting that happens on the same local day: dates name meetings."""
    day = starts_at.astimezone(zone(group)).date()
    start, end = day_bounds(group, day)
    query = Meeting.select().where(
        (Meeting.group == group)
        & (Meeting.starts_at >= start)
        & (Meeting.starts_at < end)
        & (Meeting.status.in_(LIVE_STATUSES))
    )
    if moving is not None:
        query = query.where(Meeting.id != moving.id)
    other = query.first()
    if other is not None:
        raise UserError(f"there is already a meeting on {day.isoformat()} (“{other.title}”)")


def _refuse_if_held(meeting: Meeting, doing: str) -> None:
    if meeting.status == "held":
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} was held: it cannot be {doing}")


def reschedule(
    meeting: Meeting,
    *,
    now: datetime,
    starts_at: datetime | None = None,
    place: str | None = None,
    minutes: int | None = None,
) -> Meeting:
    """Move one meeting to a new start, place and/or length; SEQUENCE +1 if anything changed.

    It keeps its `occurrence_date` (the RECURRENCE-ID its series knows it by). A skipped or
    cancelled meeting that is rescheduled is on again (scheduled).
    """
    _refuse_if_held(meeting, "moved")
    if starts_at is not None and starts_at.tzinfo is None:
        raise ValueError("a meeting's start must be timezone-aware")
    if starts_at is not None:
        # Compared in UTC, as stored: a local time in the repeated hour never equals a
        # datetime of another zone (PEP 495), which would make every such move a change.
        starts_at = starts_at.astimezone(UTC)
    errors: dict[str, str] = {}
    if minutes is not None:
        minutes = minutes_problem(minutes, errors)
    if errors:
        raise ValidationError(errors)
    tz = zone(meeting.group)
    time_needed = fit_time_needed(
        meeting.time_needed,
        was=meeting.starts_at.astimezone(tz).replace(tzinfo=None),
        was_minutes=meeting.minutes,
        now_at=(starts_at or meeting.starts_at).astimezone(tz).replace(tzinfo=None),
        minutes=minutes or meeting.minutes,
    )
    with database.atomic():
        if starts_at is not None:
            _refuse_clash(meeting.group, starts_at, moving=meeting)
        if time_needed != meeting.time_needed:
            meeting.time_needed = time_needed  # its times follow the move (not material)
        changed = _apply(
            meeting,
            {
                "starts_at": starts_at,
                "place": None if place is None else tidy(place),
                "minutes": minutes,
                "status": "scheduled",
            },
        )
        if changed:
            meeting.sequence += 1
            meeting.updated_at = now
            meeting.save()
    return meeting


def run_now(meeting: Meeting, *, now: datetime) -> Meeting:
    """Move a meeting to start now (meeting mode opened ahead of time to run it), and
    record the move in its notes (the invite's SEQUENCE rises as for any reschedule)."""
    group_zone = zone(meeting.group)
    was = meeting.starts_at.astimezone(group_zone)
    with database.atomic():
        reschedule(meeting, now=now, starts_at=now.replace(second=0, microsecond=0))
        line = (
            f"{now.astimezone(group_zone):%Y-%m-%d %H:%M}: run early from meeting mode; "
            f"it was to start {was:%Y-%m-%d %H:%M}."
        )
        meeting.notes = f"{meeting.notes}\n{line}".strip()
        meeting.save()
    return meeting


def _apply(meeting: Meeting, values: dict) -> bool:
    """Set the values that are given (not None) and differ; True if any did."""
    changed = False
    for field, value in values.items():
        if value is not None and getattr(meeting, field) != value:
            setattr(meeting, field, value)
            changed = True
    return changed


def update_meeting(meeting: Meeting, *, now: datetime, **changes) -> Meeting:
    """Edit a meeting's title, place, length, five invitation fields or notes.

    A change of title, place or length raises SEQUENCE once; the others do not.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown meeting fields: {', '.join(sorted(unknown))}")
    clean, errors = meeting_problems(changes)
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        material = _apply(meeting, {key: clean[key] for key in MATERIAL_FIELDS if key in clean})
        other = _apply(meeting, {key: value for key, value in clean.items() if key not in MATERIAL_FIELDS})
        if material:
            meeting.sequence += 1
        if material or other:
            meeting.updated_at = now
            meeting.save()
    return meeting


def skip_occurrence(meeting: Meeting, *, now: datetime) -> Meeting:
    """Mark one occurrence skipped (a holiday): it stays, as an EXDATE for calendars."""
    _refuse_if_held(meeting, "skipped")
    return _set_status(meeting, "skipped", now=now)


def cancel_meeting(meeting: Meeting, *, now: datetime) -> Meeting:
    """Call one meeting off: it stays, STATUS:CANCELLED for calendars, SEQUENCE +1."""
    _refuse_if_held(meeting, "cancelled")
    return _set_status(meeting, "cancelled", now=now)


def reinstate(meeting: Meeting, *, now: datetime) -> Meeting:
    """Put a skipped or cancelled meeting back on, at the time it has."""
    _refuse_if_held(meeting, "put back on")
    _refuse_clash(meeting.group, meeting.starts_at, moving=meeting)
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
