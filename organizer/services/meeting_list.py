"""The Meetings section's list: meetings in a date window with their RSVP, attendance and
agenda figures, each counted for the whole window in one grouped query per table.

A group meets about monthly, so a window of a year or two is a few dozen rows; the window
(not an OFFSET) is what bounds the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import fn

from organizer.models import AgendaItem, Attendance, Group, Meeting, MeetingSeries
from organizer.rows import row_tuples
from organizer.services.attendance import ATTENDED, rsvp_counts_of
from organizer.services.meetings import list_meetings, series_rule


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    accepted: int = 0
    tentative: int = 0
    declined: int = 0
    came: int = 0  # present, late or a substitute
    agenda_minutes: int = 0
    agenda_items: int = 0


def meeting_rows(group: Group, start: date | None, end: date | None = None) -> list[MeetingRow]:
    """Every meeting whose local date is in [start, end], by start, with its figures."""
    meetings = list_meetings(group, start, end)
    if not meetings:
        return []
    ids = [meeting.id for meeting in meetings]
    answers = rsvp_counts_of(meetings)  # the meeting's page and the dashboard count the same way
    came: dict[int, int] = {
        meeting_id: count
        for meeting_id, count in row_tuples(
            Attendance.select(Attendance.meeting, fn.COUNT(Attendance.id))
            .where(Attendance.meeting.in_(ids) & Attendance.presence.in_(ATTENDED))
            .group_by(Attendance.meeting)
        )
    }
    agenda = {
        meeting_id: (int(minutes or 0), count)
        for meeting_id, minutes, count in row_tuples(
            AgendaItem.select(AgendaItem.meeting, fn.SUM(AgendaItem.minutes), fn.COUNT(AgendaItem.id))
            .where(AgendaItem.meeting.in_(ids))
            .group_by(AgendaItem.meeting)
        )
    }
    return [
        MeetingRow(
            meeting=meeting,
            accepted=answers[meeting.id]["accepted"],
            tentative=answers[meeting.id]["tentative"],
            declined=answers[meeting.id]["declined"],
            came=came.get(meeting.id, 0),
            agenda_minutes=agenda.get(meeting.id, (0, 0))[0],
            agenda_items=agenda.get(meeting.id, (0, 0))[1],
        )
        for meeting in meetings
    ]


def running_series(group: Group, today: date) -> list[MeetingSeries]:
    """The series still running today or later (ended ones are history)."""
    return list(
        MeetingSeries.select()
        .where((MeetingSeries.group == group) & (MeetingSeries.ends_on.is_null() | (MeetingSeries.ends_on >= today)))
        .order_by(MeetingSeries.starts_on, MeetingSeries.id)
    )


def describe_series(series: MeetingSeries) -> str:
    """'2nd Tuesday at 07:30, 90 min, from 2025-12-09' (and 'until …' when it ends)."""
    until = f" until {series.ends_on.isoformat()}" if series.ends_on else ""
    return (
        f"{series_rule(series).describe()} at {series.start_time}, {series.minutes} min, "
        f"from {series.starts_on.isoformat()}{until}"
    )
