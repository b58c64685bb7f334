"""The sample group: what it holds, and that its name is refused where a group has it already
(the sample beside other groups: test_group_copy.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from organizer.errors import UserError
from organizer.models import Group, Meeting, Member, Referral
from organizer.sample import load_sample
from organizer.services.groups import get_setting
from organizer.services.stats import stats
from tests.conftest import NOW


def test_sample_counts(sample_group):
    counts = stats()
    assert counts["groups"] == 1
    assert counts["members"] >= 24
    assert counts["visitors"] >= 3
    assert counts["meetings"] >= 12
    assert counts["referrals"] >= 150
    assert counts["threads"] >= 8
    assert counts["posts"] >= 40
    assert counts["one_to_ones"] > 0


def test_sample_group_is_what_the_issue_describes(sample_group):
    group = sample_group
    assert group.name == "Grand River Business Circle"
    assert group.timezone == "America/Toronto"
    assert all(
        (
            group.default_intent,
            group.default_benefit,
            group.default_topics,
            group.default_time_needed,
            group.default_out,
        )
    )
    names = {m.name for m in Member.select()}
    assert {"Zoë Lefèvre", "José Núñez", "Nguyễn Thị Mai"} <= names
    active = Member.select().where(Member.status == "active")
    categories = [m.category.lower() for m in active]
    assert len(categories) == len(set(categories)) >= 24
    visitors = Member.select().where(Member.status == "visitor")
    assert all(v.invited_by is not None for v in visitors)


def test_sample_meetings_second_tuesday_with_a_skipped_month(sample_group):
    meetings = list(Meeting.select().where(Meeting.starts_at < NOW).order_by(Meeting.starts_at))
    assert len(meetings) == 12
    local = [m.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("America/Toronto")) for m in meetings]
    assert all(t.weekday() == 1 and 8 <= t.day <= 14 and (t.hour, t.minute) == (7, 30) for t in local)
    statuses = [m.status for m in meetings]
    assert statuses.count("skipped") == 1 and statuses.count("held") == 11
    assert local[statuses.index("skipped")].month == 8
    assert all(m.intent and m.opt_out for m in meetings)


def test_sample_referrals_cover_every_status_chains_values_and_voids(sample_group):
    statuses = {r.status for r in Referral.select()}
    assert statuses == {"open", "contacted", "won", "lost"}
    assert Referral.select().where(Referral.parent.is_null(False)).count() >= 5
    assert Referral.select().where(Referral.value_minor > 0).count() >= 20
    assert Referral.select().where(Referral.voided_at.is_null(False)).count() == 2
    assert Referral.select().where(Referral.given_on > date(2026, 11, 20)).count() == 0


def test_sample_sets_who_is_using_the_app(sample_group):
    me = Member.get_by_id(int(get_setting(sample_group, "me")))
    assert me.email == sample_group.organizer_email


def test_second_load_is_refused_and_changes_nothing(sample_group):
    before = stats()
    with pytest.raises(UserError, match="already has a group called “Grand River Business Circle”"):
        load_sample(now=NOW)
    assert stats() == before


def test_shift_to_today_keeps_second_tuesdays_and_dates_the_past(db):
    later = datetime(2027, 5, 3, 15, 0, tzinfo=UTC)
    load_sample(now=later, shift_to_today=True)
    group = Group.get()
    past = list(Meeting.select().where(Meeting.starts_at < later).order_by(Meeting.starts_at))
    zone = __import__("zoneinfo").ZoneInfo(group.timezone)
    # The sample's November meeting lands on 11 May 2027, still ahead of "today" (3 May).
    assert len(past) == 11
    assert past[-1].starts_at.astimezone(zone).date() == date(2027, 4, 13)  # 2nd Tuesday of April 2027
    assert all(m.starts_at.astimezone(zone).weekday() == 1 for m in past)
    assert Referral.select().where(Referral.given_on > date(2027, 5, 3)).count() == 0
    assert Referral.select().where(Referral.given_on >= date(2027, 4, 1)).count() > 5


def test_a_thread_is_carried_to_the_next_meeting(sample_group):
    from organizer.models import AgendaItem, Thread
    from organizer.services.meetings import next_meeting

    carried = Thread.get(Thread.title == "Holiday party: date and place")
    assert carried.carried_to == next_meeting(sample_group, NOW)
    assert AgendaItem.get(AgendaItem.thread == carried).kind == "carried_thread"
