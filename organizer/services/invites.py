"""Invites: the group's meetings as iCal files and emails, and attendees' replies.

This module reads the database and hands plain data to the pure exporters
(`organizer.exports.ical`, `organizer.exports.invite_email`); the command line and the
app call the `write_*` functions, which write a file atomically and return its path.
`invite_events` turns rows into that data, `invite_replies` reads replies; their public
names are importable from here too.

- an invite (REQUEST) goes to every active member with an email, with their RSVP;
- an invite or cancellation for one meeting of a series carries the series' UID and the
  occurrence's RECURRENCE-ID (a calendar holding the series file shows the meeting once);
- a cancellation (CANCEL) carries a SEQUENCE above the last invite's: a meeting already
  cancelled or skipped had it raised by that change; writing the cancellation of one still
  scheduled cancels it in the records first (no CANCEL goes out for a meeting still on);
- the series file has one recurring event per series, under the series' own UID;
- the feed holds the meetings of the past 12 months and all future ones, named as the
  invites name them: each series as in the series file (its UID, an RRULE from the
  window's start, an EXDATE per skipped or cancelled meeting, an override with the
  RECURRENCE-ID of its slot per meeting that differs or has an agenda), so an invite
  replaces its occurrence; a one-off meeting under its own UID.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from organizer.errors import NotFound, UserError, ValidationError
from organizer.exports import ical
from organizer.exports.invite_email import invite_email
from organizer.files import write_private
from organizer.models import Group, Meeting
from organizer.services.checks import as_id, parse_date
from organizer.services.groups import local_today, zone
from organizer.services.invite_events import (
    GONE,
    agendas_of,
    all_series,
    group_info,
    invitees,
    meeting_event,
    series_info,
    series_names,
)
from organizer.services.invite_replies import (
    MAX_REPLY_BYTES,
    MAX_REPLY_EVENTS,
    ReplyApplied,
    ReplyProblems,
    apply_reply,
    shown,
)
from organizer.services.meetings import (
    cancel_meeting,
    next_meeting,
    occurrence,
)
from organizer.services.recurrence import local_start

__all__ = [
    "FEED_MONTHS_BACK",
    "GONE",
    "MAX_REPLY_BYTES",
    "MAX_REPLY_EVENTS",
    "ReplyApplied",
    "ReplyProblems",
    "apply_reply",
    "email_bytes",
    "feed_bytes",
    "group_info",
    "invite_bytes",
    "invitees",
    "personal_invites",
    "resolve_meeting",
    "series_bytes",
    "series_info",
    "write_feed",
    "write_invite",
    "write_series",
]

FEED_MONTHS_BACK = 12


# -- choosing a meeting ------------------------------------------------------------------


def resolve_meeting(group: Group, selector: str, now: datetime) -> Meeting:
    """`next`, a meeting id, or a local date (YYYY-MM-DD) → the meeting."""
    selector = (selector or "").strip()
    if selector.lower() == "next":
        found = next_meeting(group, now)
        if found is None:
            raise UserError("there is no upcoming meeting: schedule one with `organizer schedule`")
        return found
    if selector.isdigit():
        wanted = as_id(selector)
        found = Meeting.get_or_none((Meeting.id == wanted) & (Meeting.group == group)) if wanted else None
        if found is None:
            raise NotFound(f"no meeting with id {shown(selector)}")
        return found
    errors: dict[str, str] = {}
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", selector):
        day = parse_date(selector, "meeting", errors)
        if day is not None:
            return occurrence(group, day)
        raise ValidationError(errors)
    raise ValidationError.single(
        "meeting", f"“{shown(selector)}” is not a meeting: give next, a meeting id or a date YYYY-MM-DD"
    )


# -- the files -----------------------------------------------------------------------------


def invite_bytes(meeting: Meeting, now: datetime, *, cancel: bool = False) -> bytes:
    """The .ics of one meeting: its invite (REQUEST) or its cancellation (CANCEL)."""
    return _invite(meeting, now, cancel)[1]


def email_bytes(meeting: Meeting, now: datetime, *, cancel: bool = False) -> bytes:
    """The .eml carrying the meeting's invite (or cancellation), ready to send."""
    event, ics = _invite(meeting, now, cancel)
    return invite_email(group_info(meeting.group), event, ics, now, method="CANCEL" if cancel else "REQUEST")


def personal_invites(
    meeting: Meeting, now: datetime, *, cancel: bool = False
) -> Iterator[tuple[ical.Invitee, ical.EventInfo, bytes]]:
    """(invitee, event, .ics) for each invitee, each .ics naming only that attendee: one
    message per recipient never shows one member the whole roster."""
    if not cancel:
        _refuse_gone(meeting)
    event = meeting_event(meeting, attendees=True, cancel=cancel)
    export = ical.cancellation if cancel else ical.request
    info = group_info(meeting.group)
    for invitee in event.attendees:
        own = replace(event, attendees=(invitee,))
        yield invitee, own, export(info, own, now)


def _invite(meeting: Meeting, now: datetime, cancel: bool) -> tuple[ical.EventInfo, bytes]:
    if not cancel:
        _refuse_gone(meeting)
    event = meeting_event(meeting, attendees=True, cancel=cancel)
    export = ical.cancellation if cancel else ical.request
    return event, export(group_info(meeting.group), event, now)


def series_bytes(group: Group, now: datetime) -> bytes:
    """Every series of the group, each as one recurring event (METHOD:PUBLISH)."""
    series = [info for item in all_series(group) if (info := series_info(item)) is not None]
    if not series:
        raise UserError("this group has no meeting series yet: create one with `organizer schedule`")
    return ical.series_calendar(group_info(group), series, now)


def feed_bytes(group: Group, now: datetime) -> bytes:
    """The subscription feed: meetings of the past 12 months and all future ones."""
    today = local_today(group, now)
    index = today.year * 12 + today.month - 1 - FEED_MONTHS_BACK
    since = _same_day(index // 12, index % 12 + 1, today.day)
    meetings = list(
        Meeting.select()
        .where(
            (Meeting.group == group)
            & Meeting.status.not_in(GONE)
            & (Meeting.starts_at >= local_start(since, datetime.min.time(), zone(group)))
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    agendas, names = agendas_of(meetings), series_names(meetings)
    # Each series from the window's start, or from the slot of a meeting moved into it.
    starts: dict[int, date] = {}
    for meeting in meetings:
        slot = meeting.occurrence_date
        if meeting.id in names and slot is not None:
            starts[meeting.series_id] = min(starts.get(meeting.series_id, since), slot)
    series = tuple(
        info
        for item in all_series(group)
        if item.id in starts and (info := series_info(item, since=starts[item.id], agendas=agendas)) is not None
    )
    events = [
        meeting_event(meeting, agenda=agendas.get(meeting.id, ()), names=names)
        for meeting in meetings
        if meeting.id not in names
    ]
    return ical.feed(group_info(group), events, now, series)


def write_invite(meeting: Meeting, path: Path | str, now: datetime, *, cancel: bool = False, eml: bool = False) -> Path:
    """Write the meeting's invite or cancellation (.ics, or .eml with `eml`); returns the path.

    The cancellation of a meeting still scheduled cancels it first (SEQUENCE +1; a held
    meeting is refused), so the records never show on a meeting whose CANCEL went out."""
    if cancel and meeting.status not in GONE:
        cancel_meeting(meeting, now=now)  # refuses a held meeting
    data = email_bytes(meeting, now, cancel=cancel) if eml else invite_bytes(meeting, now, cancel=cancel)
    return write_private(path, data)


def write_series(group: Group, path: Path | str, now: datetime) -> Path:
    return write_private(path, series_bytes(group, now))


def write_feed(group: Group, path: Path | str, now: datetime) -> Path:
    return write_private(path, feed_bytes(group, now))


def _refuse_gone(meeting: Meeting) -> None:
    if meeting.status in GONE:
        day = meeting.starts_at.astimezone(zone(meeting.group)).date().isoformat()
        raise UserError(f"the meeting on {day} is {meeting.status}: export its cancellation with --cancel")


def _same_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, monthrange(year, month)[1]))
