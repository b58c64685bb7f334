"""3 Meetings: the monthly series and its meetings, upcoming and past, with their verbs.

The list shows the meetings of the past twelve months and every stored one ahead (an
open series is kept about a year ahead), the cursor on the next one; `[` reaches a year
further back. Each row gives the answers so far (coming / maybe / not coming) or, once
held, how many came, and the agenda's minutes against the meeting's.

enter opens the meeting's page (agenda, the five invitation fields, RSVPs and attendance);
`m` runs it in meeting mode. Calendar files (invite, cancellation, the series, the feed)
are written where you say, private.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from organizer.services.groups import local_today, zone
from organizer.services.holidays import holiday_flags
from organizer.services.meeting_list import (
    MeetingRow,
    describe_series,
    meeting_rows,
    running_series,
)
from organizer.services.meetings import extend_all, next_meeting
from organizer.tui.meetings.actions import MeetingActions, write_calendar_file
from organizer.tui.meetings.forms import InvitationDefaultsForm, NewMeetingForm
from organizer.tui.meetings.series_form import SeriesForm, describe_change
from organizer.tui.meetings.text import STATUS_MARKS, when
from organizer.tui.widgets.export_folder import export_path
from organizer.tui.widgets.format import countdown
from organizer.tui.widgets.list_table import ListTable, cursor_row_id, row_id
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.path_form import PathForm
from organizer.tui.widgets.section import Section

WINDOW_DAYS = 365  # how far back the list reaches at first, and each `[` further


class MeetingTable(ListTable):
    """The meetings; enter opens the one under the cursor (named in the footer)."""

    BINDINGS = [Binding("enter", "select_cursor", "Open")]


class MeetingsSection(MeetingActions, Section):
    SECTION_ID, TITLE, KEY = "meetings", "Meetings", "3"
    DEFAULT_CSS = """
    MeetingsSection #meetings-series { height: auto; padding: 0 1; background: $boost; }
    MeetingsSection #meetings-table { height: 1fr; }
    MeetingsSection #meetings-status { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("m", "meeting_mode", "Meeting mode"),
        Binding("n", "new_meeting", "New"),
        Binding("e", "edit_meeting", "Edit", show=False),
        Binding("i", "invite", "Invite"),
        Binding("r", "reschedule", "Reschedule", show=False),
        Binding("s", "skip", "Skip (a holiday)", show=False),
        Binding("c", "cancel_meeting", "Cancel the meeting", show=False),
        Binding("b", "reinstate", "Back on (undo skip or cancel)", show=False),
        Binding("a", "series", "Schedule or change the series", show=False),
        Binding("d", "defaults", "Invitation defaults", show=False),
        Binding("x", "series_file", "Write the series calendar (.ics)", show=False),
        Binding("p", "feed_file", "Write the feed of all meetings (.ics)", show=False),
        Binding("left_square_bracket", "earlier", "Earlier meetings", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.days_back = WINDOW_DAYS
        self.rows: list[MeetingRow] = []
        self.holidays: dict = {}  # local date → public holiday name, for the rows

    def compose(self) -> ComposeResult:
        yield Static("", id="meetings-series")
        yield MeetingTable(id="meetings-table")
        yield Static("", id="meetings-status")

    @property
    def table(self) -> DataTable:
        return self.query_one("#meetings-table", DataTable)

    def focus_default(self) -> None:
        self.table.focus()

    # -- reading --------------------------------------------------------------------------

    def refresh_data(self) -> None:
        self.load(keep=self.chosen_meeting_id())

    def load(self, keep: int | None = None) -> None:
        """The list again; the cursor stays on meeting `keep`, else goes to the next meeting."""
        group = self.app.open_group
        if group is None:
            return
        now = self.app.clock()
        extend_all(group, now=now)  # an open series stays a year ahead as time passes
        today = local_today(group, now)
        self.rows = meeting_rows(group, today - timedelta(days=self.days_back))
        tz = zone(group)
        self.holidays = holiday_flags(group, [row.meeting.starts_at.astimezone(tz).date() for row in self.rows])
        upcoming = next_meeting(group, now)
        self._show_series(today)
        self._fill(keep or (upcoming.id if upcoming else None))
        self._show_status(upcoming)

    def _show_series(self, today) -> None:
        group = self.app.open_group
        series = running_series(group, today)
        if series:
            lines = [
                f"[b]Series:[/b] {escape(describe_series(s))} · {escape(s.place or 'no place set')}" for s in series
            ]
        else:
            lines = ["[b]No meeting series yet.[/b] a schedules one; n adds a one-off meeting."]
        self.query_one("#meetings-series", Static).update("\n".join(lines))

    def _fill(self, keep: int | None) -> None:
        table = self.table
        table.clear(columns=True)
        width = self.size.width or 120
        wide = width >= 100
        table.add_column("Date", width=15, key="date")
        table.add_column("Time", width=5, key="time")
        table.add_column("Status", width=9, key="status")
        answers = 24 if wide else 11
        title_width = max(12, width - 15 - 5 - 9 - answers - 7 - 2 * 6 - 3)
        table.add_column("Title", width=title_width, key="title")
        table.add_column("Answers · came" if wide else "Answers", width=answers, key="answers")
        table.add_column("Agenda", width=7, key="agenda")
        tz = zone(self.app.open_group)
        for row in self.rows:
            m = row.meeting
            start = m.starts_at.astimezone(tz)
            title = Text(" ".join(m.title.split()), no_wrap=True)
            if holiday := self.holidays.get(start.date()):
                # A public holiday where the group meets: the organizer decides (s skips, r moves).
                title = Text.assemble((f"⚑ {holiday} · ", "bold yellow"), title, no_wrap=True)
            title.truncate(title_width, overflow="ellipsis")
            cells = [
                f"{start:%a} {start.day} {start:%b %Y}",
                f"{start:%H:%M}",
                Text.from_markup(STATUS_MARKS.get(m.status, m.status)),
                title,
                _answers(row, wide),
                _agenda(row),
            ]
            table.add_row(*cells, key=str(m.id))
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)), animate=False)

    def _show_status(self, upcoming) -> None:
        group, now = self.app.open_group, self.app.clock()
        if upcoming is not None:
            ahead = f"Next {countdown(upcoming.starts_at - now)}"
        else:
            ahead = "No meeting ahead"
        back = f"{local_today(group, now) - timedelta(days=self.days_back):%b %Y}"
        self.query_one("#meetings-status", Static).update(
            Text(f"{ahead} · {len(self.rows)} meetings from {back} · [ earlier · F1 every key")
        )

    def on_resize(self) -> None:
        if self.app.group is not None and self.rows:
            self._fill(self.chosen_meeting_id())

    # -- choosing -------------------------------------------------------------------------

    def chosen_meeting_id(self) -> int | None:
        return cursor_row_id(self.table)

    def meetings_changed(self, meeting_id: int | None) -> None:
        self.load(keep=meeting_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_meeting(row_id(event.row_key))

    def open_meeting(self, meeting_id: int) -> None:
        from organizer.tui.meetings.detail import MeetingScreen

        def back(_result) -> None:
            self.app.sub_title = self.TITLE
            self.load(keep=meeting_id)

        self.app.push_screen(MeetingScreen(meeting_id), back)

    # -- the section's own verbs ----------------------------------------------------------

    def action_earlier(self) -> None:
        self.days_back += WINDOW_DAYS
        self.load(keep=self.chosen_meeting_id())

    def action_new_meeting(self) -> None:
        def saved(meeting) -> None:
            if meeting is not None:
                self.app.notify(f"Added the meeting of {when(meeting.group, meeting)}.")
                self.load(keep=meeting.id)

        self.app.push_screen(NewMeetingForm(self.app.open_group), saved)

    def action_series(self) -> None:
        def saved(change) -> None:
            if change is not None:
                self.app.notify(describe_change(change), title="Series scheduled", timeout=8)
                self.load()

        self.app.push_screen(SeriesForm(self.app.open_group), saved)

    def action_defaults(self) -> None:
        def saved(changed: int | None) -> None:
            if changed is not None:
                self.app.notify(f"Invitation defaults saved; {changed} upcoming meeting(s) now say the new text.")
                self.load(keep=self.chosen_meeting_id())

        self.app.push_screen(InvitationDefaultsForm(self.app.open_group), saved)

    def action_series_file(self) -> None:
        self._calendar_file("Write the series calendar", "series.ics", "write_series")

    def action_feed_file(self) -> None:
        self._calendar_file("Write the feed of all meetings", "meetings-feed.ics", "write_feed")

    def _calendar_file(self, title: str, name: str, writer: str) -> None:
        group = self.app.open_group

        def chosen(target: Path | None) -> None:
            if target is None:
                return
            from organizer.services import invites

            write = getattr(invites, writer)
            write_calendar_file(
                self.app, title.replace("Write", "Wrote"), target, lambda path: write(group, path, self.app.clock())
            )

        intro = (
            "[dim]The monthly series as one recurring event (RRULE, skipped dates as EXDATE, moved "
            "meetings as overrides).[/dim]"
            if writer == "write_series"
            else "[dim]Every meeting of the past 12 months and all ahead (METHOD:PUBLISH), to publish "
            "for calendar subscription.[/dim]"
        )
        self.app.push_screen(PathForm(title, export_path(name), suffixes=(".ics",), intro=intro), chosen)


def _answers(row: MeetingRow, wide: bool) -> Text:
    m = row.meeting
    if m.status == "held":
        return Text(f"{row.came} came")
    if m.status != "scheduled":
        return Text("—", style="dim")
    if not (row.accepted or row.tentative or row.declined):
        return Text("no answers yet" if wide else "none yet", style="dim")
    if wide:
        return Text(f"{row.accepted} yes · {row.tentative} maybe · {row.declined} no")
    return Text(f"{row.accepted}✓ {row.tentative}? {row.declined}✗")


def _agenda(row: MeetingRow) -> Text:
    if not row.agenda_items:
        return Text("—", style="dim")
    over = row.agenda_minutes > row.meeting.minutes
    return Text(f"{row.agenda_minutes}/{row.meeting.minutes}", style="bold red" if over else "")
