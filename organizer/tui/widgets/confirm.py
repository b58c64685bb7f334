"""A yes/no question in a small modal: `push_screen(Confirm(...), callback)` → True or False.

    self.app.push_screen(Confirm("Archive Zoë?", "Archive"), self._archive_if_sure)

`y` or the yes button answers True; `n`, escape or the no button answers False.
The no button has the focus, so a stray enter never does the harmful thing.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.markup import escape


class Confirm(Guarded, ModalScreen[bool]):
    """Ask one question; dismiss with the answer."""

    HELP_TITLE = "Confirm"
    DEFAULT_CSS = """
    Confirm {
        align: center middle;
    }
    Confirm > Vertical {
        width: 60;
        max-width: 95%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    Confirm .confirm-question {
        margin: 0 0 1 0;
    }
    Confirm Horizontal {
        height: auto;
        align-horizontal: right;
    }
    Confirm Button {
        margin: 0 0 0 2;
    }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
        Binding("f1", "app.help", "Help", show=False),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No", *, detail: str = ""):
        super().__init__()
        self.question, self.yes, self.no, self.detail = question, yes, no, detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{escape(self.question)}[/b]", classes="confirm-question")
            if self.detail:
                yield Static(escape(self.detail), classes="confirm-question")
            with Horizontal():
                yield Button(f"{self.no} (n)", id="no")
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
