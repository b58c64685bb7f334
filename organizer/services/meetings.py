"""Meetings: the monthly series, its occurrences, RSVPs and attendance.

A series' occurrences are stored as Meeting rows (each with its own stable UID, SEQUENCE,
RSVPs and attendance) up to the series' end or a horizon ahead of today, extended by
`extend_series` as time passes. Every material change raises the meeting's SEQUENCE.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from organizer.models import (
    PRESENCE_STATES,
    RSVP_STATES,
    Attendance,
    AttendanceCorrection,
    Group,
    Meeting,
    MeetingSeries,
    Member,
    database,
)
from organizer.services.errors import NotFound, ValidationError
from organizer.services.groups import local_today, zone
from organizer.services.recurrence import MonthlyRule, local_start, parse_clock
from organizer.services.text import tidy

HORIZON_DAYS = 400  # open-ended series are kept materialized about a year ahead
INVITATION_FIELDS = ("intent", "benefit", "topics", "time_needed", "opt_out")


def new_uid() -> str:
    return f"{uuid.uuid4()}@organizer"


def invitation_defaults(group: Group) -> dict[str, str]:
    """The five invitation fields as the group fills them in by default."""
    return {
        "intent": group.default_intent,
        "benefit": group.default_benefit,
        "topics": group.default_topics,
        "time_needed": group.default_time_needed,
        "opt_out": group.default_out,
    }


def create_series(
    group: Group,
    *,
    rule: MonthlyRule,
    at: str,
    minutes: int,
    starts_on: date,
    ends_on: date | None = None,
    place: str = "",
    title: str = "",
    now: datetime,
) -> MeetingSeries:
    """Create a monthly series and its occurrences up to its end or the horizon."""
    clock = parse_clock(at)
    errors: dict[str, str] = {}
    if not 15 <= minutes <= 24 * 60:
        errors["minutes"] = "a meeting lasts between 15 minutes and 24 hours"
    if ends_on is not None and ends_on < starts_on:
        errors["until"] = "the series ends after it starts"
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        series = MeetingSeries.create(
            group=group,
            ordinal=rule.ordinal,
            weekday=rule.weekday,
            start_time=clock.strftime("%H:%M"),
            minutes=minutes,
            starts_on=starts_on,
            ends_on=ends_on,
            place=tidy(place) or group.default_place,
            title=tidy(title) or f"{group.name} monthly meeting",
            uid=new_uid(),
            created_at=now,
        )
        extend_series(series, now=now)
    return series


def series_rule(series: MeetingSeries) -> MonthlyRule:
    return MonthlyRule(series.ordinal, series.weekday)


def series_clock(series: MeetingSeries) -> time:
    return parse_clock(series.start_time)


def extend_series(series: MeetingSeries, *, now: datetime) -> int:
    """Store occurrences not stored yet, up to the end or the horizon; returns how many."""
    group = series.group
    horizon = local_today(group, now) + timedelta(days=HORIZON_DAYS)
    until = min(series.ends_on, horizon) if series.ends_on else horizon
    have = {
        row.occurrence_date
        for row in Meeting.select(Meeting.occurrence_date).where(Meeting.series == series)
    }
    created = 0
    with database.atomic():
        for day in series_rule(series).dates(series.starts_on, until):
            if day in have:
                continue
            Meeting.create(
                group=group,
                series=series,
                occurrence_date=day,
                starts_at=local_start(day, series_clock(series), zone(group)),
                minutes=series.minutes,
                place=series.place,
                title=series.title,
                uid=new_uid(),
                created_at=now,
                updated_at=now,
                **invitation_defaults(group),
            )
            created += 1
    return created


def occurrence(group: Group, day: date) -> Meeting:
    """The meeting on local date `day` (its current date, or its series date if moved)."""
    tz = zone(group)
    start = local_start(day, time(0, 0), tz)
    end = local_start(day + timedelta(days=1), time(0, 0), tz)
    found = (
        Meeting.select()
        .where((Meeting.group == group) & (Meeting.starts_at >= start) & (Meeting.starts_at < end))
        .order_by(Meeting.starts_at)
        .first()
    )
    if found is None:
        found = Meeting.get_or_none((Meeting.group == group) & (Meeting.occurrence_date == day))
    if found is None:
        raise NotFound(f"no meeting on {day.isoformat()}")
    return found


def skip_occurrence(meeting: Meeting, *, now: datetime) -> Meeting:
    """Mark one occurrence skipped (a holiday): it stays, as an EXDATE for calendars."""
    return _set_status(meeting, "skipped", now=now)


def mark_held(meeting: Meeting, *, now: datetime) -> Meeting:
    return _set_status(meeting, "held", now=now, material=False)


def _set_status(meeting: Meeting, status: str, *, now: datetime, material: bool = True) -> Meeting:
    with database.atomic():
        meeting.status = status
        if material:
            meeting.sequence += 1
        meeting.updated_at = now
        meeting.save()
    return meeting


def next_meeting(group: Group, now: datetime) -> Meeting | None:
    """The next scheduled meeting that has not ended yet."""
    for meeting in (
        Meeting.select()
        .where((Meeting.group == group) & (Meeting.status == "scheduled")
               & (Meeting.starts_at >= now - timedelta(days=1)))
        .order_by(Meeting.starts_at)
        .limit(3)
    ):
        if meeting.starts_at + timedelta(minutes=meeting.minutes) > now:
            return meeting
    return None


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
    if presence is not None and presence not in PRESENCE_STATES:
        raise ValidationError.single("presence", "attendance is one of " + ", ".join(PRESENCE_STATES))
    if presence == "substitute" and not substitute_name:
        raise ValidationError.single("substitute_name", "name the substitute who came instead")
    with database.atomic():
        row = _attendance(meeting, member, now)
        if meeting.status == "held" and row.presence != presence:
            AttendanceCorrection.create(
                attendance=row, at=now, actor=actor,
                old_presence=row.presence, new_presence=presence, reason=tidy(reason),
            )
        row.presence = presence
        row.substitute_name = substitute_name if presence == "substitute" else ""
        row.updated_at = now
        row.save()
    return row
