"""The base of the Threads forms (new thread, reply / edit, referral from a post).

A subclass gives `fields()` (each field built with `field(...)`), `values()` and `save(values)`.
Save (ctrl+s or the button) calls `save`; a ValidationError shows each message under its field,
a UserError shows in the status line, and nothing typed is lost. Escape asks before throwing
away anything typed. The screen dismisses with what `save` returned, or None when cancelled.
"""

from __future__ import annotations

from typing import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from organizer.services.errors import UserError, ValidationError
from organizer.tui.text import escape
from organizer.tui.widgets.yes_no import YesNo


def field(name: str, label: str, widget: Widget) -> Vertical:
    """A labelled widget with its message line under it (shown when there is a problem)."""
    widget.id = widget.id or f"field-{name}"
    return Vertical(
        Label(label, classes="field-label"),
        widget,
        Static("", id=f"error-{name}", classes="field-error"),
        classes="form-field",
    )


class ThreadForm(ModalScreen[object]):
    """A modal form: fields, a status line, Save and Cancel."""

    FORM_TITLE = "Form"
    HELP_TITLE = "Form"
    SAVE_LABEL = "Save"
    DEFAULT_CSS = """
    ThreadForm { align: center middle; }
    ThreadForm #form-box {
        width: 96; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ThreadForm #form-title { text-style: bold; margin: 0 0 0 0; }
    ThreadForm #form-subtitle { color: $text-muted; }
    ThreadForm #form-fields { height: auto; }
    ThreadForm .form-field { height: auto; }
    ThreadForm .field-label { color: $text-muted; margin: 1 0 0 0; }
    ThreadForm .field-error { color: $error; display: none; }
    ThreadForm .field-error.-shown { display: block; }
    ThreadForm TextArea { height: 10; }
    ThreadForm #form-status { color: $error; height: auto; }
    ThreadForm #form-buttons { height: auto; align-horizontal: right; }
    ThreadForm #form-buttons Button { margin: 0 0 0 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def subtitle(self) -> str:
        """A dim line under the title (markup; user text escaped by the subclass)."""
        return ""

    def fields(self) -> Iterable[Widget]:
        raise NotImplementedError

    def values(self) -> dict:
        raise NotImplementedError

    def save(self, values: dict) -> object:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(escape(self.FORM_TITLE), id="form-title")
            if self.subtitle():
                yield Static(self.subtitle(), id="form-subtitle")
            with VerticalScroll(id="form-fields"):
                yield from self.fields()
            yield Static("", id="form-status")
            with Horizontal(id="form-buttons"):
                yield Button(f"{self.SAVE_LABEL} (ctrl+s)", variant="primary", id="form-save")
                yield Button("Cancel (esc)", id="form-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self._initial = self.values()
        for widget in self.query("Input, TextArea, Select"):
            widget.focus()
            break

    def on_resize(self) -> None:
        # The fields scroll; title, status and buttons stay on screen even at 80x24.
        around = sum(w.outer_size.height for w in self.query("#form-title, #form-subtitle, #form-status, #form-buttons"))
        fields = self.query_one("#form-fields")
        fields.styles.max_height = max(5, self.size.height - around - 3)

    # -- saving ---------------------------------------------------------------------------

    def action_save(self) -> None:
        self.show_problems({}, "")
        try:
            result = self.save(self.values())
        except ValidationError as error:
            self.show_problems(error.fields, "Not saved: fix the fields marked above.")
            return
        except UserError as error:
            self.show_problems({}, str(error))
            return
        self.dismiss(result)

    def show_problems(self, problems: dict[str, str], status: str) -> None:
        leftover = dict(problems)
        for line in self.query(".field-error").results(Static):
            name = (line.id or "").removeprefix("error-")
            message = leftover.pop(name, "")
            line.update(escape(message))
            line.set_class(bool(message), "-shown")
        extra = "; ".join(leftover.values())
        self.query_one("#form-status", Static).update(escape(" ".join(filter(None, [extra, status]))))
        for name in problems:
            self._focus_field(name)
            break

    def _focus_field(self, name: str) -> None:
        for widget in self.query(f"#field-{name}"):
            widget.focus()

    # -- leaving --------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self.values() == self._initial:
            self.dismiss(None)
            return
        self.app.push_screen(
            YesNo("Throw away what you typed?", yes="Throw away", no="Keep editing"),
            lambda sure: self.dismiss(None) if sure else None,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()


def text_of(widget: Widget) -> str:
    """What a field holds as text (Input, TextArea or Select; a blank Select is '')."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return "" if widget.value is Select.NULL else str(widget.value)
    if isinstance(widget, Input):
        return widget.value
    raise TypeError(f"not a form field: {widget!r}")
