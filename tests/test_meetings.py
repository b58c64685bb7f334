"""Meetings: the stored series, one-off meetings, skip / reschedule / cancel one, edits, SEQUENCE."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from organizer.errors import NotFound, UserError, ValidationError
from organizer.models import Attendance, Meeting
from organizer.services import meetings
from organizer.services.groups import update_group
from organizer.services.members import add_member
from organizer.services.recurrence import local_start, parse_local, parse_rule

# Early in 2026, so the whole year is ahead of the clock.
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
        title="Breakfast",
        now=JAN,
    )


def local(meeting: Meeting) -> str:
    return meeting.starts_at.astimezone(meetings.zone(meeting.group)).strftime("%Y-%m-%d %H:%M")


def test_series_stores_one_meeting_per_month_at_0730_local_through_2026(group, series):
    stored = meetings.list_meetings(group)
    assert [local(m) for m in stored] == [
        "2026-01-13 07:30",
        "2026-02-10 07:30",
        "2026-03-10 07:30",
        "2026-04-14 07:30",
        "2026-05-12 07:30",
        "2026-06-09 07:30",
        "2026-07-14 07:30",
        "2026-08-11 07:30",
        "2026-09-08 07:30",
        "2026-10-13 07:30",
        "2026-11-10 07:30",
        "2026-12-08 07:30",
    ]
    # Stored in UTC: the offset follows daylight saving, the wall clock does not move.
    by_day = {m.occurrence_date: m.starts_at for m in stored}
    assert by_day[date(2026, 2, 10)] == datetime(2026, 2, 10, 12, 30, tzinfo=UTC)
    assert by_day[date(2026, 3, 10)] == datetime(2026, 3, 10, 11, 30, tzinfo=UTC)
    assert by_day[date(2026, 11, 10)] == datetime(2026, 11, 10, 12, 30, tzinfo=UTC)
    assert len({m.uid for m in stored}) == 12
    assert all(m.status == "scheduled" and m.sequence == 0 for m in stored)


def test_invitation_fields_are_prefilled_from_the_group(group):
    update_group(group, default_intent="Pass referrals", default_out="No reply needed")
    one = meetings.create_meeting(
        group,
        starts_at=local_start(date(2026, 2, 3), time(12, 0), meetings.zone(group)),
        minutes=60,
        title="Lunch",
        now=JAN,
        topics="Holiday party",
    )
    assert (one.intent, one.opt_out, one.topics) == ("Pass referrals", "No reply needed", "Holiday party")
    assert one.series is None and one.occurrence_date is None
    assert meetings.occurrence(group, date(2026, 2, 3)) == one


def test_open_ended_series_reaches_about_a_year_ahead_and_extends_later(group):
    series = meetings.create_series(
        group,
        rule=parse_rule("last friday"),
        at="18:00",
        minutes=120,
        starts_on=date(2026, 1, 1),
        now=JAN,
    )
    first = series.meetings.count()
    assert 13 <= first <= 14
    later = datetime(2026, 7, 1, tzinfo=UTC)
    assert meetings.extend_all(group, now=later) == 6
    assert meetings.extend_all(group, now=later) == 0


def test_a_series_with_an_end_stores_every_meeting_to_its_end(group):
    """`schedule --until` three years ahead, then `meetings`: every one of them is listed
    (and skippable by date), not only the first year's."""
    series = meetings.create_series(
        group,
        rule=parse_rule("3rd wednesday"),
        at="12:00",
        minutes=60,
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 12, 31),
        now=JAN,
    )
    assert series.meetings.count() == 36
    assert meetings.list_meetings(group)[-1].occurrence_date == date(2028, 12, 20)


def test_skipping_a_month_marks_it_and_leaves_the_others(group, series):
    august = meetings.occurrence(group, date(2026, 8, 11))
    meetings.skip_occurrence(august, now=JAN)
    statuses = {m.occurrence_date.month: m.status for m in meetings.list_meetings(group)}
    assert statuses[8] == "skipped"
    assert [month for month, status in statuses.items() if status == "scheduled"] == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        9,
        10,
        11,
        12,
    ]
    assert Meeting.get_by_id(august.id).sequence == 1
    with pytest.raises(UserError, match="already skipped"):
        meetings.skip_occurrence(august, now=JAN)


def test_reschedule_moves_one_occurrence_only_and_keeps_its_recurrence_id(group, series):
    before = {m.id: (m.starts_at, m.place, m.sequence) for m in meetings.list_meetings(group)}
    march = meetings.occurrence(group, date(2026, 3, 10))
    new_start = local_start(date(2026, 3, 12), time(18, 30), meetings.zone(group))
    meetings.reschedule(march, starts_at=new_start, place="Room 2", now=JAN)

    march = Meeting.get_by_id(march.id)
    assert local(march) == "2026-03-12 18:30"
    assert march.occurrence_date == date(2026, 3, 10)
    assert (march.place, march.sequence) == ("Room 2", 1)
    after = {m.id: (m.starts_at, m.place, m.sequence) for m in meetings.list_meetings(group)}
    assert {k: v for k, v in after.items() if k != march.id} == {k: v for k, v in before.items() if k != march.id}
    # Found by its new date and by the date its series gave it.
    assert meetings.occurrence(group, date(2026, 3, 12)) == march
    assert meetings.occurrence(group, date(2026, 3, 10)) == march


def test_sequence_rises_on_each_material_change(group, series):
    meeting = meetings.occurrence(group, date(2026, 4, 14))
    zone = meetings.zone(group)
    meetings.reschedule(meeting, starts_at=local_start(date(2026, 4, 15), time(7, 30), zone), now=JAN)
    assert meeting.sequence == 1
    meetings.update_meeting(meeting, title="Spring breakfast", now=JAN)
    assert meeting.sequence == 2
    meetings.update_meeting(meeting, place="Library", minutes=120, now=JAN)
    assert meeting.sequence == 3  # one change, one rise
    meetings.update_meeting(meeting, intent="Meet the new members", topics="Spring", now=JAN)
    assert meeting.sequence == 3  # the invitation fields are not material
    meetings.update_meeting(meeting, title="Spring breakfast", now=JAN)
    assert meeting.sequence == 3  # the same value is no change
    meetings.cancel_meeting(meeting, now=JAN)
    assert (meeting.status, meeting.sequence) == ("cancelled", 4)
    meetings.reinstate(meeting, now=JAN)
    assert (meeting.status, meeting.sequence) == ("scheduled", 5)
    stored = Meeting.get_by_id(meeting.id)
    assert (stored.sequence, stored.title, stored.minutes, stored.intent) == (
        5,
        "Spring breakfast",
        120,
        "Meet the new members",
    )


def test_rescheduling_to_the_time_it_has_in_the_repeated_hour_changes_nothing(group):
    """1 November 2026, 01:30 in Toronto comes twice; the meeting is at the first one. Moving
    it to "2026-11-01 01:30" is no change (datetimes in the repeated hour never compare equal
    across zones, so the comparison has to be of instants)."""
    meetings.create_series(
        group,
        rule=parse_rule("1st sunday"),
        at="01:30",
        minutes=60,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 12, 31),
        now=JAN,
    )
    november = meetings.occurrence(group, date(2026, 11, 1))
    assert november.starts_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # EDT, the first
    meetings.reschedule(november, starts_at=parse_local("2026-11-01 01:30", meetings.zone(group)), now=JAN)
    assert Meeting.get_by_id(november.id).sequence == 0
    meetings.reschedule(november, starts_at=parse_local("2026-11-01 02:30", meetings.zone(group)), now=JAN)
    assert Meeting.get_by_id(november.id).sequence == 1


def test_rescheduling_a_skipped_meeting_puts_it_back_on(group, series):
    august = meetings.skip_occurrence(meetings.occurrence(group, date(2026, 8, 11)), now=JAN)
    meetings.reschedule(august, starts_at=local_start(date(2026, 8, 18), time(7, 30), meetings.zone(group)), now=JAN)
    assert (august.status, august.sequence) == ("scheduled", 2)


def test_two_meetings_cannot_share_a_day(group, series):
    march = meetings.occurrence(group, date(2026, 3, 10))
    april_day = local_start(date(2026, 4, 14), time(18, 0), meetings.zone(group))
    with pytest.raises(UserError, match="already a meeting on 2026-04-14"):
        meetings.reschedule(march, starts_at=april_day, now=JAN)
    with pytest.raises(UserError, match="already a meeting on 2026-04-14"):
        meetings.create_meeting(group, starts_at=april_day, minutes=60, now=JAN)
    # A skipped meeting leaves its day free.
    meetings.skip_occurrence(meetings.occurrence(group, date(2026, 4, 14)), now=JAN)
    meetings.reschedule(march, starts_at=april_day, now=JAN)
    assert meetings.occurrence(group, date(2026, 4, 14)) == march


def test_edit_checks_fields(group, series):
    meeting = meetings.occurrence(group, date(2026, 5, 12))
    with pytest.raises(ValidationError) as error:
        meetings.update_meeting(meeting, title="  ", minutes=5, now=JAN)
    assert set(error.value.fields) == {"title", "minutes"}
    with pytest.raises(ValidationError):
        meetings.reschedule(meeting, minutes=0, now=JAN)
    assert Meeting.get_by_id(meeting.id).sequence == 0


def test_unknown_day_is_a_clear_error(group, series):
    with pytest.raises(NotFound, match="no meeting on 2026-03-11"):
        meetings.occurrence(group, date(2026, 3, 11))


def test_finish_marks_held_and_absences_then_corrections_are_recorded(group, series):
    ana = add_member(group, name="Ana Silva", joined_on=date(2025, 5, 1), now=JAN)
    ben = add_member(group, name="Ben Ng", joined_on=date(2025, 5, 1), now=JAN)
    later = add_member(group, name="Cleo Late", joined_on=date(2026, 6, 1), now=JAN)
    january = meetings.occurrence(group, date(2026, 1, 13))
    meetings.set_presence(january, ana, "present", now=JAN)
    with pytest.raises(UserError, match="has not happened yet"):
        meetings.finish_meeting(january, now=JAN)
    on_the_day = datetime(2026, 1, 13, 14, 0, tzinfo=UTC)
    meetings.finish_meeting(january, now=on_the_day)
    assert (january.status, january.sequence) == ("held", 0)
    rows = {row.member.name: row.presence for row in Attendance.select().where(Attendance.meeting == january)}
    assert rows == {"Ana Silva": "present", "Ben Ng": "absent"}  # Cleo joined later
    assert later.name not in rows
    with pytest.raises(UserError, match="is held, not scheduled"):
        meetings.finish_meeting(january, now=on_the_day)
    row = meetings.set_presence(january, ben, "late", now=on_the_day, actor=ana, reason="came at 8")
    (correction,) = row.corrections
    assert (correction.old_presence, correction.new_presence, correction.reason) == ("absent", "late", "came at 8")
    # A held meeting is history: it cannot be moved, skipped or cancelled.
    for change in (meetings.skip_occurrence, meetings.cancel_meeting):
        with pytest.raises(UserError, match="was held"):
            change(january, now=on_the_day)


def test_rsvp_and_substitute(group, series):
    ana = add_member(group, name="Ana Silva", now=JAN)
    meeting = meetings.occurrence(group, date(2026, 2, 10))
    meetings.set_rsvp(meeting, ana, "tentative", now=JAN)
    with pytest.raises(ValidationError):
        meetings.set_rsvp(meeting, ana, "maybe", now=JAN)
    with pytest.raises(ValidationError) as error:
        meetings.set_presence(meeting, ana, "substitute", now=JAN)
    assert "substitute_name" in error.value.fields
    row = meetings.set_presence(meeting, ana, "substitute", substitute_name="Rui Silva", now=JAN)
    assert (row.rsvp, row.presence, row.substitute_name) == ("tentative", "substitute", "Rui Silva")


def test_next_meeting_skips_what_is_not_on(group, series):
    meetings.skip_occurrence(meetings.occurrence(group, date(2026, 1, 13)), now=JAN)
    assert meetings.local_date(meetings.next_meeting(group, JAN)) == date(2026, 2, 10)


def test_time_needed_follows_the_meetings_own_start_and_length(group, series):
    """The group's default is worded for its series (07:30, 90 minutes): a one-off at 11:00
    for an hour, or a meeting moved to 08:00, does not promise 07:30–09:00."""
    update_group(group, default_time_needed="90 minutes, 07:30–09:00, breakfast from 07:15.")
    tz = meetings.zone(group)
    one = meetings.create_meeting(
        group, starts_at=local_start(date(2026, 2, 3), time(11, 0), tz), minutes=60, title="Lunch", now=JAN
    )
    assert one.time_needed == "60 minutes, 11:00–12:00, breakfast from 10:45."
    own = meetings.create_meeting(
        group,
        starts_at=local_start(date(2026, 2, 4), time(11, 0), tz),
        minutes=60,
        now=JAN,
        time_needed="All afternoon",
    )
    assert own.time_needed == "All afternoon"  # what a meeting is given stays

    march = meetings.occurrence(group, date(2026, 3, 10))
    march.time_needed = "90 minutes, 07:30–09:00, breakfast from 07:15."
    march.save()
    moved = meetings.reschedule(march, now=JAN, starts_at=local_start(date(2026, 3, 11), time(8, 0), tz))
    assert moved.time_needed == "90 minutes, 08:00–09:30, breakfast from 07:45."
    assert (
        meetings.fit_time_needed(
            "Coffee first.",
            was=datetime(2026, 1, 1, 7, 30),
            was_minutes=90,
            now_at=datetime(2026, 1, 1, 11, 0),
            minutes=60,
        )
        == "Coffee first."
    )


def test_a_field_under_its_label_does_not_say_the_label_again():
    assert meetings.unlabelled("opt_out", "Can't make it? No reply needed.") == "No reply needed."
    assert meetings.unlabelled("opt_out", "No reply needed.") == "No reply needed."
    assert meetings.unlabelled("time_needed", "Time needed: 90 minutes") == "90 minutes"
    assert meetings.unlabelled("opt_out", "Can't make it?") == "Can't make it?"  # nothing else to say
