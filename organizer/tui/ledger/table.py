"""The ledger's two widgets: its table, whose page keys and ends ask for another page, and
its search line (`/`)."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.fast_table import FastTable

COLUMNS = ("date", "giver → receiver", "prospect", "kind", "temp", "status", "value")


class LedgerTable(FastTable):
    """The ledger's table: its page keys and its ends ask the section for another page."""

    class Turn(Message):
        def __init__(self, step: int):
            super().__init__()
            self.step = step  # +1 older, -1 newer

    def action_page(self, step: int) -> None:
        self.post_message(self.Turn(step))

    def action_cursor(self, step: int) -> None:
        at_end = self.cursor_row >= self.row_count - 1 if step > 0 else self.cursor_row <= 0
        if self.row_count and at_end:
            self.post_message(self.Turn(step))
        else:
            super().action_cursor(step)


class LedgerSearch(Guarded, Input):
    """`/`: words to find in the prospect or the notes; enter applies, escape closes."""

    BINDINGS = [Binding("escape", "close", "Close search")]

    class Closed(Message):
        pass

    def action_close(self) -> None:
        self.post_message(self.Closed())
