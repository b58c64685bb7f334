"""The ledger's rules: a referral's life, edits and voids in history, money, give/get,
the matrix, chains and the follow-up queues, against hand-computed cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from peewee import SqliteDatabase

from organizer.errors import UserError, ValidationError
from organizer.models import LedgerEvent, Referral
from organizer.services import balances, ledger
from organizer.services import ledger_queries as q
from organizer.services.members import add_member
from organizer.services.money import parse_money


@pytest.fixture
def people(group, now):
    return {
        key: add_member(group, now=now, name=name, email=f"{key.lower()}@example.com", category=key)
        for key, name in (("A", "Ana Alves"), ("B", "Bo Berg"), ("C", "Chen Jing 陈静"), ("D", "Dmitri Dorn"))
    }


def refer(group, now, people, giver, receiver, day, **values):
    return ledger.record_referral(
        group,
        now=now,
        giver=people[giver],
        receiver=people[receiver],
        prospect_name=values.pop("prospect_name", f"{giver}→{receiver} {day}"),
        given_on=day,
        **values,
    )


@pytest.fixture
def book(group, now, people):
    """The hand-computed case used by give/get, totals and the matrix."""
    r = {}
    r[1] = refer(group, now, people, "A", "B", "2026-03-02")
    ledger.advance(r[1], "won", on="2026-03-20", value="1,250.50", now=now)
    r[2] = refer(group, now, people, "A", "C", "2026-03-10", kind="inside")
    ledger.advance(r[2], "won", on="2026-03-25", value="75.25", now=now)
    r[3] = refer(group, now, people, "B", "A", "2026-03-15")
    ledger.advance(r[3], "lost", on="2026-03-30", now=now)
    r[4] = refer(group, now, people, "C", "B", "2026-04-01")
    ledger.advance(r[4], "won", on="2026-04-10", value="1250", now=now)
    r[5] = refer(group, now, people, "A", "B", "2026-04-05")
    ledger.void(r[5], reason="entered twice", now=now)
    r[6] = refer(group, now, people, "D", "A", "2026-02-27")
    ledger.advance(r[6], "contacted", on="2026-03-01", now=now)
    return r


def test_money_is_exact():
    assert parse_money("1,250.50", "CAD") == 125050
    assert parse_money("1250", "CAD") == 125000
    assert parse_money("75.25", "CAD") == 7525
    assert parse_money("0.10", "CAD") + parse_money("0.20", "CAD") == parse_money("0.30", "CAD")
    with pytest.raises(ValidationError):
        parse_money("12.345", "CAD")


def test_lifecycle_writes_an_event_for_every_step(group, now, people):
    referral = refer(group, now, people, "A", "B", "2026-10-01", temperature=5)
    assert referral.status == "open"
    ledger.advance(referral, "contacted", on="2026-10-03", now=now, actor=people["B"])
    ledger.advance(referral, "won", on="2026-10-20", value="1,250.50", now=now, actor=people["B"])
    ledger.thank(referral, on="2026-10-22", note="Thank you!", now=now, actor=people["B"])
    fresh = Referral.get_by_id(referral.id)
    assert (fresh.status, fresh.contacted_on, fresh.closed_on) == ("won", date(2026, 10, 3), date(2026, 10, 20))
    assert fresh.value_minor == 125050 and fresh.thanked_on == date(2026, 10, 22)
    events = ledger.history(fresh)
    assert [e.action for e in events] == ["created", "status", "status", "thanked"]
    assert "1,250.50 CAD" in events[2].detail
    assert events[1].actor.name == "Bo Berg"
    with pytest.raises(ValidationError):
        ledger.advance(fresh, "contacted", now=now)  # won is final


def test_advance_refuses_bad_dates_and_values(group, now, people):
    referral = refer(group, now, people, "A", "B", "2026-10-01")
    with pytest.raises(ValidationError) as caught:
        ledger.advance(referral, "won", on="2026-09-30", now=now)
    assert "on" in caught.value.fields
    with pytest.raises(ValidationError) as caught:
        ledger.advance(referral, "lost", value="100", now=now)
    assert "value" in caught.value.fields
    with pytest.raises(ValidationError):
        ledger.advance(referral, "won", value="-5", now=now)


def test_edit_records_old_and_new_values_with_reason(group, now, people):
    referral = refer(group, now, people, "A", "B", "2026-10-01", temperature=2)
    ledger.edit_referral(
        referral,
        now=now,
        actor=people["A"],
        reason="typo",
        prospect_name="Northwind Ltd",
        temperature=4,
        receiver=people["C"],
    )
    fresh = Referral.get_by_id(referral.id)
    assert (fresh.prospect_name, fresh.temperature, fresh.receiver_id) == ("Northwind Ltd", 4, people["C"].id)
    event = ledger.history(fresh)[-1]
    assert event.action == "edited" and event.reason == "typo" and event.actor.id == people["A"].id
    assert "temperature: 2 → 4" in event.detail and "receiver: Bo Berg → Chen Jing 陈静" in event.detail
    # An edit that changes nothing writes nothing.
    ledger.edit_referral(fresh, now=now, temperature=4)
    assert len(ledger.history(fresh)) == 2
    with pytest.raises(ValidationError):
        ledger.edit_referral(fresh, now=now, giver=people["C"])  # now giver == receiver
    with pytest.raises(TypeError):
        ledger.edit_referral(fresh, now=now, status="won")


def test_edit_refuses_a_parent_loop(group, now, people):
    first = refer(group, now, people, "A", "B", "2026-09-01")
    second = refer(group, now, people, "B", "C", "2026-09-05", parent=first)
    with pytest.raises(ValidationError) as caught:
        ledger.edit_referral(first, now=now, parent=second)
    assert "parent" in caught.value.fields


def test_correct_value_keeps_the_old_one_in_history(group, now, people, book):
    ledger.correct_value(book[1], "1,300", now=now, reason="invoice final")
    assert Referral.get_by_id(book[1].id).value_minor == 130000
    assert "1,250.50 CAD → 1,300.00 CAD" in ledger.history(book[1])[-1].detail


def test_void_keeps_history_and_leaves_totals(group, now, people, book):
    voided = Referral.get_by_id(book[5].id)
    assert voided.voided_at is not None and voided.void_reason == "entered twice"
    assert [e.action for e in ledger.history(voided)] == ["created", "voided"]
    assert ledger.history(voided)[-1].reason == "entered twice"
    with pytest.raises(UserError):
        ledger.advance(voided, "won", now=now)
    with pytest.raises(UserError):
        ledger.void(voided, reason="again", now=now)
    with pytest.raises(ValidationError):
        ledger.void(book[1], reason="  ", now=now)
    # Listed, marked void; never counted.
    page = q.first_page(group, q.LedgerFilter(month=date(2026, 4, 1)))
    assert [(row.id, row.void) for row in page.rows] == [(book[5].id, True), (book[4].id, False)]
    assert q.filtered_totals(group, q.LedgerFilter(month=date(2026, 4, 1))) == q.FilteredTotals(1, 1, 125000, 1)
    assert [row.id for row in q.first_page(group, q.LedgerFilter(include_void=False)).rows].count(book[5].id) == 0
    assert balances.totals(group).referrals == 5
    assert Referral.select().count() == 6 and LedgerEvent.select().where(LedgerEvent.referral == book[5]).count() == 2


def test_give_get_against_a_hand_count(group, people, book):
    march = {b.name: b for b in balances.give_get(group, date(2026, 3, 1), date(2026, 3, 31))}
    assert (march["Ana Alves"].given, march["Ana Alves"].received) == (2, 1)
    assert (march["Ana Alves"].value_given, march["Ana Alves"].value_received) == (132575, 0)
    assert (march["Bo Berg"].given, march["Bo Berg"].received, march["Bo Berg"].value_received) == (1, 1, 125050)
    assert (march["Chen Jing 陈静"].received, march["Chen Jing 陈静"].value_received) == (1, 7525)
    assert (march["Dmitri Dorn"].given, march["Dmitri Dorn"].received) == (0, 0)
    every = {b.name: b for b in balances.give_get(group)}
    assert [
        (every[n].given, every[n].received, every[n].value_given, every[n].value_received)
        for n in ("Ana Alves", "Bo Berg", "Chen Jing 陈静", "Dmitri Dorn")
    ] == [(2, 2, 132575, 0), (1, 2, 0, 250050), (1, 1, 125000, 7525), (1, 0, 0, 0)]
    assert balances.totals(group) == balances.Totals(5, 3, 257575)


def test_matrix_against_a_hand_count(group, people, book):
    grid = q.matrix(group)
    a, b, c, d = (people[k].id for k in "ABCD")
    assert grid.cells == {(a, b): 1, (a, c): 1, (b, a): 1, (c, b): 1, (d, a): 1}
    assert grid.row_totals == {a: 2, b: 1, c: 1, d: 1}
    assert grid.column_totals == {a: 2, b: 2, c: 1}
    assert grid.total == 5
    assert grid.givers[0] == (a, "Ana Alves")
    table = grid.as_table()
    assert table[0] == ["giver \\ receiver", "Ana Alves", "Bo Berg", "Chen Jing 陈静", "total"]
    assert table[-1] == ["total", 2, 2, 1, 5]
    march = q.matrix(group, date(2026, 3, 1), date(2026, 3, 31))
    assert march.total == 3 and march.count(a, b) == 1 and march.count(d, a) == 0


def test_chains(group, now, people):
    root = refer(group, now, people, "A", "B", "2026-05-01")
    child = refer(group, now, people, "B", "C", "2026-05-10", parent=root)
    grandchild = refer(group, now, people, "C", "D", "2026-05-20", parent=child)
    sibling = refer(group, now, people, "B", "D", "2026-05-15", parent=root)
    assert q.ancestors(grandchild) == [root, child]
    assert q.ancestors(root) == []
    assert q.descendants(root) == [(1, child), (2, grandchild), (1, sibling)]
    assert q.descendants(grandchild) == []
    assert q.chain_root(grandchild) == root
    assert q.root_giver(grandchild).name == "Ana Alves"
    assert q.root_giver(root).name == "Ana Alves"


def test_followup_queues(group, now, people):
    old_open = refer(group, now, people, "A", "B", "2026-09-01")
    refer(group, now, people, "A", "C", "2026-11-01")  # recent: not yet overdue
    old_contacted = refer(group, now, people, "B", "C", "2026-08-01")
    ledger.advance(old_contacted, "contacted", on="2026-08-05", now=now)
    old_won = refer(group, now, people, "C", "D", "2026-07-01")
    ledger.advance(old_won, "won", on="2026-07-20", value="500", now=now)
    voided = refer(group, now, people, "D", "A", "2026-06-01")
    ledger.void(voided, reason="wrong", now=now)
    assert balances.open_too_long(group, now) == [old_contacted, old_open]
    assert balances.open_too_long(group, now, days=100) == [old_contacted]
    thanked = refer(group, now, people, "D", "B", "2026-06-01")
    ledger.advance(thanked, "won", on="2026-06-10", value="100", now=now)
    assert balances.thanks_owed(group) == [thanked, old_won]
    ledger.thank(thanked, now=now, note="thanks")
    assert balances.thanks_owed(group) == [old_won]
    with pytest.raises(UserError):
        ledger.thank(thanked, now=now)


def test_keyset_pages_walk_the_whole_ledger_both_ways(group, now, people):
    start = date(2026, 1, 1)
    for i in range(57):  # several referrals share a date: the id breaks the tie
        giver, receiver = ("A", "B") if i % 3 else ("C", "A")
        refer(group, now, people, giver, receiver, start + timedelta(days=i // 4), prospect_name=f"Prospect {i}")
    everyone = [r.id for r in Referral.select().order_by(Referral.given_on.desc(), Referral.id.desc())]
    flt = q.LedgerFilter()
    pages = [q.first_page(group, flt, limit=10)]
    while pages[-1].has_next:
        pages.append(q.page_after(group, flt, pages[-1].next_cursor, limit=10))
    assert [row.id for page in pages for row in page.rows] == everyone
    assert [len(page.rows) for page in pages] == [10, 10, 10, 10, 10, 7]
    assert not pages[0].has_prev and pages[1].has_prev
    back = q.page_before(group, flt, pages[3].prev_cursor, limit=10)
    assert [row.id for row in back.rows] == [row.id for row in pages[2].rows]
    top = q.page_before(group, flt, pages[0].rows[3].cursor, limit=10)  # near the top: the first page
    assert [row.id for row in top.rows] == everyone[:10] and not top.has_prev
    at = q.page_at(group, flt, everyone[25], limit=10)
    assert at.rows[0].id == everyone[25] and at.has_prev and at.has_next


def test_filters_member_roles_statuses_kind_text(group, now, people, book):
    a = people["A"].id

    def ids(**kwargs):
        return [row.id for row in q.first_page(group, q.LedgerFilter(**kwargs)).rows]

    assert ids(member_id=a, role="giver") == [book[5].id, book[2].id, book[1].id]
    assert ids(member_id=a, role="receiver") == [book[3].id, book[6].id]
    assert ids(member_id=a) == [book[5].id, book[3].id, book[2].id, book[1].id, book[6].id]
    assert ids(statuses=("won", "lost")) == [book[4].id, book[3].id, book[2].id, book[1].id]
    assert ids(statuses=("won", "lost"), member_id=a) == [book[3].id, book[2].id, book[1].id]
    assert ids(kind="inside") == [book[2].id]
    assert ids(text="a→c") == [book[2].id]
    assert ids(month=date(2026, 2, 14)) == [book[6].id]
    page = q.first_page(group, q.LedgerFilter(member_id=a), limit=2)
    more = q.page_after(group, q.LedgerFilter(member_id=a), page.next_cursor, limit=2)
    assert [r.id for r in page.rows + more.rows] == ids(member_id=a)[:4]
    row = q.first_page(group, q.LedgerFilter(member_id=a, role="receiver")).rows[0]
    assert (row.giver_name, row.receiver_name, row.status) == ("Bo Berg", "Ana Alves", "lost")
    with pytest.raises(ValidationError):
        q.first_page(group, q.LedgerFilter(statuses=("maybe",)))
    assert q.filtered_totals(group, q.LedgerFilter(member_id=a, role="giver")) == q.FilteredTotals(2, 2, 132575, 1)


def test_pages_use_the_indexes(group, people, book):
    """The page queries seek an index (no scan of the ledger, no sort of every match)."""
    from organizer.models import database

    cursor = q.Cursor(date(2026, 3, 10), book[2].id)
    for flt in (
        q.LedgerFilter(),
        q.LedgerFilter(member_id=people["A"].id, role="giver"),
        q.LedgerFilter(statuses=("won",)),
        q.LedgerFilter(month=date(2026, 3, 1)),
    ):
        query = (
            q._filtered(group, flt, q._row_query())
            .where(q._older_than(cursor))
            .order_by(Referral.given_on.desc(), Referral.id.desc())
            .limit(51)
        )
        sql, params = query.sql()
        if isinstance(database.obj, SqliteDatabase):
            plan = " ".join(str(row[-1]) for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
            assert "USING INDEX referral_" in plan and "TEMP B-TREE" not in plan, plan
            assert "SCAN t1" not in plan, plan
            continue
        # PostgreSQL: a handful of rows is cheaper to scan, so the planner is told scans and
        # sorts are dear; if it still scans or sorts, no index serves the page in order.
        with database.atomic():
            database.execute_sql("SET LOCAL enable_seqscan = off")
            database.execute_sql("SET LOCAL enable_sort = off")
            plan = "\n".join(row[0] for row in database.execute_sql("EXPLAIN " + sql, params))
        referral_scans = [line for line in plan.splitlines() if " on referral t1" in line]
        assert referral_scans and all("Index" in line and "using referral_" in line for line in referral_scans), plan
        assert "Sort" not in plan and "Seq Scan on referral" not in plan, plan
