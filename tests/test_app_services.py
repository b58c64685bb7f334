"""The reads and writes behind the app's screens: search, member detail, dashboard, onboarding."""

from __future__ import annotations

from datetime import date

import pytest

from organizer.errors import ValidationError
from organizer.models import Attendance, Group, Meeting, Member
from organizer.services.attendance import rsvp_counts
from organizer.services.dashboard import active_threads
from organizer.services.meetings import next_meeting
from organizer.services.member_detail import member_detail
from organizer.services.members import MemberFilter, add_member, count_members, search_members
from organizer.services.onboarding import onboarding_problems, start_group


def test_search_takes_glob_wildcards_literally(group, now):
    add_member(group, now=now, name="Star*Power", email="star@example.com")
    add_member(group, now=now, name="Starling", email="ling@example.com")
    assert [m.name for m in search_members(group, MemberFilter(text="star*"))] == ["Star*Power"]
    assert search_members(group, MemberFilter(text="st?r")) == []
    assert [m.name for m in search_members(group, MemberFilter(text="STAR"))] == ["Star*Power", "Starling"]


def test_brief_search_and_capped_count(group, now):
    for index in range(12):
        add_member(group, now=now, name=f"Person {index:02d}")
    brief = search_members(group, MemberFilter(text="person"), limit=5, brief=True)
    assert [m.name for m in brief] == [f"Person {i:02d}" for i in range(5)]
    assert count_members(group, MemberFilter(text="person")) == 12
    assert count_members(group, MemberFilter(text="person"), cap=10) == 11
    assert count_members(group, MemberFilter(text="person 1"), cap=10) == 3


def test_member_detail_of_the_sample(sample_group, now):
    zoe = Member.get(Member.email == "zoe@lefevre.design")
    detail = member_detail(zoe, now=now)
    assert detail.invited_by.name == "Priya Raman"
    assert {m.name for m in detail.invitees} >= {"José Núñez"}
    assert len(detail.attendance) == 6
    assert detail.attendance[0].meeting.starts_at > detail.attendance[-1].meeting.starts_at
    assert detail.balance.given > 0 and detail.one_to_ones > 0
    assert all(r.voided_at is None for r in detail.recent_referrals)
    assert len(detail.recent_referrals) <= 5
    # She joined in 2020: every held meeting of the sample counts toward her rate.
    held = Meeting.select().where((Meeting.group == sample_group) & (Meeting.status == "held"))
    came = (
        Attendance.select()
        .where(
            (Attendance.member == zoe)
            & Attendance.meeting.in_(held)
            & Attendance.presence.in_(("present", "late", "substitute"))
        )
        .count()
    )
    assert (detail.rate.attended, detail.rate.counted + detail.rate.excused) == (came, held.count())


def test_dashboard_reads(sample_group, now):
    meeting = next_meeting(sample_group, now)
    counts = rsvp_counts(meeting)
    assert set(counts) == {"needs_action", "accepted", "tentative", "declined"}
    # Every active member counts (no answer is needs_action), and members on leave who answered.
    active = Member.select().where((Member.group == sample_group) & (Member.status == "active")).count()
    on_leave = (
        Attendance.select().join(Member).where((Attendance.meeting == meeting) & (Member.status == "on_leave")).count()
    )
    assert sum(counts.values()) == active + on_leave
    accepted = (
        Attendance.select()
        .join(Member)
        .where(
            (Attendance.meeting == meeting)
            & Member.status.in_(("active", "on_leave"))
            & (Attendance.rsvp == "accepted")
        )
        .count()
    )
    assert counts["accepted"] == accepted
    threads = active_threads(sample_group, limit=3)
    assert len(threads) == 3 and not any(t.resolved for t in threads)
    assert threads[0].last_activity_at >= threads[1].last_activity_at


VALUES = {
    "name": "Lakeside",
    "timezone": "Europe/Dublin",
    "organizer_name": "Aoife",
    "organizer_email": "aoife@example.ie",
    "currency": "eur",
    "rule": "last friday",
    "at": "18:30",
    "minutes": "120",
    "starts_on": "",
}


def test_start_group_creates_the_group_and_series(db, now):
    group = start_group(VALUES, now=now)
    assert group.currency == "EUR"
    first = Meeting.select().order_by(Meeting.starts_at).first()
    assert first.occurrence_date == date(2026, 11, 27)  # the last Friday of this month
    assert first.minutes == 120


def test_onboarding_problems_name_each_field(db, now):
    _, errors = onboarding_problems(
        {**VALUES, "rule": "2nd funday", "at": "25:00", "minutes": "5", "starts_on": "2026-12-01"}, now=now
    )
    assert set(errors) == {"rule", "at", "minutes"}
    _, errors = onboarding_problems({**VALUES, "starts_on": "2026-12-03"}, now=now)
    assert "is not a last Friday" in errors["starts_on"]
    _, errors = onboarding_problems({**VALUES, "starts_on": "2026-10-30"}, now=now)
    assert errors["starts_on"] == "the first meeting is today or later"
    with pytest.raises(ValidationError):
        start_group({**VALUES, "organizer_email": "nope"}, now=now)
    assert Group.select().count() == 0
