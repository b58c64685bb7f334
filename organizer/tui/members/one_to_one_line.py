"""Record a one-to-one in one line, from a member's page: `ana + ben: coffee tuesday`.

The line starts with the member's name and " + "; a live preview says what will be saved
or what is wrong (services.one_to_one_capture). Enter saves; escape leaves, saving nothing.
Dismisses with the saved one-to-one's description, or None.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from organizer.errors import UserError
from organizer.services import one_to_one_capture
from organizer.tui.widgets.shell import OnShell

HINT = "other member, then after a colon: when (today, tuesday, 2026-11-02), where (video, phone), notes"


class OneToOneLine(OnShell, ModalScreen[str | None]):
    """One line, previewed as it is typed."""

    HELP_TITLE = "Record a one-to-one"
    DEFAULT_CSS = """
    OneToOneLine { align: center middle; }
    OneToOneLine > Vertical {
        width: 90; max-width: 95%; height: auto;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    OneToOneLine #o2o-preview { height: auto; margin: 1 0 0 0; }
    OneToOneLine #o2o-preview.-problem { color: $error; }
    OneToOneLine #o2o-hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, group, first_name: str):
        super().__init__()
        self.group = group
        self.first_name = first_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Record a one-to-one[/b]")
            yield Input(value=f"{self.first_name} + ", id="o2o-line", select_on_focus=False)
            yield Static(id="o2o-preview")
            yield Static(HINT, id="o2o-hint")

    def on_mount(self) -> None:
        line = self.query_one("#o2o-line", Input)
        line.focus()
        line.cursor_position = len(line.value)
        self.show_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_preview()

    def show_preview(self):
        text = self.query_one("#o2o-line", Input).value
        preview = one_to_one_capture.preview_one_to_one(self.group, text, now=self.app.clock())
        shown = self.query_one("#o2o-preview", Static)
        if preview.ok:
            shown.update(Text.assemble(("✓ ", "bold green"), preview.describe(), ("  · enter saves", "dim")))
        else:
            shown.update(Text("✗ " + " · ".join(dict.fromkeys(preview.errors.values()))))
        shown.set_class(not preview.ok, "-problem")
        return preview

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        preview = self.show_preview()
        if not preview.ok:
            return
        try:
            one_to_one_capture.record_previewed(self.group, preview, now=self.app.clock())
        except UserError as error:
            self.app.notify(f"Not saved: {error}", severity="error")
            return
        self.dismiss(preview.describe())

    def action_cancel(self) -> None:
        self.dismiss(None)
