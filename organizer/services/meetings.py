"""Meetings: one-off meetings, and the changes to one meeting: move it (onto a date another
meeting has, cancelling that one, if asked), edit it; and its status (`meeting_status`).

A series' occurrences are stored as Meeting rows (`meeting_series`); a one-off meeting is
a Meeting without a series. Dates name meetings: a group has at most one meeting that
happens (scheduled or held) on a local date, which `skip`, `cancel` and `ics --meeting
DATE` rely on. Every material change raises the meeting's SEQUENCE (`meeting_fields`).

This module also re-exports the names of the meeting modules split from it (fields,
series, lookup, presence, status), so `services.meetings.X` keeps working for every caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from organizer.errors import UserError, ValidationError
from organizer.models import Group, Meeting, MeetingSeries, database
from organizer.services.groups import zone
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
    InTheWay,
    find_meeting,
    get_meeting,
    in_the_way,
    list_meetings,
    local_date,
    next_meeting,
    occurrence,
    refuse_clash,
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
from organizer.services.meeting_status import (
    absent_on_finish,
    cancel_meeting,
    finish_meeting,
    mark_held,
    refuse_if_held,
    reinstate,
    skip_occurrence,
)
from organizer.text import tidy

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
    "InTheWay",
    "Rescheduled",
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
    "in_the_way",
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
    "reschedule_replacing",
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
    length = minutes_problem(minutes, errors)
    if errors or length is None:
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
            minutes=length,
        )
    with database.atomic():
        refuse_clash(group, starts_at)
        return Meeting.create(
            group=group,
            series=None,
            occurrence_date=None,
            starts_at=starts_at,
            minutes=length,
            place=tidy(place) or group.default_place,
            title=tidy(title) or f"{group.name} meeting",
            uid=new_uid(),
            created_at=now,
            updated_at=now,
            **fields,
        )


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
    cancelled meeting that is rescheduled is on again (scheduled). A date another meeting
    has is refused: `in_the_way` says which, and `reschedule_replacing` moves it there
    cancelling that one, once the person has said yes.
    """
    refuse_if_held(meeting, "moved")
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
            refuse_clash(meeting.group, starts_at, moving=meeting)
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


@dataclass(frozen=True)
class Rescheduled:
    """A move onto a date another meeting had: the moved meeting and the one cancelled for it."""

    meeting: Meeting
    was: date  # the moved meeting's local date before the move
    cancelled: Meeting | None  # the meeting that was in the way; None if it had gone meanwhile

    def summary(self) -> str:
        """'moved 2026-12-08 to 2026-12-15; the meeting already on 2026-12-15 is cancelled'."""
        day = local_date(self.meeting).isoformat()
        text = f"moved {self.was.isoformat()} to {day}"
        return f"{text}; the meeting already on {day} is cancelled" if self.cancelled is not None else text


def reschedule_replacing(
    meeting: Meeting,
    replacing: InTheWay,
    *,
    now: datetime,
    starts_at: datetime,
    place: str | None = None,
    minutes: int | None = None,
) -> Rescheduled:
    """Move `meeting` to `starts_at`, on the date another meeting has, and cancel that one,
    in one transaction: one meeting a date stays true at every commit.

    The other meeting is cancelled as `cancel_meeting` does it (status, SEQUENCE +1), so its
    CANCEL invite can be written. `replacing` is what `in_the_way` said when the person was
    asked: if a different meeting is in the way now (someone else changed the calendar),
    nothing changes and UserError says so; if none is, the meeting just moves.
    """
    was = local_date(meeting)
    with database.atomic():
        found = in_the_way(meeting.group, starts_at, moving=meeting)
        if found is not None and found.meeting.id != replacing.meeting.id:
            raise UserError(f"{found.describe()} now, not the one you were asked about: nothing changed, try again")
        if found is not None:
            cancel_meeting(found.meeting, now=now)  # refuses a held meeting
        reschedule(meeting, now=now, starts_at=starts_at, place=place, minutes=minutes)
    return Rescheduled(meeting, was, found.meeting if found is not None else None)


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


def update_meeting(meeting: Meeting, *, now: datetime, **changes: object) -> Meeting:
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
