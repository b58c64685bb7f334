"""One-to-ones: recording rules, the CSV import, gaps and coverage, pairings as an optimal matching."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import networkx as nx
import pytest

from organizer.errors import UserError, ValidationError
from organizer.models import OneToOne
from organizer.services import one_to_ones
from organizer.services.members import add_member, update_member
from organizer.services.one_to_one_import import check_one_to_ones, write_one_to_ones
from organizer.services.pairings import suggest
from organizer.services.relationships import (
    History,
    Meetings,
    Person,
    coverage,
    gaps,
    member_gaps,
    never_met,
)

TODAY = date(2026, 11, 20)  # conftest's NOW in Toronto


@pytest.fixture
def five(group, now):
    names = ["Ana Alves", "Bo Berg", "Cy Chen", "Dee Diaz", "Eli Eng"]
    return [
        add_member(
            group,
            now=now,
            name=name,
            email=f"{name.split()[0].lower()}@example.com",
            category=f"cat{i}",
        )
        for i, name in enumerate(names)
    ]


def record(group, a, b, day, now, **extra):
    return one_to_ones.record_one_to_one(group, member_a=a, member_b=b, met_on=day, now=now, **extra)


# --- recording ---------------------------------------------------------------------------


def test_record_and_refusals(group, five, now):
    ana, bo = five[0], five[1]
    row = record(group, ana, bo, "2026-11-02", now, mode="video", notes=" coffee ")
    assert (row.mode, row.notes, row.planned) == ("video", "coffee", False)
    with pytest.raises(ValidationError) as error:
        record(group, ana, ana, "2026-11-02", now)
    assert "two different members" in error.value.fields["member_b"]
    with pytest.raises(ValidationError) as error:
        record(group, ana, bo, "2026-11-21", now)
    assert "in the future" in error.value.fields["met_on"]
    with pytest.raises(ValidationError) as error:
        record(group, bo, ana, "2026-11-02", now)  # the same pair, the other way round
    assert "already have a one-to-one on 2026-11-02" in error.value.fields["met_on"]
    with pytest.raises(ValidationError) as error:
        record(group, ana, bo, "2026-11-03", now, mode="telepathy")
    assert "in-person, video or phone" in error.value.fields["mode"]
    assert record(group, ana, bo, "2026-11-03", now, mode="in-person").mode == "in_person"
    assert OneToOne.select().count() == 2


def test_find_member_by_email_or_exact_name_any_status(group, five, now):
    update_member(five[4], now=now, status="alumni")
    assert one_to_ones.find_member(group, "ELI@example.com")[0].name == "Eli Eng"
    assert one_to_ones.find_member(group, "Eli Eng")[0].status == "alumni"
    assert one_to_ones.find_member(group, "eli eng") == (
        None,
        "no member with the email or name “eli eng”",
    )
    add_member(group, now=now, name="Ana Alves", email="ana2@example.com", category="other")
    assert "2 members are called" in one_to_ones.find_member(group, "Ana Alves")[1]


def test_plan_pairs_creates_planned_once_and_gaps_ignore_them(group, five, now):
    pairs = [(five[0].id, five[1].id), (five[2].id, five[3].id)]
    assert one_to_ones.plan_pairs(group, pairs, "2026-12", now=now) == 2
    assert one_to_ones.plan_pairs(group, pairs, "2026-12", now=now) == 0
    planned = list(OneToOne.select().where(OneToOne.planned == True))
    assert {row.met_on for row in planned} == {date(2026, 12, 1)}
    assert all(row.met == 0 for row in gaps(group, now=now))
    with pytest.raises(ValidationError):
        one_to_ones.plan_pairs(group, [(five[0].id, five[0].id)], "2026-12", now=now)
    with pytest.raises(ValidationError):
        one_to_ones.plan_pairs(group, pairs, "2026-13", now=now)


# --- import ------------------------------------------------------------------------------


def test_import_checks_every_row_and_names_line_and_column(group, five, now):
    update_member(five[4], now=now, status="alumni")
    data = "\n".join(
        [
            "date,member_a,member_b,where,notes",
            "2026-01-05,ana@example.com,Bo Berg,in-person,lunch",  # 2: good
            "2026-01-06,Eli Eng,Cy Chen,,alumni now, still history",  # 3: good (extra cell!)
            "2026-01-07,Ana Alves,Ana Alves,video,",  # 4: oneself
            "2026-01-08,nobody@example.com,Bo Berg,phone,",  # 5: unknown
            "2027-01-08,Ana Alves,Bo Berg,phone,",  # 6: future
            "2026-01-05,Bo Berg,ana@example.com,video,",  # 7: same pair same day as line 2
            "2026-02-30,Ana Alves,Cy Chen,skype,",  # 8: no such day, bad where
        ]
    ).encode()
    check = check_one_to_ones(group, data, now=now)
    found = {(problem.line, problem.column) for problem in check.problems}
    assert found == {
        (3, "-"),
        (4, "member_b"),
        (5, "member_a"),
        (6, "date"),
        (7, "date"),
        (8, "date"),
        (8, "where"),
    }
    assert check.bad_lines == {3, 4, 5, 6, 7, 8}
    assert [row["line"] for row in check.rows] == [2]
    assert OneToOne.select().count() == 0
    write_one_to_ones(group, check.rows, now=now)
    assert OneToOne.select().count() == 1
    # The same file again: line 2 now repeats a held one-to-one.
    again = check_one_to_ones(group, data, now=now)
    assert any(problem.line == 2 and "already have" in problem.reason for problem in again.problems)


def test_import_header_must_name_the_members(group, five, now):
    with pytest.raises(UserError, match="missing column"):
        check_one_to_ones(group, b"date,member_a,where\n2026-01-01,Ana Alves,video\n", now=now)


# --- gaps and coverage -------------------------------------------------------------------


def test_gaps_match_an_independent_count(group, now):
    rng = random.Random(7)
    people = [
        add_member(
            group,
            now=now,
            name=f"Member {i:02d}",
            email=f"m{i}@example.com",
            category=f"c{i}",
        )
        for i in range(14)
    ]
    for person in people[10:12]:
        update_member(person, now=now, status=rng.choice(["on_leave", "alumni"]))
    update_member(people[12], now=now, status="visitor")
    meetings = set()
    while len(meetings) < 40:
        a, b = rng.sample(people, 2)
        meetings.add((a.id, b.id, TODAY - timedelta(days=rng.randint(0, 900))))
    for a, b, day in meetings:
        OneToOne.create(group=group, member_a=a, member_b=b, met_on=day, created_at=now)
    OneToOne.create(
        group=group,
        member_a=people[0],
        member_b=people[1],
        met_on=TODAY,
        created_at=now,
        planned=True,
    )  # planned: not a meeting

    active = [p for p in people if p.id not in {x.id for x in people[10:13]}]
    since = date(2025, 11, 20)

    def met(a, b, recent=False):
        return any({x, y} == {a.id, b.id} and (day > since or not recent) for x, y, day in meetings)

    expected = {
        p.name: (
            sum(met(p, q) for q in active if q is not p),
            sum(not met(p, q) for q in active if q is not p),
            sum(not met(p, q, recent=True) for q in active if q is not p),
        )
        for p in active
    }
    rows = gaps(group, now=now)
    assert [row.name for row in rows] == sorted(expected)
    assert {row.name: (row.met, row.not_met, row.not_met_12m) for row in rows} == expected
    assert never_met(group, active[0], now=now) == sorted(
        q.name for q in active if q is not active[0] and not met(active[0], q)
    )
    info = member_gaps(group, active[0], now=now)
    assert info.never_met == never_met(group, active[0], now=now)
    pairs = list(itertools.combinations(active, 2))
    cover = coverage(group, now=now)
    assert cover.pairs == len(pairs)
    assert cover.met == sum(met(a, b) for a, b in pairs)
    year_ago = sum(any({x, y} == {a.id, b.id} and day <= since for x, y, day in meetings) for a, b in pairs)
    assert cover.met_year_ago == year_ago


# --- pairings ----------------------------------------------------------------------------


def best_never_met(count: int, met: set[tuple[int, int]]) -> int:
    """The most never-met pairs any matching of `count` people can hold, by brute force."""

    def best(rest: tuple[int, ...]) -> int:
        if len(rest) < 2:
            return 0
        first, others = rest[0], rest[1:]
        options = [best(others)]  # `first` unpaired
        for j in others:
            left = tuple(x for x in others if x != j)
            options.append(best(left) + ((first, j) not in met))
        return max(options)

    return best(tuple(range(count)))


def history_of(count: int, met: dict[tuple[int, int], date]) -> History:
    people = [Person(i + 1, f"P{i:02d}", f"c{i % 3}", "", "", "", "") for i in range(count)]
    return History(
        TODAY,
        people,
        {(a + 1, b + 1): Meetings(day, day) for (a, b), day in met.items()},
    )


def assert_matching(suggestion, history: History) -> None:
    seen = [p.id for pair in suggestion.pairs for p in (pair.a, pair.b)]
    assert len(seen) == len(set(seen)), "a member twice"
    assert set(seen) <= {p.id for p in history.people}


@pytest.mark.parametrize("seed", range(24))
def test_pairings_never_met_count_is_optimal_on_small_groups(group, seed):
    rng = random.Random(seed)
    count = rng.randint(2, 9)
    pairs = list(itertools.combinations(range(count), 2))
    met = {pair: TODAY - timedelta(days=rng.randint(1, 2000)) for pair in pairs if rng.random() < rng.random()}
    data = history_of(count, met)
    suggestion = suggest(group, "2026-12", now=None, data=data)
    assert_matching(suggestion, data)
    assert suggestion.never_met == best_never_met(count, set(met))
    assert len(suggestion.pairs) == count // 2  # everyone paired (one left out when odd)
    assert (suggestion.left_out is not None) == (count % 2 == 1)
    again = suggest(group, "2026-12", now=None, data=history_of(count, dict(met)))
    assert [(p.a.id, p.b.id) for p in again.pairs] == [(p.a.id, p.b.id) for p in suggestion.pairs]


@pytest.mark.parametrize("seed", range(6))
def test_pairings_optimal_when_the_sparse_graph_is_not_enough(group, seed):
    """Larger groups where most pairs have met: the never-met optimum, computed by a
    maximum-cardinality matching of the never-met graph, is reached."""
    rng = random.Random(100 + seed)
    count = rng.randint(30, 45)
    density = rng.choice([0.7, 0.85, 0.95])
    met = {
        pair: TODAY - timedelta(days=rng.randint(1, 2000))
        for pair in itertools.combinations(range(count), 2)
        if rng.random() < density
    }
    never = nx.Graph()
    never.add_nodes_from(range(count))
    never.add_edges_from(pair for pair in itertools.combinations(range(count), 2) if pair not in met)
    optimum = len(nx.max_weight_matching(never, maxcardinality=True))
    data = history_of(count, met)
    suggestion = suggest(group, "2026-12", now=None, data=data)
    assert_matching(suggestion, data)
    assert suggestion.never_met == optimum
    assert len(suggestion.pairs) == count // 2


def test_pairings_avoid_recent_pairs_then_prefer_the_longest_unmet(group):
    # Four people who all met: 0-1 and 2-3 last month, 0-2 and 1-3 two years ago, 0-3 and 1-2 a year ago.
    met = {
        (0, 1): date(2026, 10, 1),
        (2, 3): date(2026, 10, 5),
        (0, 2): date(2024, 11, 1),
        (1, 3): date(2024, 11, 2),
        (0, 3): date(2025, 11, 1),
        (1, 2): date(2025, 11, 2),
    }
    suggestion = suggest(group, "2026-12", now=None, data=history_of(4, met))
    assert [(p.a.name, p.b.name) for p in suggestion.pairs] == [
        ("P00", "P02"),
        ("P01", "P03"),
    ]
    assert not any(p.recent for p in suggestion.pairs)
    # Unavoidable: only recent pairs are left for two people; they are still paired, marked recent.
    two = suggest(group, "2026-12", now=None, data=history_of(2, {(0, 1): date(2026, 11, 1)}))
    assert two.pairs[0].recent and two.pairs[0].last_met == date(2026, 11, 1)
    far = suggest(
        group,
        "2026-12",
        now=None,
        avoid_months=0,
        data=history_of(2, {(0, 1): date(2026, 11, 1)}),
    )
    assert not far.pairs[0].recent


def test_pairings_odd_count_trio(group):
    data = history_of(5, {})
    plain = suggest(group, "2026-12", now=None, data=data)
    assert plain.left_out is not None and "has no partner" in plain.notice()
    trio = suggest(group, "2026-12", now=None, data=data, trio=True)
    assert len(trio.pairs) == 3 and trio.left_out is None
    ids = [p.id for pair in trio.pairs for p in (pair.a, pair.b)]
    assert len(set(ids)) == 5 and "trio" in trio.notice()


def test_pairings_prefer_categories_that_refer_to_each_other(group, now):
    from organizer.services import ledger

    people = {
        category: add_member(
            group,
            now=now,
            name=f"{category.title()} Person",
            email=f"{category}@example.com",
            category=category,
        )
        for category in ("art", "law", "tax", "zoo")
    }
    for giver, receiver in (("law", "tax"), ("tax", "law"), ("art", "zoo")):
        ledger.record_referral(
            group,
            now=now,
            giver=people[giver],
            receiver=people[receiver],
            prospect_name="P",
            given_on="2026-11-01",
        )
    suggestion = suggest(group, "2026-12", now=now)
    assert {(p.a.name, p.b.name) for p in suggestion.pairs} == {
        ("Art Person", "Zoo Person"),
        ("Law Person", "Tax Person"),
    }


def test_pairings_widen_the_graph_until_the_optimum_is_proven(group):
    """Never-met pairs only between 5 newcomers and 56 old hands (who all met each other):
    the newcomers have 56 never-met partners each, more than the first sparse graph offers,
    and at most 5 never-met pairs exist."""
    count = 61  # more than two blocks: the block-by-block answer is not enough either
    newcomers = set(range(5))
    met = {
        pair: date(2020, 1, 1)
        for pair in itertools.combinations(range(count), 2)
        if not (pair[0] in newcomers) ^ (pair[1] in newcomers)
    }
    data = history_of(count, met)
    suggestion = suggest(group, "2026-12", now=None, data=data)
    assert_matching(suggestion, data)
    assert suggestion.never_met == 5 and len(suggestion.pairs) == 30


def test_large_group_is_paired_block_by_block_everyone_with_someone_new(group):
    rng = random.Random(5)
    count = 120
    met = {
        pair: TODAY - timedelta(days=rng.randint(1, 1800))
        for pair in itertools.combinations(range(count), 2)
        if rng.random() < 0.4
    }
    data = history_of(count, met)
    first = suggest(group, "2026-12", now=None, data=data)
    assert_matching(first, data)
    assert first.never_met == count // 2  # the upper bound: nothing can do better
    again = suggest(group, "2026-12", now=None, data=history_of(count, dict(met)))
    assert [(p.a.id, p.b.id) for p in again.pairs] == [(p.a.id, p.b.id) for p in first.pairs]


def test_quick_line_reads_names_day_where_and_notes(group, five, now):
    from organizer.services.one_to_one_capture import (
        looks_like_one_to_one,
        preview_one_to_one,
        record_previewed,
    )

    assert looks_like_one_to_one("ana + bo: coffee") and not looks_like_one_to_one("ana > bo: roof for C+D")
    line = preview_one_to_one(group, "ana + bo: coffee tuesday", now=now)  # NOW is Friday 20 Nov 2026
    assert line.ok and (line.member_a.name, line.member_b.name) == (
        "Ana Alves",
        "Bo Berg",
    )
    assert (line.met_on, line.mode, line.notes) == (
        date(2026, 11, 17),
        "in_person",
        "coffee",
    )
    assert preview_one_to_one(group, "ana + cy", now=now).met_on == TODAY
    video = preview_one_to_one(group, "cy + dee: zoom last fri, new leads", now=now)
    assert (video.met_on, video.mode, video.notes) == (TODAY, "video", "new leads")
    assert preview_one_to_one(group, "ana + bo: 2026-11-02 phone", now=now).met_on == date(2026, 11, 2)
    assert "in the future" in preview_one_to_one(group, "ana + bo: 2026-12-02", now=now).errors["met_on"]
    assert "no member matches" in preview_one_to_one(group, "ana + zed", now=now).errors["member_b"]
    assert preview_one_to_one(group, "ana bo coffee", now=now).errors == {
        "line": "write it as: ana + ben: coffee tuesday"
    }
    record_previewed(group, line, now=now)
    again = preview_one_to_one(group, "bo + ana: tuesday", now=now)
    assert "already have a one-to-one" in again.errors["met_on"]
    with pytest.raises(ValidationError):
        record_previewed(group, again, now=now)


def test_recap_says_the_month_s_one_to_ones_and_the_pairs_met(sample_group, now):
    from organizer.recap.formats import render
    from organizer.services.recap import build_recap
    from organizer.services.relationships import month_one_to_ones

    held = month_one_to_ones(sample_group, date(2026, 10, 1), date(2026, 10, 31))
    cover = coverage(sample_group, now=now)
    recap = build_recap(sample_group, 2026, 10, now=now)
    assert (recap.one_to_ones_held, recap.coverage, recap.coverage_year_ago) == (
        held,
        cover.percent,
        cover.percent_year_ago,
    )
    expected = (
        f"{held} one-to-ones this month · {cover.percent:.0f}% of pairs of active members have met "
        f"one-to-one ({cover.percent_year_ago:.0f}% a year ago)."
    )
    for fmt in ("md", "txt", "html"):
        assert expected in " ".join(render(recap, fmt)[0].decode().split())


def test_a_version_3_database_gains_the_planned_column(tmp_path, now):
    from organizer import db as dbmod
    from organizer.migrations import current_version
    from organizer.models import SCHEMA_VERSION, SchemaInfo
    from organizer.services.groups import create_group

    path = str(tmp_path / "v3.db")
    database = dbmod.open_database(path)
    group = create_group(
        name="Old",
        timezone="UTC",
        organizer_name="O",
        organizer_email="o@example.com",
        now=now,
    )
    a = add_member(group, now=now, name="A", email="a@example.com", category="x")
    b = add_member(group, now=now, name="B", email="b@example.com", category="y")
    record(group, a, b, "2026-11-01", now)
    database.execute_sql("ALTER TABLE one_to_one DROP COLUMN planned")  # as version 3 had it
    SchemaInfo.update(version=3).execute()
    dbmod.close_database()

    database = dbmod.open_database(path)
    try:
        assert current_version(database) == SCHEMA_VERSION
        assert "planned" in {column.name for column in database.get_columns("one_to_one")}
        assert [row.planned for row in OneToOne.select()] == [False]
    finally:
        dbmod.close_database()


def test_recording_a_planned_pair_turns_the_plan_into_the_meeting(group, five, now):
    ana, bo = five[0], five[1]
    one_to_ones.plan_pairs(group, [(ana.id, bo.id)], "2026-11", now=now)
    plan = OneToOne.get()
    assert plan.planned and plan.met_on == date(2026, 11, 1)
    held = record(group, bo, ana, "2026-11-01", now, mode="phone", notes="call")  # the plan's day: not a repeat
    assert held.id == plan.id and OneToOne.select().count() == 1
    assert (held.planned, held.met_on, held.mode, held.notes) == (
        False,
        date(2026, 11, 1),
        "phone",
        "call",
    )
    assert [row.met for row in gaps(group, now=now)][:2] == [1, 1]


def test_control_characters_never_reach_the_notes(group, five, now):
    data = b'date,member_a,member_b,where,notes\n2026-01-05,Ana Alves,Bo Berg,video,"hi\x1b[31m\tthere"\n'
    check = check_one_to_ones(group, data, now=now)
    assert check.rows[0]["notes"] == "hi[31m there"  # the escape dropped, the tab a space (services.text)
    row = record(group, five[2], five[3], "2026-11-02", now, notes="a\x07b")
    assert row.notes == "ab"
