"""Follow-ups: referrals open longer than the group's followup_days, and thank-yous owed.

Two short lists from services.balances (open_too_long, thanks_owed), oldest first, each
capped at LIMIT rows; enter opens a referral's history, `a` moves one on, `t` records
the thank-you, straight from the queue.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from organizer.services.balances import open_too_long, thanks_owed
from organizer.services.groups import local_today
from organizer.tui.ledger.actions import LedgerActions
from organizer.tui.ledger.history import LedgerHistoryScreen
from organizer.tui.ledger.text import clip
from organizer.tui.widgets.format import money
from organizer.tui.widgets.list_table import cursor_row_id, row_id

LIMIT = 200


class LedgerFollowUpScreen(LedgerActions, Screen):
    """`u` in the ledger: what is waiting on someone."""

    HELP_TITLE = "Follow-ups"
    SECTION_KEYS = True  # a page to read: 1–6 leave it for a section

    DEFAULT_CSS = """
    LedgerFollowUpScreen .queue-title { padding: 0 1; text-style: bold; color: $accent; }
    LedgerFollowUpScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back to the list"),
        Binding("a", "advance", "Advance"),
        Binding("t", "thank", "Thank-you"),
        Binding("tab", "app.focus_next", "Other list", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="open-title", classes="queue-title")
            yield DataTable(id="open-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="thanks-title", classes="queue-title")
            yield DataTable(id="thanks-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "Ledger · follow-ups"
        self.load()
        self.query_one("#open-table", DataTable).focus()

    def load(self) -> None:
        group, now = self.app.open_group, self.app.clock()
        today = local_today(group, now)
        waiting = open_too_long(group, now, limit=LIMIT)
        owed = thanks_owed(group, limit=LIMIT)
        more = lambda rows: f" (the oldest {LIMIT})" if len(rows) == LIMIT else ""
        self.query_one("#open-title", Static).update(
            f"Open more than {group.followup_days} days: {len(waiting)}{more(waiting)}"
            " — a nudge to the receiver, never a public list"
        )
        self.query_one("#thanks-title", Static).update(f"Thank-yous owed: {len(owed)}{more(owed)}")
        table = self.query_one("#open-table", DataTable)
        table.clear(columns=True)
        table.add_columns("given", "days", "receiver", "from", "prospect", "status")
        for r in waiting:
            table.add_row(
                r.given_on.isoformat(),
                str((today - r.given_on).days),
                clip(r.receiver.name, 24),
                clip(r.giver.name, 24),
                clip(r.prospect_name, 30),
                r.status,
                key=str(r.id),
            )
        table = self.query_one("#thanks-table", DataTable)
        table.clear(columns=True)
        table.add_columns("won on", "receiver", "to thank", "prospect", "value")
        for r in owed:
            value = money(group, r.value_minor) if r.value_minor is not None else ""
            table.add_row(
                r.closed_on.isoformat() if r.closed_on else "",
                clip(r.receiver.name, 24),
                clip(r.giver.name, 24),
                clip(r.prospect_name, 30),
                value,
                key=str(r.id),
            )

    def chosen_referral_id(self) -> int | None:
        focused = self.focused if isinstance(self.focused, DataTable) else self.query_one("#open-table", DataTable)
        return cursor_row_id(focused)

    def ledger_changed(self, referral_id: int | None) -> None:
        self.load()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        referral_id = row_id(event.row_key)
        self.app.push_screen(LedgerHistoryScreen(referral_id), lambda _: self.load())

    def action_back(self) -> None:
        self.app.sub_title = "Ledger"
        self.dismiss(None)
