"""Public holidays where the group meets, and the meetings that fall on one.

The dates and names come from the `holidays` library (python-holidays) for the group's
country and subdivision; a group without a country has none. Nothing moves by itself:
the organizer sees the flag and decides (skip, move).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from organizer.models import Group, Meeting
from organizer.services.meetings import extend_all, list_meetings, local_date
from organizer.services.recurrence import Rule
from organizer.text import one_line


@lru_cache(maxsize=64)
def _year(country: str, subdivision: str, year: int) -> dict[date, str]:
    import holidays

    table = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    # Two holidays on one day come joined by "; " already: one line each.
    return {day: one_line(str(name)) for day, name in sorted(table.items()) if day.year == year}


def holidays_between(country: str, subdivision: str, start: date, end: date) -> dict[date, str]:
    """{date: name} of the public holidays in [start, end] (none without a country)."""
    if not country or end < start:
        return {}
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        found.update((day, name) for day, name in _year(country, subdivision, year).items() if start <= day <= end)
    return found


def group_holidays(group: Group, start: date, end: date) -> dict[date, str]:
    return holidays_between(group.country, group.subdivision, start, end)


def holiday_on(group: Group, day: date) -> str | None:
    """The name of the holiday on `day` where the group meets, or None."""
    return group_holidays(group, day, day).get(day)


def meetings_on_holidays(
    group: Group, start: date | None, end: date | None, *, now: datetime
) -> list[tuple[Meeting, str]]:
    """Each meeting (any status) whose local date in [start, end] is a public holiday, by date."""
    if not group.country:
        return []
    extend_all(group, now=now, through=end)
    meetings = [(meeting, local_date(meeting)) for meeting in list_meetings(group, start, end)]
    if not meetings:
        return []
    names = group_holidays(group, meetings[0][1], meetings[-1][1])
    return [(meeting, names[day]) for meeting, day in meetings if day in names]


def holiday_flags(group: Group, days: list[date]) -> dict[date, str]:
    """{date: holiday name} for those of `days` that are public holidays (for the lists)."""
    if not group.country or not days:
        return {}
    names = group_holidays(group, min(days), max(days))
    return {day: names[day] for day in days if day in names}


def rule_holidays(
    country: str, subdivision: str, rule: Rule, starts_on: date, ends_on: date | None, *, days: int = 366
) -> list[tuple[date, str]]:
    """The dates a rule (a `recurrence.Rule`) gives from `starts_on` (to `ends_on`, at most
    `days` ahead) that are public holidays: what the series form flags before saving."""
    if not country:
        return []
    last = starts_on + timedelta(days=days)
    last = min(last, ends_on) if ends_on else last
    names = holidays_between(country, subdivision, starts_on, last)
    return [(day, names[day]) for day in rule.dates(starts_on, last) if day in names]
