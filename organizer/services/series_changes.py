"""Changing the series from a date on, and `schedule`, which starts or replaces one.

How the iCal UIDs stay sensible: a series is never rewritten in place, because its UID
and RRULE also describe the meetings already held. Changing it from DATE on (the way
calendars do "this and following events"):

- the old series ends the day before DATE (its RRULE gains an UNTIL; its SEQUENCE rises);
- a new series, with a new UID, starts on DATE with the new rule, time, length, place
  and title;
- each stored meeting of the old series from DATE on moves to the new series, on the new
  rule's date in the same month, and keeps its own UID, RSVPs, agenda and status. Only
  what the change changed is applied to it: a new place does not undo a one-off move of
  that meeting's time. If its start, length, place or title changed, its SEQUENCE rises,
  so an invite already sent is replaced;
- an old meeting with no counterpart (the new rule's date in its month falls before DATE,
  or after the new series' end) is cancelled (SEQUENCE +1) and stays with the old series;
- months the new series covers and no meeting was stored for are created.

A held meeting on or after DATE refuses the change: what happened is not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum

from organizer.errors import UserError, ValidationError
from organizer.models import Group, Meeting, MeetingSeries, database
from organizer.services.groups import zone
from organizer.services.meetings import (
    create_series,
    extend_series,
    fill_time_needed,
    insert_series,
    local_date,
    minutes_problem,
    series_clock,
    series_rule,
)
from organizer.services.recurrence import Rule, local_start, parse_clock
from organizer.text import tidy
from organizer.wording import plural


class _Keep(Enum):
    KEEP = "keep"


_KEEP = _Keep.KEEP  # "leave the series' end as it is"


@dataclass
class SeriesChange:
    """What a schedule or a change did, for the command line and the app to report."""

    series: MeetingSeries  # the series that runs from the date on
    ended: list[MeetingSeries] = field(default_factory=list)  # series it replaced
    carried: int = 0  # stored meetings carried over to the new series
    changed: int = 0  # of those, how many changed (their SEQUENCE rose)
    moved: int = 0  # of those, how many start on another day or at another time
    updated: dict[str, int] = field(default_factory=dict)  # place, title, minutes: meetings changed
    cancelled: int = 0  # meetings with no counterpart under the new rule
    created: int = 0  # new meetings stored

    def summary(self) -> str:
        """What the change did to the stored meetings, as people say it: '3 meetings moved,
        place changed for 14 meetings, 1 cancelled, 2 added' (what did not happen is not said)."""
        parts = [f"{plural(self.moved, 'meeting')} moved"] if self.moved else []
        for name, what in (("place", "place"), ("title", "title"), ("minutes", "length")):
            if self.updated.get(name):
                parts.append(f"{what} changed for {plural(self.updated[name], 'meeting')}")
        if self.cancelled:
            parts.append(f"{self.cancelled} cancelled")
        if self.created:
            parts.append(f"{self.created} added")
        return ", ".join(parts) or "no stored meeting changed"


def overlapping_series(group: Group, starts_on: date, ends_on: date | None = None) -> list[MeetingSeries]:
    """The group's series that still run on `starts_on` or later (and start by `ends_on`)."""
    query = MeetingSeries.select().where(
        (MeetingSeries.group == group) & (MeetingSeries.ends_on.is_null() | (MeetingSeries.ends_on >= starts_on))
    )
    if ends_on is not None:
        query = query.where(MeetingSeries.starts_on <= ends_on)
    return list(query.order_by(MeetingSeries.starts_on, MeetingSeries.id))


def schedule(
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
) -> SeriesChange:
    """The group's monthly series from `starts_on` (the `schedule` command).

    A group meets on one monthly rule at a time: if its series already run on that date
    or later, the new one replaces them from `starts_on` on (see the module docstring),
    keeping their place and title unless new ones are given. Otherwise it is simply a new
    series.
    """
    running = overlapping_series(group, starts_on, ends_on)
    if not running:
        with database.atomic():  # the group's first series words its "time needed", or nothing does
            length = minutes_problem(minutes, {})
            if length is not None and _is_clock(at):
                fill_time_needed(group, at=at, minutes=length)
            series = create_series(
                group,
                rule=rule,
                at=at,
                minutes=minutes,
                starts_on=starts_on,
                ends_on=ends_on,
                place=place,
                title=title,
                now=now,
            )
        return SeriesChange(series=series, created=series.meetings.count())
    latest = running[-1]
    return _supersede(
        group,
        running,
        starts_on,
        now=now,
        rule=rule,
        at=at,
        minutes=minutes,
        place=tidy(place) or latest.place,
        title=tidy(title) or latest.title,
        ends_on=ends_on,
    )


def _is_clock(text: str) -> bool:
    try:
        parse_clock(text)
    except ValidationError:
        return False
    return True


def change_series_from(
    series: MeetingSeries,
    day: date,
    *,
    now: datetime,
    rule: Rule | None = None,
    at: str | None = None,
    minutes: int | None = None,
    place: str | None = None,
    title: str | None = None,
    ends_on: date | _Keep | None = _KEEP,
) -> SeriesChange:
    """Change `series` from local date `day` on; what is not given stays as it was."""
    return _supersede(
        series.group,
        [series],
        day,
        now=now,
        rule=rule or series_rule(series),
        at=at or series.start_time,
        minutes=series.minutes if minutes is None else minutes,
        place=series.place if place is None else tidy(place),
        title=tidy(title) or series.title,
        ends_on=series.ends_on if ends_on is _KEEP else ends_on,
    )


def _supersede(
    group: Group,
    olds: list[MeetingSeries],
    day: date,
    *,
    now: datetime,
    rule: Rule,
    at: str,
    minutes: int,
    place: str,
    title: str,
    ends_on: date | None,
) -> SeriesChange:
    with database.atomic():
        # The new series is checked first: a mistyped time is the first thing to say.
        new = insert_series(
            group,
            rule=rule,
            at=at,
            minutes=minutes,
            starts_on=day,
            ends_on=ends_on,
            place=place,
            title=title,
            now=now,
        )
        held = (
            Meeting.select()
            .where(Meeting.series.in_(olds) & (Meeting.occurrence_date >= day) & (Meeting.status == "held"))
            .order_by(Meeting.occurrence_date)
            .first()
        )
        if held is not None:
            raise UserError(
                f"the meeting on {local_date(held).isoformat()} was held: change the series from a later date"
            )
        report = SeriesChange(series=new, ended=list(olds))
        taken: set[date] = set()
        for old in olds:
            _carry_over(old, new, day, taken, report, now)
            _end(old, day)
        report.created = extend_series(new, now=now)
    return report


def _carry_over(
    old: MeetingSeries, new: MeetingSeries, day: date, taken: set[date], report: SeriesChange, now: datetime
) -> None:
    """Move the old series' meetings from `day` on to the new series, or cancel them."""
    old_rule, new_rule, tz = series_rule(old), series_rule(new), zone(new.group)
    retimed = old_rule != new_rule or series_clock(old) != series_clock(new)
    meetings = (
        Meeting.select()
        .where((Meeting.series == old) & (Meeting.occurrence_date >= day))
        .order_by(Meeting.occurrence_date)
    )
    for meeting in meetings:
        if meeting.occurrence_date is None:
            continue  # not one of a series' dates (the query asks for dates from `day` on)
        target = _counterpart(old_rule, new_rule, new.starts_on, meeting.occurrence_date, taken)
        if target is None or target < day or (new.ends_on and target > new.ends_on) or target in taken:
            if meeting.status == "scheduled":
                meeting.status = "cancelled"
                meeting.sequence += 1
                meeting.updated_at = now
                meeting.save()
                report.cancelled += 1
            continue
        taken.add(target)
        changed = False
        was = meeting.starts_at
        for name, old_value, new_value in (
            # In UTC, as stored: a local time in the repeated hour never compares equal to
            # a datetime of another zone (PEP 495), so it would always look changed.
            ("starts_at", retimed, local_start(target, series_clock(new), tz).astimezone(UTC)),
            ("minutes", old.minutes, new.minutes),
            ("place", old.place, new.place),
            ("title", old.title, new.title),
        ):
            # Apply what the change changed; keep what was set on this meeting alone.
            differs = retimed if name == "starts_at" else old_value != new_value
            if differs and getattr(meeting, name) != new_value:
                setattr(meeting, name, new_value)
                changed = True
                if name != "starts_at":
                    report.updated[name] = report.updated.get(name, 0) + 1
        meeting.series, meeting.occurrence_date = new, target
        if changed:
            meeting.sequence += 1
            report.changed += 1
        if meeting.starts_at != was:
            report.moved += 1
        meeting.updated_at = now
        meeting.save()
        report.carried += 1


def _counterpart(old_rule: Rule, rule: Rule, starts_on: date, old_day: date, taken: set[date]) -> date | None:
    """Where an old meeting goes under the new rule: from one a month to one a month, the
    new date in the same month; otherwise the nearest date the new series gives that no other meeting
    took, within three days either way (a weekly Tuesday → Thursday moves; a week with no
    meeting under the new rule leaves the old one without a counterpart)."""
    if old_rule.one_a_month and rule.one_a_month:
        return rule.date_in(old_day.year, old_day.month)
    near = (
        [
            day
            for day in rule.dates(max(starts_on, old_day - timedelta(days=3)), old_day + timedelta(days=3))
            if day not in taken
        ]
        if rule.interval == 1
        else [
            day
            for day in rule.dates(starts_on, old_day + timedelta(days=3))
            if day >= old_day - timedelta(days=3) and day not in taken
        ]
    )
    return min(near, key=lambda day: (abs((day - old_day).days), day), default=None)


def _end(old: MeetingSeries, day: date) -> None:
    """End the old series the day before `day`; drop it if it never had a meeting left."""
    if old.starts_on >= day and not old.meetings.exists():
        old.delete_instance()
        return
    if old.ends_on is None or old.ends_on >= day:
        old.ends_on = day - timedelta(days=1)
        old.sequence += 1
        old.save()
