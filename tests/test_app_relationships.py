"""The Relationships view: matrix, coverage, pairings, and `a` to accept them."""

from __future__ import annotations

from datetime import UTC

from textual.widgets import DataTable, Static

from organizer.clock import frozen
from organizer.models import Member, OneToOne
from organizer.services.pairings import suggest
from organizer.services.relationships import coverage
from organizer.tui.app import make_app
from organizer.tui.members.relationships import RelationshipsScreen
from tests.conftest import NOW, until


async def test_open_from_members_and_accept_the_pairings(sample_db, sample_group):
    active = Member.select().where(Member.status == "active").count()
    expected = suggest(sample_group, "2026-11", now=NOW)
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("escape", "r")
        await until(
            pilot,
            lambda: isinstance(app.screen, RelationshipsScreen),
            "the Relationships view",
        )
        screen = app.screen
        cover = coverage(sample_group, now=NOW)
        assert str(screen.query_one("#rel-title", Static).render()).startswith(
            f"Coverage {cover.percent:.0f}% ({cover.met} of {cover.pairs} pairs have met one-to-one)"
        )
        assert screen.query_one("#rel-matrix", DataTable).row_count == min(active, 40)
        pairs = screen.query_one("#rel-pairs", DataTable)
        assert pairs.row_count == active // 2
        shown = [(str(pairs.get_row_at(i)[0]), str(pairs.get_row_at(i)[1])) for i in range(pairs.row_count)]
        assert shown == [(p.a.name, p.b.name) for p in expected.pairs]
        await pilot.press("a")
        await pilot.pause()
        planned = OneToOne.select().where(OneToOne.planned == True)
        assert planned.count() == active // 2
        assert {(row.member_a_id, row.member_b_id) for row in planned} == {(p.a.id, p.b.id) for p in expected.pairs}
        await pilot.press("a")  # twice: nothing planned twice
        await pilot.pause()
        assert planned.count() == active // 2
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "December 2026" in str(screen.query_one("#rel-pairs-title", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RelationshipsScreen)


async def test_member_page_records_a_one_to_one_from_one_line(sample_db, sample_group):
    from organizer.tui.members.detail import MemberDetailScreen
    from organizer.tui.members.one_to_one_line import OneToOneLine

    zoe = Member.get(Member.name == "Zoë Lefèvre")
    before = OneToOne.select().count()
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(MemberDetailScreen(zoe))
        await pilot.pause()
        assert "Not met yet" in str(app.screen.query_one("#detail-membership", Static).render())
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, OneToOneLine), "the one-line form")
        await pilot.press(*["space" if ch == " " else ch for ch in "zoe: video"])  # herself: refused
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OneToOneLine) and OneToOne.select().count() == before
        for _ in range(len("zoe: video")):
            await pilot.press("backspace")
        await pilot.press(*["space" if ch == " " else ch for ch in "ahmed: coffee yesterday video"])
        await pilot.pause()
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, MemberDetailScreen),
            "the member page again",
        )
        row = OneToOne.select().order_by(OneToOne.id.desc()).first()
        assert OneToOne.select().count() == before + 1
        assert {row.member_a.name, row.member_b.name} == {"Zoë Lefèvre", "Ahmed Haddad"}
        assert (row.met_on.isoformat(), row.mode, row.notes) == (
            "2026-11-19",
            "video",
            "coffee",
        )


async def test_meeting_mode_capture_line_records_a_one_to_one(sample_db, sample_group):
    from datetime import datetime

    from textual.widgets import Input

    from organizer.tui.meetings.mode import MeetingModeScreen
    from tests.conftest import HandClock

    morning = datetime(2026, 12, 8, 12, 40, tzinfo=UTC)  # a Tuesday, the December meeting
    before = OneToOne.select().count()
    app = make_app(HandClock(morning))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MeetingModeScreen), "meeting mode")
        screen = app.screen
        await pilot.press("r")
        await pilot.press(*["space" if ch == " " else ch for ch in "zoe + jose: coffee thursday"])
        await pilot.pause()
        preview = str(screen.query_one("#capture-preview", Static).render())
        assert "one-to-one Zoë Lefèvre + José Núñez, 2026-12-03, in-person: coffee" in preview
        await pilot.press("enter")
        await pilot.pause()
        assert OneToOne.select().count() == before + 1
        assert screen.query_one("#capture", Input).value == ""


async def test_pairings_written_as_csv_from_the_view(sample_db, sample_group, tmp_path, monkeypatch):
    import csv

    from organizer.tui.widgets.path_form import PathForm

    monkeypatch.chdir(tmp_path)
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(RelationshipsScreen())
        await until(
            pilot,
            lambda: isinstance(app.screen, RelationshipsScreen),
            "the Relationships view",
        )
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, PathForm), "the file form")
        await pilot.press("enter")
        path = tmp_path / "pairings-2026-11.csv"
        await until(pilot, path.exists, "the CSV file")
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
        assert len(rows) == Member.select().where(Member.status == "active").count() // 2
        assert path.stat().st_mode & 0o777 == 0o600
