"""A labelled form field that shows its problem under it.

    Field("email", "Email", value=member.email)
    Field("status", "Status", choices=[("active", "active"), ("on leave", "on_leave")])

A Field holds a one-line Input (or a Select when `choices` are given) with its label on
the left and a message line under it. `Field.value` reads it; `Field.show(message)` sets
the message (None or "" hides the line). A hint (e.g. "YYYY-MM-DD") shows dimmed while
there is no problem. Changes arrive as the Input's or Select's own messages, bubbling
through the Field: listen for `Field.Edited` to get one message for both kinds.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.markup import escape


class Field(Guarded, Vertical):
    """One labelled value of a form with its message line."""

    DEFAULT_CSS = """
    Field {
        height: auto;
        margin: 0 0 0 0;
    }
    Field > Horizontal {
        height: auto;
    }
    Field .field-label {
        width: 20;
        padding: 0 1 0 0;
        text-align: right;
        color: $text-muted;
    }
    Field.-invalid .field-label {
        color: $error;
    }
    Field Input, Field Select {
        width: 1fr;
    }
    Field .field-message {
        padding: 0 0 0 20;
        color: $text-muted;
        height: auto;
    }
    Field.-invalid .field-message {
        color: $error;
    }
    Field .field-message.-empty {
        display: none;
    }
    """

    class Edited(Message):
        """The field's value changed (typed or chosen)."""

        def __init__(self, field: Field):
            super().__init__()
            self.field = field

        @property
        def control(self) -> Field:
            return self.field

    def __init__(
        self,
        name: str,
        label: str,
        *,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        choices: list[tuple[str, str]] | None = None,
        suggester: Suggester | None = None,
        password: bool = False,
    ):
        super().__init__(id=f"field-{name}")
        self.field_name = name
        self.label = label
        self.initial = value
        self.placeholder = placeholder
        self.hint = hint
        self.choices = choices
        self.suggester = suggester
        self.password = password
        self.message = ""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(escape(self.label), classes="field-label")
            if self.choices is not None:
                yield Select(
                    self.choices, value=self.initial, allow_blank=False, compact=True, id=f"input-{self.field_name}"
                )
            else:
                yield Input(
                    self.initial,
                    placeholder=self.placeholder,
                    compact=True,
                    suggester=self.suggester,
                    password=self.password,
                    id=f"input-{self.field_name}",
                    select_on_focus=False,
                )
        yield Static("", classes="field-message")

    def on_mount(self) -> None:
        self._render_message()
        self.call_after_refresh(self._show_beginning)

    # A long value shows its beginning when the field is not focused (a path, a sentence),
    # and the cursor goes to its end when it is, to carry on typing.
    def _show_beginning(self) -> None:
        control = self.control
        if isinstance(control, Input) and not control.has_focus:
            control.action_home()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input):
            event.widget.action_end()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, Input):
            event.widget.action_home()

    @property
    def control(self) -> Widget:
        """The widget that takes the typing: an Input, a Select (with `choices`), a TextArea (TextField)."""
        return self.query_one(f"#input-{self.field_name}")

    @property
    def value(self) -> str:
        if self.choices is not None:
            chosen = self.query_one(f"#input-{self.field_name}", Select).value
            return "" if chosen is Select.BLANK else str(chosen)
        return self.query_one(f"#input-{self.field_name}", Input).value

    @value.setter
    def value(self, text: str) -> None:
        if self.choices is not None:
            self.query_one(f"#input-{self.field_name}", Select).value = text
        else:
            self.query_one(f"#input-{self.field_name}", Input).value = text

    @property
    def changed(self) -> bool:
        return self.value != self.initial

    def show(self, message: str | None) -> None:
        """Show `message` under the field (its problem), or the hint when there is none."""
        self.message = message or ""
        self._render_message()

    def _render_message(self) -> None:
        line = self.query_one(".field-message", Static)
        text = self.message or self.hint
        self.set_class(bool(self.message), "-invalid")
        line.set_class(not text, "-empty")
        line.update(escape(text))

    def focus(self, scroll_visible: bool = True) -> Field:
        self.control.focus(scroll_visible)
        return self

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        # A member's name typed in another case (or without its accents) takes the roster's
        # spelling as you type, so the completion reads "Zoë Lefèvre", never "zoë Lefèvre".
        as_stored = getattr(event.input.suggester, "as_stored", None)
        if as_stored is not None and event.input.cursor_at_end:
            stored = as_stored(event.value)
            if stored is not None:
                event.input.value = stored
                event.input.action_end()
                return  # the change to the stored spelling posts its own Changed
        self.post_message(self.Edited(self))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.Edited(self))
