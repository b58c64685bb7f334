"""Relationships: who has met whom one-to-one, the group's coverage, and a month's pairings.

The matrix shows the active members (the first 40 by name) both ways, each square the
months since the pair last met, coloured: green within 6 months, yellow within a year,
red longer ago, a dim dot when they never met. Below, the suggested pairs for a month
(`[` / `]` move it); `a` accepts them, which records a planned one-to-one per pair.
Nudge, never shame: nothing here ranks members by how few people they meet.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from organizer.errors import UserError
from organizer.exports.pairings import all_pairs_email, pairings_csv
from organizer.files import write_private
from organizer.services.groups import local_today
from organizer.services.one_to_ones import plan_pairs
from organizer.services.pairings import Suggestion, suggest
from organizer.services.relationships import coverage, matrix
from organizer.tui.ledger.matrix import shift_month
from organizer.tui.ledger.text import clip, initials_name
from organizer.tui.widgets.path_form import PathForm
from organizer.tui.widgets.shell import OnShell

NAME_WIDTH = 18
CELL_WIDTH = 6
LIMIT = 40


def cell(months: int | None) -> Text:
    """A square of the matrix: months since the pair last met, coloured by how long ago."""
    if months is None:
        return Text("·", style="dim", justify="right")
    style = "green" if months < 6 else "yellow" if months < 12 else "red"
    return Text(f"{months}m", style=style, justify="right")


class RelationshipsScreen(OnShell, Screen):
    """From Members (`r`) or the palette: one-to-ones, coverage and this month's pairings."""

    HELP_TITLE = "Relationships"
    DEFAULT_CSS = """
    RelationshipsScreen #rel-title { padding: 0 1; text-style: bold; }
    RelationshipsScreen #rel-matrix { height: 1fr; }
    RelationshipsScreen #rel-pairs-title { padding: 0 1; text-style: bold; }
    RelationshipsScreen #rel-pairs { height: 1fr; }
    RelationshipsScreen #rel-note { padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "accept", "Accept"),
        Binding("x", "export('csv')", "CSV"),
        Binding("m", "export('eml')", "Email all"),
        Binding("left_square_bracket", "shift(-1)", "Earlier", key_display="["),
        Binding("right_square_bracket", "shift(1)", "Later", key_display="]"),
        Binding("tab", "focus_next", "Matrix / pairs", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month: date | None = None
        self.suggestion: Suggestion | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="rel-title")
        yield DataTable(id="rel-matrix", fixed_columns=1, cursor_type="cell", zebra_stripes=True)
        yield Static(id="rel-pairs-title")
        yield DataTable(id="rel-pairs", cursor_type="row", zebra_stripes=True)
        yield Static(id="rel-note")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "Relationships"
        self.month = local_today(self.app.open_group, self.app.clock()).replace(day=1)
        self.show_matrix()
        self.show_pairings()
        self.query_one("#rel-pairs", DataTable).focus()

    def show_matrix(self) -> None:
        group, now = self.app.open_group, self.app.clock()
        cover = coverage(group, now=now)
        trend = cover.percent - cover.percent_year_ago
        self.query_one("#rel-title", Static).update(
            f"Coverage {cover.percent:.0f}% ({cover.met:,} of {cover.pairs:,} pairs have met one-to-one) "
            f"· a year ago {cover.percent_year_ago:.0f}% ({'+' if trend >= 0 else ''}{trend:.0f})"
        )
        people, rows = matrix(group, now=now, limit=LIMIT)
        table = self.query_one("#rel-matrix", DataTable)
        table.clear(columns=True)
        table.add_column(Text("months since", style="bold"), width=NAME_WIDTH, key="member")
        for person in people:
            table.add_column(
                Text(initials_name(person.name, CELL_WIDTH), justify="right"),
                width=CELL_WIDTH,
                key=str(person.id),
            )
        for index, (person, row) in enumerate(zip(people, rows)):
            cells = [Text(clip(person.name, NAME_WIDTH))]
            cells += [
                Text("╲", style="dim", justify="right") if column == index else cell(square.months)
                for column, square in enumerate(row)
            ]
            table.add_row(*cells, key=str(person.id))

    def show_pairings(self) -> None:
        month = f"{self.month:%Y-%m}"
        self.suggestion = suggest(self.app.open_group, month, now=self.app.clock())
        found = self.suggestion
        self.query_one("#rel-pairs-title", Static).update(
            f"Suggested one-to-ones for {self.month:%B %Y} · {len(found.pairs)} pairs, {found.never_met} who never met"
        )
        table = self.query_one("#rel-pairs", DataTable)
        table.clear(columns=True)
        table.add_columns("member", "member", "last met")
        for number, pair in enumerate(found.pairs):
            last = (
                Text("never met", style="green")
                if pair.last_met is None
                else Text(pair.last_met.isoformat(), style="yellow" if pair.recent else "")
            )
            table.add_row(clip(pair.a.name, 28), clip(pair.b.name, 28), last, key=str(number))
        note = f"{found.left_out.name} has no partner (an odd number) · " if found.left_out else ""
        self.query_one("#rel-note", Static).update(Text(note + "a plans these one-to-ones"))

    def action_accept(self) -> None:
        found = self.suggestion
        if found is None or not found.pairs:
            self.app.notify("No pairs to accept.", severity="warning")
            return
        added = plan_pairs(
            self.app.open_group,
            [(pair.a.id, pair.b.id) for pair in found.pairs],
            found.month,
            now=self.app.clock(),
        )
        already = len(found.pairs) - added
        more = f" ({already} already planned)" if already else ""
        self.app.notify(f"Planned {added} one-to-ones for {found.month}{more}.", timeout=4)

    def action_export(self, kind: str) -> None:
        found = self.suggestion
        if found is None or not found.pairs:
            self.app.notify("No pairs to export.", severity="warning")
            return
        suffix = ".csv" if kind == "csv" else ".eml"
        title = (
            f"Write the pairings for {found.month} as CSV"
            if kind == "csv"
            else f"Write one message to everyone paired in {found.month}"
        )
        path = Path.cwd() / f"pairings-{found.month}{suffix}"

        def chosen(path: Path | None) -> None:
            if path:
                self._write(found, kind, path)

        self.app.push_screen(PathForm(title, path, suffixes=(suffix,)), chosen)

    def _write(self, found: Suggestion, kind: str, path: Path) -> None:
        group = self.app.open_group
        if kind == "csv":
            data = pairings_csv(found.pairs)
        else:
            data = all_pairs_email(
                found.pairs,
                month=found.month,
                group_name=group.name,
                now=self.app.clock(),
                sender=(group.organizer_name, group.organizer_email),
            )
        try:
            written = write_private(path, data)  # names, emails and phones: 0600
        except UserError as error:
            self.app.notify(f"Not written: {error}", severity="error")
            return
        self.app.notify(f"Wrote {written}.", timeout=5)

    def action_shift(self, step: int) -> None:
        if self.month is not None:
            self.month = shift_month(self.month, step)
            self.show_pairings()

    def action_back(self) -> None:
        self.dismiss(None)
