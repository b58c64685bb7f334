"""The recap service: the sample group's October 2026, section by section, against values
worked out independently from sample_data/ (tests/recap_expected.py); privacy; speed."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from organizer.errors import ValidationError
from organizer.models import Group, Member, Referral, Thread, database
from organizer.services import meetings
from organizer.services.members import add_member
from organizer.services.recap import build_recap, parse_month
from organizer.services.recap_business import shape_amount
from tests.recap_expected import expected_month, group_spec, second_tuesday

FISCAL_START = date(2026, 9, 1)  # group.toml: fiscal_year_start = 9


@pytest.fixture
def october(sample_group, now):
    return build_recap(sample_group, 2026, 10, now=now)


@pytest.fixture
def expected():
    return expected_month(2026, 10, FISCAL_START)


def test_header(october):
    spec = group_spec()
    assert october.group == spec["group"]["name"] == "Grand River Business Circle"
    assert october.title == "Grand River Business Circle — recap for October 2026"
    held = [meeting.day for meeting in october.meetings_held]
    assert held == [second_tuesday(2026, 10)]
    assert october.meetings_held[0].starts == "Tuesday 13 October 2026, 07:30"
    # At the sample's today (20 November) November's meeting is over: the next is December's.
    assert october.next_meeting.day == second_tuesday(2026, 12)
    assert october.next_meeting.intent == spec["group"]["default_intent"]


def test_who_referred_whom_is_every_live_referral_of_the_month_grouped_by_giver(october, expected):
    got = {
        (line.giver, line.receiver, line.prospect, line.temperature, line.status)
        for group in october.who_referred_whom
        for line in group.referrals
    }
    assert got == expected.lines
    assert october.referrals_given == len(expected.lines) == 14
    for group in october.who_referred_whom:
        assert {line.giver for line in group.referrals} == {group.giver}
    givers = [group.giver for group in october.who_referred_whom]
    assert len(givers) == len(set(givers)) == len({line[0] for line in expected.lines})
    line = next(
        line for group in october.who_referred_whom for line in group.referrals if line.prospect == "Elmira Bakehouse"
    )
    assert line.text == "Priya Raman → Oluwaseun Adeyemi: Elmira Bakehouse (4, won)"


def test_voided_referrals_are_left_out(sample_group, now):
    december = build_recap(sample_group, 2025, 12, now=now)
    prospects = [line.prospect for group in december.who_referred_whom for line in group.referrals]
    assert "The Hendersons" not in prospects  # voided as a duplicate in the sample
    assert december.referrals_given == sum(expected_month(2025, 12, date(2025, 9, 1)).matrix.values())


def test_matrix(october, expected):
    matrix = october.matrix
    got = Counter(
        {
            (g, r): matrix.counts[i][j]
            for i, g in enumerate(matrix.givers)
            for j, r in enumerate(matrix.receivers)
            if matrix.counts[i][j]
        }
    )
    assert got == expected.matrix
    assert matrix.total == 14
    assert list(matrix.row_totals) == [sum(row) for row in matrix.counts]
    assert sum(matrix.column_totals) == matrix.total


def test_chains_trace_back_to_the_root_giver(october, expected):
    assert [chain.names for chain in october.chains] == expected.chains
    assert october.chains[-1].text == "Marcus Thompson → Daniel Okafor → Emily Wagner → Sarah Mitchell"


def test_chain_spanning_months(sample_group, now):
    march = build_recap(sample_group, 2026, 3, now=now)
    assert [chain.text for chain in march.chains] == ["Daniel Okafor → Priya Raman → Linda MacDonald → Brian Lee"]


def test_closed_business_and_thank_yous(october, expected):
    got = [(line.receiver, line.giver, line.prospect) for line in october.closed]
    assert got == [row[:3] for row in expected.closed]
    amounts = [line.amount for line in october.closed]
    assert amounts == [f"{minor // 100:,}.{minor % 100:02d} CAD" for *_, minor in expected.closed]
    total = sum(minor for *_, minor in expected.closed)
    assert october.closed_total == f"{total // 100:,}.{total % 100:02d} CAD" == "22,475.99 CAD"
    assert [(t.receiver, t.giver, t.prospect) for t in october.thanks] == expected.thanks


def test_give_get_month_and_fiscal_year_top_givers_first(october, expected):
    rows = {row.name: row for row in october.give_get}
    people = set(expected.year_given) | set(expected.year_received)
    assert set(rows) == people
    for name in people:
        row = rows[name]
        assert (row.given, row.received, row.year_given, row.year_received) == (
            expected.given[name],
            expected.received[name],
            expected.year_given[name],
            expected.year_received[name],
        ), name
    givens = [row.given for row in october.give_get]
    assert givens == sorted(givens, reverse=True)
    assert october.give_get[0].name == "Priya Raman"
    assert october.fiscal_year_start == FISCAL_START


def test_attendance_visitors_and_new_members(october, expected):
    counts = october.attendance
    assert counts.meetings == 1
    # One meeting: people and seats are the same count.
    assert counts.came == expected.presence["present"] + expected.presence["late"]
    got = {state: getattr(counts, state) for state in ("late", "substitute", "medical", "absent")}
    assert got == {state: expected.presence[state] for state in got}
    assert [(v.name, v.invited_by) for v in october.visitors] == expected.visitors == [("Samuel Osei", "José Núñez")]
    assert [m.name for m in october.new_members] == expected.new_members == []


def test_new_member_and_substitute(sample_group, now):
    add_member(
        sample_group,
        now=now,
        name="Ana Costa",
        business="Costa Bakery",
        category="Baker",
        joined_on=date(2026, 11, 3),
        invited_by=Member.get(Member.name == "Priya Raman"),
    )
    meeting = meetings.occurrence(sample_group, second_tuesday(2026, 11))
    meetings.set_presence(
        meeting, Member.get(Member.name == "Tom Kowalski"), "substitute", substitute_name="Lena Kowalski", now=now
    )
    november = build_recap(sample_group, 2026, 11, now=now)
    assert [(m.name, m.invited_by, m.joined_on) for m in november.new_members] == [
        ("Ana Costa", "Priya Raman", date(2026, 11, 3))
    ]
    expected = expected_month(2026, 11, FISCAL_START)
    assert ("Tom Kowalski", "Lena Kowalski") in november.attendance.substitutes
    assert november.attendance.substitute == len(november.attendance.substitutes) == expected.presence["substitute"] + 1
    assert {v.name for v in november.visitors} == {"Rebecca Stone", "佐藤 健"}


def test_attendance_counts_people_not_seats(sample_group, now):
    """Two meetings in a month with the same people: each person counted once."""
    october = meetings.occurrence(sample_group, second_tuesday(2026, 10))
    extra = meetings.create_meeting(
        sample_group, title="Extra", starts_at=october.starts_at + timedelta(days=7), minutes=90, now=now
    )
    before = build_recap(sample_group, 2026, 10, now=now).attendance
    came = [
        row.member
        for row in october.attendance
        if row.presence in ("present", "late") and row.member.status != "visitor"
    ]
    for member in came:
        meetings.set_presence(extra, member, "present", now=now)
    meetings.mark_held(extra, now=now)
    after = build_recap(sample_group, 2026, 10, now=now).attendance
    assert after.meetings == 2
    assert after.came == before.came == len(came)
    assert after.late == 0  # everyone late at the first meeting was on time at the second


def test_threads(sample_group, now):
    november = build_recap(sample_group, 2026, 11, now=now)
    expected = expected_month(2026, 11, FISCAL_START)
    threads = november.threads
    assert {line.title for line in threads.active} == expected.active_threads
    assert {line.title for line in threads.active if line.started_in_month} == expected.started_threads
    assert threads.started == len(expected.started_threads) == 2
    june = build_recap(sample_group, 2026, 6, now=now)
    assert june.threads.resolved == len(expected_month(2026, 6, FISCAL_START).resolved_threads) == 1
    assert {line.title for line in threads.carried} == expected.carried_threads


def test_threads_carried_to_the_next_meeting(sample_group, now):
    upcoming = meetings.occurrence(sample_group, second_tuesday(2026, 12))
    thread = Thread.get(Thread.title == "Ask: who fixes commercial fridges?")
    Thread.update(carried_to=upcoming).where(Thread.id == thread.id).execute()
    november = build_recap(sample_group, 2026, 11, now=now)
    expected = expected_month(2026, 11, FISCAL_START).carried_threads | {thread.title}
    assert {line.title for line in november.threads.carried} == expected
    assert len(expected) == 2


def test_twelve_month_series(october, expected):
    assert next((item.year, item.month) for item in october.series) == (2025, 11)
    assert [(item.year, item.month) for item in october.series][-1] == (2026, 10)
    assert [item.count for item in october.series] == expected.series


def test_three_privacy_modes(sample_group, now):
    shown = build_recap(sample_group, 2026, 10, now=now, amounts="show")
    bucketed = build_recap(sample_group, 2026, 10, now=now, amounts="bucket")
    hidden = build_recap(sample_group, 2026, 10, now=now, amounts="hide")
    assert [line.amount for line in shown.closed][:2] == ["3,433.00 CAD", "5,806.00 CAD"]
    assert [line.amount for line in bucketed.closed] == [
        "1,000–5,000 CAD",
        "5,000–10,000 CAD",
        "1,000–5,000 CAD",
        "under 1,000 CAD",
        "5,000–10,000 CAD",
        "1,000–5,000 CAD",
    ]
    assert bucketed.closed_total == "10,000–25,000 CAD"
    assert all(line.amount == "" for line in hidden.closed) and hidden.closed_total == ""
    assert len(hidden.closed) == len(shown.closed) == 6
    # The group's own setting is the default.
    sample_group.recap_amounts = "hide"
    sample_group.save()
    assert build_recap(sample_group, 2026, 10, now=now).closed_total == ""


def test_bucket_edges():
    assert shape_amount(99_999, "CAD", "bucket") == "under 1,000 CAD"
    assert shape_amount(100_000, "CAD", "bucket") == "1,000–5,000 CAD"
    assert shape_amount(10_000_000, "CAD", "bucket") == "100,000 and over CAD"
    assert shape_amount(5_000, "JPY", "bucket") == "5,000–10,000 JPY"


def test_parse_month():
    assert parse_month("2026-10") == (2026, 10)
    for bad in ("2026-13", "10-2026", "2026/10", "", "soon"):
        with pytest.raises(ValidationError):
            parse_month(bad)


def test_empty_month(group, now):
    recap = build_recap(group, 2026, 10, now=now)
    assert recap.referrals_given == 0 and recap.who_referred_whom == () and recap.matrix.total == 0
    assert recap.meetings_held == () and recap.next_meeting is None
    assert recap.attendance.meetings == 0 and [item.count for item in recap.series] == [0] * 12


def _bulk_group(now: datetime, members: int, referrals: int) -> Group:
    """A group with `members` members and `referrals` referrals over the last year, chains included."""
    group = Group.create(name="Bulk", timezone="America/Toronto", created_at=now)
    with database.atomic():
        Member.insert_many(
            [
                {"group": group.id, "name": f"Member {i:05d}", "status": "active", "created_at": now, "updated_at": now}
                for i in range(members)
            ]
        ).execute()
        ids = [m.id for m in Member.select(Member.id).where(Member.group == group)]
        rows = []
        start = date(2025, 11, 1)
        for i in range(referrals):
            rows.append(
                {
                    "group": group.id,
                    "giver": ids[i % len(ids)],
                    "receiver": ids[(i * 7 + 1) % len(ids)],
                    "prospect_name": f"Prospect {i}",
                    "given_on": start + timedelta(days=i * 365 // referrals),
                    "status": ("open", "contacted", "won", "lost")[i % 4],
                    "value_minor": 100_000 if i % 4 == 2 else None,
                    "closed_on": start + timedelta(days=i * 365 // referrals) if i % 4 >= 2 else None,
                    "created_at": now,
                }
            )
        for chunk in range(0, len(rows), 500):
            Referral.insert_many(rows[chunk : chunk + 500]).execute()
        ids = [
            rid for (rid,) in Referral.select(Referral.id).where(Referral.group == group).order_by(Referral.id).tuples()
        ]
        # Every 10th referral came out of the one 10 before it, restarting every 50: chains of 2–5.
        children = [ids[i] for i in range(10, len(ids), 10) if i % 50]
        for chunk in range(0, len(children), 500):
            Referral.update(parent=Referral.id - 10).where(Referral.id.in_(children[chunk : chunk + 500])).execute()
    return group


def test_queries_do_not_grow_with_referrals(db, now):
    """No query per referral: the count stays flat from 300 to 3,000 referrals (60 members)."""
    counted = []
    original = db.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        counted.append(sql)
        return original(sql, params, *args, **kwargs)

    small, large = _bulk_group(now, 60, 300), _bulk_group(now, 60, 3000)
    db.execute_sql = counting
    try:
        build_recap(small, 2026, 10, now=now)
        few = len(counted)
        counted.clear()
        started = time.perf_counter()
        recap = build_recap(large, 2026, 10, now=now)
        elapsed = time.perf_counter() - started
        many = len(counted)
    finally:
        del db.execute_sql
    assert recap.referrals_given > 200 and recap.chains
    assert many <= few + 3  # chains may reach back a few more generations
    assert many < 40
    assert elapsed < 0.5  # budget 50 ms on the bench machine; generous here against slow CI


def _listed_whole(recap) -> bool:
    """Nothing of the month left out of the recap's lists (no "and N more" anywhere)."""
    return (
        recap.referrals_more == 0
        and recap.chain_count == len(recap.chains)
        and recap.closed_count == len(recap.closed)
        and recap.closed_order == "date"
        and recap.closed_more_total == ""
        and recap.thanks_count == len(recap.thanks)
        and recap.give_get_count == len(recap.give_get)
        and recap.visitor_count == len(recap.visitors)
        and recap.new_member_count == len(recap.new_members)
        and recap.attendance.substitutes_more == 0
        and recap.threads.active_more == 0
    )


def test_the_sample_group_is_never_capped(sample_group, now):
    months = [(2025, 12)] + [(2026, m) for m in range(1, 12)]
    for year, month in months:
        assert _listed_whole(build_recap(sample_group, year, month, now=now)), (year, month)


def test_a_chapter_sized_month_is_listed_whole(db, now):
    """60 members passing 3,000 referrals a year: a busy month (~250 referrals, ~60 deals
    closed), every line of it in the recap."""
    recap = build_recap(_bulk_group(now, 60, 3000), 2026, 10, now=now)
    assert recap.referrals_given > 200 and recap.closed_count > 50 and len(recap.give_get) == 60
    assert _listed_whole(recap)
