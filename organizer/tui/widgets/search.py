"""A compact search box that tells its list of each change in the step that makes it.

`on_change`, when given, is called with the new text in the same step that changes it.
An `Input.Changed` message reaches the list a few hops later, often after the screen has
already painted the typed letter: the list's new rows then wait for the next frame, a
keystroke costing two frames instead of one.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input


class SearchInput(Input):
    """A compact Input for search-as-you-type."""

    DEFAULT_CSS = """
    SearchInput {
        width: 1fr;
    }
    """

    def __init__(
        self, *, placeholder: str = "Search", id: str | None = None, on_change: Callable[[str], None] | None = None
    ):
        super().__init__(placeholder=placeholder, compact=True, id=id, select_on_focus=False)
        self.on_change = on_change

    def watch_value(self, value: str) -> None:
        if self.on_change is not None:
            self.on_change(value)
