"""Threads (4): the venue between meetings, listed by latest activity with pinned ones on top.

The list shows one page (services.thread_list, LIMIT/OFFSET) filtered by kind, tag,
unresolved and search words. Search runs a short pause after the last keystroke (a word
found nowhere reads every thread's text), or at once on enter.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from organizer.errors import ValidationError
from organizer.services.identity import who_am_i
from organizer.services.records import THREAD_KINDS
from organizer.services.thread_list import (
    PAGE_SIZE,
    ThreadFilter,
    all_tags,
    count_threads,
    list_threads,
)
from organizer.tui.threads.forms import NewThreadForm, WhoAmIForm
from organizer.tui.threads.text import LEGEND, markers
from organizer.tui.threads.view import ThreadScreen
from organizer.tui.widgets.format import short_time
from organizer.tui.widgets.list_table import ListTable, cursor_row_id, row_id
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.search import SearchInput
from organizer.tui.widgets.section import Section

# Seconds of calm after the last keystroke before the search runs.
SEARCH_PAUSE = 0.25
# Column widths; the title takes what is left of the screen's width.
MARKS, KIND, AUTHOR, POSTS, WHEN = 3, 12, 18, 5, 16


class ThreadTable(ListTable):
    """The list of threads; enter opens the one under the cursor (named in the footer)."""

    BINDINGS = [Binding("enter", "select_cursor", "Open", show=False)]


class ThreadsSection(Section):
    SECTION_ID, TITLE, KEY = "threads", "Threads", "4"
    DEFAULT_CSS = """
    ThreadsSection #thread-filters { height: auto; padding: 0 1; margin: 0 0 1 0; }
    ThreadsSection #thread-filters > * { margin: 0 1 0 0; }
    ThreadsSection #thread-search { width: 1fr; }
    ThreadsSection #thread-kind { width: 18; }
    ThreadsSection #thread-tag { width: 18; }
    ThreadsSection #thread-unresolved { width: auto; }
    ThreadsSection #thread-table { height: 1fr; }
    ThreadsSection #thread-status { padding: 0 1; color: $text-muted; height: 1; }
    """
    BINDINGS = [
        # Off the footer, to leave room at 80 columns for who posts: the search box says
        # "/ search threads", and enter opens a row as in every list.
        Binding("slash", "focus_search", "Search", show=False),
        Binding("enter", "open", "Open", show=False),
        Binding("n", "new_thread", "New thread"),
        Binding("u", "toggle_unresolved", "Unresolved"),
        # Shown in the status line when there are pages; always in help and the palette.
        Binding("right_square_bracket", "page(1)", "Next page", show=False),
        Binding("left_square_bracket", "page(-1)", "Previous page", show=False),
        Binding("w", "who_am_i", "Who posts"),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.page_start = 0
        self.total = 0
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="thread-filters"):
            yield SearchInput(placeholder="/ search threads", id="thread-search")
            yield Select([(kind, kind) for kind in THREAD_KINDS], prompt="any kind", compact=True, id="thread-kind")
            yield Select([], prompt="any tag", compact=True, id="thread-tag")
            yield Checkbox("unresolved", compact=True, id="thread-unresolved")
        yield ThreadTable(id="thread-table")
        yield Static("", id="thread-status")

    # -- reading --------------------------------------------------------------------------

    def refresh_data(self) -> None:
        if self.app.group is None:
            return
        self._reload_tags()
        self.load(keep=self.selected_id())

    def _reload_tags(self) -> None:
        """The tag filter's choices: every tag in use (a new thread may have added one)."""
        tag = self.query_one("#thread-tag", Select)
        tags = all_tags(self.app.open_group)
        chosen = tag.value
        with self.prevent(Select.Changed):
            tag.set_options([(t, t) for t in tags])
            if chosen in tags:
                tag.value = chosen

    def current_filter(self) -> ThreadFilter:
        kind = self.query_one("#thread-kind", Select).value
        tag = self.query_one("#thread-tag", Select).value
        return ThreadFilter(
            kind="" if kind is Select.NULL else str(kind),
            tag="" if tag is Select.NULL else str(tag),
            unresolved=self.query_one("#thread-unresolved", Checkbox).value,
            text=self.query_one("#thread-search", Input).value,
        )

    def load(self, keep: int | None = None) -> None:
        """Show the current page; keep the cursor on thread `keep` if it is listed."""
        group = self.app.open_group
        if group is None:
            return
        flt = self.current_filter()
        try:
            self.total = count_threads(group, flt)
            rows = list_threads(group, flt, limit=PAGE_SIZE, offset=self.page_start)
        except ValidationError as error:
            self.notify(str(error), severity="error")
            return
        table = self.query_one("#thread-table", DataTable)
        table.clear(columns=True)
        wide = self.size.width >= 100 or self.size.width == 0
        fixed = MARKS + KIND + POSTS + WHEN + (AUTHOR if wide else 0)
        columns = 5 + wide
        title_width = max(16, (self.size.width or 120) - fixed - 2 * columns - 4)
        table.add_column("", width=MARKS, key="marks")
        table.add_column("Kind", width=KIND, key="kind")
        table.add_column("Title", width=title_width, key="title")
        if wide:
            table.add_column("Started by", width=AUTHOR, key="author")
        table.add_column("Posts", width=POSTS, key="posts")
        table.add_column("Last activity", width=WHEN, key="when")
        for thread in rows:
            cells = [markers(thread), thread.kind, _clip(thread.title, title_width)]
            if wide:
                cells.append(_clip(thread.author.name, AUTHOR))
            cells += [str(thread.post_count).rjust(POSTS), short_time(group, thread.last_activity_at)]
            table.add_row(*cells, key=str(thread.id))
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)))
        self._show_status(len(rows))

    def _show_status(self, shown: int) -> None:
        me = who_am_i(self.app.open_group)
        who = f"posting as [b]{escape(me.name)}[/b]" if me else "[b]no member set as you[/b] (w)"
        if self.total == 0:
            where = "no threads match" if self.current_filter() != ThreadFilter() else "no threads yet (n starts one)"
        else:
            pages = (self.total + PAGE_SIZE - 1) // PAGE_SIZE
            where = f"{self.total} thread{'s' if self.total != 1 else ''}"
            if pages > 1:
                where += f" · page {self.page_start // PAGE_SIZE + 1} of {pages} ([ ])"
        self.query_one("#thread-status", Static).update(f"{who} · {where} · {LEGEND}")

    def on_resize(self) -> None:
        if self.app.group is not None and self.is_mounted:
            self.load(keep=self.selected_id())

    # -- filters and search ---------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "thread-search":
            return
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_PAUSE, self._search_now)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "thread-search":
            event.stop()
            self._search_now()
            self.query_one("#thread-table", DataTable).focus()

    def _search_now(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        self.page_start = 0
        self.load()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.page_start = 0
        self.load()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.page_start = 0
        self.load()

    def action_focus_search(self) -> None:
        self.query_one("#thread-search", Input).focus()

    def action_toggle_unresolved(self) -> None:
        self.query_one("#thread-unresolved", Checkbox).toggle()

    def action_page(self, step: int) -> None:
        start = self.page_start + step * PAGE_SIZE
        if 0 <= start < self.total:
            self.page_start = start
            self.load()

    # -- opening and writing ----------------------------------------------------------------

    def focus_default(self) -> None:
        self.query_one("#thread-table", DataTable).focus()

    def selected_id(self) -> int | None:
        return cursor_row_id(self.query_one("#thread-table", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_thread(row_id(event.row_key))

    def action_open(self) -> None:
        thread_id = self.selected_id()
        if thread_id is None:
            self.notify("No thread to open here.", severity="warning")
            return
        self.open_thread(thread_id)

    def open_thread(self, thread_id: int) -> None:
        self.app.push_screen(ThreadScreen(thread_id), lambda _: self._back_from(thread_id))

    def _back_from(self, thread_id: int) -> None:
        self._reload_tags()
        self.load(keep=thread_id)

    def action_new_thread(self) -> None:
        me = who_am_i(self.app.open_group)
        if me is None:
            self.notify("Choose who you are first (w): posts are written as a member.", severity="error")
            return
        self.app.push_screen(NewThreadForm(self.app.open_group, me, self.app.clock), self._after_new)

    def _after_new(self, thread) -> None:
        if thread is None:
            return
        self.page_start = 0
        self._reload_tags()
        self.load(keep=thread.id)
        self.open_thread(thread.id)

    def action_who_am_i(self) -> None:
        self.app.push_screen(WhoAmIForm(self.app.open_group, who_am_i(self.app.open_group)), self._after_me)

    def _after_me(self, member) -> None:
        if member is not None:
            self.notify(f"You are {member.name} here (kept in your own settings, not the database).")
            self.load(keep=self.selected_id())


def _clip(text: str, width: int) -> Text:
    """User text as plain Text (never markup), cut to `width` cells with an ellipsis."""
    clipped = Text(text, no_wrap=True)
    clipped.truncate(width, overflow="ellipsis")
    return clipped
