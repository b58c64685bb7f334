"""What every section of the app shares: its id, title, number key and key bindings.

The shell shows one section at a time. A section lists its keys in BINDINGS with a
description: the footer, the help screen (F1) and the command palette (ctrl+p) all read
them from there, so a key added once is discoverable everywhere.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.worker import Worker, WorkerState

from organizer import failures
from organizer.tui.widgets.shell import OnShell


class Section(OnShell, Vertical):
    """One of the numbered sections (Dashboard, Members, …)."""

    SECTION_ID: str = ""
    TITLE: str = ""
    KEY: str = ""
    BINDINGS: ClassVar[list[BindingType]] = []

    def refresh_data(self) -> None:
        """Reload what the section shows from the database (called when it is shown)."""

    def on_show(self) -> None:
        self.refresh_data()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A section's background job (a page, totals, the recap) that failed: one line,
        and the app goes on (a crash log when it is a bug)."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"Could not finish: {failures.one_line(event.worker.error)}", severity="error", timeout=10)

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
