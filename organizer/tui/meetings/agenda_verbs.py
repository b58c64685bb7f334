"""The agenda's keys on a meeting's page: add, edit (enter), move (shift+↑/↓), remove, and
the usual order (g). Mixed into MeetingScreen, which shows the agenda (meetings/detail.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from organizer.errors import UserError
from organizer.services import agenda
from organizer.services.records import AgendaItem, Meeting
from organizer.tui.meetings.night_forms import AgendaItemForm
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.shell import OnShell

if TYPE_CHECKING:
    from textual.widgets import DataTable


class AgendaVerbs(OnShell):
    """What the agenda's keys do; the page gives the meeting, its table and its repaint."""

    meeting: Meeting
    if TYPE_CHECKING:

        @property
        def agenda_table(self) -> DataTable: ...

        def _agenda_id(self) -> int | None: ...

        def _show_agenda(self, keep: int | None) -> None: ...

    def _agenda_item(self) -> AgendaItem | None:
        item_id = self._agenda_id()
        if item_id is None or not self.agenda_table.has_focus:
            self.app.notify("Put the cursor on an agenda item first (tab moves between the lists).", severity="warning")
            return None
        return agenda.find_item(self.meeting, item_id)

    def action_add_item(self) -> None:
        def saved(item: AgendaItem | None) -> None:
            if item is not None:
                self._show_agenda(item.id)
                self.agenda_table.focus()

        self.app.push_screen(AgendaItemForm(self.meeting), saved)

    def action_edit_item(self) -> None:
        if item := self._agenda_item():

            def edited(saved: AgendaItem | None) -> None:
                if saved:
                    self._show_agenda(saved.id)

            self.app.push_screen(AgendaItemForm(self.meeting, item), edited)

    def action_move_item(self, step: int) -> None:
        if item := self._agenda_item():
            agenda.move_item(item, step)
            self._show_agenda(item.id)

    def action_remove_item(self) -> None:
        item = self._agenda_item()
        if item is None:
            return

        def sure(yes: bool | None) -> None:
            if yes:
                agenda.remove_item(item)
                self._show_agenda(None)

        detail = "The thread stays; it is simply no longer carried to this meeting." if item.thread_id else ""
        self.app.push_screen(Confirm(f"Take “{item.title}” off the agenda?", "Remove", detail=detail), sure)

    def action_standard_agenda(self) -> None:
        try:
            agenda.standard_agenda(self.meeting)
        except UserError as error:
            self.app.notify(str(error), severity="warning")
            return
        self._show_agenda(None)
        self.agenda_table.focus()
