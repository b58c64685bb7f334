"""A Field holding a multi-line TextArea (a post's Markdown body) instead of a one-line Input.

It behaves as a Field inside a FormScreen: `value`, `changed`, `show(message)`, `focus()` and
`Field.Edited` on every change. The label sits above the editor, which needs the width.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Label, Static, TextArea

from organizer.tui.widgets.field import Field
from organizer.tui.widgets.markup import escape


class TextField(Field):
    """A labelled multi-line editor with its message line."""

    DEFAULT_CSS = """
    TextField TextArea {
        height: 10;
    }
    TextField .text-field-label {
        color: $text-muted;
    }
    TextField.-invalid .text-field-label {
        color: $error;
    }
    TextField .field-message {
        padding: 0;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label(escape(self.label), classes="text-field-label")
        # No Markdown highlighting: it needs tree-sitter grammars, and plain text reads fine.
        yield TextArea(
            self.initial, soft_wrap=True, show_line_numbers=False, tab_behavior="focus", id=f"input-{self.field_name}"
        )
        yield Static("", classes="field-message")

    @property
    def value(self) -> str:
        return self.query_one(f"#input-{self.field_name}", TextArea).text

    @value.setter
    def value(self, text: str) -> None:
        self.query_one(f"#input-{self.field_name}", TextArea).text = text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.Edited(self))
