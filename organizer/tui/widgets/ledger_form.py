"""The small form kit the ledger's dialogs use: a labelled field, a yes/no question, a modal form.

    class ThankForm(LedgerFormScreen):
        FORM_TITLE = "Thank-you"
        def build_fields(self): return [LedgerField("note", "Note")]
        def problems(self, values): return {}            # {field: message}, per keystroke
        def save(self, values): return ledger.thank(...)  # may raise ValidationError / UserError

A field's message shows under it once it has been edited, and under every field when
saving (including the messages of a ValidationError the service raised). Escape asks
before throwing away typed text. The screen dismisses with what `save` returned, or None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Select, Static

from organizer.services.errors import UserError, ValidationError
from organizer.tui.text import escape


class LedgerField(Vertical):
    """One labelled value (an Input, or a Select when `choices` are given) and its message."""

    DEFAULT_CSS = """
    LedgerField { height: auto; }
    LedgerField > Horizontal { height: auto; }
    LedgerField .lf-label { width: 18; padding: 0 1 0 0; text-align: right; color: $text-muted; }
    LedgerField.-invalid .lf-label { color: $error; }
    LedgerField Input, LedgerField Select { width: 1fr; }
    LedgerField .lf-message { padding: 0 0 0 18; color: $text-muted; height: auto; }
    LedgerField.-invalid .lf-message { color: $error; }
    LedgerField .lf-message.-empty { display: none; }
    """

    class Edited(Message):
        def __init__(self, field: "LedgerField"):
            super().__init__()
            self.field = field

    def __init__(self, name: str, label: str, *, value: str = "", placeholder: str = "",
                 hint: str = "", choices: list[tuple[str, str]] | None = None,
                 suggester: Suggester | None = None):
        super().__init__(id=f"field-{name}")
        self.field_name, self.label, self.initial = name, label, value
        self.placeholder, self.hint, self.choices, self.suggester = placeholder, hint, choices, suggester
        self.message = ""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(escape(self.label), classes="lf-label")
            if self.choices is not None:
                yield Select(self.choices, value=self.initial, allow_blank=False, compact=True,
                             id=f"input-{self.field_name}")
            else:
                yield Input(self.initial, placeholder=self.placeholder, compact=True,
                            suggester=self.suggester, id=f"input-{self.field_name}",
                            select_on_focus=False)
        yield Static("", classes="lf-message")

    def on_mount(self) -> None:
        self._render_message()

    @property
    def control(self) -> Input | Select:
        return self.query_one(f"#input-{self.field_name}")

    @property
    def value(self) -> str:
        value = self.control.value
        return "" if value is Select.BLANK else str(value)

    @property
    def changed(self) -> bool:
        return self.value != self.initial

    def show(self, message: str | None) -> None:
        self.message = message or ""
        self._render_message()

    def _render_message(self) -> None:
        line = self.query_one(".lf-message", Static)
        text = self.message or self.hint
        self.set_class(bool(self.message), "-invalid")
        line.set_class(not text, "-empty")
        line.update(escape(text))

    def focus(self, scroll_visible: bool = True):  # type: ignore[override]
        self.control.focus(scroll_visible)
        return self

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Edited(self))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.Edited(self))


class LedgerConfirm(ModalScreen[bool]):
    """Ask one question; `y` answers yes, `n` or escape no. The no button has the focus."""

    HELP_TITLE = "Confirm"
    DEFAULT_CSS = """
    LedgerConfirm { align: center middle; }
    LedgerConfirm > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    LedgerConfirm .lc-text { margin: 0 0 1 0; }
    LedgerConfirm Horizontal { height: auto; align-horizontal: right; }
    LedgerConfirm Button { margin: 0 0 0 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No", *, detail: str = ""):
        super().__init__()
        self.question, self.yes, self.no, self.detail = question, yes, no, detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{escape(self.question)}[/b]", classes="lc-text")
            if self.detail:
                yield Static(escape(self.detail), classes="lc-text")
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


class LedgerFormScreen(ModalScreen):
    """The base of the ledger's dialogs (record, advance, thank, void, filter)."""

    HELP_TITLE = "Form"
    FORM_TITLE = "Form"
    SAVE_LABEL = "Save"
    DEFAULT_CSS = """
    LedgerFormScreen { align: center middle; }
    LedgerFormScreen #form-box {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; border-title-style: bold; background: $surface; padding: 0 1;
    }
    LedgerFormScreen #form-intro { margin: 0 0 1 0; }
    LedgerFormScreen #form-fields { height: auto; max-height: 1fr; }
    LedgerFormScreen #form-status { height: auto; margin: 1 0 0 0; color: $text-muted; }
    LedgerFormScreen #form-status.-refused { color: $error; }
    LedgerFormScreen #form-buttons { height: auto; align-horizontal: right; }
    LedgerFormScreen #form-buttons Button { margin: 0 0 0 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]
    HINT = "ctrl+s saves · escape cancels"

    def __init__(self) -> None:
        super().__init__()
        self.touched: set[str] = set()

    # -- to override --------------------------------------------------------------------

    def build_fields(self) -> list[LedgerField]:
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
                yield Button("Cancel", id="form-cancel")
                yield Button(f"{self.SAVE_LABEL} (ctrl+s)", id="form-save", variant="primary")

    def on_mount(self) -> None:
        if self.fields:
            self.fields[0].focus()

    @property
    def fields(self) -> list[LedgerField]:
        return list(self.query(LedgerField))

    def field(self, name: str) -> LedgerField:
        return self.query_one(f"#field-{name}", LedgerField)

    def values(self) -> dict[str, str]:
        return {field.field_name: field.value for field in self.fields}

    @property
    def dirty(self) -> bool:
        return any(field.changed for field in self.fields)

    def check(self, *, everything: bool = False) -> dict[str, str]:
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

    def on_ledger_field_edited(self, event: LedgerField.Edited) -> None:
        self.touched.add(event.field.field_name)
        if not self.check():
            self.set_status(self.HINT)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = self.fields
        names = [field.field_name for field in fields]
        current = (event.input.id or "").removeprefix("input-")
        if current in names and names.index(current) < len(names) - 1:
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

    def action_save(self) -> None:
        errors = self.check(everything=True)
        if errors:
            self.refuse(errors)
            return
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
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        self.set_status(f"Not saved — {labels.get(first, first)}: {errors[first]}{more}", refused=True)
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
            LedgerConfirm("Throw away what you typed?", "Throw away", "Keep editing",
                          detail="What you typed in this form will be lost."),
            answered,
        )
