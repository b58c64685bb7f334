"""Replies: an attendee's METHOD:REPLY applied to their RSVP, checked whole before anything
is written (one line per problem otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import unquote

from icalendar import Calendar, Component

from organizer.errors import NotFound, UserError
from organizer.exports import ical
from organizer.models import Group, Meeting, MeetingSeries, Member, database
from organizer.services.checks import year_problem
from organizer.services.groups import zone
from organizer.services.meeting_presence import set_rsvp
from organizer.services.members import find_member
from organizer.text import clip, one_line, tidy

_RSVP_OF_PARTSTAT = {value: key for key, value in ical.PARTSTAT.items()}


@dataclass(frozen=True)
class ReplyApplied:
    meeting: Meeting
    member: Member
    rsvp: str
    stale: bool  # the reply answers an earlier version of the invite (lower SEQUENCE)


# A reply is a few kilobytes; a file far past that is not one (and parsing a
# 100,000-event file would take minutes before saying so).
MAX_REPLY_BYTES = 1_000_000
MAX_REPLY_EVENTS = 100


class ReplyProblems(UserError):
    """A reply that cannot be applied: `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} problems: {problems[0]} …")


def apply_reply(group: Group, data: bytes, now: datetime) -> list[ReplyApplied]:
    """Apply an attendee's METHOD:REPLY: their PARTSTAT becomes their RSVP.

    Everything is checked before anything is written: an unknown UID or attendee, a
    RECURRENCE-ID that is not a date, or an answer that is not an RSVP, changes nothing
    and raises ReplyProblems naming each problem on its own line.
    """
    if len(data) > MAX_REPLY_BYTES:
        raise UserError(f"this file is {len(data):,} bytes: a calendar reply is at most {MAX_REPLY_BYTES:,}")
    calendar = _parse(data)
    method = shown(calendar.get("METHOD", "")).upper()
    if method != "REPLY":
        raise UserError(f"this is not a reply (METHOD is {method or 'missing'}, not REPLY)")
    events = calendar.walk("VEVENT")
    if not events:
        raise UserError("the reply holds no event")
    if len(events) > MAX_REPLY_EVENTS:
        raise UserError(f"the reply holds {len(events):,} events: a reply answers at most {MAX_REPLY_EVENTS}")
    plan, problems = [], []
    for vevent in events:
        try:
            meeting = _replied_meeting(group, vevent)
            attendees = vevent.get("ATTENDEE")
            if attendees is None:
                raise UserError(f"the reply to {shown(meeting.uid)} names no attendee")
        except UserError as error:
            problems.append(str(error))
            continue
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            try:
                member = _replying_member(group, attendee)
            except UserError as error:
                problems.append(str(error))
                continue
            partstat = shown(getattr(attendee, "params", {}).get("PARTSTAT", "NEEDS-ACTION")).upper()
            if partstat not in _RSVP_OF_PARTSTAT:
                problems.append(
                    f"{member.email} answered {partstat}, which is not an RSVP "
                    "(ACCEPTED, TENTATIVE, DECLINED or NEEDS-ACTION)"
                )
                continue
            stale = _sequence(vevent) < meeting.sequence
            plan.append(ReplyApplied(meeting, member, _RSVP_OF_PARTSTAT[partstat], stale))
    if problems:
        raise ReplyProblems(problems)
    with database.atomic():
        for item in plan:
            set_rsvp(item.meeting, item.member, item.rsvp, now=now)
    return plan


def shown(value: object, limit: int = 80) -> str:
    """Text from a reply, for a message: one line, no control characters, not too long."""
    text = tidy(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse(data: bytes) -> Calendar:
    try:
        calendars = Calendar.from_ical(data, multiple=True)
    except ValueError as error:
        reason = (str(error).strip().splitlines() or ["unreadable"])[0]
        raise UserError(f"this is not an iCalendar file: {clip(one_line(reason), 120)}") from None
    if len(calendars) != 1:
        raise UserError("this is not an iCalendar file with one VCALENDAR")
    return calendars[0]


def _replied_meeting(group: Group, vevent: Component) -> Meeting:
    uid = tidy(vevent.get("UID", ""))
    if not uid:
        raise UserError("the reply's event has no UID")
    meeting = Meeting.get_or_none((Meeting.group == group) & (Meeting.uid == uid))
    if meeting is not None:
        return meeting
    series = MeetingSeries.get_or_none((MeetingSeries.group == group) & (MeetingSeries.uid == uid))
    if series is not None and vevent.get("RECURRENCE-ID") is not None:
        # An answer to one occurrence of the series file: the rule date names the meeting.
        day = _occurrence_day(group, vevent)
        found = Meeting.get_or_none((Meeting.series == series) & (Meeting.occurrence_date == day))
        if found is not None:
            return found
        raise UserError(f"the reply answers the series {shown(uid)} on {day.isoformat()}, when it has no meeting")
    if series is not None:
        raise UserError(f"the reply answers the whole series {shown(uid)}: answer a meeting's own invite")
    raise UserError(f"the reply is for an event {group.name} did not send (UID {shown(uid)})")


def _occurrence_day(group: Group, vevent: Component) -> date:
    """The local date a RECURRENCE-ID names; UserError for any other form of it (a
    period, a duration, a date that does not parse or is out of range)."""
    raw = vevent.get("RECURRENCE-ID")
    try:
        written = shown(raw.to_ical().decode("utf-8", "replace"))
    except Exception:  # a value icalendar kept as it came
        written = shown(raw)
    try:
        moment = vevent.decoded("RECURRENCE-ID")
    except Exception:  # icalendar raises several kinds for a value it cannot read
        moment = None
    if isinstance(moment, datetime):
        moment = (moment.astimezone(zone(group)) if moment.tzinfo else moment).date()
    if not isinstance(moment, date):
        raise UserError(f"the reply's RECURRENCE-ID “{written}” is not a date or a date and time")
    if problem := year_problem(moment.year, moment.isoformat()):
        raise UserError(f"the reply's RECURRENCE-ID: {problem}")
    return moment


def _sequence(vevent: Component) -> int:
    try:
        return int(vevent.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return 0  # a malformed SEQUENCE: treat the reply as answering the first invite


def _replying_member(group: Group, attendee: object) -> Member:
    address = tidy(unquote(str(attendee)))
    email = address[len("mailto:") :] if address.lower().startswith("mailto:") else address
    if "@" not in email:
        raise UserError(f"the reply's attendee “{shown(address)}” is not an email address")
    try:
        return find_member(group, email)
    except NotFound:
        raise UserError(f"the reply is from {shown(email)}, who is not a member of {group.name}") from None
