"""A question with a few answers in a small modal: `push_screen(Choice(...), callback)` → the answer.

    Choice("Quit with unsaved work?", ["New member: “Ana”"],
           [("save", "Save and quit", "s"), ("discard", "Discard and quit", "d"), ("stay", "Stay", "escape")])

Each answer is a button with its key; escape answers `cancel` (the harmless one, which
also has the focus, so a stray enter changes nothing). The lines name what is at stake.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.markup import escape


class Choice(Guarded, ModalScreen[str]):
    """Ask one question; dismiss with the value of the answer chosen."""

    HELP_TITLE = "Question"
    DEFAULT_CSS = """
    Choice { align: center middle; }
    Choice > Vertical {
        width: 76; max-width: 95%; height: auto; max-height: 95%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    Choice .choice-question { margin: 0 0 1 0; }
    Choice .choice-lines { margin: 0 0 1 0; height: auto; max-height: 16; }
    Choice Horizontal { height: auto; align-horizontal: right; }
    Choice Button { margin: 0 0 0 2; }
    """
    BINDINGS = [Binding("f1", "app.help", "Help", show=False)]

    def __init__(
        self,
        question: str,
        lines: list[str],
        answers: list[tuple[str, str, str]],
        *,
        cancel: str = "stay",
    ):
        super().__init__()
        self.question, self.lines, self.answers, self.cancel = (
            question,
            lines,
            answers,
            cancel,
        )
        self.answered = False  # a second key while it closes must not answer again

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{escape(self.question)}[/b]", classes="choice-question")
            if self.lines:
                yield Static(
                    escape("\n".join(f"• {line}" for line in self.lines)),
                    classes="choice-lines",
                )
            with Horizontal():
                for value, label, key in self.answers:
                    yield Button(
                        f"{label} ({key})",
                        id=f"answer-{value}",
                        variant="default" if value == self.cancel else "warning",
                    )

    def on_mount(self) -> None:
        # The harmless answer has the focus (queried, not assumed: a screen torn down as the
        # app ends may have no buttons left).
        for button in self.query(f"#answer-{self.cancel}").results(Button):
            button.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.answer((event.button.id or "").removeprefix("answer-"))

    def on_key(self, event: events.Key) -> None:
        keys = {key: value for value, _label, key in self.answers}
        keys["escape"] = self.cancel
        if event.key in keys:
            event.stop()
            event.prevent_default()
            self.answer(keys[event.key])

    def answer(self, value: str) -> None:
        """Dismiss with `value`, once: keys typed on while it closes answer nothing more."""
        if not self.answered:
            self.answered = True
            self.dismiss(value)
