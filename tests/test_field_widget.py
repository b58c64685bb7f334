"""A form field with a long value shows its beginning when it is not focused, and puts the
cursor at the end when it is (to carry on typing)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from organizer.tui.widgets.field import Field

LONG = "/home/someone/Documents/Grand River Business Circle/exports/2026/members-2026-11-20.csv"


class TwoFields(App):
    def compose(self) -> ComposeResult:
        yield Field("first", "First", value="short")
        yield Field("path", "File", value=LONG)


async def test_a_long_value_shows_its_beginning_unless_focused():
    app = TwoFields()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        path = app.query_one("#input-path", Input)
        assert not path.has_focus and path.scroll_x == 0 and path.cursor_position == 0
        path.focus()
        await pilot.pause()
        assert path.cursor_position == len(LONG) and path.scroll_x > 0
        await pilot.press("x")
        assert path.value == LONG + "x"
        app.query_one("#input-first", Input).focus()
        await pilot.pause()
        assert path.scroll_x == 0 and path.value == LONG + "x"


class MemberField(App):
    def compose(self) -> ComposeResult:
        from organizer.tui.widgets.member_pick import MemberSuggester

        yield Field("giver", "Giver", suggester=MemberSuggester(["Zoë Lefèvre", "Zack Young"]))


async def test_a_members_name_completes_as_stored():
    app = MemberField()
    async with app.run_test(size=(60, 10)) as pilot:
        field = app.query_one(Field)
        field.focus()
        await pilot.press("z", "o", "e")  # no capital, no accent
        await pilot.pause()
        control = app.query_one(Input)
        assert control.value == "Zoë"  # the roster's spelling, as typed so far
        await pilot.press("right")  # accept the completion
        await pilot.pause()
        assert control.value == "Zoë Lefèvre"
