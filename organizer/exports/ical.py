"""iCalendar files for the group's meetings (RFC 5545 / 5546): pure, plain data in, bytes out.

- `request`: one meeting as METHOD:REQUEST, with the ORGANIZER and one ATTENDEE per invitee;
- `cancellation`: the same meeting as METHOD:CANCEL, STATUS:CANCELLED (the caller raises SEQUENCE);
- `series_calendar`: each series (any cadence) as one VEVENT with an RRULE, an EXDATE per skipped or
  cancelled occurrence and an overriding VEVENT (RECURRENCE-ID) per occurrence that differs;
- `feed`: METHOD:PUBLISH of the meetings for calendar subscription: each series as in
  `series_calendar` (from the window's first date, overrides carrying their agendas), the
  other meetings one by one under their own UIDs.

Every event has its stable UID, DTSTAMP from the caller's clock, SEQUENCE, DTSTART / DTEND
with the TZID of the group's zone (whose VTIMEZONE, in yearly-RRULE form, comes from
`vtimezone`), SUMMARY, LOCATION, a plain-text DESCRIPTION with the five invitation fields
and the agenda, and one display VALARM. There is no calendar-level UID (RFC 7986's is
rejected by some importers). Text is escaped here (`Text`: icalendar 7.3's writer turns a
typed `\\N` into a line break) and lines are folded at 75 octets without splitting a
character; users' text is first cleaned of control characters, which iCalendar does not
allow and some readers would take for line breaks. An invite for one meeting of a series
carries the series' UID and the occurrence's RECURRENCE-ID, and so does the feed, so a
calendar holding the series file or the feed and the invite shows that meeting once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress, vRecur, vText

from organizer.exports.vtimezone import vtimezone

PRODID = "-//Organizer//Organizer meetings//EN"
PARTSTAT = {
    "needs_action": "NEEDS-ACTION",
    "accepted": "ACCEPTED",
    "tentative": "TENTATIVE",
    "declined": "DECLINED",
}
FIELDS = ("intent", "benefit", "topics", "time_needed", "opt_out")
# Every character that some reader takes for the end of a line.
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# The other control characters (Unicode Cc but tab and line feed) and lone surrogates.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class Invitee:
    name: str
    email: str
    rsvp: str = "needs_action"  # one of PARTSTAT's keys


@dataclass(frozen=True)
class GroupInfo:
    name: str
    timezone: str  # IANA name
    organizer: Person
    reminder_minutes: int | None = 1440  # None: no VALARM
    # How the five invitation fields are named in the DESCRIPTION (the app's own labels).
    field_labels: tuple[tuple[str, str], ...] = tuple((name, name) for name in FIELDS)


@dataclass(frozen=True)
class Invitation:
    """The five fields every invite states."""

    intent: str = ""
    benefit: str = ""
    topics: str = ""
    time_needed: str = ""
    opt_out: str = ""


@dataclass(frozen=True)
class AgendaLine:
    title: str
    minutes: int = 0


@dataclass(frozen=True)
class EventInfo:
    uid: str
    sequence: int
    starts_at: datetime  # aware
    minutes: int
    title: str
    place: str = ""
    invitation: Invitation = Invitation()
    agenda: tuple[AgendaLine, ...] = ()
    attendees: tuple[Invitee, ...] = ()
    # One occurrence of a series (then `uid` is the series'): its start under the rule.
    recurrence_id: datetime | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Override:
    """One occurrence of a series that differs from the rule: moved, longer, elsewhere…"""

    recurrence_id: datetime  # the occurrence's start under the rule (aware)
    event: EventInfo


@dataclass(frozen=True)
class SeriesInfo:
    """A series. The master's start, the EXDATEs and the RECURRENCE-IDs are the rule's wall
    times in the group's zone (02:30 even on the night the clocks skip it), since an RRULE
    repeats DTSTART's wall time. An occurrence that a DST change is in the way of
    (`off_the_clock`) comes as an override too, with its real start and end; if it is the
    first, the master says DURATION instead of DTEND."""

    master: EventInfo  # the first occurrence under the rule; its UID is the series'
    rrule: str  # the RRULE without UNTIL, e.g. FREQ=MONTHLY;BYDAY=2TU or FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
    until: datetime | None = None  # the last occurrence's start (its latest reading), if it ends
    exdates: tuple[datetime, ...] = ()  # skipped and cancelled occurrences, at the rule's time
    overrides: tuple[Override, ...] = field(default=())


# -- the four files ----------------------------------------------------------------------


def request(group: GroupInfo, event: EventInfo, now: datetime) -> bytes:
    """METHOD:REQUEST for one meeting, with an ATTENDEE per invitee."""
    calendar = _calendar(group, "REQUEST", _moments(event))
    calendar.add_component(_event(group, event, now, attendees=True))
    return _serialize(calendar)


def cancellation(group: GroupInfo, event: EventInfo, now: datetime) -> bytes:
    """METHOD:CANCEL for one meeting; `event.sequence` must be above the last one sent."""
    calendar = _calendar(group, "CANCEL", _moments(event))
    vevent = _event(group, event, now, attendees=True, alarm=False)
    vevent["STATUS"] = "CANCELLED"
    calendar.add_component(vevent)
    return _serialize(calendar)


def series_calendar(group: GroupInfo, series: list[SeriesInfo], now: datetime) -> bytes:
    """METHOD:PUBLISH of each series: an RRULE, its EXDATEs and its overriding occurrences."""
    calendar = _calendar(group, "PUBLISH", [moment for item in series for moment in _series_moments(item)])
    for item in series:
        _add_series(calendar, group, item, now)
    return _serialize(calendar)


def feed(group: GroupInfo, events: list[EventInfo], now: datetime, series: tuple[SeriesInfo, ...] = ()) -> bytes:
    """METHOD:PUBLISH of the group's meetings, named for the group (for a subscription).

    The meetings of a series come as the series file has them (the series' UID, an RRULE
    from the window's first date, EXDATEs, an override per meeting that differs or has an
    agenda), so an invite for one of them (the same UID and RECURRENCE-ID) replaces that
    occurrence instead of adding a second. A set of overrides without their master would
    name them alike, but CalDAV servers refuse it (Radicale: "Main component missing").
    Other meetings (`events`) come one by one under their own UIDs."""
    moments = [moment for event in events for moment in _moments(event)]
    moments += [moment for item in series for moment in _series_moments(item)]
    calendar = _calendar(group, "PUBLISH", moments or [now])
    calendar.add("x-wr-calname", Text(one_line(group.name)))
    for item in series:
        _add_series(calendar, group, item, now)
    for event in events:
        calendar.add_component(_event(group, event, now, attendees=bool(event.attendees)))
    return _serialize(calendar)


# -- the parts ---------------------------------------------------------------------------


def _add_series(calendar: Calendar, group: GroupInfo, series: SeriesInfo, now: datetime) -> None:
    calendar.add_component(_master(group, series, now))
    for override in series.overrides:
        vevent = _event(group, override.event, now)
        vevent.add("recurrence-id", _local(override.recurrence_id, group))
        calendar.add_component(vevent)


def _series_moments(series: SeriesInfo) -> list[datetime]:
    moments = [series.master.starts_at, series.master.ends_at, *series.exdates]
    moments += [series.until] if series.until else []
    for override in series.overrides:
        moments += [override.recurrence_id, override.event.starts_at, override.event.ends_at]
    return moments


def _moments(event: EventInfo) -> list[datetime]:
    """The instants an event names (for the years its VTIMEZONE must cover)."""
    moments = [event.starts_at, event.ends_at]
    return moments + [event.recurrence_id] if event.recurrence_id is not None else moments


def _calendar(group: GroupInfo, method: str, moments: list[datetime]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    zone = ZoneInfo(group.timezone)
    years = [moment.astimezone(zone).year for moment in moments]
    calendar.add_component(vtimezone(group.timezone, min(years), max(years)))
    return calendar


def _event(group: GroupInfo, event: EventInfo, now: datetime, *, attendees: bool = False, alarm: bool = True) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", now.astimezone(UTC))
    vevent.add("sequence", event.sequence)
    if event.recurrence_id is not None:
        vevent.add("recurrence-id", _local(event.recurrence_id, group))
    vevent.add("dtstart", _local(event.starts_at, group))
    vevent.add("dtend", _local(event.ends_at, group))
    vevent.add("summary", Text(one_line(event.title)))
    if place := one_line(event.place):
        vevent.add("location", Text(place))
    vevent.add("description", Text(plain_text(description(event, group))))
    vevent.add("status", "CONFIRMED")
    if group.organizer.email:
        vevent.add("organizer", _address(group.organizer.name, group.organizer.email))
    if attendees:
        for invitee in event.attendees:
            address = _address(invitee.name, invitee.email)
            address.params["CUTYPE"] = "INDIVIDUAL"
            address.params["ROLE"] = "REQ-PARTICIPANT"
            address.params["PARTSTAT"] = PARTSTAT.get(invitee.rsvp, "NEEDS-ACTION")
            address.params["RSVP"] = "TRUE"
            vevent.add("attendee", address, encode=False)
    if alarm and group.reminder_minutes is not None and group.reminder_minutes >= 0:
        vevent.add_component(_alarm(group.reminder_minutes, event.title))
    return vevent


def _master(group: GroupInfo, series: SeriesInfo, now: datetime) -> Event:
    vevent = _event(group, series.master, now)
    if off_the_clock(series.master.starts_at, series.master.minutes):
        # DTEND minus a start the clocks skip (or across a change) is a length readers
        # disagree on, and every occurrence takes it; a DURATION is the same for all.
        del vevent["DTEND"]
        vevent.add("duration", timedelta(minutes=series.master.minutes))
    rule = vRecur.from_ical(series.rrule)
    if series.until is not None:
        # With a TZID'd DTSTART, UNTIL must be UTC (RFC 5545 3.3.10): the last start (if it
        # is in the repeated hour of a DST change, its later reading; see SeriesInfo.until).
        rule["until"] = series.until.astimezone(UTC)
    vevent.add("rrule", vRecur(rule))
    # One EXDATE per date, with the TZID and the exact start of the occurrence it removes.
    for moment in sorted(series.exdates):
        vevent.add("exdate", _local(moment, group))
    return vevent


def off_the_clock(start: datetime, minutes: int) -> bool:
    """Whether a DST change is in the way of a wall-clock `start` (aware, in its zone) and
    `minutes`: the start does not exist (the clocks skip it), or they change before the end.

    Readers then differ on what its wall times mean: RFC 5545 reads a skipped 02:30 with the
    offset before the gap, dateutil with the one after; some add a length to the wall clock.
    """
    real = start.astimezone(UTC)
    wall = start.replace(tzinfo=None)
    return real.astimezone(start.tzinfo).replace(tzinfo=None) != wall or (real + timedelta(minutes=minutes)).astimezone(
        start.tzinfo
    ).replace(tzinfo=None) != wall + timedelta(minutes=minutes)


def _alarm(minutes: int, title: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -timedelta(minutes=minutes))
    alarm.add("description", Text(one_line(f"Reminder: {title}")))
    return alarm


def _address(name: str, email: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{one_line(email).replace(' ', '')}")
    if name := param_text(name):
        address.params["CN"] = vText(name)
    return address


def _local(moment: datetime, group: GroupInfo) -> datetime:
    """`moment` in the group's zone. One given in that zone keeps its wall time: a series'
    own occurrence can be a time the clocks skip (see `SeriesInfo`), which a round trip
    through UTC would move."""
    if getattr(moment.tzinfo, "key", None) == group.timezone:
        return moment
    return moment.astimezone(ZoneInfo(group.timezone))


def _serialize(calendar: Calendar) -> bytes:
    """The calendar's bytes, as `to_ical()` writes them but folded in one pass per line.

    icalendar folds character by character in Python, which alone cost most of the
    budget for 12 meetings × 100 attendees; this folds the UTF-8 bytes at 75 octets,
    stepping back to the start of a character so none is ever split.
    """
    out = bytearray()
    for line in calendar.content_lines():
        if line:
            out += _fold(line.encode("utf-8"))
    return bytes(out)


def _fold(line: bytes) -> bytes:
    if len(line) <= 75:
        return line + b"\r\n"
    pieces, start, limit = [], 0, 75
    while len(line) - start > limit:
        end = start + limit
        while line[end] & 0xC0 == 0x80:  # a continuation byte: the cut goes before its lead
            end -= 1
        pieces.append(line[start:end])
        start, limit = end, 74  # continuation lines start with a space
    pieces.append(line[start:])
    return b"\r\n ".join(pieces) + b"\r\n"


# -- text --------------------------------------------------------------------------------


class Text(vText):
    """A TEXT value escaped as RFC 5545 3.3.11 says: backslash first, then ; , and newline.

    icalendar 7.3.2's writer first turns a typed `\\N` into a line break (`C:\\New folder`
    came back on two lines); its reader is right, so only the writing is done here.
    """

    def to_ical(self) -> bytes:
        text = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return text.replace("\n", "\\n").encode("utf-8")


def description(event: EventInfo, group: GroupInfo) -> str:
    """The invite's plain text: the five fields, then the agenda with the time of each item."""
    paragraphs = []
    fields = []
    for name, label in group.field_labels:
        value = plain_text(getattr(event.invitation, name)).strip()
        if not value:
            continue
        if value.casefold().startswith(label.casefold()):
            fields.append(value)  # "Can't make it? No reply needed…" says its label itself
        else:
            fields.append(f"{label} {value}" if label.endswith(("?", ":")) else f"{label}: {value}")
    if fields:
        paragraphs.append("\n".join(fields))
    if event.agenda:
        clock = event.starts_at.astimezone(ZoneInfo(group.timezone))
        lines = ["Agenda:"]
        for item in event.agenda:
            length = f" ({item.minutes} min)" if item.minutes else ""
            lines.append(f"{clock:%H:%M}  {one_line(item.title)}{length}")
            clock += timedelta(minutes=item.minutes)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def plain_text(value: str) -> str:
    """Multi-line text fit for iCalendar: one kind of line break, no control characters."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value or ""))


def param_text(value: str) -> str:
    """A name fit for a parameter value (CN): one line, no double quote, no backslash.

    RFC 5545 allows neither a double quote (RFC 6868's ^' escape is not read by all) nor
    an escape in a parameter value, yet parsers (icalendar's among them) take a trailing
    backslash for one and run into the next parameter; look-alikes keep the name readable.
    """
    return one_line(value).replace('"', "'").replace("\\", "\uff3c")


def one_line(value: str) -> str:
    """One line of text (a SUMMARY, a LOCATION, a name): line breaks become spaces."""
    return " ".join(plain_text(value).split("\n")).strip()
