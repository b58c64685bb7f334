"""F1 / ?: every key of the current screen, grouped, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.markup import escape

KEY_WIDTH = 10


def key_label(key: str) -> str:
    names = {
        "question_mark": "?",
        "slash": "/",
        "escape": "esc",
        "enter": "enter",
        "space": "space",
        "f1": "F1",
        "up": "↑",
        "down": "↓",
        "left": "←",
        "right": "→",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "pagedown": "PgDn",
        "pageup": "PgUp",
    }
    return ", ".join(names.get(part, part) for part in key.split(","))


class HelpScreen(Guarded, ModalScreen[None]):
    """A list of keys: the current section's first, then those that work everywhere."""

    BINDINGS = [
        Binding("escape,f1,question_mark,q", "dismiss", "Close help"),
    ]

    def __init__(self, groups: list[tuple[str, list[Binding]]]):
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        lines = ["[b]Keys[/b] [dim]· escape closes[/dim]", ""]
        for heading, bindings in self.groups:
            lines.append(f"[b $accent]{escape(heading)}[/]")
            for binding in bindings:
                label = key_label(binding.key).ljust(KEY_WIDTH)
                line = f"  [b]{escape(label)}[/b] {escape(binding.description)}"
                if binding.tooltip:  # the longer explanation of a short footer label
                    line += f"  [dim]{escape(binding.tooltip)}[/dim]"
                lines.append(line)
            lines.append("")
        lines.append("[dim]Every action above is also in the command palette (ctrl+p), by name.[/dim]")
        with VerticalScroll(id="help-body"):
            yield Static("\n".join(lines), id="help-text")

    def action_dismiss(self) -> None:  # type: ignore[override]  # Textual's takes a result; none here
        self.dismiss(None)
