"""A series (any cadence) and its occurrences, stored as Meeting rows.

A series' occurrences are stored as Meeting rows (each with its own stable UID, SEQUENCE,
RSVPs and attendance) up to the series' end or, for an open-ended one, a horizon ahead
of today, extended by `extend_series` as time passes. Changing a series from a date on
lives in `services.series_changes`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from organizer.errors import ValidationError
from organizer.models import (
    Group,
    Meeting,
    MeetingSeries,
    database,
)
from organizer.services.groups import local_today, zone
from organizer.services.meeting_fields import invitation_defaults, minutes_problem, new_uid
from organizer.services.recurrence import MonthlyRule, Rule, local_start, parse_clock, rule_from_text
from organizer.text import tidy

HORIZON_DAYS = 400  # open-ended series are kept materialized about a year ahead
MAX_AHEAD_DAYS = 10 * 366  # and on request (`meetings --to`) up to ten years


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
    length = minutes_problem(minutes, errors)
    if ends_on is not None and ends_on < starts_on:
        errors["until"] = "the series ends after it starts"
    elif ends_on is not None and next(rule.dates(starts_on, ends_on), None) is None:
        errors["until"] = f"no {rule.describe()} falls between {starts_on} and {ends_on}"
    elif rule.anchor(starts_on) is None:
        errors["rule"] = f"“{rule.describe()}” gives no date in the two years from {starts_on}"
    if errors or length is None:
        raise ValidationError(errors)
    ordinal, weekday = rule.nth_weekday() or (0, 0)  # the version-3 columns, kept filled
    return MeetingSeries.create(
        group=group,
        rrule=rule.text,
        ordinal=ordinal,
        weekday=weekday,
        start_time=clock.strftime("%H:%M"),
        minutes=length,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        title=title,
        uid=new_uid(),
        created_at=now,
    )


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
