"""Visitors at the door and attendance rates counted from each member's join date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from organizer.errors import UserError, ValidationError
from organizer.models import Attendance, Member
from organizer.services import meetings
from organizer.services.attendance import (
    add_visitor,
    attendance_rate,
    attendance_rates,
    roster,
    rsvp_counts,
    toggle_present,
    visitors_at,
)
from organizer.services.members import add_member, archive_member
from organizer.services.recurrence import parse_rule

DEC = datetime(2025, 12, 1, 15, 0, tzinfo=UTC)
END = datetime(2026, 7, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def series(group):
    return meetings.create_series(
        group,
        rule=parse_rule("2nd tuesday"),
        at="07:30",
        minutes=90,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
        now=DEC,
    )


def test_visitor_at_the_door_becomes_a_visitor_member_who_is_present(group, series):
    ana = add_member(group, name="Ana Silva", now=DEC)
    meeting = meetings.occurrence(group, date(2026, 1, 13))
    row = add_visitor(meeting, name="Quinn Baker", invited_by=ana, business="Quinn's Bakery", now=DEC)
    visitor = Member.get_by_id(row.member_id)
    assert (visitor.status, visitor.invited_by_id, visitor.business) == ("visitor", ana.id, "Quinn's Bakery")
    assert row.presence == "present"
    assert [r.member.name for r in visitors_at(meeting)] == ["Quinn Baker"]
    assert ana.invitees.count() == 1


def test_a_visitor_needs_a_name_and_a_real_meeting(group, series):
    meeting = meetings.occurrence(group, date(2026, 1, 13))
    with pytest.raises(ValidationError) as error:
        add_visitor(meeting, name=" ", now=DEC)
    assert "name" in error.value.fields
    assert Member.select().count() == 0
    meetings.cancel_meeting(meeting, now=DEC)
    with pytest.raises(UserError, match="cancelled"):
        add_visitor(meeting, name="Quinn Baker", now=DEC)


def test_a_visitor_added_after_the_meeting_was_held_is_a_recorded_correction(group, series):
    meeting = meetings.occurrence(group, date(2026, 1, 13))
    meetings.finish_meeting(meeting, now=datetime(2026, 1, 13, 15, 0, tzinfo=UTC))
    row = add_visitor(meeting, name="Quinn Baker", now=END)
    (correction,) = row.corrections
    assert (correction.old_presence, correction.new_presence) == (None, "present")


def _hold(group, day, presences):
    meeting = meetings.occurrence(group, day)
    for member, presence in presences.items():
        meetings.set_presence(
            meeting, member, presence, substitute_name="Sub" if presence == "substitute" else "", now=DEC
        )
    meetings.finish_meeting(meeting, now=END)
    return meeting


def test_rates_count_from_the_join_date_and_leave_out_medical(group, series):
    old = add_member(group, name="Olga Old", joined_on=date(2024, 1, 1), now=DEC)
    new = add_member(group, name="Nina New", joined_on=date(2026, 3, 1), now=DEC)
    gone = add_member(group, name="Gus Gone", joined_on=date(2024, 1, 1), now=DEC)
    _hold(group, date(2026, 1, 13), {old: "present", gone: "present"})
    _hold(group, date(2026, 2, 10), {old: "late"})
    archive_member(gone, now=DEC, on=date(2026, 2, 20))
    meetings.skip_occurrence(meetings.occurrence(group, date(2026, 3, 10)), now=DEC)  # not held: not counted
    _hold(group, date(2026, 4, 14), {old: "medical", new: "present"})
    _hold(group, date(2026, 5, 12), {old: "substitute", new: "absent"})
    # June is still scheduled: not counted.

    rates = attendance_rates(group, END)
    assert (rates[old.id].attended, rates[old.id].counted, rates[old.id].excused) == (3, 3, 1)
    assert rates[old.id].percent == 100
    assert (rates[new.id].attended, rates[new.id].counted, rates[new.id].percent) == (1, 2, 50)
    assert rates[new.id].describe() == "50% (1 of 2)"
    assert (rates[gone.id].attended, rates[gone.id].counted) == (1, 2)  # until archived
    assert attendance_rate(new, END) == rates[new.id]


def test_no_rate_before_a_first_meeting(group, series):
    member = add_member(group, name="Fresh Face", joined_on=date(2026, 6, 20), now=DEC)
    rate = attendance_rate(member, END)
    assert (rate.percent, rate.describe()) == (None, "no meetings yet")


def test_rates_on_the_sample_group(sample_group, now):
    rates = attendance_rates(sample_group, now)
    visitors = Member.select().where((Member.group == sample_group) & (Member.status == "visitor"))
    assert not set(v.id for v in visitors) & set(rates)
    assert all(rate.percent is None or 0 <= rate.percent <= 100 for rate in rates.values())
    daniel = Member.get(Member.name == "Daniel Okafor")
    assert rates[daniel.id].counted >= 10
    # Recount by hand: held meetings since he joined, attended vs absent.
    rows = list(Attendance.select().where(Attendance.member == daniel))
    attended = sum(row.presence in ("present", "late", "substitute") and row.meeting.status == "held" for row in rows)
    assert rates[daniel.id].attended == attended


def test_roster_check_in_and_rsvp_counts(group, series):
    ana = add_member(group, name="Ana Silva", now=DEC)
    zoe = add_member(group, name="Zoë Lefèvre", now=DEC)
    add_member(group, name="Lou On Leave", status="on_leave", now=DEC)
    add_member(group, name="Al Alumnus", status="alumni", now=DEC)
    meeting = meetings.occurrence(group, date(2026, 1, 13))
    meetings.set_rsvp(meeting, ana, "accepted", now=DEC)
    add_visitor(meeting, name="Quinn Baker", invited_by=zoe, now=DEC)
    assert [line.member.name for line in roster(meeting)] == ["Ana Silva", "Lou On Leave", "Quinn Baker", "Zoë Lefèvre"]
    assert [line.member.name for line in roster(meeting, "zoe")] == ["Zoë Lefèvre"]
    assert rsvp_counts(meeting) == {"needs_action": 1, "accepted": 1, "tentative": 0, "declined": 0}

    assert toggle_present(meeting, zoe, now=DEC).presence == "present"
    assert toggle_present(meeting, zoe, now=DEC).presence is None
    toggle_present(meeting, zoe, now=DEC)
    meetings.finish_meeting(meeting, now=datetime(2026, 1, 13, 15, 0, tzinfo=UTC))
    undone = toggle_present(meeting, zoe, now=END)
    assert undone.presence == "absent"
    assert [(c.old_presence, c.new_presence) for c in undone.corrections] == [("present", "absent")]
