"""1 Dashboard: the group at a glance, each panel a door to the section behind it.

Panels: the next meeting (local date and time, countdown from the app's clock, RSVPs,
intent), this month against last month, the top givers, referrals waiting too long,
thank-yous to send and active threads. enter on a focused panel (or a click) opens its
section. Numbers come from services.balances, services.meetings and services.dashboard.

The panels are filled by a thread worker started once the frame is painted: the first
screen comes at once, its numbers a moment later (bench/: "dashboard filled"), and keys
never wait for a query over a big ledger.
"""

from __future__ import annotations

from datetime import timedelta

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from organizer.models import Group, database
from organizer.services.balances import closed_totals, give_get, month_bounds, open_too_long, thanks_owed, totals
from organizer.services.attendance import rsvp_counts
from organizer.services.dashboard import active_threads
from organizer.services.groups import local_today
from organizer.services.meetings import next_meeting
from organizer.services.money import format_money
from organizer.tui.format import ago, countdown, day_text, local_time
from organizer.tui.sections.base import Section
from organizer.tui.text import escape

TOP_GIVERS = 5
LIST_SIZE = 5  # rows per queue panel; TALL_LIST_SIZE when the terminal is 36+ rows high
TALL_LIST_SIZE = 8


class Panel(Static, can_focus=True):
    """A focusable box on the dashboard that opens `target` (a section id)."""

    BINDINGS = [Binding("enter", "open", "Open", show=False)]

    def __init__(self, title: str, target: str, *, id: str):
        super().__init__("", id=id, classes="panel")
        self.border_title = title
        self.target = target
        self.border_subtitle = "enter ↵"

    async def action_open(self) -> None:
        await self.app.action_show_section(self.target)

    async def on_click(self, event: events.Click) -> None:
        await self.action_open()


class DashboardSection(Section):
    SECTION_ID, TITLE, KEY = "dashboard", "Dashboard", "1"
    BINDINGS = [
        Binding("enter", "open_panel", "Open the panel's section", show=False),
        Binding("r", "refresh", "Refresh"),
        Binding("right,down", "app.focus_next", "Next panel", show=False),
        Binding("left,up", "app.focus_previous", "Previous panel", show=False),
    ]
    DEFAULT_CSS = """
    DashboardSection {
        layout: grid;
        grid-size: 3 2;
        grid-gutter: 0 1;
        padding: 0 1;
    }
    DashboardSection.-narrow {
        grid-size: 2;
        grid-rows: 11;
        overflow-y: auto;
    }
    DashboardSection .panel {
        border: round $primary 60%;
        border-title-color: $text;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        padding: 0 1;
        height: 1fr;
    }
    DashboardSection .panel:focus {
        border: round $accent;
        background: $boost;
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

    def compose(self) -> ComposeResult:
        # The panels sit straight in the section's grid: one container less to paint.
        for title, target, panel_id in self.PANELS:
            yield Panel(title, target, id=panel_id)

    fills = 0  # how many times the panels were filled

    def on_mount(self) -> None:
        # The countdown moves with the app's clock (a frozen clock keeps it still).
        self.set_interval(30, self._tick)

    def _tick(self) -> None:
        group = self.app.group
        if group is not None and self.display and self.app.screen is self.screen:
            self.query_one("#panel-next-meeting", Panel).update(self._next_meeting(group, self.app.clock()))

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 100 or event.size.height < 30, "-narrow")

    def refresh_data(self) -> None:
        group: Group | None = self.app.group
        if group is not None:
            # After the next paint: the frame shows at once, the numbers as soon as read.
            self.call_after_refresh(self._fill, group, self.app.clock())

    @work(thread=True, exclusive=True, group="dashboard")
    def _fill(self, group: Group, now) -> None:
        renderers = {
            "panel-next-meeting": self._next_meeting,
            "panel-this-month": self._this_month,
            "panel-top-givers": self._top_givers,
            "panel-waiting": self._waiting,
            "panel-thanks": self._thanks,
            "panel-threads": self._threads,
        }
        # This thread's own connection, closed when done (peewee connects per thread).
        with database.connection_context():
            parts = {panel_id: render(group, now) for panel_id, render in renderers.items()}
        self.app.call_from_thread(self._show, parts)

    def _show(self, parts: dict[str, RenderableType]) -> None:
        for panel_id, content in parts.items():
            self.query_one(f"#{panel_id}", Panel).update(content)
        self.fills += 1  # for tests and screenshots, which wait for the numbers


    # -- panels ---------------------------------------------------------------------------

    @property
    def list_size(self) -> int:
        """Longer queues on a tall terminal (the terminal's size: known before the first layout)."""
        return TALL_LIST_SIZE if self.app.size.height >= 36 else LIST_SIZE

    def _next_meeting(self, group: Group, now) -> str:
        meeting = next_meeting(group, now)
        if meeting is None:
            return "[dim]No meeting scheduled.[/dim]\nPlan one in Meetings (3)."
        rsvps = rsvp_counts(meeting)
        lines = [
            f"[b]{escape(local_time(group, meeting.starts_at))}[/b]",
            f"[b $accent]{countdown(meeting.starts_at - now)}[/]  · {meeting.minutes} min",
            escape(meeting.place or group.default_place or "place to be decided"),
            "",
            f"[green]{rsvps['accepted']} yes[/]  {rsvps['tentative']} maybe  "
            f"{rsvps['declined']} no  [dim]{rsvps['needs_action']} no reply[/dim]",
        ]
        if meeting.intent:
            lines += ["", f"[i]{escape(meeting.intent)}[/i]"]
        return "\n".join(lines)

    def _this_month(self, group: Group, now) -> RenderableType:
        today = local_today(group, now)
        start, _ = month_bounds(today)
        before_start, before_end = month_bounds(start - timedelta(days=1))
        given, given_before = totals(group, start, today), totals(group, before_start, before_end)
        closed, closed_before = closed_totals(group, start, today), closed_totals(group, before_start, before_end)
        table = _table(("", "left"), (f"{start:%B}", "right"), (f"{before_start:%B}", "right"), ("", "right"))
        table.columns[0].min_width = len("Referrals")
        table.add_row("Referrals", str(given.referrals), str(given_before.referrals),
                      _trend(given.referrals, given_before.referrals))
        table.add_row("Closed", str(closed.won), str(closed_before.won), _trend(closed.won, closed_before.won))
        table.add_row("Value", format_money(closed.won_value, group.currency),
                      format_money(closed_before.won_value, group.currency),
                      _trend(closed.won_value, closed_before.won_value, count=False))
        note = Text(f"\n{group.currency}; to {day_text(today)}, last month in full", style="dim")
        return RichGroup(_fit(table), note)

    def _top_givers(self, group: Group, now) -> RenderableType:
        today = local_today(group, now)
        balances = [b for b in give_get(group, today - timedelta(days=365), today, include_idle=False) if b.given]
        if not balances:
            return Text("No referrals given in the last 12 months yet.", style="dim")
        table = _table(("", "left"), ("given", "right"), ("got", "right"), (f"won ({group.currency})", "right"))
        for balance in balances[:TOP_GIVERS]:
            table.add_row(Text(balance.name), str(balance.given), str(balance.received),
                          format_money(balance.value_given, group.currency))
        return RichGroup(_fit(table), Text("\nwon: business closed from their referrals", style="dim"))

    def _waiting(self, group: Group, now) -> RenderableType:
        waiting = open_too_long(group, now, limit=self.list_size + 1)
        if not waiting:
            return Text(f"Every referral has been followed up within {group.followup_days} days. ✓")
        today = local_today(group, now)
        table = _table(("receiver", "left"), ("prospect", "left"), ("days", "right"))
        for referral in waiting[:self.list_size]:
            table.add_row(Text(referral.receiver.name), Text(referral.prospect_name),
                          str((today - referral.given_on).days))
        note = f"open more than {group.followup_days} days"
        if len(waiting) > self.list_size:
            note += " · more in the Ledger (5)"
        return RichGroup(_fit(table), Text("\n" + note, style="dim"))

    def _thanks(self, group: Group, now) -> RenderableType:
        owed = thanks_owed(group, limit=self.list_size + 1)
        if not owed:
            return Text("Every closed referral has been thanked. ✓")
        table = _table(("from", "left"), ("to", "left"), (group.currency, "right"))
        for referral in owed[:self.list_size]:
            table.add_row(Text(referral.receiver.name), Text(referral.giver.name),
                          format_money(referral.value_minor or 0, group.currency))
        note = "business won: a thank-you to the giver"
        if len(owed) > self.list_size:
            note += " · more in the Ledger (5)"
        return RichGroup(_fit(table), Text("\n" + note, style="dim"))

    def _threads(self, group: Group, now) -> RenderableType:
        threads = active_threads(group, limit=self.list_size)
        if not threads:
            return Text("No open threads. Start one in Threads (4).", style="dim")
        lines = []
        for thread in threads:
            lines.append(Text(("★ " if thread.pinned else "") + thread.title, no_wrap=True, overflow="ellipsis"))
            lines.append(Text(f"  {thread.kind} · {ago(now - thread.last_activity_at)}", style="dim"))
        return RichGroup(*lines)

    # -- actions --------------------------------------------------------------------------

    async def action_open_panel(self) -> None:
        focused = self.app.focused
        if isinstance(focused, Panel):
            await focused.action_open()

    def action_refresh(self) -> None:
        self.refresh_data()
        self.app.notify("Dashboard refreshed.", timeout=2)


def _table(*columns: tuple[str, str]) -> Table:
    """A borderless table: numbers (right-aligned) keep their width, text columns share the rest
    and end in an ellipsis when the panel is narrow."""
    table = Table(box=None, padding=(0, 0, 0, 1), show_edge=False, header_style="dim", expand=True)
    for header, justify in columns:
        table.add_column(header, justify=justify, no_wrap=True, overflow="ellipsis",
                         ratio=1 if justify == "left" else None)
    return table


def _fit(table: Table) -> Table:
    """Numbers are never clipped: right-aligned columns keep their widest cell; names give way."""
    for column in table.columns:
        if column.justify == "right":
            cells = [Text.from_markup(c).cell_len if isinstance(c, str) else Text(str(c)).cell_len
                     for c in column.cells]
            column.min_width = max(cells + [len(str(column.header))])
    return table


def _trend(now_value: int, before: int, *, count: bool = True) -> Text:
    if now_value > before:
        return Text(f"▲ {now_value - before}" if count else "▲", style="green")
    if now_value < before:
        return Text(f"▼ {before - now_value}" if count else "▼", style="dim")
    return Text("=", style="dim")
