"""Snapshots of the Threads screens: the list, a thread with Markdown, the reply editor.

Frozen clock, no cursor blink, no animation: the pictures change only when the screens do.
Review an updated SVG as a picture before accepting it.
"""

from __future__ import annotations

from textual.widgets import TextArea

from organizer.clock import frozen
from organizer.tui.app import make_app
from tests.conftest import NOW


async def still(pilot) -> None:
    """No blinking cursors, no animations."""
    pilot.app.animation_level = "none"
    for widget in pilot.app.query("Input, TextArea"):
        widget.cursor_blink = False


async def open_first_match(pilot, words: str) -> None:
    await pilot.press("4", "slash", *words, "enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def app():
    return make_app(frozen(NOW), steady=True)


def test_threads_list(sample_db, snap_compare):
    assert snap_compare(app(), terminal_size=(120, 40), press=["4"], run_before=still)


def test_threads_list_small(sample_db, snap_compare):
    assert snap_compare(app(), terminal_size=(80, 24), press=["4"], run_before=still)


def test_thread_with_a_list_and_emphasis(sample_db, snap_compare):
    async def go(pilot):
        await still(pilot)
        await open_first_match(pilot, "welcome")

    assert snap_compare(app(), terminal_size=(120, 40), run_before=go)


def test_thread_with_a_link(sample_db, snap_compare):
    async def go(pilot):
        await still(pilot)
        await open_first_match(pilot, "two seats")

    assert snap_compare(app(), terminal_size=(120, 40), run_before=go)


def test_thread_small(sample_db, snap_compare):
    async def go(pilot):
        await still(pilot)
        await open_first_match(pilot, "bookkeeper")

    assert snap_compare(app(), terminal_size=(80, 24), run_before=go)


def test_reply_editor(sample_db, snap_compare):
    async def go(pilot):
        await open_first_match(pilot, "welcome")
        await pilot.press("r")
        await pilot.pause()
        await still(pilot)
        pilot.app.screen.query_one(TextArea).insert("Thanks Daniel. Two ideas:\n\n- a *jobs* tag\n- a monthly digest")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(120, 40), run_before=go)
