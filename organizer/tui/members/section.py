"""2 Members: search-as-you-type over name, business, category and email; add, edit, archive;
import from a CSV file (`i`) and export to CSV or vCard (`x`), in import_file.py
and export.py.

The list never holds more than it shows: each keystroke runs one LIMITed query
(services.members.search_members, PAGE rows), refilled in the same frame as the letter;
the matches are counted once the typing pauses, and further pages are appended as the
cursor or the scroll nears the end. A status filter (`f`, or the select box) picks
active & on leave, active, on leave, alumni, visitors or everyone.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Select, Static

from organizer.errors import NotFound
from organizer.services.groups import local_today
from organizer.services.members import (
    STATUS_LABELS,
    MemberFilter,
    count_members,
    get_member,
    search_members,
)
from organizer.services.records import Member
from organizer.tui.members.archive import confirm_archive
from organizer.tui.members.filters import FILTERS
from organizer.tui.widgets.fast_table import FastTable
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.search import SearchInput
from organizer.tui.widgets.section import Section

PAGE = 60  # rows per query (a tall screen shows ~35); more are appended as the user scrolls
COUNT_PAUSE = 0.15  # seconds of calm in the typing before the matches are counted
COUNT_CAP = 2000  # past this the count line says "2,000+": counting every match costs a scan
COLUMNS = (("Name", 24), ("Business", 26), ("Category", 20), ("Status", 9), ("Email", 27))
# Below 100 columns the email gives way, so the rest fits without scrolling sideways.
NARROW_COLUMNS = (("Name", 20), ("Business", 21), ("Category", 16), ("Status", 8))


class MembersSection(Section):
    SECTION_ID, TITLE, KEY = "members", "Members", "2"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("n", "new_member", "New member"),
        Binding("e", "edit_member", "Edit"),
        Binding("a", "archive_member", "Archive"),
        Binding("f", "next_filter", "Filter", show=False),
        # The footer is full (/ n e a, 1–6, F1): these two are in F1 help and the palette.
        Binding("i", "import_members", "Import members", show=False),
        Binding("x", "export_members", "Export members", show=False),
        Binding("R", "renewals", "Renewals due", show=False),
        Binding("v", "visitors", "Visitors and follow-ups", show=False),
        Binding("r", "relationships", "Relationships (one-to-ones, pairings)", show=False),
        Binding("enter", "open_member", "Open the member", show=False),
        Binding("escape", "focus_list", "Back to the list", show=False),
    ]
    DEFAULT_CSS = """
    MembersSection #members-bar {
        height: 1;
        margin: 1 1 0 1;
    }
    MembersSection #member-search {
        width: 1fr;
        margin: 0 2 0 0;
    }
    MembersSection #member-filter {
        width: 24;
    }
    MembersSection #member-count {
        height: 1;
        margin: 0 1;
        color: $text-muted;
    }
    MembersSection FastTable {
        height: 1fr;
        margin: 0 1;
    }
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filter_index = 0
        self.total = 0
        self.counted = True
        self._count_timer: Timer | None = None
        self.loaded = 0
        self.column_set = COLUMNS
        self.typing_ahead = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="members-bar"):
            yield SearchInput(
                placeholder="Search name, business, category or email  ( / )",
                id="member-search",
                on_change=self._search_changed,
            )
            yield Select(
                [(label, index) for index, (label, *_) in enumerate(FILTERS)],
                value=0,
                allow_blank=False,
                compact=True,
                id="member-filter",
            )
        yield Static(id="member-count")
        yield FastTable(id="member-table")

    def on_mount(self) -> None:
        self._set_columns(COLUMNS)
        self.watch(self.table, "scroll_y", self._maybe_load_more, init=False)

    def on_resize(self, event) -> None:
        wanted = NARROW_COLUMNS if event.size.width < 100 else COLUMNS
        if wanted is not self.column_set:
            self._set_columns(wanted)
            self.refresh_data()

    def _set_columns(self, columns) -> None:
        self.column_set = columns
        table = self.table
        table.clear(columns=True)
        for label, width in columns:
            table.add_column(label, width=width, key=label.lower())

    @property
    def table(self) -> FastTable:
        return self.query_one("#member-table", FastTable)

    @property
    def search(self) -> SearchInput:
        return self.query_one("#member-search", SearchInput)

    def focus_default(self) -> None:
        self.table.focus()

    # -- the list ---------------------------------------------------------------------------

    def current_filter(self) -> MemberFilter:
        entry = FILTERS[self.filter_index]
        renewal_by = None
        if len(entry) > 2:
            renewal_by = local_today(self.app.open_group, self.app.clock()) + timedelta(days=entry[2])
        return MemberFilter(text=self.search.value, statuses=entry[1], renewal_by=renewal_by)

    def refresh_data(self, keep: int | None = None) -> None:
        """Run the search again from the first page (keeping the cursor on member `keep` if listed)."""
        group = self.app.open_group
        if group is None:
            return
        if keep is None and self.table.row_count:
            keep = self.selected_id()
        flt = self.current_filter()
        rows = search_members(group, flt, limit=PAGE, brief=True)
        self.counted = len(rows) < PAGE
        self.total = len(rows)
        if self._count_timer is not None:
            self._count_timer.stop()
            self._count_timer = None
        if not self.counted:
            # A full page: there are more. Counting them scans the table, so it waits for a
            # pause in the typing: a keystroke never waits for the count line, nor for its repaint.
            self._count_timer = self.set_timer(COUNT_PAUSE, partial(self._count, flt))
        table = self.table
        self.loaded = 0
        self._add_rows(rows, replace=True)
        self._show_count()
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)))

    def _add_rows(self, rows: list[Member], *, replace: bool = False) -> None:
        table = self.table
        wide = len(self.column_set) == len(COLUMNS)
        # Plain strings: the table draws them as they are (a name like "[b]" stays literal).
        (table.replace_rows if replace else table.add_rows)(
            (
                str(member.id),
                [
                    member.name,
                    member.business,
                    member.category,
                    STATUS_LABELS.get(member.status, member.status),
                    *([member.email] if wide else []),
                ],
            )
            for member in rows
        )
        self.loaded += len(rows)

    def _count(self, flt: MemberFilter) -> None:
        self._count_timer = None
        if self.app.group is None or flt != self.current_filter():
            return  # typed on meanwhile: that search counts for itself
        self.total = count_members(self.app.open_group, flt, cap=COUNT_CAP)
        self.counted = True
        self._show_count()

    def _show_count(self) -> None:
        label = FILTERS[self.filter_index][0].lower()
        text = self.search.value.strip()
        what = f"matching “{escape(text)}” · " if text else ""
        if self.total == 0:
            line = f"No members {what}({label})." if text else f"No members ({label}). n adds one."
        else:
            many = f"{COUNT_CAP:,}+" if self.total > COUNT_CAP else f"{self.total:,}"
            if not self.counted:
                many = f"{self.total:,}+"  # for the moment it takes to count them
            line = f"{many} member{'s' if self.total != 1 else ''} · {what}{label}"
        self.query_one("#member-count", Static).update(line, layout=False)  # one line, always: no new layout

    def _maybe_load_more(self, *_args) -> None:
        """Append the next page when the view nears the end of what is loaded."""
        table = self.table
        if (self.counted and self.loaded >= self.total) or self.app.group is None:
            return
        bottom = table.scroll_y + table.size.height
        if max(bottom, table.cursor_row + 1) >= self.loaded - 10:
            more = search_members(
                self.app.open_group, self.current_filter(), limit=PAGE, offset=self.loaded, brief=True
            )
            self._add_rows(more)

    def on_fast_table_row_highlighted(self, event: FastTable.RowHighlighted) -> None:
        self._maybe_load_more()

    def on_fast_table_row_selected(self, event: FastTable.RowSelected) -> None:
        event.stop()
        self.action_open_member()

    def _search_changed(self, text: str) -> None:
        """The search text changed: refresh the list now, in the same frame as the letter."""
        if not self.is_mounted or self.app.group is None:
            return
        self.refresh_data()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "member-search":
            event.stop()  # already handled, as it was typed (_search_changed)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "member-search":
            event.stop()
            self.table.focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "member-filter" and isinstance(event.value, int):
            event.stop()
            if event.value != self.filter_index:
                self.filter_index = event.value
                self.refresh_data()

    def selected_id(self) -> int | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.row_key_at(table.cursor_row)
        return int(key) if key else None

    def selected_member(self) -> Member | None:
        member_id = self.selected_id()
        if member_id is None:
            self.app.notify("No member is selected: the list is empty.", severity="warning", timeout=3)
            return None
        try:
            return get_member(self.app.open_group, member_id)
        except NotFound as error:
            self.app.notify(str(error), severity="error")
            return None

    # -- actions ----------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        # Keys typed right after `/` (fast typing, a paste) can arrive before the focus
        # moves; until it has, on_key hands them to the search box.
        self.typing_ahead = True
        self.search.focus()

    def on_descendant_focus(self, event) -> None:
        if event.widget is self.search:
            self.typing_ahead = False

    def on_key(self, event) -> None:
        # `/` is taken here, on its way up, rather than by the binding at the app's end of
        # the chain: the keys right behind it then arrive with typing_ahead already set.
        if event.key == "slash" and not self.search.has_focus:
            event.stop()
            event.prevent_default()
            self.action_focus_search()
        elif self.typing_ahead and event.is_printable and not self.search.has_focus:
            event.stop()
            event.prevent_default()
            self.search.insert_text_at_cursor(event.character)

    def action_focus_list(self) -> None:
        self.table.focus()

    def action_next_filter(self) -> None:
        self.query_one("#member-filter", Select).value = (self.filter_index + 1) % len(FILTERS)

    def action_renewals(self) -> None:
        from organizer.tui.members.year import RenewalsScreen

        self.app.push_screen(RenewalsScreen(), lambda _: self.refresh_data())

    def action_visitors(self) -> None:
        from organizer.tui.members.year import VisitorsScreen

        self.app.push_screen(VisitorsScreen(), lambda _: self.refresh_data())

    def action_new_member(self) -> None:
        from organizer.tui.members.form import MemberForm

        self.app.push_screen(MemberForm(self.app.open_group), self._saved)

    def action_edit_member(self) -> None:
        from organizer.tui.members.form import MemberForm

        if member := self.selected_member():
            self.app.push_screen(MemberForm(self.app.open_group, member), self._saved)

    def _saved(self, member: Member | None) -> None:
        if member is None:
            return
        self.app.notify(f"Saved {member.name}.", timeout=3)
        self.refresh_data(keep=member.id)
        self.table.focus()

    def action_archive_member(self) -> None:
        if member := self.selected_member():
            confirm_archive(self.app, member, lambda: self.refresh_data(keep=member.id))

    def action_import_members(self) -> None:
        from organizer.tui.members.import_file import start_import

        start_import(self.app, imported=self.refresh_data)

    def action_export_members(self) -> None:
        from organizer.tui.members.export import start_export

        start_export(self.app)

    def action_relationships(self) -> None:
        from organizer.tui.members.relationships import RelationshipsScreen

        def back(_result) -> None:
            self.app.sub_title = self.TITLE

        self.app.push_screen(RelationshipsScreen(), back)

    def action_open_member(self) -> None:
        from organizer.tui.members.detail import MemberDetailScreen

        if member := self.selected_member():

            def back(_result) -> None:
                self.app.sub_title = self.TITLE
                self.refresh_data(keep=member.id)

            self.app.push_screen(MemberDetailScreen(member), back)
