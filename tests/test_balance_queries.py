"""Give/get query shapes: one member's balance reads only their rows, and agrees with everyone's."""

from __future__ import annotations

from datetime import date

from organizer.models import Member, Referral, database
from organizer.services.balances import give_get, member_balance


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


def test_one_members_balance_uses_their_index(sample_group):
    member = Member.select().where(Member.group == sample_group).first()
    captured = []
    original = database.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        if sql.startswith("SELECT") and "GROUP BY" in sql:
            plan = original("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            captured.append(" ".join(str(row) for row in plan))
        return original(sql, params, *args, **kwargs)

    database.obj.execute_sql = spy
    try:
        member_balance(member)
    finally:
        database.obj.execute_sql = original
    assert len(captured) == 2
    # An index on the member's side (the foreign key's or (member, given_on)), never the group's.
    assert "USING INDEX referral_giver_id" in captured[0] and "group_id" not in captured[0]
    assert "USING INDEX referral_receiver_id" in captured[1] and "group_id" not in captured[1]
