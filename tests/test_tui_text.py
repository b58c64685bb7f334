"""User text in the app's markup stays exactly what was typed, whatever its brackets."""

from __future__ import annotations

import pytest
from textual.content import Content

from organizer.tui.widgets.markup import ZERO_WIDTH_SPACE, escape

NASTY = [
    "Social \\",
    "Back room [ upstairs",
    "Room [2nd floor",
    "Cost: [$5]",
    "Meet [ the new board ] and eat",
    "[b]Bold[/b] Circle",
    "[red]x",
    "a\\[b",
    "x [/]",
    "[@click=app.quit]quit",
    "trailing \\\\",
    "[",
    "]",
    "\\",
    "[[[",
    "[/dim]",
    "a\\]b",
    "Zoë [Lefèvre]",
    "陈静 [上海]",
    "فاطمة [x]",
]


@pytest.mark.parametrize("text", NASTY)
def test_escaped_text_reads_back_as_typed_between_tags(text):
    content = Content.from_markup(f"[b]{escape(text)}[/b] [dim]{escape(text)}[/dim] end")
    assert content.plain.replace(ZERO_WIDTH_SPACE, "") == f"{text} {text} end"


async def test_a_group_named_like_markup_is_greeted_by_its_name(db):
    from organizer.clock import frozen
    from organizer.services.groups import create_group
    from organizer.tui.app import make_app
    from tests.conftest import NOW

    create_group(
        name="[b]Bold[/b] Circle [",
        timezone="Europe/Dublin",
        organizer_name="Aoife",
        organizer_email="aoife@example.ie",
        now=NOW,
    )
    app = make_app(frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify("Welcome to [b]Bold[/b] Circle [.")
        await pilot.pause()
        (toast,) = [n for n in app._notifications]
        assert toast.message == "Welcome to [b]Bold[/b] Circle [." and toast.markup is False
        assert app.title == "[b]Bold[/b] Circle ["
