"""Finding meetings: by local date, by id, in a date window, and the next one; and the
meeting that is in the way of another on a date.

Dates name meetings: a group has at most one meeting that happens (scheduled or held) on
a local date, which `skip`, `cancel` and `ics --meeting DATE` rely on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from organizer.errors import NotFound, UserError
from organizer.models import (
    Group,
    Meeting,
)
from organizer.services.groups import zone
from organizer.services.meeting_fields import LIVE_STATUSES
from organizer.services.recurrence import local_start


def local_date(meeting: Meeting) -> date:
    """The meeting's date where the group meets."""
    local: datetime = meeting.starts_at.astimezone(zone(meeting.group))
    return local.date()


def day_bounds(group: Group, day: date) -> tuple[datetime, datetime]:
    tz = zone(group)
    return local_start(day, time(0, 0), tz), local_start(day + timedelta(days=1), time(0, 0), tz)


def _live_first(meetings: list[Meeting]) -> Meeting | None:
    """Of several meetings, one that happens (scheduled or held) before a skipped or cancelled one."""
    meetings.sort(key=lambda m: (m.status not in LIVE_STATUSES, m.starts_at))
    return meetings[0] if meetings else None


def occurrence(group: Group, day: date) -> Meeting:
    """The meeting on local date `day` (its current date, or its series date if moved)."""
    start, end = day_bounds(group, day)
    found = _live_first(
        list(
            Meeting.select().where((Meeting.group == group) & (Meeting.starts_at >= start) & (Meeting.starts_at < end))
        )
    )
    if found is None:
        found = _live_first(list(Meeting.select().where((Meeting.group == group) & (Meeting.occurrence_date == day))))
    if found is None:
        raise NotFound(f"no meeting on {day.isoformat()}")
    return found


def list_meetings(group: Group, start: date | None = None, end: date | None = None) -> list[Meeting]:
    """Every meeting (any status) whose local date is within [start, end], by start time."""
    query = Meeting.select().where(Meeting.group == group)
    if start is not None:
        query = query.where(Meeting.starts_at >= day_bounds(group, start)[0])
    if end is not None:
        query = query.where(Meeting.starts_at < day_bounds(group, end)[1])
    return list(query.order_by(Meeting.starts_at, Meeting.id))


def find_meeting(group: Group, meeting_id: int | None) -> Meeting | None:
    """The group's meeting `meeting_id`, or None (none chosen, or gone)."""
    if meeting_id is None:
        return None
    return Meeting.get_or_none((Meeting.id == meeting_id) & (Meeting.group == group))


def next_meeting(group: Group, now: datetime) -> Meeting | None:
    """The next scheduled meeting that has not ended yet."""
    for meeting in (
        Meeting.select()
        .where(
            (Meeting.group == group) & (Meeting.status == "scheduled") & (Meeting.starts_at >= now - timedelta(days=1))
        )
        .order_by(Meeting.starts_at)
        .limit(3)
    ):
        if meeting.starts_at + timedelta(minutes=meeting.minutes) > now:
            return meeting
    return None


def get_meeting(meeting_id: int) -> Meeting:
    """A meeting as stored now (a screen reads it again after a change)."""
    meeting = Meeting.get_or_none(Meeting.id == meeting_id)
    if meeting is None:
        raise NotFound(f"no meeting with id {meeting_id}")
    return meeting


@dataclass(frozen=True)
class InTheWay:
    """The meeting that happens on the local date another meeting would move to (or a new
    one would be on): what a person needs to decide whether to cancel it instead."""

    meeting: Meeting
    day: date  # its local date
    at: str  # its local start, HH:MM
    title: str
    in_series: bool  # one of a series; else a one-off meeting
    held: bool  # it took place: it cannot be cancelled

    def describe(self) -> str:
        """'2026-12-15 already has a meeting (07:30, Weekly breakfast)'."""
        kind = "" if self.in_series else ", a one-off meeting"
        held = " that was held" if self.held else ""
        return f"{self.day.isoformat()} already has a meeting{held} ({self.at}, {' '.join(self.title.split())}{kind})"


def in_the_way(group: Group, starts_at: datetime, moving: Meeting | None = None) -> InTheWay | None:
    """The meeting (other than `moving`) that happens on the local date of `starts_at`, if any."""
    tz = zone(group)
    day = starts_at.astimezone(tz).date()
    start, end = day_bounds(group, day)
    query = Meeting.select().where(
        (Meeting.group == group)
        & (Meeting.starts_at >= start)
        & (Meeting.starts_at < end)
        & (Meeting.status.in_(LIVE_STATUSES))
    )
    if moving is not None:
        query = query.where(Meeting.id != moving.id)
    other = query.order_by(Meeting.starts_at, Meeting.id).first()
    if other is None:
        return None
    return InTheWay(
        meeting=other,
        day=day,
        at=f"{other.starts_at.astimezone(tz):%H:%M}",
        title=other.title,
        in_series=other.series_id is not None,
        held=other.status == "held",
    )


def refuse_clash(group: Group, starts_at: datetime, moving: Meeting | None = None) -> None:
    """Refuse a second meeting that happens on the same local day: dates name meetings."""
    found = in_the_way(group, starts_at, moving)
    if found is not None:
        raise UserError(f"there is already a meeting on {found.day.isoformat()} (“{found.title}”)")
