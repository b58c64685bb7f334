"""Monthly rules and local times across daylight-saving changes, in several zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from organizer.errors import ValidationError
from organizer.services.recurrence import MonthlyRule, local_start, parse_clock, parse_local, parse_rule

TORONTO = ZoneInfo("America/Toronto")


def test_second_tuesday_through_2026_keeps_0730_local_across_both_changes():
    rule = parse_rule("2nd tuesday")
    days = list(rule.dates(date(2026, 1, 1), date(2026, 12, 31)))
    assert days == [
        date(2026, 1, 13),
        date(2026, 2, 10),
        date(2026, 3, 10),
        date(2026, 4, 14),
        date(2026, 5, 12),
        date(2026, 6, 9),
        date(2026, 7, 14),
        date(2026, 8, 11),
        date(2026, 9, 8),
        date(2026, 10, 13),
        date(2026, 11, 10),
        date(2026, 12, 8),
    ]
    starts = {day: local_start(day, time(7, 30), TORONTO) for day in days}
    assert all(start.timetz().replace(tzinfo=None) == time(7, 30) for start in starts.values())
    utc = {day: start.astimezone(UTC).hour for day, start in starts.items()}
    # EST (UTC-5) before 8 March and after 1 November, EDT (UTC-4) in between.
    assert utc[date(2026, 2, 10)] == 12
    assert utc[date(2026, 3, 10)] == 11  # two days after the spring change, still 07:30 local
    assert utc[date(2026, 10, 13)] == 11
    assert utc[date(2026, 11, 10)] == 12  # nine days after the autumn change
    assert utc[date(2026, 12, 8)] == 12


def test_last_friday_including_five_friday_months():
    rule = parse_rule("last Friday")
    assert rule == MonthlyRule(-1, 4)
    assert list(rule.dates(date(2026, 1, 1), date(2026, 6, 30))) == [
        date(2026, 1, 30),
        date(2026, 2, 27),
        date(2026, 3, 27),
        date(2026, 4, 24),
        date(2026, 5, 29),
        date(2026, 6, 26),
    ]
    assert rule.ical_byday() == "-1FR"
    assert rule.describe() == "last Friday"


def test_rules_in_words_and_numbers():
    assert parse_rule("3rd thursday") == MonthlyRule(3, 3)
    assert parse_rule("first Monday") == MonthlyRule(1, 0)
    assert parse_rule("every fourth sun of the month") == MonthlyRule(4, 6)
    assert parse_rule("1st tue") == MonthlyRule(1, 1)
    assert parse_rule("3rd thursday").date_in(2026, 1) == date(2026, 1, 15)


@pytest.mark.parametrize("text", ["5th friday", "2nd", "tuesday", "second t", "last funday", ""])
def test_bad_rules_are_refused_with_an_example(text):
    with pytest.raises(ValidationError) as error:
        parse_rule(text)
    assert "rule" in error.value.fields
    assert "2nd tuesday" in error.value.fields["rule"]


def test_berlin_changes_on_other_dates_than_toronto():
    berlin = ZoneInfo("Europe/Berlin")
    # Berlin moves on 29 March and 25 October 2026; the last Friday stays 07:30 local.
    friday_before = local_start(date(2026, 3, 27), time(7, 30), berlin)
    april = local_start(date(2026, 4, 24), time(7, 30), berlin)
    october = local_start(date(2026, 10, 30), time(7, 30), berlin)
    assert friday_before.utcoffset() == timedelta(hours=1)
    assert april.utcoffset() == timedelta(hours=2)
    assert october.utcoffset() == timedelta(hours=1)
    # The 2nd Tuesday of March 2026 is after Toronto's change and before Berlin's.
    march = date(2026, 3, 10)
    assert local_start(march, time(7, 30), TORONTO).utcoffset() == timedelta(hours=-4)
    assert local_start(march, time(7, 30), berlin).utcoffset() == timedelta(hours=1)


def test_sydney_southern_hemisphere_summer_time_is_in_january():
    sydney = ZoneInfo("Australia/Sydney")
    rule = parse_rule("1st wednesday")
    offsets = {
        day: local_start(day, time(18, 0), sydney).utcoffset()
        for day in rule.dates(date(2026, 1, 1), date(2026, 12, 31))
    }
    assert offsets[date(2026, 1, 7)] == timedelta(hours=11)  # AEDT
    assert offsets[date(2026, 4, 1)] == timedelta(hours=11)  # summer time ends 5 April
    assert offsets[date(2026, 5, 6)] == timedelta(hours=10)  # AEST
    assert offsets[date(2026, 10, 7)] == timedelta(hours=11)  # begins again 4 October
    assert all(local_start(day, time(18, 0), sydney).hour == 18 for day in offsets)


def test_a_time_in_the_spring_gap_moves_forward_and_the_overlap_takes_daylight_time():
    gap = local_start(date(2026, 3, 8), time(2, 30), TORONTO)
    assert (gap.hour, gap.minute) == (3, 30)
    overlap = local_start(date(2026, 11, 1), time(1, 30), TORONTO)
    assert overlap.hour == 1 and overlap.utcoffset() == timedelta(hours=-4)


def test_clock_and_local_date_time_parsing():
    assert parse_clock("7:30") == time(7, 30)
    assert parse_clock(" 18:05 ") == time(18, 5)
    for bad in ("24:00", "7.30", "seven", "12:60", ""):
        with pytest.raises(ValidationError):
            parse_clock(bad)
    moved = parse_local("2026-03-12 18:30", TORONTO)
    assert moved == datetime(2026, 3, 12, 22, 30, tzinfo=UTC)
    for bad in ("2026-03-12", "2026-02-30 10:00", "12/03/2026 18:30", "2026-03-12 25:00"):
        with pytest.raises(ValidationError) as error:
            parse_local(bad, TORONTO)
        assert "to" in error.value.fields
