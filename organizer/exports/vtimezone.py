"""A VTIMEZONE for an IANA zone, written with yearly RRULEs derived from zoneinfo.

Outlook reads a zone's STANDARD / DAYLIGHT observances only in their RRULE form (as
Windows describes zones); icalendar's generated VTIMEZONE lists every transition as
RDATEs instead. So the zone's transitions over the years concerned are found by asking
zoneinfo, grouped into runs of consecutive years that follow one yearly rule (e.g. "2nd
Sunday of March at 02:00"), and each run becomes one observance:

- a run that reaches past the years concerned is open-ended (the rule in force today);
- a run that stopped (the zone's rules changed) ends with an UNTIL at its last transition;
- a transition that fits no yearly rule (a one-off change of offset) is its own observance;
- a zone with no transition at all (no daylight saving) is one STANDARD observance.

The result is checked in the tests against zoneinfo for every hour of the years concerned,
for zones north and south, without DST, with odd rules and with changed rules.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STEP = 6 * 3600  # seconds between probes; no zone changes twice within six hours
_BASE_ONSET = datetime(1970, 1, 1)  # the conventional onset of a zone's only observance
# vobject ignores a VTIMEZONE whose offsets and transitions over 2000–2019 are UTC's (its
# tzinfo_eq) and reads the TZID with pytz instead, whose recurrences keep the first
# occurrence's offset all year. Before its first onset a reader takes a zone's standard
# offset, so a zone at +00:00 in winter (London, Lisbon, Dublin) described only from 2020
# on looks just like UTC there; such a zone is described from 2000.
_UTC_LOOKALIKE_FROM, _UTC_LOOKALIKE_UNTIL = 2000, 2019


@dataclass(frozen=True)
class Transition:
    at: datetime  # the UTC instant of the change
    offset_from: timedelta
    offset_to: timedelta
    name: str  # the abbreviation after the change, e.g. EDT
    daylight: bool  # the offset after the change is daylight-saving time

    @property
    def onset(self) -> datetime:
        """The local wall-clock time of the change, in the offset before it (RFC 5545)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def vtimezone(zone_name: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE for `zone_name`, correct for every moment of first_year..last_year."""
    zone = ZoneInfo(zone_name)
    if first_year > _UTC_LOOKALIKE_UNTIL and _reaches_zero(zone_name, first_year, last_year):
        first_year = _UTC_LOOKALIKE_FROM
    # One year either side: the observance in force on 1 January starts the year before,
    # and a rule still followed the year after the last one is a rule still in force.
    transitions = transitions_between(zone_name, first_year - 1, last_year + 1)
    observances = []
    if not transitions or transitions[0].at > datetime(first_year, 1, 1, tzinfo=UTC):
        observances.append(_base_observance(zone, first_year))
    for run in _runs(transitions):
        observances.append(_observance(run, open_ended=run[-1].at.year >= last_year + 1))
    component = Timezone()
    component.add("tzid", zone_name)
    for observance in sorted(observances, key=lambda item: item.decoded("dtstart")):
        component.add_component(observance)
    return component


def _reaches_zero(zone_name: str, first_year: int, last_year: int) -> bool:
    """The zone changes offset over those years and is at +00:00 on one side of a change."""
    return any(
        timedelta(0) in (item.offset_from, item.offset_to)
        for item in transitions_between(zone_name, first_year - 1, last_year + 1)
    )


@lru_cache(maxsize=64)
def transitions_between(zone_name: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """Every change of offset, abbreviation or DST flag in the zone over those years."""
    zone = ZoneInfo(zone_name)
    start = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp())
    changes = []
    before = _state(zone, start)
    for probe in range(start + _STEP, end + 1, _STEP):
        after = _state(zone, probe)
        if after != before:
            changes.append((_first_change(zone, probe - _STEP, probe, before), before, after))
            before = after
    # tzdata gives a few zones (Europe/Dublin, Africa/Casablanca) a *negative* DST: their
    # winter is the "saving". Calendars expect the larger offset to be DAYLIGHT, so there
    # the offset without a saving is the daylight one.
    negative = any(after[1] < timedelta(0) for _, _, after in changes)
    return tuple(
        Transition(
            at=datetime.fromtimestamp(instant, UTC),
            offset_from=before[0],
            offset_to=after[0],
            name=after[2],
            daylight=after[1] == timedelta(0) if negative else after[1] > timedelta(0),
        )
        for instant, before, after in changes
    )


State = tuple[timedelta, timedelta, str]  # UTC offset, DST part of it, abbreviation


def _state(zone: ZoneInfo, instant: int) -> State:
    moment = datetime.fromtimestamp(instant, zone)
    # An aware datetime in a ZoneInfo always has all three.
    return moment.utcoffset() or timedelta(0), moment.dst() or timedelta(0), moment.tzname() or ""


def _first_change(zone: ZoneInfo, low: int, high: int, before: State) -> int:
    """The first second in (low, high] whose state differs from `before` (a bisection)."""
    while high - low > 1:
        middle = (low + high) // 2
        if _state(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high


# -- yearly rules ------------------------------------------------------------------------


def _runs(transitions: tuple[Transition, ...]) -> list[list[Transition]]:
    """Transitions grouped into runs of consecutive years that one yearly rule describes."""
    by_kind: dict[tuple, list[Transition]] = {}
    for item in transitions:
        key = (item.daylight, item.offset_from, item.offset_to, item.name, item.onset.month, item.onset.time())
        by_kind.setdefault(key, []).append(item)
    runs = []
    for items in by_kind.values():
        run = [items[0]]
        for item in items[1:]:
            consecutive = item.onset.year == run[-1].onset.year + 1
            if consecutive and _yearly_rule(run + [item]) is not None:
                run.append(item)
            else:
                runs.append(run)
                run = [item]
        runs.append(run)
    return runs


def _yearly_rule(run: list[Transition]) -> dict | None:
    """The RRULE parts (BYMONTH and BYDAY / BYMONTHDAY) that give every onset of the run."""
    days = [item.onset.date() for item in run]
    month = days[0].month
    weekdays = {day.weekday() for day in days}
    if len(weekdays) == 1:
        weekday = _DAYS[weekdays.pop()]
        nths = {(day.day - 1) // 7 + 1 for day in days}
        in_last_week = all(day.day > calendar.monthrange(day.year, month)[1] - 7 for day in days)
        if in_last_week and (len(nths) > 1 or nths == {4} or nths == {5}):
            return {"freq": "yearly", "bymonth": month, "byday": f"-1{weekday}"}
        if len(nths) == 1 and nths != {5}:
            return {"freq": "yearly", "bymonth": month, "byday": f"{nths.pop()}{weekday}"}
        first = min(day.day for day in days)
        if max(day.day for day in days) - first <= 6 and first + 6 <= 28:
            # "Friday on or after the 23rd": the weekday among seven days of the month.
            return {"freq": "yearly", "bymonth": month, "byday": weekday, "bymonthday": list(range(first, first + 7))}
    if len({day.day for day in days}) == 1:
        return {"freq": "yearly", "bymonth": month, "bymonthday": days[0].day}
    return None


def _observance(run: list[Transition], *, open_ended: bool) -> TimezoneDaylight | TimezoneStandard:
    first = run[0]
    observance = TimezoneDaylight() if first.daylight else TimezoneStandard()
    observance.add("dtstart", first.onset)
    observance.add("tzoffsetfrom", first.offset_from)
    observance.add("tzoffsetto", first.offset_to)
    observance.add("tzname", first.name)
    if len(run) > 1 or open_ended:
        # A run of several onsets was only made if a yearly rule gives them all (`_runs`).
        rule = (_yearly_rule(run) if len(run) > 1 else None) or _single_year_rule(first)
        if not open_ended:
            # A day past the last onset: RFC 5545 reads UNTIL in UTC, some readers (dateutil,
            # so vobject) compare it with the local onset; a day later suits both readings
            # and is still a year before the next onset the rule would give.
            rule["until"] = run[-1].at + timedelta(days=1)
        observance.add("rrule", vRecur(rule))
    return observance


def _single_year_rule(item: Transition) -> dict:
    """A rule still in force seen once (the window's last year): its nth weekday."""
    day = item.onset.date()
    last_day = calendar.monthrange(day.year, day.month)[1]
    nth = -1 if day.day > last_day - 7 and day.day > 21 else (day.day - 1) // 7 + 1
    return {"freq": "yearly", "bymonth": day.month, "byday": f"{nth}{_DAYS[day.weekday()]}"}


def _base_observance(zone: ZoneInfo, first_year: int) -> TimezoneDaylight | TimezoneStandard:
    """The zone as it stands before any transition of the window: one observance from 1970."""
    moment = datetime(first_year - 1, 1, 1, tzinfo=UTC).astimezone(zone)
    observance = TimezoneDaylight() if (moment.dst() or timedelta(0)) > timedelta(0) else TimezoneStandard()
    observance.add("dtstart", _BASE_ONSET)
    observance.add("tzoffsetfrom", moment.utcoffset())
    observance.add("tzoffsetto", moment.utcoffset())
    observance.add("tzname", moment.tzname())
    return observance


def years_of(moments: Iterable[date]) -> tuple[int, int]:
    """The first and last year among aware datetimes or dates (for `vtimezone`)."""
    years = [moment.year for moment in moments]
    return min(years), max(years)
