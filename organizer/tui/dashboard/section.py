"""1 Dashboard: the group at a glance, each panel a door to the section behind it.

Panels: the next meeting (local date and time, countdown from the app's clock, RSVPs,
intent), this month against last month, the top givers, referrals waiting too long,
thank-yous to send and active threads. enter on a focused panel (or a click) opens its
section. What each panel says is built in panels.py from the services.

The panels are filled by a thread worker started once the frame is painted: the first
screen comes at once, its numbers a moment later (bench/: "dashboard filled"), and keys
never wait for a query over a big ledger.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding

from organizer.services.records import Group
from organizer.services.workers import in_worker
from organizer.tui.widgets.board import Board, BoardPanel
from organizer.tui.widgets.section import Section

LIST_SIZE = 5  # rows per queue panel; TALL_LIST_SIZE when the terminal is 36+ rows high
TALL_LIST_SIZE = 8


class DashboardSection(Section):
    SECTION_ID, TITLE, KEY = "dashboard", "Dashboard", "1"
    BINDINGS = [
        Binding("enter", "open_panel", "Open the panel's section", show=False),
        Binding("r", "refresh", "Refresh"),
        Binding("right,down", "step(1)", "Next panel", show=False),
        Binding("left,up", "step(-1)", "Previous panel", show=False),
    ]
    DEFAULT_CSS = """
    DashboardSection.-narrow {
        overflow-y: auto;
    }
    DashboardSection.-narrow Board {
        height: auto;
    }
    """

    PANELS = (
        ("Next meeting", "meetings", "panel-next-meeting"),
        ("This month", "ledger", "panel-this-month"),
        ("Top givers · last 12 months", "members", "panel-top-givers"),
        ("Waiting for follow-up", "ledger", "panel-waiting"),
        ("Thank-yous to send", "ledger", "panel-thanks"),
        ("Active threads", "threads", "panel-threads"),
    )
    TARGETS = {panel_id: target for _, target, panel_id in PANELS}

    def compose(self) -> ComposeResult:
        # One widget draws the six boxes: six bordered widgets cost the first screen ~20 ms.
        yield Board(
            [BoardPanel(panel_id, title) for title, _, panel_id in self.PANELS], columns=3, id="dashboard-board"
        )

    @property
    def board(self) -> Board:
        return self.query_one(Board)

    def on_mount(self) -> None:
        # The countdown moves with the app's clock (a frozen clock keeps it still).
        self.set_interval(30, self._tick)

    def _tick(self) -> None:
        group = self.app.group
        if group is not None and self.display and self.app.screen is self.screen:
            from organizer.tui.dashboard.panels import next_meeting_panel

            self.board.update("panel-next-meeting", next_meeting_panel(group, self.app.clock(), self.list_size))

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < 100 or event.size.height < 30
        self.set_class(narrow, "-narrow")
        self.board.set_columns(2 if narrow else 3)

    def refresh_data(self) -> None:
        group: Group | None = self.app.group
        if group is not None:
            # After the next paint: the frame shows at once, the numbers as soon as read.
            self.call_after_refresh(self._fill, group, self.app.clock())

    @property
    def list_size(self) -> int:
        """Longer queues on a tall terminal (the terminal's size: known before the first layout)."""
        return TALL_LIST_SIZE if self.app.size.height >= 36 else LIST_SIZE

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _fill(self, group: Group, now) -> None:
        from organizer.tui.dashboard.panels import render_all

        parts = in_worker(render_all, group, now, self.list_size)
        self.app.call_from_thread(self._show, parts)

    def _show(self, parts: dict[str, RenderableType]) -> None:
        for panel_id, content in parts.items():
            self.board.update(panel_id, content)

    # -- actions --------------------------------------------------------------------------

    def action_open_panel(self) -> None:
        self.board.open()

    def action_step(self, step: int) -> None:
        self.board.step(step)

    async def on_board_opened(self, event: Board.Opened) -> None:
        event.stop()
        await self.app.action_show_section(self.TARGETS[event.panel_id])

    def action_refresh(self) -> None:
        self.refresh_data()
        self.app.notify("Dashboard refreshed.", timeout=2)
