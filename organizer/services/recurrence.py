"""Monthly meeting rules ("2nd Tuesday", "last Friday") and their dates, in pure Python.

A rule yields calendar dates; `local_start` puts a local wall-clock time on a date in the
group's zone, so an occurrence keeps its 07:30 on both sides of a daylight-saving change.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

from organizer.services.checks import year_problem
from organizer.services.errors import ValidationError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINAL_WORDS = {
    "1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3,
    "4th": 4, "fourth": 4, "last": -1,
}
_ORDINAL_NAMES = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}
# iCal's BYDAY prefix and day codes.
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class MonthlyRule:
    ordinal: int  # 1–4, or -1 for the last
    weekday: int  # 0 = Monday

    def describe(self) -> str:
        return f"{_ORDINAL_NAMES[self.ordinal]} {WEEKDAYS[self.weekday].capitalize()}"

    def ical_byday(self) -> str:
        """The RRULE BYDAY value, e.g. 2TU or -1FR."""
        return f"{self.ordinal}{_ICAL_DAYS[self.weekday]}"

    def date_in(self, year: int, month: int) -> date:
        days = [
            week[self.weekday]
            for week in calendar.monthcalendar(year, month)
            if week[self.weekday] != 0
        ]
        return date(year, month, days[self.ordinal - 1 if self.ordinal > 0 else -1])

    def dates(self, start: date, until: date | None = None) -> Iterator[date]:
        """Every date under the rule on or after `start` (and on or before `until`)."""
        year, month = start.year, start.month
        while True:
            day = self.date_in(year, month)
            if until is not None and day > until:
                return
            if day >= start:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def matches(self, day: date) -> bool:
        return self.date_in(day.year, day.month) == day


def parse_rule(text: str) -> MonthlyRule:
    """'3rd thursday', 'first Friday', 'last tue' → a MonthlyRule."""
    words = re.sub(r"[^a-z0-9 ]", " ", text.lower()).split()
    words = [word for word in words if word not in {"every", "the", "of", "month", "each"}]
    if len(words) == 2 and words[0] in _ORDINAL_WORDS:
        weekday = [i for i, name in enumerate(WEEKDAYS) if len(words[1]) >= 2 and name.startswith(words[1])]
        if len(weekday) == 1:
            return MonthlyRule(_ORDINAL_WORDS[words[0]], weekday[0])
    raise ValidationError.single(
        "rule", f"“{text}” is not a monthly rule: use e.g. “2nd tuesday”, “first friday”, “last thursday”"
    )


def parse_clock(text: str, field: str = "at") -> time:
    """'07:30' or '18:30' → a time."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError.single(field, f"“{text}” is not a time of day: use HH:MM, e.g. 07:30")
    return time(int(match[1]), int(match[2]))


def parse_local(text: str, zone: ZoneInfo, field: str = "to") -> datetime:
    """'2026-03-12 18:30' (wall clock in `zone`) → an aware datetime."""
    match = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})[ T]+(\d{1,2}:\d{2})\s*", text or "")
    try:
        if not match:
            raise ValueError
        day = date.fromisoformat(match[1])
    except ValueError:
        raise ValidationError.single(
            field, f"“{text}” is not a date and time: use YYYY-MM-DD HH:MM, e.g. 2026-03-12 18:30"
        ) from None
    if problem := year_problem(day.year, match[1]):
        raise ValidationError.single(field, problem)
    return local_start(day, parse_clock(match[2], field), zone)


def local_start(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at wall-clock `at` in `zone`, as an aware datetime.

    A time that falls in a spring-forward gap moves forward by the gap (02:30 → 03:30),
    as calendars do; a time in the autumn overlap takes its first (daylight) instance.
    """
    aware = datetime.combine(day, at).replace(tzinfo=zone)
    # The round trip through UTC is what moves a time out of a gap; elsewhere it is a no-op.
    return aware.astimezone(timezone.utc).astimezone(zone)
