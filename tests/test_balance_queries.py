"""Balance query shapes: each reads through the index made for it, and agrees with a hand count."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from organizer import db as dbmod
from organizer.models import Member, Referral, database
from organizer.services.balances import closed_totals, give_get, member_balance, thanks_owed

FIXTURES = Path(__file__).parent / "fixtures"


def _counted_by_hand(member_id: int, start=None, end=None) -> tuple[int, int, int, int]:
    given = received = value_given = value_received = 0
    for referral in Referral.select().where(Referral.voided_at.is_null()):
        if (start and referral.given_on < start) or (end and referral.given_on > end):
            continue
        won = referral.value_minor or 0 if referral.status == "won" else 0
        if referral.giver_id == member_id:
            given, value_given = given + 1, value_given + won
        if referral.receiver_id == member_id:
            received, value_received = received + 1, value_received + won
    return given, received, value_given, value_received


def test_one_members_balance_matches_everyones_and_a_hand_count(sample_group):
    window = (date(2026, 1, 1), date(2026, 6, 30))
    for start, end in ((None, None), window):
        everyone = {b.member_id: b for b in give_get(sample_group, start, end)}
        for member in Member.select().where(Member.group == sample_group):
            one = member_balance(member, start, end)
            expected = _counted_by_hand(member.id, start, end)
            assert (one.given, one.received, one.value_given, one.value_received) == expected
            if member.id in everyone:
                assert everyone[member.id] == one


def _plans(call, keep=lambda sql: True) -> list[str]:
    """The query plan of every SELECT that `call()` runs (and `keep` accepts)."""
    captured = []
    original = database.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        if sql.startswith("SELECT") and keep(sql):
            plan = original("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            captured.append(" ".join(str(row) for row in plan))
        return original(sql, params, *args, **kwargs)

    database.obj.execute_sql = spy
    try:
        call()
    finally:
        database.obj.execute_sql = original
    return captured


@pytest.mark.sqlite_only  # SQLite's EXPLAIN QUERY PLAN
def test_one_members_balance_uses_their_index(sample_group):
    member = Member.select().where(Member.group == sample_group).first()
    captured = _plans(lambda: member_balance(member), keep=lambda sql: "GROUP BY" in sql)
    assert len(captured) == 2
    # An index on the member's side (the foreign key's or (member, given_on)), never the group's.
    assert "USING INDEX referral_giver_id" in captured[0] and "group_id" not in captured[0]
    assert "USING INDEX referral_receiver_id" in captured[1] and "group_id" not in captured[1]


@pytest.mark.sqlite_only  # SQLite's EXPLAIN QUERY PLAN
def test_closed_business_and_thanks_owed_use_the_closed_on_index(sample_group, now):
    closed = _plans(lambda: closed_totals(sample_group, date(2026, 10, 1), date(2026, 10, 31)))
    owed = _plans(lambda: thanks_owed(sample_group, limit=5))
    for plan in closed + owed:
        assert "referral_group_id_status_closed_on" in plan, plan
    # thanks_owed walks the index in closed_on order: no sorting step.
    assert "TEMP B-TREE" not in owed[0]
    assert [r.id for r in thanks_owed(sample_group, limit=5)] == [r.id for r in thanks_owed(sample_group)][:5]


def test_a_migrated_version_1_database_gets_the_closed_on_index(tmp_path):
    old = tmp_path / "v1.db"
    connection = sqlite3.connect(old)
    connection.executescript((FIXTURES / "schema_v1.sql").read_text(encoding="utf-8"))
    connection.close()
    dbmod.open_database(str(old))
    try:
        indexes = {row[1] for row in database.execute_sql("PRAGMA index_list('referral')")}
        assert "referral_group_id_status_closed_on" in indexes
    finally:
        dbmod.close_database()


def test_the_whole_groups_give_get_agrees_with_an_independent_count_in_order(sample_group):
    """Every member's four figures counted from the rows by hand, visitors without
    referrals left out, sorted by given, won value given, then name (as the recap reads it)."""
    members = list(Member.select().where(Member.group == sample_group).order_by(Member.name, Member.id))
    expected = []
    for member in members:
        figures = _counted_by_hand(member.id)
        if member.status == "visitor" and not (figures[0] or figures[1]):
            continue
        expected.append((member.id, member.name, *figures))
    expected.sort(key=lambda row: (-row[2], -row[4], row[1]))
    found = [
        (b.member_id, b.name, b.given, b.received, b.value_given, b.value_received) for b in give_get(sample_group)
    ]
    assert sorted(found) == sorted(expected)
    # Ties (same figures, same name) may come in any order; everything else in this one.
    assert [row[2:] + (row[1],) for row in found] == [row[2:] + (row[1],) for row in expected]
    assert all(b.net == b.given - b.received for b in give_get(sample_group))


@pytest.mark.sqlite_only  # SQLite's EXPLAIN QUERY PLAN
def test_the_whole_groups_give_get_reads_the_covering_indexes_in_member_order(sample_group):
    captured = _plans(lambda: give_get(sample_group), keep=lambda sql: "GROUP BY" in sql)
    assert len(captured) == 2
    assert "COVERING INDEX referral_giver_id_totals" in captured[0], captured[0]
    assert "COVERING INDEX referral_receiver_id_totals" in captured[1], captured[1]
    # Rows come out of the index already grouped: no sort step.
    assert not any("TEMP B-TREE" in plan for plan in captured), captured


def test_a_total_past_64_bits_is_exact_on_the_fast_path_and_after_its_fallback(sample_group):
    # Three won referrals of one giver at 2**62 each: 3 × 2**62 overflows a 64-bit SUM.
    # SQLite reports it and give/get sums again in halves; PostgreSQL sums them as numeric.
    giver = Member.get((Member.group == sample_group) & (Member.name == "Daniel Okafor"))
    won = list(Referral.select().where((Referral.giver == giver) & Referral.voided_at.is_null()).limit(3))
    assert len(won) == 3
    ids = [r.id for r in won]
    Referral.update(status="won", value_minor=2**62).where(Referral.id.in_(ids)).execute()
    expected = _counted_by_hand(giver.id)
    assert expected[2] >= 3 * 2**62
    everyone = {b.member_id: b for b in give_get(sample_group)}
    one = everyone[giver.id]
    assert (one.given, one.received, one.value_given, one.value_received) == expected
