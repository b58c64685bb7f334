"""An entry's full history: the referral's fields, its chain and every LedgerEvent.

The chain shows the referrals this one came from (root first), this one, and those that
came from it, indented as a tree, with the root giver named. Events read oldest first:
when (the group's local time), who, what, and why.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from organizer.services import ledger
from organizer.services.ledger_queries import ancestors, descendants, root_giver
from organizer.services.meetings import local_date
from organizer.services.records import Referral
from organizer.tui.ledger.actions import LedgerActions
from organizer.tui.ledger.text import clip
from organizer.tui.widgets.format import money, short_time
from organizer.tui.widgets.live import LivePage
from organizer.tui.widgets.markup import escape


def _chain_line(referral: Referral, depth: int, *, here: bool) -> Text:
    marker = "▶ " if here else "  "
    status = "void" if referral.voided_at else referral.status
    line = Text("  " * depth + marker)
    line.append(f"#{referral.id} {referral.given_on.isoformat()}  ")
    line.append(
        f"{referral.giver.name} → {referral.receiver.name}: {clip(referral.prospect_name, 40)} ({status})",
        style="bold" if here else ("dim strike" if referral.voided_at else ""),
    )
    return line


class LedgerHistoryScreen(LedgerActions, LivePage, Screen):
    """`enter` on a ledger row: everything about one referral, and its verbs."""

    HELP_TITLE = "Referral history"
    SECTION_KEYS = True  # a page to read: 1–6 leave it for a section

    DEFAULT_CSS = """
    LedgerHistoryScreen #history-body { padding: 0 1; }
    LedgerHistoryScreen .history-heading { margin: 1 0 0 0; text-style: bold; color: $accent; }
    LedgerHistoryScreen #history-void { color: $error; text-style: bold; }
    LedgerHistoryScreen #history-events { width: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back to the list"),
        Binding("a", "advance", "Advance"),
        Binding("t", "thank", "Thank-you"),
        Binding("x", "void", "Void"),
        Binding("e", "correct", "Correct the referral", show=False),
        Binding("p", "open_parent", "Open the earlier referral"),
    ]

    def __init__(self, referral_id: int):
        super().__init__()
        self.referral_id = referral_id
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="history-body"):
            yield Static(id="history-title", classes="history-heading")
            yield Static(id="history-void")
            yield Static(id="history-fields")
            yield Static("Chain", classes="history-heading")
            yield Static(id="history-chain")
            yield Static("History", classes="history-heading")
            yield Static(id="history-events")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = f"Ledger · referral #{self.referral_id}"
        self.load()

    def refresh_data(self) -> None:
        self.load()

    def load(self) -> None:
        group = self.app.open_group
        referral = ledger.get_referral(group, self.referral_id)
        self.referral = referral
        self.query_one("#history-title", Static).update(
            f"#{referral.id}  {escape(referral.giver.name)} → {escape(referral.receiver.name)}: "
            f"{escape(referral.prospect_name)}"
        )
        void = self.query_one("#history-void", Static)
        void.display = referral.voided_at is not None
        if referral.voided_at is not None:
            void.update(
                f"VOID since {short_time(group, referral.voided_at)}: {escape(referral.void_reason)}"
                " — listed, never counted in totals"
            )
        self.query_one("#history-fields", Static).update(self._fields(referral))
        self.query_one("#history-chain", Static).update(self._chain(referral))
        self.query_one("#history-events", Static).update(self._events(referral))

    def _fields(self, r: Referral) -> Table:
        group = self.app.open_group
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim", justify="right")
        table.add_column()
        status = r.status
        if r.closed_on:
            status += f" on {r.closed_on.isoformat()}"
        if r.contacted_on:
            status += f" · contacted {r.contacted_on.isoformat()}"
        rows = [
            ("prospect", r.prospect_name + (f" · {r.prospect_contact}" if r.prospect_contact else "")),
            ("given", f"{r.given_on.isoformat()} · {r.kind} · temperature {r.temperature}/5"),
            ("status", status),
        ]
        if r.value_minor is not None:
            rows.append(("value", money(group, r.value_minor)))
        if r.status == "won" and r.voided_at is None:
            rows.append(
                ("thank-you", f"{r.thanked_on.isoformat()} · {r.thank_note}".rstrip(" ·") if r.thanked_on else "owed")
            )
        elif r.thanked_on:
            rows.append(("thank-you", f"{r.thanked_on.isoformat()} · {r.thank_note}".rstrip(" ·")))
        if (meeting := r.meeting) is not None:
            rows.append(("meeting", f"{local_date(meeting).isoformat()} {meeting.title}"))
        if (thread := r.thread) is not None:
            rows.append(("thread", f"#{r.thread_id} {thread.title}"))
        if r.notes:
            rows.append(("notes", r.notes))
        for label, value in rows:
            table.add_row(label, Text(value))
        return table

    def _chain(self, r: Referral) -> Text:
        before = ancestors(r)
        after = descendants(r)
        if not before and not after:
            return Text("Not part of a chain: nothing came before it or from it yet.", style="dim")
        lines = Text()
        for depth, earlier in enumerate(before):
            lines.append_text(_chain_line(earlier, depth, here=False))
            lines.append("\n")
        lines.append_text(_chain_line(r, len(before), here=True))
        for depth, later in after:
            lines.append("\n")
            lines.append_text(_chain_line(later, len(before) + depth, here=False))
        lines.append(f"\nRoot giver: {root_giver(r).name}", style="italic")
        return lines

    def _events(self, r: Referral) -> Table:
        group = self.app.open_group
        table = Table(show_edge=False, box=None, padding=(0, 1), header_style="bold", expand=True)
        table.add_column("when", no_wrap=True)
        table.add_column("who", no_wrap=True)
        table.add_column("what", no_wrap=True)
        table.add_column("detail · why", ratio=1)
        organizer = group.organizer_name or "the organizer"
        for event in ledger.history(r):
            style = "red" if event.action == "voided" else ""
            detail = Text(event.detail)
            if event.reason:
                detail.append(("\n" if event.detail else "") + f"why: {event.reason}", style="italic")
            # Every line names a person: a change made without one (imports, the command
            # line) is the organizer's, named as the group names them.
            table.add_row(
                short_time(group, event.at),
                event.actor.name if event.actor else organizer,
                Text(event.action, style=style),
                detail,
            )
        return table

    # -- verbs ----------------------------------------------------------------------------

    def chosen_referral_id(self) -> int | None:
        return self.referral_id

    def ledger_changed(self, referral_id: int | None) -> None:
        self.changed = True
        self.load()

    def action_open_parent(self) -> None:
        if self.referral.parent_id is None:
            self.app.notify("This referral did not come from an earlier one.")
            return
        self.app.push_screen(LedgerHistoryScreen(self.referral.parent_id))

    def action_back(self) -> None:
        self.app.sub_title = "Ledger"
        self.dismiss(self.changed)
