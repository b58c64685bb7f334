"""Other people's changes show on open screens within seconds (SQLite's data_version,
PostgreSQL's NOTIFY), the cursor and the search text kept."""

from __future__ import annotations

import threading

from organizer.clock import frozen
from organizer.models import Member, database
from organizer.services.changes import ChangeWatch
from organizer.services.members import update_member
from tests.conftest import NOW, until


def elsewhere(job) -> None:
    """Run `job` on another connection (another thread's), as another person's app would."""

    def run():
        try:
            job()
        finally:
            database.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_a_watch_sees_other_connections_commits_only_when_they_happen(sample_group, now):
    watch = ChangeWatch()
    try:
        assert not watch.changed()
        member = Member.select().where(Member.group == sample_group).first()
        elsewhere(lambda: update_member(member, now=now, phone="(519) 555-0000"))
        assert until_true(watch.changed)
        assert not watch.changed()  # seen once
    finally:
        watch.close()


def until_true(check, tries: int = 200) -> bool:
    """PostgreSQL delivers a NOTIFY asynchronously: look again (no sleep) until it is in."""
    import select

    for _ in range(tries):
        if check():
            return True
        select.select([], [], [], 0.01)
    return False


async def test_the_members_list_shows_another_persons_edit_and_keeps_the_search(sample_db, sample_group, now):
    from organizer.tui.app import make_app

    app = make_app(frozen(NOW))
    app.live_headless, app.live_interval = True, 0.05
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash", "z", "o")
        table = app.current_section.table
        await until(pilot, lambda: table.row_count == 1, "the search")
        zoe = Member.get((Member.group == sample_group) & (Member.name == "Zoë Lefèvre"))
        elsewhere(lambda: update_member(zoe, now=now, business="Lefèvre Studio Renamed"))
        await until(
            pilot,
            lambda: "Lefèvre Studio Renamed" in " ".join(str(cell) for cell in table.get_row_at(0)),
            "the other person's edit",
        )
        assert app.current_section.query_one("Input").value == "zo"
        assert table.row_count == 1


async def test_an_open_member_page_shows_another_persons_edit(sample_db, sample_group, now):
    from organizer.tui.app import make_app
    from organizer.tui.members.detail import MemberDetailScreen

    app = make_app(frozen(NOW))
    app.live_headless, app.live_interval = True, 0.05
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash", "z", "o")
        table = app.current_section.table
        await until(pilot, lambda: table.row_count == 1, "the search")
        await pilot.press("enter", "enter")  # the search, then the list's one row
        await until(pilot, lambda: isinstance(app.screen, MemberDetailScreen), "the member's page")
        page = app.screen
        zoe = Member.get((Member.group == sample_group) & (Member.name == "Zoë Lefèvre"))
        elsewhere(lambda: update_member(zoe, now=now, phone="(519) 555-0199"))
        await until(
            pilot,
            lambda: "555-0199" in " ".join(str(part.render()) for part in page.query(".detail-part")),
            "the other person's edit on the page",
        )
        # The section under the page took it too, its search kept.
        assert app.current_section.query_one("Input").value == "zo"
