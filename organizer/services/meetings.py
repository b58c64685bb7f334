"""Meetings: the series (any cadence), its occurrences, one-off meetings, RSVPs and attendance.

A series' occurrences are stored as Meeting rows (each with its own stable UID, SEQUENCE,
RSVPs and attendance) up to the series' end or, for an open-ended one, a horizon ahead
of today, extended by `extend_series` as time passes. A one-off meeting is a Meeting without a series.

Every material change raises the meeting's SEQUENCE, so calendars replace the old
invite: its time (start or length), place, title and status. The five invitation fields
and the notes are not material (no SEQUENCE change). Changing a series from a date on
lives in `services.series_changes`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

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
from organizer.services.errors import NotFound, UserError, ValidationError
from organizer.services.groups import local_today, zone
from organizer.services.recurrence import MonthlyRule, Rule, local_start, parse_clock, rule_from_text
from organizer.services.text import tidy

HORIZON_DAYS = 400  # open-ended series are kept materialized about a year ahead
MAX_AHEAD_DAYS = 10 * 366  # and on request (`meetings --to`) up to ten years
INVITATION_FIELDS = ("intent", "benefit", "topics", "time_needed", "opt_out")
# How forms, invites and the recap name the five fields.
INVITATION_LABELS = {
    "intent": "What it is for",
    "benefit": "What you get from it",
    "topics": "What we will discuss",
    "time_needed": "Time needed",
    "opt_out": "Can't make it?",
}
# What `update_meeting` may change; the first three are material (they raise SEQUENCE).
MATERIAL_FIELDS = ("title", "place", "minutes")
EDITABLE = MATERIAL_FIELDS + INVITATION_FIELDS + ("notes",)
# Meetings that happen (or happened): the others are skipped or cancelled.
LIVE_STATUSES = ("scheduled", "held")
MIN_MINUTES, MAX_MINUTES = 15, 24 * 60


def new_uid() -> str:
    import uuid  # with `platform` behind it: not needed until something is created

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


DEFAULT_FIELDS = {
    "intent": "default_intent",
    "benefit": "default_benefit",
    "topics": "default_topics",
    "time_needed": "default_time_needed",
    "opt_out": "default_out",
}


def update_invitation_defaults(group: Group, *, now: datetime, **fields: str) -> int:
    """Change the group's defaults for the five invitation fields.

    Scheduled meetings still ahead that kept the old default of a field take the new one
    (what a meeting was given of its own stays); returns how many meetings changed.
    """
    unknown = set(fields) - set(INVITATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown invitation fields: {', '.join(sorted(unknown))}")
    clean, errors = meeting_problems(fields)
    if errors:
        raise ValidationError(errors)
    old = invitation_defaults(group)
    changed: set[int] = set()
    with database.atomic():
        for field, value in clean.items():
            if value == old[field]:
                continue
            column = getattr(Meeting, field)
            ahead = Meeting.select(Meeting.id).where(
                (Meeting.group == group)
                & (Meeting.status == "scheduled")
                & (Meeting.starts_at >= now)
                & (column == old[field])
            )
            ids = [row.id for row in ahead]
            if ids:
                Meeting.update({column: value, Meeting.updated_at: now}).where(Meeting.id.in_(ids)).execute()
                changed.update(ids)
            setattr(group, DEFAULT_FIELDS[field], value)
        group.save()
    return len(changed)


def fill_time_needed(group: Group, *, at: str, minutes: int) -> None:
    """Word the group's default "time needed" from its first series, if it says nothing yet."""
    if group.default_time_needed:
        return
    start = datetime.combine(date(2000, 1, 1), parse_clock(at))
    end = start + timedelta(minutes=minutes)
    group.default_time_needed = f"{minutes} minutes, {start:%H:%M}–{end:%H:%M}."
    group.save()


_CLOCK = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")


def fit_time_needed(text: str, *, was: datetime, was_minutes: int, now_at: datetime, minutes: int) -> str:
    """ "Time needed" worded for a meeting at `was` (local) for `was_minutes`, reworded for
    one at `now_at` for `minutes`: the end becomes the new end, every other clock time moves
    with the start ("breakfast from 07:15" an hour later too), and "90 minutes" the length.
    Text that names no time or length stays as written."""
    if not text or (was == now_at and was_minutes == minutes):
        return text
    shift = now_at - was
    old_end = (was + timedelta(minutes=was_minutes)).strftime("%H:%M")
    new_end = (now_at + timedelta(minutes=minutes)).strftime("%H:%M")

    def moved(match: re.Match) -> str:
        clock = f"{int(match[1]):02d}:{match[2]}"
        if clock == old_end:
            return new_end
        moment = datetime.combine(was.date(), time(int(match[1]), int(match[2]))) + shift
        return moment.strftime("%H:%M")

    text = _CLOCK.sub(moved, text)
    return re.sub(rf"\b{was_minutes} minutes\b", f"{minutes} minutes", text)


def unlabelled(name: str, value: str) -> str:
    """An invitation field's text under its label, without the label said again: "Can't make
    it? No reply needed" under "Can't make it?" reads "No reply needed"."""
    label = INVITATION_LABELS[name]
    if value.casefold().startswith(label.casefold()):
        return value[len(label) :].lstrip(" :—-–").strip() or value
    return value


def invitation_gaps(meeting: Meeting) -> list[str]:
    """The invitation fields this meeting leaves unsaid, by their labels."""
    return [INVITATION_LABELS[field] for field in INVITATION_FIELDS if not getattr(meeting, field).strip()]


def invitee_count(group: Group) -> int:
    """Whom an invite goes to: active members with an email."""
    return Member.select().where((Member.group == group) & (Member.status == "active") & (Member.email != "")).count()


def create_series(
    group: Group,
    *,
    rule: Rule,
    at: str,
    minutes: int,
    starts_on: date,
    ends_on: date | None = None,
    place: str = "",
    title: str = "",
    now: datetime,
) -> MeetingSeries:
    """Create a series and its occurrences (up to the horizon if it has no end)."""
    with database.atomic():
        series = insert_series(
            group,
            rule=rule,
            at=at,
            minutes=minutes,
            starts_on=starts_on,
            ends_on=ends_on,
            place=tidy(place) or group.default_place,
            title=tidy(title) or f"{group.name} {'monthly ' if rule.one_a_month else ''}meeting",
            now=now,
        )
        extend_series(series, now=now)
    return series


def insert_series(
    group: Group,
    *,
    rule: Rule,
    at: str,
    minutes: int,
    starts_on: date,
    ends_on: date | None,
    place: str,
    title: str,
    now: datetime,
) -> MeetingSeries:
    """Check and store a series row, without its occurrences (the caller's transaction)."""
    clock = parse_clock(at)
    errors: dict[str, str] = {}
    minutes = minutes_problem(minutes, errors)
    if ends_on is not None and ends_on < starts_on:
        errors["until"] = "the series ends after it starts"
    elif ends_on is not None and next(rule.dates(starts_on, ends_on), None) is None:
        errors["until"] = f"no {rule.describe()} falls between {starts_on} and {ends_on}"
    elif rule.anchor(starts_on) is None:
        errors["rule"] = f"“{rule.describe()}” gives no date in the two years from {starts_on}"
    if errors:
        raise ValidationError(errors)
    ordinal, weekday = rule.nth_weekday() or (0, 0)  # the version-3 columns, kept filled
    return MeetingSeries.create(
        group=group,
        rrule=rule.text,
        ordinal=ordinal,
        weekday=weekday,
        start_time=clock.strftime("%H:%M"),
        minutes=minutes,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        title=title,
        uid=new_uid(),
        created_at=now,
    )


def minutes_problem(minutes: object, errors: dict[str, str], field: str = "minutes") -> int | None:
    """A meeting's length in whole minutes, or a message in `errors`."""
    try:
        value = int(str(minutes).strip())
    except ValueError:
        errors[field] = "the length is a whole number of minutes"
        return None
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        errors[field] = "a meeting lasts between 15 minutes and 24 hours"
        return None
    return value


def series_rule(series: MeetingSeries) -> Rule:
    """The series' rule (its RRULE; a row from before schema 4 that has none: its nth weekday)."""
    if series.rrule:
        return rule_from_text(series.rrule)
    return MonthlyRule(series.ordinal, series.weekday)


def series_clock(series: MeetingSeries) -> time:
    return parse_clock(series.start_time)


def extend_series(series: MeetingSeries, *, now: datetime, through: date | None = None) -> int:
    """Store occurrences not stored yet, up to the series' end; returns how many.

    An open-ended series is stored up to the horizon: about a year past today, or past the
    series' start if that is later, or up to `through` when that is later still (someone
    asked for the meetings of a later date; at most MAX_AHEAD_DAYS ahead). One with an end
    is stored whole, so `meetings` lists (and `skip` finds) every meeting its `--until`
    promises.
    """
    group = series.group
    today = local_today(group, now)
    horizon = max(today, series.starts_on) + timedelta(days=HORIZON_DAYS)
    if through is not None:
        horizon = max(horizon, min(through, today + timedelta(days=MAX_AHEAD_DAYS)))
    until = series.ends_on or horizon
    have = {row.occurrence_date for row in Meeting.select(Meeting.occurrence_date).where(Meeting.series == series)}
    missing = [day for day in series_rule(series).dates(series.starts_on, until) if day not in have]
    if not missing:
        return 0  # the usual case, on every look at the list: no write, no lock taken
    with database.atomic():
        for day in missing:
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
    return len(missing)


def extend_all(group: Group, *, now: datetime, through: date | None = None) -> int:
    """Keep every open series of the group materialized up to the horizon (or `through`)."""
    return sum(
        extend_series(series, now=now, through=through)
        for series in MeetingSeries.select().where(MeetingSeries.group == group)
    )


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
    minutes = minutes_problem(minutes, errors)
    if errors:
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
            minutes=minutes,
        )
    with database.atomic():
        _refuse_clash(group, starts_at)
        return Meeting.create(
            group=group,
            series=None,
            occurrence_date=None,
            starts_at=starts_at,
            minutes=minutes,
            place=tidy(place) or group.default_place,
            title=tidy(title) or f"{group.name} meeting",
            uid=new_uid(),
            created_at=now,
            updated_at=now,
            **fields,
        )


def local_date(meeting: Meeting) -> date:
    """The meeting's date where the group meets."""
    return meeting.starts_at.astimezone(zone(meeting.group)).date()


def _day_bounds(group: Group, day: date) -> tuple[datetime, datetime]:
    tz = zone(group)
    return local_start(day, time(0, 0), tz), local_start(day + timedelta(days=1), time(0, 0), tz)


def _live_first(meetings: list[Meeting]) -> Meeting | None:
    """Of several meetings, one that happens (scheduled or held) before a skipped or cancelled one."""
    meetings.sort(key=lambda m: (m.status not in LIVE_STATUSES, m.starts_at))
    return meetings[0] if meetings else None


def occurrence(group: Group, day: date) -> Meeting:
    """The meeting on local date `day` (its current date, or its series date if moved)."""
    start, end = _day_bounds(group, day)
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
        query = query.where(Meeting.starts_at >= _day_bounds(group, start)[0])
    if end is not None:
        query = query.where(Meeting.starts_at < _day_bounds(group, end)[1])
    return list(query.order_by(Meeting.starts_at, Meeting.id))


def _refuse_clash(group: Group, starts_at: datetime, moving: Meeting | None = None) -> None:
    """Refuse a second meeting that happens on the same local day: dates name meetings."""
    day = starts_at.astimezone(zone(group)).date()
    start, end = _day_bounds(group, day)
    query = Meeting.select().where(
        (Meeting.group == group)
        & (Meeting.starts_at >= start)
        & (Meeting.starts_at < end)
        & (Meeting.status.in_(LIVE_STATUSES))
    )
    if moving is not None:
        query = query.where(Meeting.id != moving.id)
    other = query.first()
    if other is not None:
        raise UserError(f"there is already a meeting on {day.isoformat()} (“{other.title}”)")


def _refuse_if_held(meeting: Meeting, doing: str) -> None:
    if meeting.status == "held":
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} was held: it cannot be {doing}")


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
    cancelled meeting that is rescheduled is on again (scheduled).
    """
    _refuse_if_held(meeting, "moved")
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
            _refuse_clash(meeting.group, starts_at, moving=meeting)
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


def find_meeting(group: Group, meeting_id: int | None) -> Meeting | None:
    """The group's meeting `meeting_id`, or None (none chosen, or gone)."""
    if meeting_id is None:
        return None
    return Meeting.get_or_none((Meeting.id == meeting_id) & (Meeting.group == group))


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


def meeting_problems(values: dict) -> tuple[dict, dict[str, str]]:
    """Clean and check a meeting's editable fields; returns (clean values, {field: message})."""
    clean: dict = {}
    errors: dict[str, str] = {}
    for field in EDITABLE:
        if field in values and field != "minutes":
            clean[field] = tidy(values[field])
    if "title" in clean and not clean["title"]:
        errors["title"] = "a meeting needs a title"
    elif len(clean.get("title", "")) > 200:
        errors["title"] = "a title is at most 200 characters"
    for field in ("place",) + INVITATION_FIELDS:
        if len(clean.get(field, "")) > 2000:
            errors[field] = "at most 2,000 characters"
    if "minutes" in values:
        clean["minutes"] = minutes_problem(values["minutes"], errors)
    return clean, errors


def update_meeting(meeting: Meeting, *, now: datetime, **changes) -> Meeting:
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


def skip_occurrence(meeting: Meeting, *, now: datetime) -> Meeting:
    """Mark one occurrence skipped (a holiday): it stays, as an EXDATE for calendars."""
    _refuse_if_held(meeting, "skipped")
    return _set_status(meeting, "skipped", now=now)


def cancel_meeting(meeting: Meeting, *, now: datetime) -> Meeting:
    """Call one meeting off: it stays, STATUS:CANCELLED for calendars, SEQUENCE +1."""
    _refuse_if_held(meeting, "cancelled")
    return _set_status(meeting, "cancelled", now=now)


def reinstate(meeting: Meeting, *, now: datetime) -> Meeting:
    """Put a skipped or cancelled meeting back on, at the time it has."""
    _refuse_if_held(meeting, "put back on")
    _refuse_clash(meeting.group, meeting.starts_at, moving=meeting)
    return _set_status(meeting, "scheduled", now=now)


def mark_held(meeting: Meeting, *, now: datetime) -> Meeting:
    return _set_status(meeting, "held", now=now, material=False)


def finish_meeting(meeting: Meeting, *, now: datetime) -> Meeting:
    """End a meeting: it becomes held, and active members not checked in are marked absent.

    Marking the absences makes the record explicit, so a later change (someone forgot to
    check in) is kept as an AttendanceCorrection. A one-off meeting (a social, an extra
    session) is nobody's duty: only who came is recorded, no one is marked absent.
    """
    if meeting.status != "scheduled":
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} is {meeting.status}, not scheduled")
    if local_date(meeting) > local_today(meeting.group, now):
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} has not happened yet")
    with database.atomic():
        recorded = {row.member_id: row for row in Attendance.select().where(Attendance.meeting == meeting)}
        for member in absent_on_finish(meeting):
            row = recorded.get(member.id)
            if row is None:
                Attendance.create(meeting=meeting, member=member, presence="absent", updated_at=now)
            else:
                row.presence = "absent"
                row.updated_at = now
                row.save()
        mark_held(meeting, now=now)
    return meeting


def absent_on_finish(meeting: Meeting) -> list[Member]:
    """Whom finishing `meeting` now marks absent, by name: active members who had joined by
    its date and are not checked in; nobody for a one-off meeting (see finish_meeting)."""
    if meeting.series_id is None:
        return []
    day = local_date(meeting)
    recorded = {
        row.member_id: row.presence
        for row in Attendance.select(Attendance.member, Attendance.presence).where(Attendance.meeting == meeting)
    }
    members = Member.select().where((Member.group == meeting.group) & (Member.status == "active"))
    return [
        member
        for member in members.order_by(Member.name, Member.id)
        if not (member.joined_on and member.joined_on > day) and recorded.get(member.id) is None
    ]


def _set_status(meeting: Meeting, status: str, *, now: datetime, material: bool = True) -> Meeting:
    if meeting.status == status:
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} is already {status}")
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
        .where(
            (Meeting.group == group) & (Meeting.status == "scheduled") & (Meeting.starts_at >= now - timedelta(days=1))
        )
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
    if meeting.status in ("skipped", "cancelled"):
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} is {meeting.status}: nobody attends it")
    if presence is not None and presence not in PRESENCE_STATES:
        raise ValidationError.single("presence", "attendance is one of " + ", ".join(PRESENCE_STATES))
    if presence == "substitute" and not substitute_name:
        raise ValidationError.single("substitute_name", "name the substitute who came instead")
    with database.atomic():
        row = _attendance(meeting, member, now)
        if meeting.status == "held" and row.presence != presence:
            AttendanceCorrection.create(
                attendance=row,
                at=now,
                actor=actor,
                old_presence=row.presence,
                new_presence=presence,
                reason=tidy(reason),
            )
        row.presence = presence
        row.substitute_name = substitute_name if presence == "substitute" else ""
        row.updated_at = now
        row.save()
    return row


def get_meeting(meeting_id: int) -> Meeting:
    """A meeting as stored now (a screen reads it again after a change)."""
    meeting = Meeting.get_or_none(Meeting.id == meeting_id)
    if meeting is None:
        raise NotFound(f"no meeting with id {meeting_id}")
    return meeting


def answer_and_attend(
    meeting: Meeting,
    member: Member,
    *,
    now: datetime,
    rsvp: str | None = None,
    presence: tuple[str | None, str] | None = None,
    actor: Member | None = None,
    reason: str = "",
) -> None:
    """A member's RSVP and attendance changed together, or not at all (one form saves both).

    `presence` is (presence, substitute's name), or None to leave attendance as it is.
    """
    with database.atomic():
        if rsvp is not None:
            set_rsvp(meeting, member, rsvp, now=now)
        if presence is not None:
            set_presence(meeting, member, presence[0], now=now, substitute_name=presence[1], actor=actor, reason=reason)
