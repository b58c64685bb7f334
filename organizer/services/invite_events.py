"""Invites, from rows to the exporter's plain data: the group, a meeting as an event (with
its invitees and agenda), a series as a recurring event with its EXDATEs and overrides.

One meeting of a series is named as the series file names it (the series' UID and the
RECURRENCE-ID of its slot under the rule) in an invite and a cancellation, so a calendar
holding the series file and the invite shows it once.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from peewee import JOIN

from organizer.exports import ical
from organizer.models import AgendaItem, Attendance, Group, Meeting, MeetingSeries, Member
from organizer.services.agenda import KIND_LABELS
from organizer.services.groups import zone
from organizer.services.meeting_fields import INVITATION_LABELS, invitation_defaults
from organizer.services.meeting_series import series_clock, series_rule
from organizer.services.recurrence import local_start

GONE = ("skipped", "cancelled")  # occurrences that will not take place


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


def meeting_event(
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
        agenda = agendas_of([meeting]).get(meeting.id, ())
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
        invitation=invitation_of(meeting),
        agenda=agenda,
        attendees=invitees(meeting) if attendees else (),
    )


def invitation_of(row) -> ical.Invitation:
    return ical.Invitation(
        intent=row.intent,
        benefit=row.benefit,
        topics=row.topics,
        time_needed=row.time_needed,
        opt_out=row.opt_out,
    )


def agendas_of(meetings: list[Meeting]) -> dict[int, tuple[ical.AgendaLine, ...]]:
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


def all_series(group: Group) -> list[MeetingSeries]:
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
    usual = Counter(invitation_of(meeting) for meeting in occurrences).most_common(1)
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
            invitation=invitation_of(meeting),
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
