"""Help lists the keys of where you are; the palette holds every section's actions."""

from __future__ import annotations

from organizer.clock import frozen
from organizer.tui.app import make_app
from organizer.tui.help import HelpScreen
from tests.conftest import NOW


def help_text(app) -> str:
    return str(app.screen.query_one("#help-text").render())


async def test_help_lists_the_current_sections_keys_and_the_shared_ones(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        for words in ("Members", "New member", "Archive", "Go to Ledger", "Quit", "Command palette"):
            assert words in text


async def test_help_in_a_form_lists_the_forms_keys(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen), app.screen
        text = help_text(app)
        assert "Member form" in text and "Save" in text and "Cancel" in text


async def test_digits_in_a_form_are_typed_not_section_switches(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n", "tab", "tab", "tab", "tab", "5")
        await pilot.pause()
        assert app.screen.field("phone").value == "5"
        assert app.current_section.SECTION_ID == "members"
