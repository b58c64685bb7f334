"""Changing the series from a date on, and `schedule` replacing a running series."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from organizer.errors import UserError, ValidationError
from organizer.models import Meeting, MeetingSeries
from organizer.services import meetings
from organizer.services.agenda import add_item
from organizer.services.recurrence import local_start, parse_rule
from organizer.services.series_changes import change_series_from, schedule

JAN = datetime(2026, 1, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def series(group):
    return meetings.create_series(
        group,
        rule=parse_rule("2nd tuesday"),
        at="07:30",
        minutes=90,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        place="Café",
        title="Breakfast",
        now=JAN,
    )


def lines(group) -> list[tuple[str, str, int]]:
    zone = meetings.zone(group)
    return [
        (m.starts_at.astimezone(zone).strftime("%m-%d %H:%M"), m.status, m.sequence)
        for m in meetings.list_meetings(group)
    ]


def test_new_time_from_a_date_moves_later_meetings_and_keeps_their_uids(group, series):
    uids = {m.occurrence_date: m.uid for m in meetings.list_meetings(group)}
    june = meetings.occurrence(group, date(2026, 6, 9))
    add_item(june, kind="education", minutes=10)
    change = change_series_from(series, date(2026, 6, 1), at="18:00", now=JAN)

    assert (change.carried, change.changed, change.cancelled, change.created) == (7, 7, 0, 0)
    assert lines(group)[4:7] == [
        ("05-12 07:30", "scheduled", 0),
        ("06-09 18:00", "scheduled", 1),
        ("07-14 18:00", "scheduled", 1),
    ]
    old, new = MeetingSeries.get_by_id(series.id), change.series
    assert (old.ends_on, old.sequence) == (date(2026, 5, 31), 1)
    assert (new.starts_on, new.ends_on, new.start_time, new.place, new.title) == (
        date(2026, 6, 1),
        date(2026, 12, 31),
        "18:00",
        "Café",
        "Breakfast",
    )
    assert new.uid != old.uid
    after = {m.occurrence_date: (m.uid, m.series_id) for m in meetings.list_meetings(group)}
    assert all(after[day][0] == uid for day, uid in uids.items())  # every invite keeps its UID
    assert {series_id for day, (uid, series_id) in after.items() if day >= date(2026, 6, 1)} == {new.id}
    assert Meeting.get_by_id(june.id).agenda.count() == 1  # the agenda came along


def test_new_rule_moves_each_month_to_its_new_day_and_cancels_what_has_no_counterpart(group, series):
    # From 10 March on: the 1st Monday. March's 1st Monday (2 March) is before the change,
    # so the 10 March meeting has no counterpart and is called off.
    change = change_series_from(series, date(2026, 3, 10), rule=parse_rule("1st monday"), now=JAN)
    assert (change.carried, change.cancelled) == (9, 1)
    assert lines(group)[2:5] == [
        ("03-10 07:30", "cancelled", 1),
        ("04-06 07:30", "scheduled", 1),
        ("05-04 07:30", "scheduled", 1),
    ]
    april = meetings.occurrence(group, date(2026, 4, 6))
    assert (april.occurrence_date, april.series_id) == (date(2026, 4, 6), change.series.id)


def test_a_place_change_keeps_a_meeting_moved_on_its_own(group, series):
    zone = meetings.zone(group)
    july = meetings.occurrence(group, date(2026, 7, 14))
    meetings.reschedule(july, starts_at=local_start(date(2026, 7, 16), time(12, 0), zone), now=JAN)
    meetings.skip_occurrence(meetings.occurrence(group, date(2026, 8, 11)), now=JAN)
    change_series_from(series, date(2026, 7, 1), place="Library", now=JAN)

    july = Meeting.get_by_id(july.id)
    assert july.starts_at.astimezone(zone).strftime("%m-%d %H:%M") == "07-16 12:00"
    assert (july.place, july.sequence) == ("Library", 2)
    august = meetings.occurrence(group, date(2026, 8, 11))
    assert (august.status, august.place) == ("skipped", "Library")  # the holiday stays a holiday
    june = meetings.occurrence(group, date(2026, 6, 9))
    assert (june.place, june.sequence) == ("Café", 0)


def test_a_shorter_end_cancels_the_months_after_it_and_a_longer_one_adds_months(group, series):
    change = change_series_from(series, date(2026, 9, 1), ends_on=date(2026, 10, 31), now=JAN)
    assert (change.carried, change.changed, change.cancelled) == (2, 0, 2)
    assert [status for _, status, _ in lines(group)][-4:] == ["scheduled", "scheduled", "cancelled", "cancelled"]
    longer = change_series_from(change.series, date(2026, 10, 1), ends_on=date(2027, 3, 31), now=JAN)
    assert (longer.carried, longer.moved, longer.created) == (1, 0, 5)  # November to March
    assert meetings.occurrence(group, date(2026, 11, 10)).status == "scheduled"


def test_held_meetings_are_not_rewritten(group, series):
    february = meetings.occurrence(group, date(2026, 2, 10))
    meetings.finish_meeting(february, now=datetime(2026, 2, 10, 15, 0, tzinfo=UTC))
    with pytest.raises(UserError, match="2026-02-10 was held"):
        change_series_from(series, date(2026, 2, 1), at="09:00", now=JAN)
    assert MeetingSeries.select().count() == 1
    assert MeetingSeries.get_by_id(series.id).ends_on == date(2026, 12, 31)
    # A mistyped time is named before the held meeting: it is the first thing to fix.
    with pytest.raises(ValidationError, match="not a time of day"):
        change_series_from(series, date(2026, 2, 1), at="25:00", now=JAN)


def test_schedule_without_a_running_series_starts_one_and_with_one_replaces_it(group):
    first = schedule(
        group,
        rule=parse_rule("3rd thursday"),
        at="18:30",
        minutes=120,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
        now=JAN,
    )
    assert (first.ended, first.created) == ([], 6)
    assert first.series.title == "Test Circle monthly meeting"
    later = schedule(group, rule=parse_rule("last friday"), at="12:00", minutes=60, starts_on=date(2026, 9, 1), now=JAN)
    assert later.ended == [] and later.series.starts_on == date(2026, 9, 1)

    replaced = schedule(
        group,
        rule=parse_rule("3rd thursday"),
        at="19:00",
        minutes=120,
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 6, 30),
        title="Evening",
        now=JAN,
    )
    assert [s.id for s in replaced.ended] == [first.series.id]
    assert (replaced.carried, replaced.changed, replaced.cancelled) == (3, 3, 0)
    april = meetings.occurrence(group, date(2026, 4, 16))
    assert (april.title, april.sequence) == ("Evening", 1)
    assert MeetingSeries.get_by_id(first.series.id).ends_on == date(2026, 3, 31)


def test_schedule_over_a_whole_series_removes_the_emptied_one(group, series):
    again = schedule(
        group,
        rule=parse_rule("2nd tuesday"),
        at="07:30",
        minutes=90,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        now=JAN,
    )
    # Nothing really changed: every meeting carried over, none moved or changed, the old row is gone.
    assert (again.carried, again.moved, again.changed, again.cancelled, again.created) == (12, 0, 0, 0, 0)
    assert again.summary() == "no stored meeting changed"
    assert MeetingSeries.get_or_none(MeetingSeries.id == series.id) is None
    assert all(sequence == 0 for _, _, sequence in lines(group))


def test_a_series_starting_beyond_the_horizon_still_stores_its_first_year(group):
    change = schedule(group, rule=parse_rule("1st monday"), at="08:00", minutes=60, starts_on=date(2029, 1, 1), now=JAN)
    assert change.created in (13, 14)
    assert meetings.list_meetings(group)[0].occurrence_date == date(2029, 1, 1)


def test_a_new_rule_that_keeps_a_meeting_in_the_repeated_hour_leaves_it_unchanged(db):
    """Berlin, last Sunday at 02:30; from September the 4th Sunday. On 25 October 2026 both
    rules give the same day, and 02:30 comes twice that night: that meeting did not change."""
    from organizer.services.groups import create_group

    group = create_group(
        name="Kreis", timezone="Europe/Berlin", organizer_name="Olu", organizer_email="olu@example.com", now=JAN
    )
    series = meetings.create_series(
        group,
        rule=parse_rule("last sunday"),
        at="02:30",
        minutes=90,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        now=JAN,
    )
    change_series_from(series, date(2026, 9, 1), rule=parse_rule("4th sunday"), now=JAN)
    assert lines(group)[8:] == [
        ("09-27 02:30", "scheduled", 0),
        ("10-25 02:30", "scheduled", 0),
        ("11-22 02:30", "scheduled", 1),
        ("12-27 02:30", "scheduled", 0),
    ]
