"""The Organizer app and its factory, shared by the command line and every test."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from organizer.clock import Clock, system_now
from organizer.services.groups import current_group, has_group


class OrganizerApp(App):
    """The terminal home of the group."""

    TITLE = "Organizer"
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, clock: Clock = system_now):
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Header()
        if has_group():
            group = current_group()
            self.title = group.name
            yield Static(f"{group.name} — the app's sections arrive with the next issue.", id="welcome")
        else:
            yield Static("This database has no group yet: run `organizer init` or `organizer load-sample`.",
                         id="welcome")
        yield Footer()


def make_app(clock: Clock = system_now) -> OrganizerApp:
    """The one way to build the app (the database must already be open)."""
    return OrganizerApp(clock=clock)
