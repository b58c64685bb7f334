"""Members through the year: renewals due (overdue, 30/60/90 days) and the visitor pipeline.

`RenewalsScreen` (`R` in Members): who renews soon, soonest first; `r` renews the chosen
member one year on (recorded in their history). `VisitorsScreen` (`v` in Members): the
follow-up queue (visited, not contacted within 7 days), then every visitor and applicant;
`c` records the follow-up, `y` makes a visitor an applicant, `j` makes them a member
(their visits and who invited them stay).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from organizer.errors import UserError
from organizer.services.groups import local_today
from organizer.services.members import MemberFilter, get_member, search_members
from organizer.services.pipeline import (
    FOLLOW_UP_DAYS,
    convert_to_member,
    follow_ups_owed,
    make_applicant,
    mark_contacted,
    visit_dates,
)
from organizer.services.renewals import renew, renewal_groups
from organizer.tui.ledger.text import clip
from organizer.tui.widgets.list_table import cursor_row_id
from organizer.tui.widgets.shell import OnShell

LIMIT = 200


class _YearScreen(OnShell, Screen):
    DEFAULT_CSS = """
    _YearScreen .queue-title { padding: 0 1; text-style: bold; color: $accent; }
    _YearScreen DataTable { height: 1fr; }
    """

    def chosen_id(self) -> int | None:
        table = self.focused if isinstance(self.focused, DataTable) else self.query(DataTable).first()
        if not table.row_count:
            self.app.notify("Nobody is chosen: the list is empty.", severity="warning", timeout=3)
            return None
        return cursor_row_id(table)

    def _act(self, verb) -> None:
        member_id = self.chosen_id()
        if member_id is None:
            return
        try:
            message = verb(get_member(self.app.open_group, member_id))
        except UserError as error:
            self.app.notify(str(error), severity="error", timeout=4)
            return
        self.app.notify(message, timeout=3)
        self.load()

    def load(self) -> None:  # pragma: no cover - each screen fills its own tables
        raise NotImplementedError

    def action_back(self) -> None:
        self.app.sub_title = "Members"
        self.dismiss(None)


class RenewalsScreen(_YearScreen):
    """`R` in Members: renewals overdue and due within 30, 60 and 90 days."""

    HELP_TITLE = "Renewals"
    BINDINGS = [
        Binding("escape", "back", "Back to the list"),
        Binding("r", "renew", "Renew (a year on)"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="renewals-title", classes="queue-title")
            yield DataTable(id="renewals-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "Members · renewals"
        self.load()
        self.query_one(DataTable).focus()

    def load(self) -> None:
        group = self.app.open_group
        today = local_today(group, self.app.clock())
        groups = renewal_groups(group, today)
        counts = " · ".join(f"{g.label}: {len(g.members)}" for g in groups)
        self.query_one("#renewals-title", Static).update(f"Renewals — {counts}")
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        table.add_columns("due", "", "name", "business", "status", "email")
        for g in groups:
            for member in g.members:
                if member.renewal_due is None:  # never: a renewal group holds members with a date
                    continue
                days = (member.renewal_due - today).days
                when = f"{-days} days overdue" if days < 0 else ("today" if days == 0 else f"in {days} days")
                table.add_row(
                    str(member.renewal_due),  # a date (renewal groups hold members with one): its ISO form
                    when,
                    clip(member.name, 28),
                    clip(member.business, 24),
                    member.status.replace("_", " "),
                    clip(member.email, 30),
                    key=str(member.id),
                )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1), animate=False)

    def action_renew(self) -> None:
        def verb(member) -> str:
            renewed = renew(member, now=self.app.clock())
            return f"{renewed.name} renewed: due {renewed.renewal_due}."

        self._act(verb)


class VisitorsScreen(_YearScreen):
    """`v` in Members: the follow-ups owed and every visitor and applicant."""

    HELP_TITLE = "Visitors"
    BINDINGS = [
        Binding("escape", "back", "Back to the list"),
        Binding("c", "contacted", "Contacted"),
        Binding("y", "applicant", "Applied"),
        Binding("j", "join", "Joined (member)"),
        Binding("tab", "app.focus_next", "Other list", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="owed-title", classes="queue-title")
            yield DataTable(id="owed-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="prospects-title", classes="queue-title")
            yield DataTable(id="prospects-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "Members · visitors"
        self.load()
        self.query_one("#owed-table", DataTable).focus()

    def load(self) -> None:
        group, now = self.app.open_group, self.app.clock()
        owed = follow_ups_owed(group, now)
        self.query_one("#owed-title", Static).update(
            f"Follow-up owed (visited, not contacted within {FOLLOW_UP_DAYS} days): {len(owed)}"
        )
        table = self.query_one("#owed-table", DataTable)
        table.clear(columns=True)
        table.add_columns("visited", "days", "name", "status", "invited by", "email")
        for row in owed[:LIMIT]:
            table.add_row(
                row.last_visit.isoformat(),
                str(row.days),
                clip(row.member.name, 28),
                row.member.status,
                clip(row.invited_by, 24),
                clip(row.member.email, 30),
                key=str(row.member.id),
            )
        prospects = search_members(group, MemberFilter(statuses=("visitor", "applicant")), limit=LIMIT)
        self.query_one("#prospects-title", Static).update(f"Visitors and applicants: {len(prospects)}")
        table = self.query_one("#prospects-table", DataTable)
        table.clear(columns=True)
        table.add_columns("name", "status", "visits", "invited by", "contacted")
        for member in prospects:
            visits = ", ".join(day.isoformat() for day in visit_dates(member)) or "—"
            inviter = member.invited_by.name if member.invited_by_id else ""
            contacted = member.contacted_on.isoformat() if member.contacted_on else ""
            table.add_row(
                clip(member.name, 28),
                member.status,
                clip(visits, 36),
                clip(inviter, 24),
                contacted,
                key=str(member.id),
            )

    def action_contacted(self) -> None:
        self._act(lambda member: f"Follow-up with {mark_contacted(member, now=self.app.clock()).name} recorded.")

    def action_applicant(self) -> None:
        self._act(lambda member: f"{make_applicant(member, now=self.app.clock()).name} is an applicant.")

    def action_join(self) -> None:
        def verb(member) -> str:
            joined = convert_to_member(member, now=self.app.clock())
            return f"{joined.name} is a member from {joined.joined_on}; visits and inviter kept."

        self._act(verb)
