"""Who referred whom: givers down the side, receivers across, counts in the cells.

A DataTable with the givers' column fixed, so at 80 columns it scrolls sideways while the
names stay put; receivers are shortened ('Daniel O.') to keep columns narrow. The period
is a month or a year: `[` / `]` move it, `y` switches between the two.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from organizer.services.balances import month_bounds
from organizer.services.ledger_queries import matrix
from organizer.tui.ledger.text import clip, initials_name
from organizer.tui.widgets.shell import OnShell

NAME_WIDTH = 18
CELL_WIDTH = 9


def shift_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class LedgerMatrixScreen(OnShell, Screen):
    """`w` in the ledger: the who-referred-whom matrix for a month or a year."""

    HELP_TITLE = "Who referred whom"
    SECTION_KEYS = True  # a page to read: 1–6 leave it for a section

    DEFAULT_CSS = """
    LedgerMatrixScreen #matrix-title { padding: 0 1; text-style: bold; }
    LedgerMatrixScreen #matrix-table { height: 1fr; }
    LedgerMatrixScreen #matrix-note { padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back to the list"),
        Binding("left_square_bracket", "shift(-1)", "Earlier"),
        Binding("right_square_bracket", "shift(1)", "Later"),
        Binding("y", "toggle_span", "Month / year"),
    ]

    def __init__(self, month: date, *, by_year: bool = False):
        super().__init__()
        self.month = month.replace(day=1)
        self.by_year = by_year

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="matrix-title")
        yield DataTable(id="matrix-table", fixed_columns=1, fixed_rows=0, cursor_type="cell", zebra_stripes=True)
        yield Static(id="matrix-note")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "Ledger · who referred whom"
        self.load()
        self.query_one(DataTable).focus()

    def period(self) -> tuple[date, date, str]:
        if self.by_year:
            year = self.month.year
            return date(year, 1, 1), date(year, 12, 31), str(year)
        start, end = month_bounds(self.month)
        return start, end, self.month.strftime("%B %Y")

    def load(self) -> None:
        start, end, label = self.period()
        found = matrix(self.app.open_group, start, end)
        self.query_one("#matrix-title", Static).update(
            f"Who referred whom · {label} · {found.total:,} referral{'s' if found.total != 1 else ''} "
            f"· {len(found.givers)} givers × {len(found.receivers)} receivers"
        )
        table = self.query_one(DataTable)
        table.clear(columns=True)
        if not found.total:
            self.query_one("#matrix-note", Static).update(
                "No referrals in this period. [ and ] move the period, y shows a whole year."
            )
            return
        self.query_one("#matrix-note", Static).update(
            "Rows give, columns receive; voids left out · [ ] period · y month/year · arrows scroll"
        )
        table.add_column(Text("giver ╲ receiver", style="bold"), width=NAME_WIDTH, key="giver")
        for receiver_id, name in found.receivers:
            table.add_column(
                Text(initials_name(name, CELL_WIDTH), justify="right"), width=CELL_WIDTH, key=str(receiver_id)
            )
        table.add_column(Text("total", style="bold", justify="right"), width=6, key="total")
        for giver_id, name in found.givers:
            cells = [Text(clip(name, NAME_WIDTH))]
            for receiver_id, _ in found.receivers:
                n = found.count(giver_id, receiver_id)
                cells.append(Text(str(n), justify="right") if n else Text("·", style="dim", justify="right"))
            cells.append(Text(str(found.row_totals[giver_id]), style="bold", justify="right"))
            table.add_row(*cells, key=str(giver_id))
        totals = [Text("total", style="bold")]
        totals += [Text(str(found.column_totals[r]), style="bold", justify="right") for r, _ in found.receivers]
        totals.append(Text(str(found.total), style="bold reverse", justify="right"))
        table.add_row(*totals, key="total")

    def action_shift(self, step: int) -> None:
        self.month = shift_month(self.month, 12 * step if self.by_year else step)
        self.load()

    def action_toggle_span(self) -> None:
        self.by_year = not self.by_year
        self.load()

    def action_back(self) -> None:
        self.app.sub_title = "Ledger"
        self.dismiss(None)
