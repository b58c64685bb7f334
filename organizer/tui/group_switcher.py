"""Choose the group to work on, when the database holds several (ctrl+g, the palette, a
click on the header): `push_screen(GroupSwitcher(lines, current_id), callback)` → the chosen
group's id, or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.markup import escape


class GroupSwitcher(Guarded, ModalScreen[int | None]):
    HELP_TITLE = "Switch group"
    DEFAULT_CSS = """
    GroupSwitcher {
        align: center middle;
    }
    GroupSwitcher > Vertical {
        width: 70;
        max-width: 95%;
        height: auto;
        max-height: 80%;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    GroupSwitcher OptionList {
        height: auto;
        max-height: 20;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("f1", "app.help", "Help", show=False),
    ]

    def __init__(self, lines, current_id: int):
        super().__init__()
        self.lines, self.current_id = list(lines), current_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Switch group[/b] (enter opens it; escape stays here)")
            yield OptionList(
                *(
                    Option(
                        f"{'● ' if line.id == self.current_id else '  '}{escape(line.name)}"
                        f"  [dim]{line.active_members} active[/dim]",
                        id=str(line.id),
                    )
                    for line in self.lines
                ),
                id="groups",
            )

    def on_mount(self) -> None:
        options = self.query_one("#groups", OptionList)
        options.focus()
        for index, line in enumerate(self.lines):
            if line.id == self.current_id:
                options.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.lines[event.option_index].id)

    def action_cancel(self) -> None:
        self.dismiss(None)
