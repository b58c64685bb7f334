"""A search box that remembers when its last key arrived, for keystroke-to-repaint timing.

`SearchInput.key_time` is the Textual clock (`textual._time.get_time`, seconds) of the
last key event it received; a list that refreshes on `Input.Changed` can subtract it
from the clock after its repaint to measure what the user waited.

`on_change`, when given, is called with the new text in the same step that changes it.
An `Input.Changed` message reaches the list a few hops later, often after the screen has
already painted the typed letter: the list's new rows then wait for the next frame, a
keystroke costing two frames instead of one.
"""

from __future__ import annotations

from typing import Callable

from textual import events
from textual._time import get_time
from textual.widgets import Input


class SearchInput(Input):
    """A compact Input for search-as-you-type."""

    DEFAULT_CSS = """
    SearchInput {
        width: 1fr;
    }
    """

    def __init__(self, *, placeholder: str = "Search", id: str | None = None,
                 on_change: Callable[[str], None] | None = None):
        super().__init__(placeholder=placeholder, compact=True, id=id, select_on_focus=False)
        self.key_time: float | None = None
        self.on_change = on_change

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        if self.on_change is not None:
            self.on_change(value)

    async def _on_key(self, event: events.Key) -> None:
        self.key_time = event.time
        await super()._on_key(event)

    @staticmethod
    def clock() -> float:
        return get_time()
