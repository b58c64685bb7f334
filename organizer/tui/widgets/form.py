"""A modal form that checks as you type and never loses what was typed by accident.

Subclass `FormScreen`, then give it:

    FORM_TITLE = "New member"
    def build_fields(self) -> list[Field]: ...          # the fields, in order
    def problems(self, values: dict) -> dict[str, str]: # {field name: message}, checked per keystroke
    def save(self, values: dict): ...                   # write; raise ValidationError / UserError

`values` maps each Field's name to its text. A field's message shows under it once it has
been edited (as you type) and for every field when saving. Save (ctrl+s, or the button,
or enter in the last field) is refused while anything is invalid, with the reason in the
status line; escape asks before throwing away typed changes. The screen dismisses with
what `save` returned, or None when cancelled.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from organizer.services.errors import UserError, ValidationError
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.shell import OnShell


class FormScreen(OnShell, ModalScreen):
    """The base of every add / edit form."""

    FORM_TITLE = "Form"
    SAVE_LABEL = "Save"
    HINT = "ctrl+s saves · escape cancels"
    ENTER_SAVES = False  # enter in a text field: the next field, or save from the last
    CANCELLABLE = True
    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
    }
    FormScreen #form-box {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    FormScreen #form-fields {
        height: auto;
        max-height: 70vh;  /* room for the status line and buttons at 80×24 */
    }
    FormScreen #form-status {
        height: auto;
        margin: 1 0 0 0;
        color: $text-muted;
    }
    FormScreen #form-status.-refused {
        color: $error;
    }
    FormScreen #form-buttons {
        height: auto;
        align-horizontal: right;
    }
    FormScreen #form-buttons Button {
        margin: 0 0 0 2;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
        # A modal screen hides the app's keys: help is bound again here.
        Binding("f1", "app.help", "Help", key_display="F1"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.touched: set[str] = set()

    # -- to override --------------------------------------------------------------------

    def build_fields(self) -> list[Field]:
        return []

    def problems(self, values: dict) -> dict[str, str]:
        return {}

    def save(self, values: dict):
        return values

    def intro(self) -> str:
        """A line above the fields (markup allowed); empty for none."""
        return ""

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box") as box:
            box.border_title = escape(self.FORM_TITLE)
            if text := self.intro():
                yield Static(text, id="form-intro")
            with VerticalScroll(id="form-fields"):
                yield from self.build_fields()
            yield Static(self.HINT, id="form-status")
            with Horizontal(id="form-buttons"):
                if self.CANCELLABLE:
                    yield Button("Cancel", id="form-cancel", compact=True)
                yield Button(f"{self.SAVE_LABEL} (ctrl+s)", id="form-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        fields = self.fields
        if fields:
            fields[0].focus()

    # -- state --------------------------------------------------------------------------

    @property
    def fields(self) -> list[Field]:
        return list(self.query(Field))

    def field(self, name: str) -> Field:
        return self.query_one(f"#field-{name}", Field)

    def values(self) -> dict[str, str]:
        return {field.field_name: field.value for field in self.fields}

    @property
    def dirty(self) -> bool:
        return any(field.changed for field in self.fields)

    def check(self, *, everything: bool = False) -> dict[str, str]:
        """Run `problems` and show each message under its field (edited fields only, unless `everything`)."""
        errors = self.problems(self.values())
        for field in self.fields:
            shown = everything or field.field_name in self.touched
            field.show(errors.get(field.field_name) if shown else None)
        return errors

    def set_status(self, text: str, *, refused: bool = False) -> None:
        status = self.query_one("#form-status", Static)
        status.update(escape(text))
        status.set_class(refused, "-refused")

    # -- events -------------------------------------------------------------------------

    def on_field_edited(self, event: Field.Edited) -> None:
        self.touched.add(event.field.field_name)
        errors = self.check()
        if not errors:
            self.set_status(self.HINT)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = self.fields
        names = [field.field_name for field in fields]
        current = event.input.id.removeprefix("input-") if event.input.id else ""
        if not self.ENTER_SAVES and current in names and names.index(current) < len(names) - 1:
            fields[names.index(current) + 1].focus()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    # -- actions ------------------------------------------------------------------------

    def ask_first(self, values: dict) -> str | None:
        """A question to ask before saving these values (a move into the past…), or None."""
        return None

    def action_save(self) -> None:
        errors = self.check(everything=True)
        if errors:
            self.refuse(errors)
            return
        question = self.ask_first(self.values())
        if question:
            def answered(yes: bool | None) -> None:
                if yes:
                    self._save()

            self.app.push_screen(Confirm(question, self.SAVE_LABEL, "Not yet"), answered)
            return
        self._save()

    def _save(self) -> None:
        try:
            result = self.save(self.values())
        except ValidationError as error:
            for field in self.fields:
                field.show(error.fields.get(field.field_name))
            self.refuse(error.fields)
            return
        except UserError as error:
            self.set_status(f"Not saved: {error}", refused=True)
            return
        self.dismiss(result)

    def refuse(self, errors: dict[str, str]) -> None:
        labels = {field.field_name: field.label for field in self.fields}
        first = next(iter(errors))
        count = len(errors)
        reason = f"{labels.get(first, first)}: {errors[first]}"
        more = f" (and {count - 1} more)" if count > 1 else ""
        self.set_status(f"Not saved — {reason}{more}", refused=True)
        if first in labels:
            self.field(first).focus()

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(throw_away: bool | None) -> None:
            if throw_away:
                self.dismiss(None)

        self.app.push_screen(
            Confirm("Throw away your changes?", "Throw away", "Keep editing",
                    detail="What you typed in this form will be lost."),
            answered,
        )
