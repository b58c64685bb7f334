"""Invites: the group's meetings as iCal files and emails, and attendees' replies.

This module reads the database and hands plain data to the pure exporters
(`organizer.exports.ical`, `organizer.exports.invite_email`); the command line and the
app call the `write_*` functions, which write a file atomically and return its path.

- an invite (REQUEST) goes to every active member with an email, with their RSVP;
- an invite or cancellation for one meeting of a series carries the series' UID and the
  occurrence's RECURRENCE-ID (a calendar holding the series file shows the meeting once);
- a cancellation (CANCEL) carries a SEQUENCE above the last invite's: a meeting already
  cancelled or skipped had it raised by that change; writing the cancellation of one still
  scheduled cancels it in the records first (no CANCEL goes out for a meeting still on);
- the series file has one recurring event per series, under the series' own UID;
- the feed holds the meetings of the past 12 months and all future ones, each under its
  meeting's UID (the invites' UID), skipped and cancelled ones left out.
"""

from __future__ import annotations

import os
import re
from calendar import monthrange
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from icalendar import Calendar
from peewee import JOIN

from organizer.exports import ical
from organizer.exports.invite_email import invite_email
from organizer.files import write_private
from organizer.models import AgendaItem, Attendance, Group, Meeting, MeetingSeries, Member, database
from organizer.services.agenda import KIND_LABELS
from organizer.services.checks import as_id, parse_date, year_problem
from organizer.services.errors import NotFound, UserError, ValidationError
from organizer.services.groups import local_today, zone
from organizer.services.meetings import (
    INVITATION_LABELS,
    cancel_meeting,
    invitation_defaults,
    next_meeting,
    occurrence,
    series_clock,
    series_rule,
    set_rsvp,
)
from organizer.services.members import find_member
from organizer.services.recurrence import local_start
from organizer.services.text import tidy

GONE = ("skipped", "cancelled")  # occurrences that will not take place
FEED_MONTHS_BACK = 12
_RSVP_OF_PARTSTAT = {value: key for key, value in ical.PARTSTAT.items()}


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
            raise NotFound(f"no meeting with id {_shown(selector)}")
        return found
    errors: dict[str, str] = {}
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", selector):
        day = parse_date(selector, "meeting", errors)
        if day is not None:
            return occurrence(group, day)
        raise ValidationError(errors)
    raise ValidationError.single(
        "meeting", f"“{_shown(selector)}” is not a meeting: give next, a meeting id or a date YYYY-MM-DD"
    )


# -- the files -----------------------------------------------------------------------------


def invite_bytes(meeting: Meeting, now: datetime, *, cancel: bool = False) -> bytes:
    """The .ics of one meeting: its invite (REQUEST) or its cancellation (CANCEL)."""
    return _invite(meeting, now, cancel)[1]


def email_bytes(meeting: Meeting, now: datetime, *, cancel: bool = False) -> bytes:
    """The .eml carrying the meeting's invite (or cancellation), ready to send."""
    event, ics = _invite(meeting, now, cancel)
    return invite_email(group_info(meeting.group), event, ics, now, method="CANCEL" if cancel else "REQUEST")


def personal_invites(meeting: Meeting, now: datetime, *, cancel: bool = False):
    """(invitee, event, .ics) for each invitee, each .ics naming only that attendee: one
    message per recipient never shows one member the whole roster."""
    if not cancel:
        _refuse_gone(meeting)
    event = _event(meeting, attendees=True, cancel=cancel)
    export = ical.cancellation if cancel else ical.request
    info = group_info(meeting.group)
    for invitee in event.attendees:
        own = replace(event, attendees=(invitee,))
        yield invitee, own, export(info, own, now)


def _invite(meeting: Meeting, now: datetime, cancel: bool) -> tuple[ical.EventInfo, bytes]:
    if not cancel:
        _refuse_gone(meeting)
    event = _event(meeting, attendees=True, cancel=cancel)
    export = ical.cancellation if cancel else ical.request
    return event, export(group_info(meeting.group), event, now)


def series_bytes(group: Group, now: datetime) -> bytes:
    """Every series of the group, each as one recurring event (METHOD:PUBLISH)."""
    series = [info for item in _all_series(group) if (info := series_info(item)) is not None]
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
    agendas = _agendas(meetings)
    events = [_event(meeting, agenda=agendas.get(meeting.id, ())) for meeting in meetings]
    return ical.feed(group_info(group), events, now)


def write_invite(
    meeting: Meeting, path: str | os.PathLike, now: datetime, *, cancel: bool = False, eml: bool = False
) -> Path:
    """Write the meeting's invite or cancellation (.ics, or .eml with `eml`); returns the path.

    The cancellation of a meeting still scheduled cancels it first (SEQUENCE +1; a held
    meeting is refused), so the records never show on a meeting whose CANCEL went out."""
    if cancel and meeting.status not in GONE:
        cancel_meeting(meeting, now=now)  # refuses a held meeting
    data = email_bytes(meeting, now, cancel=cancel) if eml else invite_bytes(meeting, now, cancel=cancel)
    return write_private(path, data)


def write_series(group: Group, path: str | os.PathLike, now: datetime) -> Path:
    return write_private(path, series_bytes(group, now))


def write_feed(group: Group, path: str | os.PathLike, now: datetime) -> Path:
    return write_private(path, feed_bytes(group, now))


# -- from rows to the exporter's data ----------------------------------------------------


def group_info(group: Group) -> ical.GroupInfo:
    return ical.GroupInfo(
        name=group.name,
        timezone=group.timezone,
        organizer=ical.Person(group.organizer_name, group.organizer_email),
        reminder_minutes=group.reminder_minutes,
        field_labels=tuple(INVITATION_LABELS.items()),
    )


def invitees(meeting: Meeting) -> tuple[ical.Invitee, ...]:
    """Every active member with an email, with their RSVP to this meeting."""
    rsvps = {
        row.member_id: row.rsvp
        for row in Attendance.select(Attendance.member, Attendance.rsvp).where(Attendance.meeting == meeting)
    }
    # Three columns as plain tuples: whole Member rows cost a date parse per field, over
    # half the time of an invite to a hundred members.
    members = (
        Member.select(Member.id, Member.name, Member.email)
        .where((Member.group == meeting.group_id) & (Member.status == "active") & (Member.email != ""))
        .order_by(Member.name, Member.id)
        .tuples()
    )
    return tuple(ical.Invitee(name, email, rsvps.get(member_id, "needs_action")) for member_id, name, email in members)


def _event(
    meeting: Meeting,
    *,
    attendees: bool = False,
    cancel: bool = False,
    agenda: tuple[ical.AgendaLine, ...] | None = None,
) -> ical.EventInfo:
    """The meeting as an event; with `attendees` (an invite or a cancellation), one meeting
    of a series is named as the series file names it: its UID and the RECURRENCE-ID."""
    sequence = meeting.sequence
    if cancel and meeting.status not in GONE:
        sequence += 1  # what cancelling the meeting raises it to; calendars need the rise
    if agenda is None:
        agenda = _agendas([meeting]).get(meeting.id, ())
    uid, recurrence_id = meeting.uid, None
    series, day = (meeting.series if attendees and meeting.series_id else None), meeting.occurrence_date
    if series is not None and day is not None and _rule_instance(series, series_rule(series), day):
        uid = series.uid
        recurrence_id = _rule_time(day, series_clock(series), zone(meeting.group))
    return ical.EventInfo(
        uid=uid,
        recurrence_id=recurrence_id,
        sequence=sequence,
        starts_at=meeting.starts_at,
        minutes=meeting.minutes,
        title=meeting.title,
        place=meeting.place,
        invitation=_invitation(meeting),
        agenda=agenda,
        attendees=invitees(meeting) if attendees else (),
    )


def _invitation(row) -> ical.Invitation:
    return ical.Invitation(
        intent=row.intent,
        benefit=row.benefit,
        topics=row.topics,
        time_needed=row.time_needed,
        opt_out=row.opt_out,
    )


def _agendas(meetings: list[Meeting]) -> dict[int, tuple[ical.AgendaLine, ...]]:
    """Each meeting's agenda in order, in one query."""
    if not meetings:
        return {}
    lines: dict[int, list[ical.AgendaLine]] = {}
    query = (
        AgendaItem.select(AgendaItem, Member)
        .join(Member, join_type=JOIN.LEFT_OUTER, on=(AgendaItem.member == Member.id))
        .where(AgendaItem.meeting.in_([meeting.id for meeting in meetings]))
        .order_by(AgendaItem.meeting, AgendaItem.position, AgendaItem.id)
    )
    for item in query:
        label = item.title or KIND_LABELS.get(item.kind, item.kind)
        if item.member_id and item.member.name not in label:
            label = f"{label} — {item.member.name}"
        lines.setdefault(item.meeting_id, []).append(ical.AgendaLine(label, item.minutes))
    return {key: tuple(value) for key, value in lines.items()}


def _all_series(group: Group) -> list[MeetingSeries]:
    return list(
        MeetingSeries.select().where(MeetingSeries.group == group).order_by(MeetingSeries.starts_on, MeetingSeries.id)
    )


def series_info(series: MeetingSeries) -> ical.SeriesInfo | None:
    """One series as a recurring event; None if its rule gives no date at all."""
    rule, clock, tz = series_rule(series), series_clock(series), zone(series.group)
    if series.ends_on:
        days = list(rule.dates(series.starts_on, series.ends_on))
        if not days:
            return None
        first, last = days[0], days[-1]
    else:
        first, last = next(rule.dates(series.starts_on)), None
    occurrences = list(Meeting.select().where(Meeting.series == series).order_by(Meeting.occurrence_date))
    # The dates the rule gives (from the series' start, as its INTERVAL counts), once.
    stored = [meeting.occurrence_date for meeting in occurrences if meeting.occurrence_date]
    instances = set(rule.dates(series.starts_on, max(stored))) if stored else set()
    # The series' own text is what most of its occurrences say, so few need an override.
    usual = Counter(_invitation(meeting) for meeting in occurrences).most_common(1)
    invitation = usual[0][0] if usual else ical.Invitation(**invitation_defaults(series.group))

    exdates, overrides, gone_sequences = [], [], 0
    for meeting in occurrences:
        day = meeting.occurrence_date
        if day is None or day not in instances or day < first or (last and day > last):
            continue  # not an instance of the rule, so nothing a RECURRENCE-ID could name
        named, rule_start = _rule_time(day, clock, tz), local_start(day, clock, tz)
        if meeting.status in GONE:
            exdates.append(named)
            gone_sequences += meeting.sequence
            continue
        event = ical.EventInfo(
            uid=series.uid,
            sequence=meeting.sequence,
            starts_at=meeting.starts_at,
            minutes=meeting.minutes,
            title=meeting.title,
            place=meeting.place,
            invitation=_invitation(meeting),
        )
        # Readers differ on the wall times of an occurrence a DST change is in the way of
        # (a start the clocks skip, an end after they change): it says its start and end.
        # Instants are compared in UTC: in the repeated hour a local time never equals a
        # datetime of another zone (PEP 495).
        differs = (
            ical.off_the_clock(named, meeting.minutes)
            or event.starts_at.astimezone(UTC) != rule_start.astimezone(UTC)
            or event.minutes != series.minutes
            or event.title != series.title
            or event.place != series.place
            or event.invitation != invitation
        )
        if differs:
            overrides.append(ical.Override(named, event))
    master = ical.EventInfo(
        uid=series.uid,
        # An importer keeps its copy unless SEQUENCE rises; a new EXDATE must count.
        sequence=series.sequence + gone_sequences,
        starts_at=_rule_time(first, clock, tz),
        minutes=series.minutes,
        title=series.title,
        place=series.place,
        invitation=invitation,
    )
    return ical.SeriesInfo(
        master=master,
        rrule=rule.text,
        until=_latest_reading(last, clock, tz) if last else None,
        exdates=tuple(exdates),
        overrides=tuple(overrides),
    )


def _rule_instance(series: MeetingSeries, rule, day: date | None) -> bool:
    """Whether `day` is one of the series' own dates (what a RECURRENCE-ID can name), its
    INTERVAL counted from the series' start."""
    if day is None or day < series.starts_on or (series.ends_on is not None and day > series.ends_on):
        return False
    return day in set(rule.dates(series.starts_on, day))


def _rule_time(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """An occurrence as the series' RRULE names it: the rule's wall-clock time on `day`.

    The RRULE repeats DTSTART's wall time, so DTSTART, EXDATE and RECURRENCE-ID must say
    02:30 even on the night the clocks skip 02:30 (the meeting then starts at 03:30):
    written as its real start, DTSTART would move every later month, and an EXDATE or a
    RECURRENCE-ID would name no occurrence.
    """
    return datetime.combine(day, clock, tzinfo=tz)


def _latest_reading(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """The later of the two instants a wall time can mean around a DST change (the UNTIL):
    a reader that takes a repeated 02:30 for the second one still finds the last meeting."""
    wall = datetime.combine(day, clock)
    return max(wall.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1))


def _refuse_gone(meeting: Meeting) -> None:
    if meeting.status in GONE:
        day = meeting.starts_at.astimezone(zone(meeting.group)).date().isoformat()
        raise UserError(f"the meeting on {day} is {meeting.status}: export its cancellation with --cancel")


def _same_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, monthrange(year, month)[1]))


# -- replies -----------------------------------------------------------------------------


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
    method = _shown(calendar.get("METHOD", "")).upper()
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
                raise UserError(f"the reply to {_shown(meeting.uid)} names no attendee")
        except UserError as error:
            problems.append(str(error))
            continue
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            try:
                member = _replying_member(group, attendee)
            except UserError as error:
                problems.append(str(error))
                continue
            partstat = _shown(getattr(attendee, "params", {}).get("PARTSTAT", "NEEDS-ACTION")).upper()
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


def _shown(value: object, limit: int = 80) -> str:
    """Text from a reply, for a message: one line, no control characters, not too long."""
    text = tidy(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse(data: bytes) -> Calendar:
    try:
        calendars = Calendar.from_ical(data, multiple=True)
    except ValueError as error:
        reason = (str(error).strip().splitlines() or ["unreadable"])[0]
        raise UserError(f"this is not an iCalendar file: {reason}") from None
    if len(calendars) != 1:
        raise UserError("this is not an iCalendar file with one VCALENDAR")
    return calendars[0]


def _replied_meeting(group: Group, vevent) -> Meeting:
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
        raise UserError(f"the reply answers the series {_shown(uid)} on {day.isoformat()}, when it has no meeting")
    if series is not None:
        raise UserError(f"the reply answers the whole series {_shown(uid)}: answer a meeting's own invite")
    raise UserError(f"the reply is for an event {group.name} did not send (UID {_shown(uid)})")


def _occurrence_day(group: Group, vevent) -> date:
    """The local date a RECURRENCE-ID names; UserError for any other form of it (a
    period, a duration, a date that does not parse or is out of range)."""
    raw = vevent.get("RECURRENCE-ID")
    try:
        written = _shown(raw.to_ical().decode("utf-8", "replace"))
    except Exception:  # a value icalendar kept as it came
        written = _shown(raw)
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


def _sequence(vevent) -> int:
    try:
        return int(vevent.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return 0  # a malformed SEQUENCE: treat the reply as answering the first invite


def _replying_member(group: Group, attendee) -> Member:
    address = tidy(unquote(str(attendee)))
    email = address[len("mailto:") :] if address.lower().startswith("mailto:") else address
    if "@" not in email:
        raise UserError(f"the reply's attendee “{_shown(address)}” is not an email address")
    try:
        return find_member(group, email)
    except NotFound:
        raise UserError(f"the reply is from {_shown(email)}, who is not a member of {group.name}") from None
