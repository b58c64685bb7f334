"""The dashboard: the next meeting with its countdown, the month, the queues; panels open sections."""

from __future__ import annotations

import io

from rich.console import Console
from textual.content import Content

from organizer.clock import frozen
from organizer.services.members import get_member
from organizer.tui.app import make_app
from organizer.tui.widgets.board import Board
from tests.conftest import NOW, dashboard_filled, until


def panel_text(app, panel_id: str) -> str:
    """What a panel says, as plain text (markup strings and Rich tables alike)."""
    content = app.query_one(Board).contents[f"panel-{panel_id}"]
    if isinstance(content, str):
        return Content.from_markup(content).plain
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def test_the_dashboard_shows_the_group_and_its_next_meeting(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_filled(pilot)
        assert app.title == "Grand River Business Circle"
        meeting = panel_text(app, "next-meeting")
        assert "Tue 8 Dec 2026, 07:30" in meeting  # local time in Kitchener
        assert "in 17 days 22 h" in meeting  # from the frozen clock
        assert "yes" in meeting and "no reply" in meeting
        assert "Pass qualified referrals" in meeting  # the intent
        month = panel_text(app, "this-month")
        assert "Nov" in month and "1–20 Nov against 1–20 Oct" in month and "change" in month
        assert "Daniel Okafor" in panel_text(app, "top-givers")


async def test_each_panel_opens_the_section_behind_it(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.query_one(Board)
        assert app.focused is board and board.selected == 0
        await pilot.press("right", "right")  # to "Top givers"
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_section.SECTION_ID == "members"
        await pilot.press("1")
        await pilot.pause()
        threads = next(box for box in board.boxes() if board.panels[box.index].panel_id == "panel-threads")
        await pilot.click(Board, offset=(threads.region.x + 3, threads.region.y + 3))
        await pilot.pause()
        assert app.current_section.SECTION_ID == "threads"


async def test_the_dashboard_fits_80_by_24(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_filled(pilot)
        assert app.current_section.has_class("-narrow")
        assert "in 17 days" in panel_text(app, "next-meeting")


async def test_refresh_shows_what_changed(sample_db, sample_group):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_filled(pilot)
        daniel = get_member(sample_group, 1)
        daniel.name = "Dan Okafor"
        daniel.save()
        await pilot.press("r")
        await until(pilot, lambda: "Dan Okafor" in panel_text(app, "top-givers"), "the refreshed numbers")
