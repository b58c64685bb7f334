"""The app's shell: it opens on the group, switches sections by number, shows help, quits."""

from __future__ import annotations

from organizer.clock import frozen
from organizer.tui.app import make_app
from organizer.tui.help import HelpScreen
from organizer.tui.sections import SECTIONS
from tests.conftest import NOW


async def test_number_keys_switch_sections_and_none_crashes(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.title == "Grand River Business Circle"
        for section in SECTIONS:
            await pilot.press(section.KEY)
            await pilot.pause()
            assert app.current_section.SECTION_ID == section.SECTION_ID
            assert app.sub_title == section.TITLE


def test_each_section_entry_agrees_with_its_class():
    for section in SECTIONS:
        loaded = section.load()
        assert (loaded.SECTION_ID, loaded.TITLE, loaded.KEY) == (section.SECTION_ID, section.TITLE, section.KEY)


async def test_the_app_starts_with_the_dashboard_alone_then_builds_the_rest(sample_db):
    from textual.widgets import ContentSwitcher

    app = make_app(frozen(NOW))
    app.warm_up_headless = True
    async with app.run_test(size=(120, 40)) as pilot:
        switcher = app.query_one("#sections", ContentSwitcher)
        assert [child.id for child in switcher.children] == ["dashboard"]
        for _ in range(200):  # built one by one, a refresh apart, after a short delay
            await pilot.pause(0.05)
            if len(switcher.children) == len(SECTIONS):
                break
        assert [child.id for child in switcher.children] == [section.SECTION_ID for section in SECTIONS]
        assert switcher.current == "dashboard" and app.current_section.SECTION_ID == "dashboard"
        # Built in the background, they stay out of sight until their key is pressed.
        assert [child.id for child in switcher.children if child.display] == ["dashboard"]
        assert not app.query_one("#dashboard").has_class("-narrow")
        await pilot.press("3")
        await pilot.pause()
        assert [child.id for child in switcher.children if child.display] == ["meetings"]


async def test_f1_and_question_mark_open_help(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("f1", "question_mark"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)


async def test_ctrl_q_quits(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_theme_is_remembered(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test() as pilot:
        app.theme = "nord"
        await pilot.pause()
    app = make_app(frozen(NOW))
    async with app.run_test() as pilot:
        assert app.theme == "nord"
