"""One meeting's page: when and where, the agenda against the meeting's length, the five
invitation fields, and the roster with each member's RSVP and attendance.

Keys act on the meeting (edit, move, skip, cancel, invite, meeting mode), on the agenda
(add, edit with enter, move with shift+↑/↓, remove) or on the roster (enter sets a member's
RSVP and attendance, space checks them in or out, `v` adds a visitor at the door). A held
meeting's attendance can still be corrected: the change is kept with its reason.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from organizer.errors import UserError
from organizer.services import agenda, attendance, meetings
from organizer.services.identity import who_am_i
from organizer.services.meetings import get_meeting
from organizer.services.members import STATUS_LABELS, reload_member
from organizer.services.records import Meeting, Member
from organizer.tui.meetings.actions import MeetingActions
from organizer.tui.meetings.agenda_verbs import AgendaVerbs
from organizer.tui.meetings.night_forms import AttendanceForm, VisitorForm
from organizer.tui.meetings.text import RSVP_LABELS, STATUS_MARKS, presence_text, when
from organizer.tui.widgets.format import ago, countdown
from organizer.tui.widgets.list_table import ListTable, cursor_row_id
from organizer.tui.widgets.live import LivePage
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.search import SearchInput

ROSTER_LIMIT = 100  # lines shown at once; typing a name narrows a bigger group


class MeetingScreen(MeetingActions, AgendaVerbs, LivePage, Screen):
    """A meeting, on a page of its own."""

    HELP_TITLE = "Meeting"
    SECTION_KEYS = True  # a page to read: 1–6 leave it for a section
    DEFAULT_CSS = """
    MeetingScreen #meeting-page { padding: 0 1; }
    MeetingScreen #meeting-title { height: auto; margin: 0 0 1 0; }
    MeetingScreen #meeting-grid { grid-size: 2; grid-columns: 1fr 1fr; grid-gutter: 0 1; height: auto; }
    MeetingScreen.-narrow #meeting-grid { grid-size: 1; }
    MeetingScreen .meeting-part {
        height: auto;
        border: round $primary 50%;
        border-title-style: bold;
        border-title-color: $text;
        padding: 0 1;
    }
    MeetingScreen #agenda-table { height: auto; max-height: 14; }
    MeetingScreen #agenda-total { height: 1; }
    MeetingScreen #agenda-total.-over { color: $error; text-style: bold; }
    MeetingScreen #roster-search { margin: 0 0 0 0; }
    MeetingScreen #roster-table { height: auto; max-height: 20; }
    MeetingScreen .part-line { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "open_row", "Edit the agenda item, or the member's RSVP and attendance", show=False),
        Binding("m", "meeting_mode", "Meeting mode"),
        Binding("e", "edit_meeting", "Edit"),
        Binding("a", "add_item", "Add item"),
        Binding("v", "visitor", "Visitor"),
        Binding("space", "check_in", "Check in/out", show=False),
        Binding("i", "invite", "Invite", show=False),
        Binding("shift+up", "move_item(-1)", "Move agenda item up", key_display="⇧↑", show=False),
        Binding("shift+down", "move_item(1)", "Move agenda item down", key_display="⇧↓", show=False),
        Binding("delete", "remove_item", "Remove agenda item", show=False),
        Binding("g", "standard_agenda", "Standard agenda (empty agenda)", show=False),
        Binding("slash", "find_member", "Find a member on the roster", key_display="/", show=False),
        Binding("r", "reschedule", "Reschedule", show=False),
        Binding("s", "skip", "Skip (a holiday)", show=False),
        Binding("c", "cancel_meeting", "Cancel the meeting", show=False),
        Binding("b", "reinstate", "Back on (undo skip or cancel)", show=False),
    ]

    def __init__(self, meeting_id: int):
        super().__init__()
        self.meeting_id = meeting_id
        self.meeting: Meeting = get_meeting(meeting_id)
        self.widths_set = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="meeting-page"):
            yield Static(id="meeting-title")
            with Grid(id="meeting-grid"):
                with Vertical(id="meeting-agenda", classes="meeting-part"):
                    yield ListTable(id="agenda-table")
                    yield Static(id="agenda-total")
                invitation = Static(id="meeting-invitation", classes="meeting-part")
                invitation.border_title = "The invitation"
                yield invitation
            with Vertical(id="meeting-roster", classes="meeting-part"):
                yield Static(id="roster-counts", classes="part-line")
                yield SearchInput(placeholder="/ type to find a member", id="roster-search")
                yield ListTable(id="roster-table")
                yield Static(id="roster-more", classes="part-line")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#meeting-agenda").border_title = "Agenda"
        self.query_one("#meeting-roster").border_title = "RSVPs and attendance"
        self.app.sub_title = "Meeting"
        self.show_meeting()
        self.agenda_table.focus(scroll_visible=False)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < 100
        if narrow != self.has_class("-narrow") or not self.widths_set:
            self.set_class(narrow, "-narrow")
            self.widths_set = True
            self.show_meeting()

    def _part_width(self, *, half: bool) -> int:
        """The text width inside a part (borders, padding and the page's scrollbar taken off)."""
        page = (self.size.width or 120) - 4  # the page's scrollbar and padding
        if half and not self.has_class("-narrow"):
            page = (page - 1) // 2  # the grid's gutter between the two parts
        return max(30, page - 4)  # each part's border and padding

    @property
    def agenda_table(self) -> DataTable:
        return self.query_one("#agenda-table", DataTable)

    @property
    def roster_table(self) -> DataTable:
        return self.query_one("#roster-table", DataTable)

    # -- reading --------------------------------------------------------------------------

    def refresh_data(self) -> None:
        self.show_meeting()  # the agenda's and the roster's cursors and search are kept

    def show_meeting(self, *, agenda_keep: int | None = None) -> None:
        self.meeting = get_meeting(self.meeting_id)
        self._show_title()
        self._show_invitation()
        self._show_agenda(agenda_keep)
        self._show_roster()

    def _show_title(self) -> None:
        m, now = self.meeting, self.app.clock()
        status = STATUS_MARKS.get(m.status, m.status)
        if m.status == "scheduled":
            status += f" · {countdown(m.starts_at - now)}" if m.starts_at > now else " · today"
        elif m.status == "held":
            status += f" · {ago(now - m.starts_at)}"
        # The invite's SEQUENCE is calendar jargon: say how often a sent invite was updated.
        updated = f"  [dim]invite updated {m.sequence}×[/dim]" if m.sequence else ""
        self.query_one("#meeting-title", Static).update(
            f"[b]{escape(m.title)}[/b]\n{when(m.group, m)} · {status} · {escape(m.place or 'no place set')}{updated}"
        )

    def _show_invitation(self) -> None:
        m = self.meeting
        lines = []
        for name in meetings.INVITATION_FIELDS:
            value = getattr(m, name)
            lines.append(f"[b]{escape(meetings.INVITATION_LABELS[name])}[/b]")
            lines.append(
                escape(meetings.unlabelled(name, value)) if value else "[dim italic]not said yet (e edits)[/dim italic]"
            )
        if m.notes:
            lines += ["[b]Notes[/b] [dim](not in the invite)[/dim]", escape(m.notes)]
        self.query_one("#meeting-invitation", Static).update("\n".join(lines))

    def _show_agenda(self, keep: int | None) -> None:
        table = self.agenda_table
        if keep is None and table.row_count:
            keep = self._agenda_id()
        table.clear(columns=True)
        item_width = self._part_width(half=True) - 2 - 4 - 3 * 2
        table.add_column("#", width=2, key="position")
        table.add_column("Item", width=item_width, key="item")
        table.add_column("Min", width=4, key="minutes")
        items = agenda.agenda(self.meeting)
        for item in items:
            label = Text(item.title or agenda.KIND_LABELS.get(item.kind, item.kind), no_wrap=True)
            if (member := item.member) is not None:
                label.append(f" — {member.name}", style="dim")
            if item.kind == "carried_thread":
                label.append(" (thread)", style="italic dim")
            label.truncate(item_width, overflow="ellipsis")
            table.add_row(str(item.position), label, str(item.minutes).rjust(4), key=str(item.id))
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)), animate=False)
        total = agenda.agenda_total(self.meeting)
        line = self.query_one("#agenda-total", Static)
        if items and all(item.kind == "carried_thread" for item in items):
            line.update(Text(f"Total {total.describe()} · g: the usual order around it"))
        elif items:
            line.update(Text(f"Total {total.describe()}" + ("" if total.is_over else " · a adds, enter edits")))
        else:
            line.update(Text("No agenda yet · a adds an item · g: the usual order"))
        line.set_class(total.is_over, "-over")
        self.query_one("#meeting-agenda").border_title = f"Agenda · {total.minutes} of {total.meeting_minutes} min"

    def _show_roster(self) -> None:
        m = self.meeting
        text = self.query_one("#roster-search", Input).value
        lines = attendance.roster(m, text, limit=ROSTER_LIMIT)
        keep = self._roster_id()
        table = self.roster_table
        table.clear(columns=True)
        rest = self._part_width(half=False) - 26 - 8 - 10 - 4 * 2 - 2
        table.add_column("Name", width=26, key="name")
        table.add_column("", width=8, key="status")
        table.add_column("RSVP", width=10, key="rsvp")
        table.add_column("Attendance", width=max(20, rest), key="presence")
        corrected = attendance.corrected([line.attendance.id for line in lines if line.attendance])
        for line in lines:
            member = line.member
            status = STATUS_LABELS.get(member.status, member.status) if member.status != "active" else ""
            row = line.attendance
            presence = presence_text(line.presence, row.substitute_name if row else "")
            if member.status == "visitor" and member.invited_by_id:
                presence += f", invited by {member.invited_by.name}"
            if row and row.id in corrected:
                presence += " (corrected)"
            table.add_row(
                Text(member.name, no_wrap=True),
                Text(status, style="dim"),
                Text(RSVP_LABELS[line.rsvp]),
                Text(presence),
                key=str(member.id),
            )
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)), animate=False)
        counts = attendance.rsvp_counts(m)
        came = attendance.came_count(m)
        answers = " · ".join(
            f"{counts[key]} {RSVP_LABELS[key]}" for key in ("accepted", "tentative", "declined", "needs_action")
        )
        here = f" · {came} came" if m.status == "held" or came else ""
        self.query_one("#roster-counts", Static).update(Text(f"{answers}{here}"))
        size = attendance.roster_size(m, text) if len(lines) == ROSTER_LIMIT else len(lines)
        more = f"{size - len(lines)} more: type a name to find them · " if size > len(lines) else ""
        self.query_one("#roster-more", Static).update(
            Text(f"{more}enter sets RSVP and attendance · space checks in · v adds a visitor")
        )

    # -- which row ------------------------------------------------------------------------

    def _agenda_id(self) -> int | None:
        return cursor_row_id(self.agenda_table)

    def _roster_id(self) -> int | None:
        return cursor_row_id(self.roster_table)

    def chosen_meeting_id(self) -> int | None:
        return self.meeting_id

    def meetings_changed(self, meeting_id: int | None) -> None:
        self.show_meeting()

    def _roster_member(self) -> Member | None:
        member_id = self._roster_id()
        if member_id is None or not self.roster_table.has_focus:
            self.app.notify(
                "Put the cursor on a member of the roster first (tab, or / to find one).", severity="warning"
            )
            return None
        return reload_member(member_id)

    # -- events ---------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "agenda-table":
            self.action_edit_item()
        else:
            self.action_attendance()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "roster-search":
            event.stop()
            self._show_roster()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "roster-search":
            event.stop()
            self.roster_table.focus()

    # -- the roster -----------------------------------------------------------------------

    def action_find_member(self) -> None:
        self.query_one("#roster-search", Input).focus()

    def action_attendance(self) -> None:
        member = self._roster_member()
        if member is None:
            return
        row = attendance.attendance_of(self.meeting, member)
        line = attendance.RosterLine(member, row)
        actor = who_am_i(self.meeting.group)

        def corrected(saved: object) -> None:
            if saved:
                self._show_roster()

        self.app.push_screen(AttendanceForm(self.meeting, line, actor), corrected)

    def action_check_in(self) -> None:
        member = self._roster_member()
        if member is None:
            return
        if self.meeting.status == "held":
            # A change to what happened is a correction: it takes a reason, so the form asks.
            self.action_attendance()
            return
        try:
            row = attendance.toggle_present(
                self.meeting, member, now=self.app.clock(), actor=who_am_i(self.meeting.group)
            )
        except UserError as error:
            self.app.notify(str(error), severity="warning")
            return
        self.app.notify(f"{member.name}: {presence_text(row.presence)}.", timeout=2)
        self._show_roster()

    def action_visitor(self) -> None:
        if self.meeting.status in ("skipped", "cancelled"):
            self.app.notify(f"This meeting is {self.meeting.status}.", severity="warning")
            return

        def saved(visitor: Member | None) -> None:
            if visitor is not None:
                self.app.notify(f"Welcome, {visitor.name}: checked in as a visitor.")
                self._show_roster()

        self.app.push_screen(VisitorForm(self.meeting), saved)

    def action_open_row(self) -> None:
        if self.agenda_table.has_focus:
            self.action_edit_item()
        elif self.roster_table.has_focus:
            self.action_attendance()

    def action_back(self) -> None:
        if self.focused is self.query_one("#roster-search", Input):
            self.roster_table.focus()  # out of the search first, as in the Members list
            return
        self.dismiss(None)
