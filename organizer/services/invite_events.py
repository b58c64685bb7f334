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
from organizer.rows import row_tuples
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
    members = row_tuples(
        Member.select(Member.id, Member.name, Member.email)
        .where((Member.group == meeting.group_id) & (Member.status == "active") & (Member.email != ""))
        .order_by(Member.name, Member.id)
    )
    return tuple(ical.Invitee(name, email, rsvps.get(member_id, "needs_action")) for member_id, name, email in members)


def meeting_event(
    meeting: Meeting,
    *,
    attendees: bool = False,
    cancel: bool = False,
    agenda: tuple[ical.AgendaLine, ...] | None = None,
    names: dict[int, tuple[str, datetime]] | None = None,
) -> ical.EventInfo:
    """The meeting as an event. One meeting of a series is named as the series file names
    it, in an invite, a cancellation and the feed alike: the series' UID and the
    RECURRENCE-ID of its slot (`series_names`; pass them in for many meetings at once)."""
    sequence = meeting.sequence
    if cancel and meeting.status not in GONE:
        sequence += 1  # what cancelling the meeting raises it to; calendars need the rise
    if agenda is None:
        agenda = agendas_of([meeting]).get(meeting.id, ())
    if names is None:
        names = series_names([meeting])
    uid, recurrence_id = names.get(meeting.id, (meeting.uid, None))
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


def series_names(meetings: list[Meeting]) -> dict[int, tuple[str, datetime]]:
    """How calendars name each meeting that is one of its series' own dates: the series'
    UID and the RECURRENCE-ID of its slot (the rule's start on that date, even if the
    meeting moved). A one-off meeting, or one whose date the rule no longer gives, keeps
    its own UID and is not here. Each series' dates are worked out once."""
    by_series: dict[int, list[tuple[Meeting, date]]] = {}
    for meeting in meetings:
        if meeting.series_id is not None and meeting.occurrence_date is not None:
            by_series.setdefault(meeting.series_id, []).append((meeting, meeting.occurrence_date))
    names: dict[int, tuple[str, datetime]] = {}
    for series in MeetingSeries.select().where(MeetingSeries.id.in_(list(by_series))):
        rule, clock, tz = series_rule(series), series_clock(series), zone(series.group)
        last = max(day for _, day in by_series[series.id])
        if series.ends_on is not None:
            last = min(last, series.ends_on)
        # Its own dates, INTERVAL counted from the series' start: what a RECURRENCE-ID can name.
        own = set(rule.dates(series.starts_on, last)) if last >= series.starts_on else set()
        for meeting, day in by_series[series.id]:
            if day in own:
                names[meeting.id] = (series.uid, _rule_time(day, clock, tz))
    return names


def invitation_of(row: Meeting) -> ical.Invitation:
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
        member = item.member
        if member is not None and member.name not in label:
            label = f"{label} — {member.name}"
        lines.setdefault(item.meeting_id, []).append(ical.AgendaLine(label, item.minutes))
    return {key: tuple(value) for key, value in lines.items()}


def all_series(group: Group) -> list[MeetingSeries]:
    return list(
        MeetingSeries.select().where(MeetingSeries.group == group).order_by(MeetingSeries.starts_on, MeetingSeries.id)
    )


def series_info(
    series: MeetingSeries,
    *,
    since: date | None = None,
    agendas: dict[int, tuple[ical.AgendaLine, ...]] | None = None,
) -> ical.SeriesInfo | None:
    """One series as a recurring event; None if its rule gives no date at all (from `since`).

    With `since` (the feed's window), the event starts at the rule's first date on or after
    it; with `agendas`, a meeting with an agenda is an override that carries it."""
    rule, clock, tz = series_rule(series), series_clock(series), zone(series.group)
    days = rule.dates(series.starts_on, series.ends_on) if series.ends_on else rule.dates(series.starts_on)
    first = next((day for day in days if since is None or day >= since), None)
    if first is None:
        return None
    last = max(rule.dates(series.starts_on, series.ends_on)) if series.ends_on else None
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
        if day is None or day not in instances or day < series.starts_on or (last and day > last):
            continue  # not an instance of the rule, so nothing a RECURRENCE-ID could name
        if meeting.status in GONE:
            # Counted before the window is: the SEQUENCE never falls as the window moves on.
            gone_sequences += meeting.sequence
        if day < first:
            continue
        named, rule_start = _rule_time(day, clock, tz), local_start(day, clock, tz)
        if meeting.status in GONE:
            exdates.append(named)
            continue
        event = ical.EventInfo(
            uid=series.uid,
            sequence=meeting.sequence,
            starts_at=meeting.starts_at,
            minutes=meeting.minutes,
            title=meeting.title,
            place=meeting.place,
            invitation=invitation_of(meeting),
            agenda=agendas.get(meeting.id, ()) if agendas else (),
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
            or bool(event.agenda)
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
