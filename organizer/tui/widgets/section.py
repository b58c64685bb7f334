"""What every section of the app shares: its id, title, number key and key bindings.

The shell shows one section at a time. A section lists its keys in BINDINGS with a
description: the footer, the help screen (F1) and the command palette (ctrl+p) all read
them from there, so a key added once is discoverable everywhere.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical

from organizer.tui.widgets.shell import OnShell


class Section(OnShell, Vertical):
    """One of the numbered sections (Dashboard, Members, …)."""

    SECTION_ID: str = ""
    TITLE: str = ""
    KEY: str = ""
    BINDINGS: list[Binding] = []

    def refresh_data(self) -> None:
        """Reload what the section shows from the database (called when it is shown)."""

    def on_show(self) -> None:
        self.refresh_data()

    @classmethod
    def commands(cls) -> list[Binding]:
        """The section's actions that belong in the help screen and the palette."""
        return [binding for binding in cls.BINDINGS if isinstance(binding, Binding) and binding.description]

    def focus_default(self) -> None:
        """Put the focus on the section's first focusable widget when it is shown."""
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return

    async def run_section_action(self, action: str) -> None:
        await self.app.run_action(action, self)

