"""What the Meetings screens read and write beyond the core meeting services: the list's
figures, the roster in pages, who speaks in the 60-second round, and the group's
invitation defaults reaching the upcoming meetings that kept them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from organizer.errors import ValidationError
from organizer.models import Meeting
from organizer.services import agenda, meetings
from organizer.services.attendance import add_visitor, came_count, roster, roster_size, speakers
from organizer.services.meeting_list import describe_series, meeting_rows, running_series
from organizer.services.members import add_member
from organizer.services.recurrence import parse_rule

DEC = datetime(2025, 12, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def series(group):
    return meetings.create_series(
        group,
        rule=parse_rule("last friday"),
        at="18:30",
        minutes=120,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
        now=DEC,
    )


@pytest.fixture
def people(group):
    return {name: add_member(group, name=name, now=DEC) for name in ("Ana Silva", "Ben Ng", "Zoë Lefèvre")}


def test_meeting_rows_count_answers_arrivals_and_agenda_per_meeting(group, series, people):
    january, february = meetings.occurrence(group, date(2026, 1, 30)), meetings.occurrence(group, date(2026, 2, 27))
    meetings.set_rsvp(january, people["Ana Silva"], "accepted", now=DEC)
    meetings.set_rsvp(january, people["Ben Ng"], "tentative", now=DEC)
    meetings.set_rsvp(january, people["Zoë Lefèvre"], "declined", now=DEC)
    meetings.set_presence(january, people["Ana Silva"], "present", now=DEC)
    meetings.set_presence(january, people["Ben Ng"], "substitute", substitute_name="Bo Ng", now=DEC)
    add_visitor(january, name="Quinn Baker", invited_by=people["Ana Silva"], now=DEC)
    meetings.set_rsvp(february, people["Ben Ng"], "accepted", now=DEC)
    agenda.add_item(january, kind="open_networking", minutes=100)
    agenda.add_item(january, kind="other", minutes=30)

    rows = {row.meeting.id: row for row in meeting_rows(group, date(2026, 1, 1), date(2026, 2, 28))}
    assert set(rows) == {january.id, february.id}
    jan = rows[january.id]
    assert (jan.accepted, jan.tentative, jan.declined) == (1, 1, 1)
    assert jan.came == 3  # Ana, Ben's substitute and the visitor
    assert (jan.agenda_minutes, jan.agenda_items) == (130, 2)
    feb = rows[february.id]
    assert (feb.accepted, feb.came, feb.agenda_items) == (1, 0, 0)
    assert came_count(january) == 3
    assert meeting_rows(group, date(2027, 1, 1)) == []


def test_running_series_and_their_description(group, series):
    assert running_series(group, date(2026, 3, 1)) == [series]
    assert running_series(group, date(2026, 7, 1)) == []  # ended on 30 June
    assert describe_series(series) == "last Friday at 18:30, 120 min, from 2026-01-01 until 2026-06-30"


def test_the_roster_comes_in_pages_with_its_size(group, series, people):
    meeting = meetings.occurrence(group, date(2026, 1, 30))
    for index in range(30):
        add_member(group, name=f"Member {index:02d}", now=DEC)
    assert roster_size(meeting) == 33
    lines = roster(meeting, limit=10)
    assert len(lines) == 10 and lines[0].member.name == "Ana Silva"
    assert roster_size(meeting, "member 1") == 10  # 10–19: each word the start of a word of the name
    assert [line.member.name for line in roster(meeting, "zoe")] == ["Zoë Lefèvre"]


def test_speakers_are_who_is_here_or_before_check_in_every_active_member(group, series, people):
    meeting = meetings.occurrence(group, date(2026, 1, 30))
    on_leave = add_member(group, name="Lee On Leave", status="on_leave", now=DEC)
    assert [line.speaker for line in speakers(meeting)] == ["Ana Silva", "Ben Ng", "Zoë Lefèvre"]
    meetings.set_presence(meeting, people["Zoë Lefèvre"], "present", now=DEC)
    meetings.set_presence(meeting, people["Ana Silva"], "late", now=DEC)
    meetings.set_presence(meeting, people["Ben Ng"], "substitute", substitute_name="Bo Ng", now=DEC)
    meetings.set_presence(meeting, on_leave, "medical", now=DEC)
    add_visitor(meeting, name="Quinn Baker", now=DEC)
    assert [line.speaker for line in speakers(meeting)] == [
        "Ana Silva",
        "Bo Ng (for Ben Ng)",
        "Quinn Baker",
        "Zoë Lefèvre",
    ]


def test_a_returning_visitor_is_checked_in_as_themselves(group, series, people):
    from organizer.models import Member

    first, second = meetings.occurrence(group, date(2026, 1, 30)), meetings.occurrence(group, date(2026, 2, 27))
    add_visitor(first, name="Quinn Baker", now=DEC)
    again = add_visitor(second, name="quinn  baker", invited_by=people["Ana Silva"], now=DEC)
    visitors = list(Member.select().where(Member.status == "visitor"))
    assert [v.name for v in visitors] == ["Quinn Baker"] and again.member_id == visitors[0].id
    assert visitors[0].invited_by_id == people["Ana Silva"].id and again.presence == "present"


def test_invitation_defaults_reach_the_upcoming_meetings_that_kept_them(group, series):
    meetings.update_invitation_defaults(group, now=DEC, intent="Pass referrals", opt_out="No reply needed")
    assert all(m.intent == "Pass referrals" for m in Meeting.select())
    past = meetings.occurrence(group, date(2026, 1, 30))
    own = meetings.occurrence(group, date(2026, 3, 27))
    meetings.update_meeting(own, now=DEC, intent="A special session on exports")
    later = datetime(2026, 2, 15, 12, 0, tzinfo=UTC)
    changed = meetings.update_invitation_defaults(group, now=later, intent="Give before you get")
    assert changed == 4  # February, April, May and June kept the default; March has its own
    assert meetings.occurrence(group, date(2026, 1, 30)).intent == past.intent == "Pass referrals"
    assert meetings.occurrence(group, date(2026, 3, 27)).intent == "A special session on exports"
    assert meetings.occurrence(group, date(2026, 4, 24)).intent == "Give before you get"
    assert meetings.occurrence(group, date(2026, 4, 24)).opt_out == "No reply needed"
    assert group.default_intent == "Give before you get"
    assert meetings.occurrence(group, date(2026, 4, 24)).sequence == 0  # not a material change
    with pytest.raises(ValidationError) as error:
        meetings.update_invitation_defaults(group, now=later, topics="x" * 2001)
    assert "topics" in error.value.fields


def test_check_in_keeps_a_substitute_and_undo_takes_back_only_a_check_in(group, series, people):
    from organizer.errors import UserError
    from organizer.services.attendance import check_in, undo_check_in

    meeting = meetings.occurrence(group, date(2026, 1, 30))
    ana, ben = people["Ana Silva"], people["Ben Ng"]
    meetings.set_presence(meeting, ben, "substitute", substitute_name="Bo Ng", now=DEC)
    row, changed = check_in(meeting, ben, now=DEC)
    assert not changed and (row.presence, row.substitute_name) == ("substitute", "Bo Ng")
    with pytest.raises(UserError, match="not checked in"):
        undo_check_in(meeting, ben, now=DEC)
    row, changed = check_in(meeting, ana, now=DEC)
    assert changed and row.presence == "present"
    assert undo_check_in(meeting, ana, now=DEC).presence is None


def test_nobody_attends_a_cancelled_meeting(group, series, people):
    from organizer.errors import UserError

    meeting = meetings.cancel_meeting(meetings.occurrence(group, date(2026, 1, 30)), now=DEC)
    with pytest.raises(UserError, match="cancelled: nobody attends it"):
        meetings.set_presence(meeting, people["Ana Silva"], "present", now=DEC)


@pytest.mark.sqlite_only  # SQLite's file write lock
def test_looking_at_a_stored_series_writes_nothing(group, series, db_path):
    # Another connection holds the write lock: extending a series with nothing to add
    # must not wait for it (the Meetings section extends on every look).
    import sqlite3
    import time as clock

    other = sqlite3.connect(db_path, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = clock.perf_counter()
        assert meetings.extend_all(group, now=DEC) == 0
        assert clock.perf_counter() - started < 1
    finally:
        other.rollback()
        other.close()


def test_finishing_a_one_off_meeting_marks_nobody_absent_and_leaves_rates_alone(group, series, people):
    from organizer.models import Attendance
    from organizer.services.attendance import attendance_rate

    social = meetings.create_meeting(
        group, starts_at=datetime(2026, 1, 16, 23, 0, tzinfo=UTC), minutes=120, title="Winter social", now=DEC
    )
    meetings.set_presence(social, people["Ana Silva"], "present", now=DEC)
    after = datetime(2026, 1, 17, 12, 0, tzinfo=UTC)
    meetings.finish_meeting(social, now=after)
    assert social.status == "held"
    assert [a.member.name for a in Attendance.select().where(Attendance.meeting == social)] == ["Ana Silva"]
    ben = attendance_rate(people["Ben Ng"], after)
    assert (ben.attended, ben.counted) == (0, 0)  # the social is nobody's duty
    ana = attendance_rate(people["Ana Silva"], after)
    assert (ana.attended, ana.counted) == (1, 1)
