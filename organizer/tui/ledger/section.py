"""5 Ledger: every referral, newest first, one keyset page at a time, with its verbs.

The table holds ONE page of the filtered ledger (as many rows as fit the screen), asked
for with services.ledger_queries.first_page / page_after / page_before / page_at, never
all rows: pagedown / pageup, or moving past the table's last / first row, turn the page.
The totals of the filtered set (count, won value) take a full scan at 200,000 referrals
(60–200 ms), so they are counted in a thread worker and shown when ready; keys never wait.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from organizer.services.groups import local_today
from organizer.services.ledger_queries import (
    FilteredTotals,
    LedgerFilter,
    Page,
    filtered_totals,
    first_page,
    page_after,
    page_at,
    page_before,
)
from organizer.services.records import REFERRAL_STATUSES
from organizer.services.workers import in_worker
from organizer.tui.ledger.actions import LedgerActions
from organizer.tui.ledger.followup import LedgerFollowUpScreen
from organizer.tui.ledger.forms import LedgerFilterForm
from organizer.tui.ledger.history import LedgerHistoryScreen
from organizer.tui.ledger.matrix import LedgerMatrixScreen, shift_month
from organizer.tui.ledger.table import COLUMNS, LedgerSearch, LedgerTable
from organizer.tui.ledger.text import NARROW, column_widths, row_cells
from organizer.tui.widgets.fast_table import FastTable
from organizer.tui.widgets.format import money
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.section import Section

# Header, footer, filter line, status line and the table's own header row.
CHROME_ROWS = 5


class LedgerSection(LedgerActions, Section):
    SECTION_ID, TITLE, KEY = "ledger", "Ledger", "5"

    DEFAULT_CSS = """
    LedgerSection #ledger-filters { height: 1; padding: 0 1; background: $boost; }
    LedgerSection #ledger-search { display: none; }
    LedgerSection #ledger-search.-open { display: block; }
    LedgerSection #ledger-table { height: 1fr; }
    LedgerSection #ledger-status { height: 1; padding: 0 1; background: $boost; }
    """
    BINDINGS = [
        Binding("enter", "open", "History", show=False),
        Binding("n", "record", "New"),
        Binding("a", "advance", "Advance"),
        Binding("t", "thank", "Thank"),
        Binding("x", "void", "Void"),
        Binding("e", "correct", "Correct the referral", show=False),
        Binding("slash", "search", "Search"),
        Binding("f", "filter", "Filter"),
        Binding("left_square_bracket", "month(-1)", "Previous month", show=False),
        Binding("right_square_bracket", "month(1)", "Next month", show=False),
        Binding("s", "cycle_status", "Next status filter", show=False),
        Binding("c", "clear_filters", "Clear filters", show=False),
        Binding("w", "matrix", "Who→whom"),
        Binding("u", "followups", "Follow-ups"),
        Binding("pagedown", "turn(1)", "Older page", show=False),
        Binding("pageup", "turn(-1)", "Newer page", show=False),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.flt = LedgerFilter()
        self.member_name = ""
        self.page: Page | None = None
        self.page_number = 1
        self.totals: FilteredTotals | None = None
        self.totals_for: LedgerFilter | None = None
        self.width_used = 0
        self.size_used = 0
        self.page_requests = 0  # counts page requests: a late answer to an older one is dropped

    def compose(self) -> ComposeResult:
        yield Static(id="ledger-filters")
        yield LedgerSearch(
            placeholder="words in the prospect or the notes — enter applies, escape closes",
            id="ledger-search",
            compact=True,
            disabled=True,
        )
        yield LedgerTable(id="ledger-table")
        yield Static(id="ledger-status")

    @property
    def table(self) -> LedgerTable:
        return self.query_one("#ledger-table", LedgerTable)

    def focus_default(self) -> None:
        self.table.focus()

    # -- loading pages --------------------------------------------------------------------

    def page_size(self) -> int:
        return max(5, self.app.size.height - CHROME_ROWS)

    def refresh_data(self) -> None:
        """Show the page the table was on (or the first), keeping the cursor's row."""
        if self.app.group is None:
            return
        keep = self.chosen_referral_id()
        top = self.page.rows[0].id if self.page and self.page.rows and self.page_number > 1 else None
        self.reload(top=top, cursor_id=keep)

    def reload(self, *, top: int | None = None, cursor_id: int | None = None) -> None:
        """Fill the table from the filter's first page, or from the page starting at `top`."""
        group, flt, size = self.app.open_group, self.flt, self.page_size()
        if top is None:
            self.load(lambda: first_page(group, flt, limit=size), lambda page: 1, cursor_id=cursor_id)
        else:
            number = self.page_number
            self.load(
                lambda: page_at(group, flt, top, limit=size),
                lambda page: number if page.has_prev else 1,
                cursor_id=cursor_id,
            )
        self.count_totals_soon()

    def action_turn(self, step: int) -> None:
        page = self.page
        if page is None:
            return
        group, flt, size, number = self.app.open_group, self.flt, self.page_size(), self.page_number
        if step > 0:
            cursor = page.next_cursor
            if cursor is None:  # the oldest page
                self.table.move_cursor(row=max(self.table.row_count - 1, 0))
                return
            self.load(lambda: page_after(group, flt, cursor, limit=size), lambda _: number + 1)
        else:
            cursor = page.prev_cursor
            if cursor is None:  # the newest page
                self.table.move_cursor(row=0)
                return
            self.load(
                lambda: page_before(group, flt, cursor, limit=size),
                lambda newer: max(number - 1, 2) if newer.has_prev else 1,
                at_end=True,
            )

    def load(self, fetch: Callable[[], Page], number: Callable[[Page], int], **where) -> None:
        """Fetch a page and show it. Words to search make SQLite read row after row (up to
        200 ms at 200,000 referrals), so such a page is fetched in a thread worker and the
        keys stay live; any other page is one index seek (1–2 ms) and is shown at once."""
        self.page_requests += 1
        if not self.flt.text:
            page = fetch()
            self.page_number = number(page)
            self.show_page(page, **where)
            return
        self.show_status(searching=True)
        self.fetch_in_thread(fetch, self.page_requests, number, where)

    @work(thread=True, exclusive=True, group="ledger-page", exit_on_error=False)
    def fetch_in_thread(self, fetch, token: int, number, where: dict) -> None:
        page = in_worker(fetch)
        self.app.call_from_thread(self.page_fetched, page, token, number, where)

    def page_fetched(self, page: Page, token: int, number, where: dict) -> None:
        if token != self.page_requests:
            return  # another page was asked for since
        self.page_number = number(page)
        self.show_page(page, **where)

    def on_ledger_table_turn(self, event: LedgerTable.Turn) -> None:
        event.stop()
        self.action_turn(event.step)

    def show_page(self, page: Page, *, cursor_id: int | None = None, at_end: bool = False) -> None:
        self.page = page
        self.size_used = self.page_size()
        table = self.table
        group = self.app.open_group
        width = self.size.width or self.app.size.width
        widths = column_widths(width)
        if self.width_used != width or not table.columns:
            table.clear(columns=True)
            for name, cell_width in zip(COLUMNS, widths):
                table.add_column(name, width=cell_width, key=name)
            self.width_used = width
        else:
            table.clear()
        for row in page.rows:
            table.add_row(*row_cells(group, row, widths), key=str(row.id))
        target = 0
        if cursor_id is not None:
            ids = [row.id for row in page.rows]
            target = ids.index(cursor_id) if cursor_id in ids else 0
        elif at_end:
            target = max(len(page.rows) - 1, 0)
        if page.rows:
            table.move_cursor(row=target, animate=False)
        self.show_filters()
        self.show_status()

    def on_resize(self) -> None:
        if self.page is not None and (self.size.width, self.page_size()) != (self.width_used, self.size_used):
            self.refresh_data()

    # -- totals, off the event loop ---------------------------------------------------------

    def count_totals_soon(self) -> None:
        if self.totals_for != self.flt:
            self.totals = None
            self.show_status()
            # After the page is painted: the count must not delay the first screen.
            self.call_after_refresh(self.count_totals, self.flt)

    @work(thread=True, exclusive=True, group="ledger-totals", exit_on_error=False)
    def count_totals(self, flt: LedgerFilter) -> None:
        totals = in_worker(filtered_totals, self.app.open_group, flt)
        self.app.call_from_thread(self.totals_ready, flt, totals)

    def totals_ready(self, flt: LedgerFilter, totals: FilteredTotals) -> None:
        if flt != self.flt:
            return  # the filter changed while counting; a newer count is on its way
        self.totals, self.totals_for = totals, flt
        self.show_status()

    # -- the two lines around the table -----------------------------------------------------

    def show_filters(self) -> None:
        flt, parts = self.flt, []
        if flt.month:
            parts.append(f"month [b]{flt.month:%Y-%m}[/b]")
        if flt.member_id:
            role = "" if flt.role == "either" else f" as {flt.role}"
            parts.append(f"member [b]{escape(self.member_name)}[/b]{role}")
        if flt.statuses:
            parts.append(f"status [b]{'/'.join(flt.statuses)}[/b]")
        if flt.kind:
            parts.append(f"kind [b]{flt.kind}[/b]")
        if flt.text:
            parts.append(f"words “{escape(flt.text)}”")
        shown = " · ".join(parts) if parts else "all referrals"
        keys = "f filter · [ ] month · / search" + (" · c clear" if parts else "")
        keys = "" if self.app.size.width < NARROW and parts else f"  [dim]{escape(keys)}[/dim]"
        self.query_one("#ledger-filters", Static).update(f"Newest first · {shown}{keys}")

    def show_status(self, *, searching: bool = False) -> None:
        page = self.page
        rows = len(page.rows) if page else 0
        where = f"page {self.page_number}" + ("" if page is None or page.has_next else " (last)")
        if not rows:
            where = "no referral matches"
        if searching:
            where = "[dim]searching…[/dim]"
        narrow = self.app.size.width < NARROW
        if self.totals is None:
            counted = "[dim]counting…[/dim]"
        else:
            t = self.totals
            counted = (
                f"[b]{t.count:,}[/b] referral{'s' if t.count != 1 else ''} · {t.won:,} won · "
                f"[b]{escape(money(self.app.open_group, t.won_value))}[/b]{'' if narrow else ' won value'}"
            )
            if t.void:
                counted += f" · {t.void:,} void" + ("" if narrow else " (not counted)")
        self.query_one("#ledger-status", Static).update(f"{where} · {counted}")

    # -- filters ----------------------------------------------------------------------------

    def set_filter(self, flt: LedgerFilter, member_name: str | None = None) -> None:
        self.flt = flt
        if member_name is not None:
            self.member_name = member_name
        self.reload()

    def action_month(self, step: int) -> None:
        if self.flt.month is None:
            month = local_today(self.app.open_group, self.app.clock()).replace(day=1)
        else:
            month = shift_month(self.flt.month, step)
        self.set_filter(replace(self.flt, month=month, start=None, end=None))

    def action_cycle_status(self) -> None:
        order = ((),) + tuple((status,) for status in REFERRAL_STATUSES)
        current = self.flt.statuses if self.flt.statuses in order else ()
        self.set_filter(replace(self.flt, statuses=order[(order.index(current) + 1) % len(order)]))

    def action_clear_filters(self) -> None:
        self.query_one(LedgerSearch).value = ""
        self.set_filter(LedgerFilter(), "")

    def action_filter(self) -> None:
        def chosen(result) -> None:
            if result is not None:
                flt, name = result
                self.query_one(LedgerSearch).value = flt.text
                self.set_filter(flt, name)

        self.app.push_screen(LedgerFilterForm(self.app.open_group, self.flt, self.member_name), chosen)

    def action_search(self) -> None:
        search = self.query_one(LedgerSearch)
        search.add_class("-open")
        search.disabled = False  # closed, it is disabled so nothing focuses it unseen
        search.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "ledger-search":
            return
        event.stop()
        self.set_filter(replace(self.flt, text=event.value.strip()))
        self.table.focus()

    def on_ledger_search_closed(self, event: LedgerSearch.Closed) -> None:
        search = self.query_one(LedgerSearch)
        if not search.value.strip():
            search.remove_class("-open")
            search.disabled = True
        self.table.focus()

    # -- opening things ---------------------------------------------------------------------

    def chosen_referral_id(self) -> int | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.row_key_at(table.cursor_row)
        return None if key is None else int(key)

    def ledger_changed(self, referral_id: int | None) -> None:
        self.totals_for = None  # a write changes the totals
        on_page = self.page and any(row.id == referral_id for row in self.page.rows)
        if on_page or self.page_number > 1:
            self.refresh_data()
            return
        self.reload(cursor_id=referral_id)

    def on_fast_table_row_selected(self, event: FastTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        referral_id = self.chosen_referral_id()
        if referral_id is None:
            return

        def back(changed: bool | None) -> None:
            self.totals_for = None
            self.refresh_data()
            self.table.focus()

        self.app.push_screen(LedgerHistoryScreen(referral_id), back)

    def action_matrix(self) -> None:
        month = self.flt.month or local_today(self.app.open_group, self.app.clock()).replace(day=1)
        self.app.push_screen(LedgerMatrixScreen(month, by_year=self.flt.month is None))

    def action_followups(self) -> None:
        def back(_=None) -> None:
            self.totals_for = None
            self.refresh_data()

        self.app.push_screen(LedgerFollowUpScreen(), back)
