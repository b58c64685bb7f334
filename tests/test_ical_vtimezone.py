"""The VTIMEZONE we write agrees with zoneinfo at every hour of the years concerned.

Read back by dateutil's tzical (what vobject uses) and by icalendar, for zones north and
south, without DST, with half-hour and 45-minute offsets, a negative DST (Dublin), rules
that are not "nth weekday" (Jerusalem), rules that changed (Toronto 2007, São Paulo 2019,
Tehran 2022), and one-off jumps (Casablanca).
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.tz import tzical
from icalendar import Component

from organizer.exports.vtimezone import transitions_between, vtimezone

CASES = [
    ("America/Toronto", 2025, 2027),
    ("America/Toronto", 2005, 2009),  # the 2007 change of US/Canada rules
    ("Europe/Berlin", 2025, 2027),
    ("Australia/Sydney", 2025, 2027),
    ("Australia/Lord_Howe", 2025, 2026),  # a 30-minute saving
    ("Asia/Kolkata", 2025, 2027),  # no DST
    ("Asia/Kathmandu", 2025, 2026),
    ("Europe/Dublin", 2025, 2027),  # negative DST in tzdata
    ("Asia/Jerusalem", 2025, 2028),  # Friday before the last Sunday
    ("America/Sao_Paulo", 2017, 2020),  # DST abolished in 2019
    ("Asia/Tehran", 2021, 2023),  # DST abolished in 2022
    ("Africa/Casablanca", 2025, 2026),  # Ramadan: no yearly rule
    ("America/Santiago", 2025, 2027),
]


def parsed(zone_name: str, first_year: int, last_year: int):
    """The VTIMEZONE as a reader sees it: written, then parsed by icalendar."""
    return Component.from_ical(vtimezone(zone_name, first_year, last_year).to_ical())


def wall_hours(first_year: int, last_year: int):
    moment, end = datetime(first_year, 1, 1), datetime(last_year + 1, 1, 1)
    while moment < end:
        yield moment
        moment += timedelta(hours=1)


@pytest.mark.parametrize("zone_name, first_year, last_year", CASES)
def test_every_unambiguous_local_hour_has_zoneinfos_offset(zone_name, first_year, last_year):
    component = vtimezone(zone_name, first_year, last_year)
    text = component.to_ical().decode()
    embedded = tzical(io.StringIO(text)).get(zone_name)
    zone = ZoneInfo(zone_name)
    checked = 0
    for wall in wall_hours(first_year, last_year):
        expected = wall.replace(tzinfo=zone).utcoffset()
        if wall.replace(tzinfo=zone, fold=1).utcoffset() != expected:
            continue  # a skipped or repeated hour: its reading is a matter of convention
        assert wall.replace(tzinfo=embedded).utcoffset() == expected, wall
        checked += 1
    assert checked > 8700 * (last_year - first_year + 1)


@pytest.mark.parametrize("zone_name, first_year, last_year", CASES)
def test_icalendar_reads_the_same_offsets(zone_name, first_year, last_year):
    embedded = vtimezone(zone_name, first_year, last_year).to_tz()
    zone = ZoneInfo(zone_name)
    for wall in wall_hours(first_year, last_year):
        if wall.hour % 6 or wall.replace(tzinfo=zone, fold=1).utcoffset() != wall.replace(tzinfo=zone).utcoffset():
            continue
        assert embedded.utcoffset(wall) == wall.replace(tzinfo=zone).utcoffset(), wall


def test_observances_are_yearly_rules_not_date_lists():
    """Outlook's form: one DAYLIGHT and one STANDARD, each a yearly RRULE, no RDATE."""
    for zone_name, byday in (
        ("America/Toronto", {"2SU", "1SU"}),
        ("Europe/Berlin", {"-1SU"}),
        ("Australia/Sydney", {"1SU"}),
    ):
        component = parsed(zone_name, 2026, 2026)
        observances = component.subcomponents
        assert sorted(item.name for item in observances) == ["DAYLIGHT", "STANDARD"]
        for item in observances:
            assert "RDATE" not in item
            rule = item["RRULE"]
            assert rule["FREQ"] == ["YEARLY"] and "UNTIL" not in rule
            assert set(rule["BYDAY"]) <= byday


def test_sydney_is_daylight_in_january_and_standard_in_july():
    component = parsed("Australia/Sydney", 2026, 2026)
    daylight = next(item for item in component.subcomponents if item.name == "DAYLIGHT")
    assert daylight.decoded("DTSTART").month == 10
    assert daylight["TZOFFSETTO"].td == timedelta(hours=11)


def test_a_zone_without_dst_is_one_standard_observance():
    component = parsed("Asia/Kolkata", 2026, 2027)
    (only,) = component.subcomponents
    assert only.name == "STANDARD" and "RRULE" not in only
    assert only["TZOFFSETFROM"].td == only["TZOFFSETTO"].td == timedelta(hours=5, minutes=30)


def test_a_rule_that_stopped_ends_with_until():
    component = parsed("America/Toronto", 2005, 2009)
    until = [item["RRULE"]["UNTIL"][0] for item in component.subcomponents if "UNTIL" in item["RRULE"]]
    assert len(until) == 2 and all(moment.year == 2006 for moment in until)


def test_transitions_are_found_to_the_second():
    (spring, autumn) = transitions_between("America/Toronto", 2026, 2026)
    assert spring.at == datetime.fromisoformat("2026-03-08T07:00:00+00:00")
    assert spring.onset == datetime(2026, 3, 8, 2, 0) and spring.daylight
    assert autumn.onset == datetime(2026, 11, 1, 2, 0) and not autumn.daylight


@pytest.mark.parametrize("zone_name", ["Europe/London", "Europe/Lisbon", "Europe/Dublin", "Atlantic/Canary"])
def test_vobject_does_not_take_a_zone_at_utc_in_winter_for_utc(zone_name):
    """vobject ignores a VTIMEZONE that reads like UTC over 2000–2019 and takes the TZID to
    pytz instead, whose recurrences keep the first occurrence's offset all year (so a winter
    EXDATE of a series that starts in summer matches nothing). A zone at +00:00 in winter
    described from 2026 reads like that; described from 2000 it does not."""
    import vobject

    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + vtimezone(zone_name, 2026, 2027).to_ical().decode()
        + "BEGIN:VEVENT\r\nUID:x@test\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART;TZID={zone_name}:20260624T080000\r\nRRULE:FREQ=MONTHLY;COUNT=12;BYDAY=-1WE\r\n"
        f"EXDATE;TZID={zone_name}:20261125T080000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    event = vobject.readOne(calendar, validate=True).vevent
    assert "tzical" in type(event.dtstart.value.tzinfo).__name__
    zone = ZoneInfo(zone_name)
    starts = list(event.getrruleset(addRDate=True))
    assert len(starts) == 11 and datetime(2026, 11, 25, 8, 0) not in [s.replace(tzinfo=None) for s in starts]
    assert all(start.utcoffset() == start.replace(tzinfo=zone).utcoffset() for start in starts)
