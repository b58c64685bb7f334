"""The command palette finds an action by what a person would type: each entry names its
section (or page) and says in full what it does."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from organizer.clock import frozen
from organizer.tui.app import make_app
from organizer.tui.meetings.mode import MeetingModeScreen
from tests.conftest import NOW, until


async def first_found(pilot, app, words: str) -> str:
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    await pilot.press(*[ch if ch != " " else "space" for ch in words])
    results = app.screen.query_one(CommandList)
    await until(pilot, lambda: results.option_count > 0, f"something found for {words!r}")
    for _ in range(5):  # the search streams in: let it settle
        await pilot.pause()
    return str(results.get_option_at_index(0).prompt)


@pytest.mark.parametrize(
    "words, found",
    [
        ("check", "Meetings: meeting mode — check someone in"),
        ("referral", "Ledger: record a referral"),
        ("matrix", "Ledger: who referred whom (matrix)"),
        ("invite", "Meetings: write the invite"),
        ("recap", "Go to Recap"),
    ],
)
async def test_a_word_finds_what_it_means(sample_db, words, found):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=(120, 40)) as pilot:
        assert (await first_found(pilot, app, words)).startswith(found)


async def test_in_meeting_mode_check_finds_the_check_in(sample_db):
    from tests.test_app_meeting_mode import MORNING  # the meeting's morning: no "run it now?" first

    app = make_app(frozen(MORNING), steady=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MeetingModeScreen), "meeting mode")
        assert (await first_found(pilot, app, "check")).startswith("Meeting mode: check someone in\n")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MeetingModeScreen), "back in meeting mode")


async def test_section_keys_leave_a_page_but_not_its_search_box(sample_db):
    """1–6 work on the sections and on the pages opened from them (the README's promise);
    a digit typed in a page's search box stays there."""
    from textual.widgets import Input

    from organizer.tui.meetings.detail import MeetingScreen

    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "enter")
        await until(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting's page")
        await pilot.press("slash", "5")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.query_one("#roster-search", Input).value == "5"
        await pilot.press("escape", "5")
        await until(pilot, lambda: app.screen is app.screen_stack[0], "the sections")
        assert app.current_section.SECTION_ID == "ledger" and app.sub_title == "Ledger"
        await pilot.press("2", "n")  # a form: the digits are typed, not section switches
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert app.screen is not app.screen_stack[0] and app.current_section.SECTION_ID == "members"
