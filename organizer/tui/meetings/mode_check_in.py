"""Meeting mode's check-in: type a name, enter checks in the one match (or the one ↑ ↓
chose), ctrl+o undoes; a visitor at the door (v). Who speaks in the round follows it."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Input

from organizer.errors import UserError
from organizer.services import attendance
from organizer.services.identity import who_am_i
from organizer.services.meetings import get_meeting
from organizer.services.members import find_member_by_id, reload_member
from organizer.services.records import Member
from organizer.services.resolve import resolve_member
from organizer.tui.meetings.mode_stage import StagePart
from organizer.tui.meetings.night_forms import VisitorForm
from organizer.tui.meetings.text import presence_text
from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.list_table import cursor_row_id
from organizer.wording import plural

CHECK_IN_ROWS = 60  # the check-in list shows this many; typing narrows
UNDO_DEPTH = 20  # the last check-ins ctrl+o can undo, newest last


class CheckIn(Guarded, Input):
    """Type part of a name; ↑ and ↓ choose among the matches, enter checks the one in."""

    BINDINGS = [
        Binding("down", "pick(1)", "Next match", show=False),
        Binding("up", "pick(-1)", "Previous match", show=False),
        Binding("ctrl+o", "screen.undo_check_in", "Undo check-in"),
    ]

    class Pick(Message):
        def __init__(self, step: int):
            super().__init__()
            self.step = step

    def action_pick(self, step: int) -> None:
        self.post_message(self.Pick(step))


class CheckInPart(StagePart):
    """Check-in in meeting mode."""

    @property
    def check_in_table(self) -> DataTable:
        return self.query_one("#checkin-table", DataTable)

    def _show_check_in(self, keep: int | None = None) -> None:
        text = self.query_one("#checkin-search", Input).value
        lines = attendance.roster(self.meeting, text, limit=CHECK_IN_ROWS)
        table = self.check_in_table
        table.clear(columns=True)
        table.add_column("", width=1, key="mark")
        table.add_column("Name", key="name")
        for line in lines:
            here = line.member.id in self.rehearsed_here if self.rehearsal else line.presence in attendance.ATTENDED
            mark = Text("✓", style="bold green") if here else Text("·", style="dim")
            name = Text(line.member.name, style="" if here else "dim")
            if line.member.status == "visitor":
                name.append("  visitor", style="italic")
            table.add_row(mark, name, key=str(line.member.id))
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)), animate=False)
        expected = attendance.active_member_count(self.meeting.group)
        if self.rehearsal:
            visitors = sum(member.status == "visitor" for member in self.rehearsed_here.values())
            members = len(self.rehearsed_here) - visitors
        else:
            members, visitors = attendance.came_by_kind(self.meeting)
        title = f"Here: {members} of {plural(expected, 'member')}"
        if visitors:
            title += f" + {visitors} visitor{'s' if visitors != 1 else ''}"
        self.query_one("#mode-checkin").border_title = title

    def on_check_in_pick(self, event: CheckIn.Pick) -> None:
        table = self.check_in_table
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + event.step, table.row_count - 1)))
            self.picked = True

    def _chosen(self) -> Member | None:
        """The member the check-in box points at: the one match, or the one ↑↓ chose."""
        table = self.check_in_table
        text = self.query_one("#checkin-search", Input).value.strip()
        if text and not self.picked and table.row_count != 1:
            # The same text finds the same member as on the capture line: one resolver.
            found = resolve_member(self.meeting.group, text)
            if found.member is not None:
                return found.member
            if not found.candidates:
                self.app.notify(
                    escape(
                        f"{found.problem[:1].upper()}{found.problem[1:]}: check the spelling, or add a visitor (v)."
                    ),
                    severity="warning",
                )
                return None
        if table.row_count == 0:
            self.app.notify("Nobody matches: check the spelling, or add a visitor (v).", severity="warning")
            return None
        if table.row_count > 1 and not self.picked:
            many = f"{plural(table.row_count, 'person', 'people')} match “{text}”" if text else "Type a name first"
            self.app.notify(f"{many}: type more of the name, or choose with ↑ ↓.", severity="warning")
            return None
        member_id = cursor_row_id(table)
        return None if member_id is None else reload_member(member_id)

    def _refuse_if_held(self) -> bool:
        if self.rehearsal:
            return False
        meeting = get_meeting(self.meeting.id)
        if meeting.status == "held":
            self.app.notify(
                "This meeting was held: correct its attendance on its page (with a reason).", severity="warning"
            )
            return True
        return False

    def _check_in_chosen(self) -> bool:
        """Check in the member chosen in the box; False (with the reason shown) if nobody was."""
        if self._refuse_if_held() or (member := self._chosen()) is None:
            return False
        if self.rehearsal:
            self.rehearsed_here[member.id] = member
            self.undo_stack.append(member.id)
            self.app.notify(f"Rehearsal: {member.name} is here (not recorded).", timeout=2)
            self._after_check_in(member)
            return True
        try:
            row, changed = attendance.check_in(
                self.meeting, member, now=self.app.clock(), actor=who_am_i(self.meeting.group)
            )
        except UserError as error:
            self.app.notify(str(error), severity="warning")
            return False
        if changed:
            self.undo_stack = [*self.undo_stack, member.id][-UNDO_DEPTH:]
            self.app.notify(f"{member.name} is here.", timeout=2)
        else:
            self.app.notify(
                f"{member.name} is already checked in ({presence_text(row.presence, row.substitute_name)}); "
                "ctrl+o undoes a check-in.",
                timeout=4,
            )
        self._after_check_in(member)
        return True

    def action_undo_check_in(self) -> None:
        """ctrl+o: undo the check-in of the name typed, or else the last one made here."""
        if self._refuse_if_held():
            return
        if self.query_one("#checkin-search", Input).value.strip():
            member = self._chosen()
        elif self.undo_stack:
            member = (
                self.rehearsed_here.get(self.undo_stack[-1])
                if self.rehearsal
                else find_member_by_id(self.meeting.group, self.undo_stack[-1])
            )
        else:
            self.app.notify("No check-in to undo yet.", timeout=3)
            return
        if member is None:
            return
        if self.rehearsal:
            self.rehearsed_here.pop(member.id, None)
        else:
            try:
                attendance.undo_check_in(self.meeting, member, now=self.app.clock(), actor=who_am_i(self.meeting.group))
            except UserError as error:
                self.app.notify(str(error), severity="warning")
                return
        self.undo_stack = [id_ for id_ in self.undo_stack if id_ != member.id]
        self.app.notify(f"{member.name} is no longer checked in.", timeout=3)
        self._after_check_in(member)

    def _after_check_in(self, member: Member) -> None:
        self.query_one("#checkin-search", Input).value = ""
        self._speakers_changed()
        self._show_check_in(keep=member.id)
        self.save_draft()

    def _speaker_lines(self) -> list[attendance.RosterLine]:
        if self.rehearsal and self.rehearsed_here:
            here = sorted(self.rehearsed_here.values(), key=lambda member: (member.name, member.id))
            return [attendance.RosterLine(member, None) for member in here]
        return attendance.speakers(self.meeting)

    def _speakers_changed(self) -> None:
        """Who speaks follows the check-in; the current speaker keeps the floor."""
        current = self.speakers[self.speaker_index].member.id if self.in_round and self.speakers else None
        self.speakers = self._speaker_lines()
        ids = [line.member.id for line in self.speakers]
        self.speaker_index = ids.index(current) if current in ids else min(self.speaker_index, max(0, len(ids) - 1))
        self._show_stage()

    def action_focus_check_in(self) -> None:
        self.query_one("#checkin-search", Input).focus()

    def action_visitor(self) -> None:
        if self.rehearsal:
            self.app.notify("A rehearsal adds nobody: visitors are welcomed on the night.", timeout=3)
            return

        def saved(visitor: Member | None) -> None:
            if visitor is not None:
                self.app.notify(f"Welcome, {visitor.name}: checked in as a visitor.")
                self._speakers_changed()
                self._show_check_in(keep=visitor.id)

        self.app.push_screen(VisitorForm(self.meeting), saved)
