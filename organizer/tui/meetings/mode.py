"""Meeting mode: the meeting full screen, for the projector.

A large clock; the agenda item now and the next; a large countdown for timed items — in
the 60-second round, one minute per speaker with the speaker's name shown large (space
starts and pauses, → the next speaker, ← the previous); check-in (type a name, enter
checks in when one person matches or ↑↓ chose one, ctrl+o undoes the last check-in, or the one typed); the one-line referral capture
(`ana > ben: roof repair for Carla, hot 4`) with a live preview, saving nothing while a
name is unknown or matches several members; the referrals passed at this meeting so far.
`f` finishes the meeting (held; the dialog names who will be marked absent). A held
meeting's attendance is corrected on its page, with a reason, not here.

Nothing typed is lost: the place (agenda item, speaker, countdown), the two lines and the
last check-ins are kept as the meeting's draft, so escape, a crash or a restart comes back
to them; leaving, finishing or quitting with a line pending asks first. A meeting more than
a few hours away is run now (moved to now) or rehearsed: a rehearsal writes nothing and
says REHEARSAL on screen (`open_meeting_mode`).

Time comes from the app's injected clock, so a frozen clock holds the countdown still.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Digits, Footer, Input, Static

from organizer.services import agenda, attendance, capture, drafts, meetings, one_to_one_capture
from organizer.services.drafts import meeting_key
from organizer.services.errors import UserError, ValidationError
from organizer.services.groups import local_today, zone
from organizer.services.identity import who_am_i
from organizer.services.meetings import get_meeting
from organizer.services.members import find_member_by_id, reload_member
from organizer.services.records import Meeting, Member
from organizer.services.resolve import resolve_member
from organizer.tui.meetings.countdown import Countdown, clock_text
from organizer.tui.meetings.forms import VisitorForm
from organizer.tui.meetings.text import presence_text, when
from organizer.tui.widgets.choice import Choice
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.list_table import ListTable, cursor_row_id
from organizer.tui.widgets.shell import OnShell
from organizer.wording import plural

SPEAKER_SECONDS = 60
CHECK_IN_ROWS = 60  # the check-in list shows this many; typing narrows
TICK = 0.25  # seconds between repaints of the clock and the countdown
CAPTURE_HINT = "giver > receiver: prospect, details — e.g. ana > ben: roof repair for Carla, hot 4"
EARLY = timedelta(hours=3)  # opening a meeting further ahead than this asks: run it now, or rehearse?
DRAFT_DELAY = 0.5  # seconds after the last keystroke before the lines are kept as a draft
UNDO_DEPTH = 20  # the last check-ins ctrl+o can undo, newest last


class Stage(Vertical, can_focus=True):
    """The agenda item, the speaker and the countdown; holds the focus between typing."""


class CheckIn(Input):
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


class MeetingModeScreen(OnShell, Screen):
    """The meeting, as it happens."""

    HELP_TITLE = "Meeting mode"
    DEFAULT_CSS = """
    MeetingModeScreen { layout: vertical; }
    MeetingModeScreen #mode-top { height: 3; padding: 0 1; background: $boost; }
    MeetingModeScreen #mode-heading { width: 1fr; height: 3; content-align: left middle; }
    MeetingModeScreen #mode-clock { width: auto; }
    MeetingModeScreen #mode-body { height: 1fr; }
    MeetingModeScreen Stage {
        width: 2fr; height: 1fr; border: round $primary; padding: 0 1;
        border-title-style: bold; border-title-color: $text;
    }
    MeetingModeScreen Stage:focus-within { border: round $accent; }
    MeetingModeScreen #stage-item { height: auto; }
    MeetingModeScreen #stage-speaker {
        height: 3; content-align: center middle; text-style: bold;
        background: $primary 30%; margin: 1 0 0 0;
    }
    MeetingModeScreen #stage-countdown { width: 100%; text-align: center; margin: 1 0 0 0; }
    MeetingModeScreen #stage-countdown.-over { color: $error; }
    MeetingModeScreen #stage-countdown.-paused { color: $warning; }
    MeetingModeScreen #stage-state { height: 1; content-align: center middle; color: $text-muted; }
    MeetingModeScreen #stage-next { height: auto; margin: 1 0 0 0; }
    MeetingModeScreen #stage-order { height: auto; margin: 1 0 0 0; }
    MeetingModeScreen.-short #stage-order { display: none; }
    MeetingModeScreen #mode-checkin {
        width: 1fr; height: 1fr; border: round $primary; border-title-style: bold;
        border-title-color: $text;
    }
    MeetingModeScreen #mode-checkin:focus-within { border: round $accent; }
    MeetingModeScreen #checkin-table { height: 1fr; }
    MeetingModeScreen #mode-capture {
        height: auto; max-height: 12; border: round $primary; border-title-style: bold;
        border-title-color: $text;
    }
    MeetingModeScreen #mode-capture:focus-within { border: round $accent; }
    MeetingModeScreen #capture-preview { height: auto; padding: 0 1; }
    MeetingModeScreen #capture-preview.-problem { color: $error; }
    MeetingModeScreen #capture-list { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
    MeetingModeScreen.-short #capture-list { max-height: 2; }
    MeetingModeScreen.-short #stage-next { margin: 0; }
    MeetingModeScreen.-short #stage-speaker { margin: 0; }
    MeetingModeScreen.-short #stage-countdown { margin: 0; }
    """
    BINDINGS = [
        Binding("space", "toggle_timer", "Timer", tooltip="start or pause the countdown"),
        Binding("right", "speaker(1)", "Next speaker", key_display="→"),
        Binding("left", "speaker(-1)", "Previous speaker", key_display="←", show=False),
        Binding("pagedown,n", "item(1)", "Next item", key_display="n"),
        Binding("pageup,p", "item(-1)", "Previous item", key_display="p", show=False),
        Binding("t", "restart_timer", "Restart the countdown", show=False),
        Binding("c", "focus_check_in", "Check-in", show=False),
        Binding("r", "focus_capture", "Referral", show=False),
        Binding("v", "visitor", "Visitor at the door", show=False),
        Binding("f", "finish", "Finish"),
        # Also from the stage (off the footer there): the last check-in, or the name typed.
        Binding("ctrl+o", "undo_check_in", "Undo the last check-in", show=False),
        Binding("escape", "leave", "Back", tooltip="from a box, back to the stage; from the stage, leave"),
    ]

    def __init__(self, meeting_id: int, *, rehearsal: bool = False):
        super().__init__()
        self.meeting: Meeting = get_meeting(meeting_id)
        self.rehearsal = rehearsal  # nothing is written; the screen says REHEARSAL
        self.rehearsed_here: dict[int, Member] = {}  # a rehearsal's check-ins, by member id
        self.rehearsed_referrals: list[str] = []
        self.undo_stack: list[int] = []  # member ids checked in here, the newest last
        self._draft_timer: Timer | None = None
        self.keep_open = True  # False once left on purpose: the next start offers nothing back
        self.ready = False  # mounted and filled: what it shows is worth keeping
        self.resumed = False
        self.items: list = []
        self.item_index = 0
        self.speakers: list[attendance.RosterLine] = []
        self.speaker_index = 0
        self.countdown: Countdown | None = None
        self.rang = False
        self.preview: capture.CapturePreview | None = None
        self.picked = False  # ↑ or ↓ chose a row among several matches

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="mode-top"):
            yield Static(id="mode-heading")
            yield Digits("", id="mode-clock")
        with Horizontal(id="mode-body"):
            with Stage(id="mode-stage"):
                yield Static(id="stage-item")
                yield Static(id="stage-speaker")
                yield Digits("", id="stage-countdown")
                yield Static(id="stage-state")
                yield Static(id="stage-next")
                yield Static(id="stage-order")
            with Vertical(id="mode-checkin"):
                yield CheckIn(placeholder="c: type a name", id="checkin-search", compact=True, select_on_focus=False)
                table = ListTable(id="checkin-table")
                table.can_focus = False  # the search box drives it
                yield table
        with Vertical(id="mode-capture"):
            yield Input(
                placeholder="r: type a referral passed in the room", id="capture", compact=True, select_on_focus=False
            )
            yield Static(id="capture-preview")
            yield Static(id="capture-list")
        yield Footer()

    def on_mount(self) -> None:
        self.previous_sub_title = self.app.sub_title
        self.app.sub_title = "Meeting mode · REHEARSAL" if self.rehearsal else "Meeting mode"
        group = self.meeting.group
        heading = Text.assemble(
            (self.meeting.title, "bold"), "\n", when(group, self.meeting), " · ", self.meeting.place or "no place set"
        )
        if self.rehearsal:
            heading = Text.assemble(("REHEARSAL", "bold reverse"), " nothing is recorded · ", heading)
        self.query_one("#mode-heading", Static).update(heading)
        self.items = agenda.agenda(self.meeting)
        self.speakers = self._speaker_lines()
        self._enter_item(0)
        self._restore_place()
        self._show_check_in()
        self._show_preview()
        self._show_referrals()
        self.query_one(Stage).focus()
        self.set_interval(TICK, self.tick)
        self.ready = True
        self.save_draft()  # open now: a crash from here on is offered back at the next start

    def on_screen_resume(self) -> None:
        # Back from a form over it (a visitor restored after a crash has no callback here);
        # not on the first showing, which on_mount has just filled.
        if self.ready and self.resumed:
            self._speakers_changed()
            self._show_check_in()
        self.resumed = True

    def on_resize(self, event) -> None:
        self.set_class(event.size.height < 32, "-short")

    # -- the stage ------------------------------------------------------------------------

    @property
    def item(self):
        return self.items[self.item_index] if self.items else None

    @property
    def in_round(self) -> bool:
        return self.item is not None and self.item.kind == "sixty_second_round"

    def _enter_item(self, index: int) -> None:
        self.item_index = max(0, min(index, len(self.items) - 1)) if self.items else 0
        self.speaker_index = 0
        item = self.item
        seconds = SPEAKER_SECONDS if self.in_round else (item.minutes * 60 if item and item.minutes else 0)
        self.countdown = Countdown(seconds) if seconds else None
        self.rang = False
        self._show_stage()

    def _show_stage(self) -> None:
        item = self.item
        if item is None:
            self.query_one("#stage-item", Static).update(
                Text("No agenda yet: escape, then add items on the meeting's page (a), or g for the usual order.")
            )
            self.query_one("#stage-speaker", Static).update("")
            self.query_one("#stage-next", Static).update("")
            self.tick()
            return
        kind = agenda.KIND_LABELS[item.kind]
        minutes = f" · {item.minutes} min" if item.minutes else ""
        self.query_one("#stage-item", Static).update(
            Text(f"{self.item_index + 1} of {len(self.items)} · {kind}{minutes}", style="dim")
        )
        if self.in_round and self.speakers:
            big = Text(self.speakers[self.speaker_index].speaker)
            big.append(f"   speaker {self.speaker_index + 1} of {len(self.speakers)}", style="not bold dim")
        elif self.in_round:
            big = Text("Nobody to call yet: check members in (c)")
        else:
            big = Text(item.title or kind)
            if item.member_id:
                big.append(f" — {item.member.name}")
        self.query_one("#stage-speaker", Static).update(big)
        self.query_one("#stage-next", Static).update(self._next_text())
        self.query_one("#stage-order", Static).update(self._running_order())
        self.tick()

    def _running_order(self) -> Text:
        """The whole agenda, the item now marked, for those who look up from their coffee."""
        order = Text()
        titles = [item.title or agenda.KIND_LABELS[item.kind] for item in self.items]
        width = min(40, max(len(title) for title in titles))
        for index, (item, title) in enumerate(zip(self.items, titles)):
            now = index == self.item_index
            minutes = f"{item.minutes} min" if item.minutes else ""
            order.append(f"{'▶' if now else '·'} {title[:width].ljust(width)}  ", style="bold" if now else "dim")
            order.append(f"{minutes:>7}\n", style="" if now else "dim")
        order.rstrip()
        return order

    def _next_text(self) -> Text:
        if self.in_round and self.speaker_index + 1 < len(self.speakers):
            return Text.assemble(("Next speaker  ", "dim"), self.speakers[self.speaker_index + 1].speaker)
        if self.item_index + 1 < len(self.items):
            following = self.items[self.item_index + 1]
            minutes = f" ({following.minutes} min)" if following.minutes else ""
            return Text.assemble(("Next  ", "dim"), following.title or agenda.KIND_LABELS[following.kind], minutes)
        return Text("Last item: f finishes the meeting", style="dim")

    def tick(self) -> None:
        """Repaint the clock and the countdown from the app's clock."""
        now = self.app.clock()
        local = now.astimezone(zone(self.meeting.group))
        self.query_one("#mode-clock", Digits).update(f"{local:%H:%M}")
        digits = self.query_one("#stage-countdown", Digits)
        state = self.query_one("#stage-state", Static)
        if self.countdown is None:
            digits.update("")
            state.update("untimed · n next item" if self.items else "")
            return
        left = self.countdown.remaining(now)
        digits.update(clock_text(left))
        digits.set_class(left <= 0, "-over")
        digits.set_class(not self.countdown.running and 0 < left < self.countdown.seconds, "-paused")
        if self.countdown.running:
            words = "time is up" if left <= 0 else "running"
            keys = "space pauses" + (" · → next speaker" if self.in_round else "")
        else:
            words = "paused" if self.countdown.spent else "ready"
            keys = "space starts" + (" · → next speaker" if self.in_round else "")
        state.update(f"{words} · {keys}")
        if left <= 0 and self.countdown.running and not self.rang:
            self.rang = True
            self.app.bell()

    def action_toggle_timer(self) -> None:
        if self.countdown is None:
            self.app.notify("This item is not timed.", timeout=2)
            return
        self.countdown.toggle(self.app.clock())
        self.tick()
        self.save_draft()

    def action_restart_timer(self) -> None:
        if self.countdown is not None:
            self.countdown.restart(self.app.clock())
            self.rang = False
            self.tick()
            self.save_draft()

    def action_speaker(self, step: int) -> None:
        countdown = self.countdown
        if not self.in_round or countdown is None:  # the round always has its countdown
            self.app.notify("Speakers take turns in the 60-second round; n moves to the next item.", timeout=3)
            return
        index = self.speaker_index + step
        if not 0 <= index < len(self.speakers):
            self.app.notify(
                "That was the last speaker: n moves on." if step > 0 else "This is the first speaker.", timeout=3
            )
            return
        self.speaker_index = index
        countdown.restart(self.app.clock(), SPEAKER_SECONDS, run=countdown.running)
        self.rang = False
        self._show_stage()
        self.save_draft()

    def action_item(self, step: int) -> None:
        index = self.item_index + step
        if not self.items or not 0 <= index < len(self.items):
            return
        self._enter_item(index)
        self.save_draft()

    # -- check-in -------------------------------------------------------------------------

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

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "checkin-search":
            self.picked = False
            self._show_check_in()
        elif event.input.id == "capture":
            self._show_preview()
        self._draft_soon()

    def on_check_in_pick(self, event: CheckIn.Pick) -> None:
        table = self.check_in_table
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + event.step, table.row_count - 1)))
            self.picked = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "checkin-search":
            self._check_in_chosen()
        elif event.input.id == "capture":
            self._record()

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

    # -- referral capture -----------------------------------------------------------------

    def _show_preview(self) -> None:
        text = self.query_one("#capture", Input).value
        line = self.query_one("#capture-preview", Static)
        if not text.strip():
            self.preview = None
            line.update(Text(CAPTURE_HINT, style="dim"))
            line.set_class(False, "-problem")
            return
        if one_to_one_capture.looks_like_one_to_one(text):  # `ana + ben: coffee tuesday`
            self.preview = None
            found = one_to_one_capture.preview_one_to_one(self.meeting.group, text, now=self.app.clock())
            if found.ok:
                line.update(Text.assemble(("✓ ", "bold green"), found.describe(), ("  · enter saves", "dim")))
            else:
                line.update(Text("✗ " + " · ".join(dict.fromkeys(found.errors.values()))))
            line.set_class(not found.ok, "-problem")
            return
        self.preview = capture.preview_capture(self.meeting.group, text, now=self.app.clock())
        if self.preview.ok:
            line.update(Text.assemble(("✓ ", "bold green"), self.preview.describe(), ("  · enter saves", "dim")))
        else:
            line.update(Text("✗ " + " · ".join(dict.fromkeys(self.preview.errors.values()))))
        line.set_class(not self.preview.ok, "-problem")

    def _record(self) -> bool:
        """Save the capture line; False (with the reason shown) if it was not saved."""
        text = self.query_one("#capture", Input).value
        if one_to_one_capture.looks_like_one_to_one(text):
            return self._record_one_to_one(text)
        self._show_preview()
        preview = self.preview
        if preview is None:
            return False
        if not preview.ok:
            self.app.notify("Not saved: " + self._capture_problem(), severity="error")
            return False
        if self.rehearsal:
            self.rehearsed_referrals.append(preview.describe())
            self.app.notify("Rehearsal: the referral is not recorded.", timeout=3)
        else:
            try:
                referral = capture.record_capture(
                    preview, self.meeting, now=self.app.clock(), actor=who_am_i(self.meeting.group)
                )
            except (ValidationError, UserError) as error:
                self.app.notify(f"Not saved: {error}", severity="error")
                return False
            self.app.notify(f"Referral #{referral.id}: {referral.giver.name} → {referral.receiver.name}.", timeout=3)
        self.query_one("#capture", Input).value = ""
        self._show_referrals()
        self.save_draft()
        return True

    def _capture_problem(self) -> str:
        return " · ".join(dict.fromkeys(self.preview.errors.values())) if self.preview else ""

    def _record_one_to_one(self, text: str) -> bool:
        group, now = self.meeting.group, self.app.clock()
        found = one_to_one_capture.preview_one_to_one(group, text, now=now)
        if self.rehearsal:
            self.app.notify("Rehearsal: the one-to-one is not recorded.", timeout=3)
        else:
            try:
                one_to_one_capture.record_previewed(group, found, now=now)
            except UserError as error:
                self.app.notify(f"Not saved: {error}", severity="error")
                return False
            self.app.notify(f"Saved: {found.describe()}.", timeout=3)
        self.query_one("#capture", Input).value = ""
        self.save_draft()
        return True

    def _show_referrals(self) -> None:
        if self.rehearsal:
            lines = [f"(not recorded) {text}" for text in reversed(self.rehearsed_referrals)]
            self.query_one("#mode-capture").border_title = f"REHEARSAL · referrals tried · {len(lines)}"
            self.query_one("#capture-list", Static).update(Text("\n".join(lines) or "None yet."))
            return
        referrals = capture.meeting_referrals(self.meeting)
        self.query_one("#mode-capture").border_title = f"Referrals at this meeting · {len(referrals)}"
        lines = [
            f"#{r.id}  {r.giver.name} → {r.receiver.name}: {r.prospect_name} (temperature {r.temperature})"
            for r in reversed(referrals)
        ]
        self.query_one("#capture-list", Static).update(Text("\n".join(lines) or "None yet."))

    def action_focus_capture(self) -> None:
        self.query_one("#capture", Input).focus()

    # -- unsaved lines, the place, drafts -------------------------------------------------

    def _line(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def pending_lines(self) -> list[tuple[str, str, str | None]]:
        """The lines holding text: (input id, what it says, its problem or None if it can be saved)."""
        pending = []
        if text := self._line("capture"):
            self._show_preview()
            problem = None if self.preview and self.preview.ok else self._capture_problem() or "not valid"
            pending.append(("capture", f"Referral line “{text}”", problem))
        if text := self._line("checkin-search"):
            rows = self.check_in_table.row_count
            problem = None
            if rows == 0:
                problem = "nobody matches"
            elif rows > 1 and not self.picked:
                problem = f"{rows} people match"
            pending.append(("checkin-search", f"Check-in line “{text}”", problem))
        return pending

    def unsaved_work(self) -> list[str]:
        """What quitting would lose: the lines typed, and the meeting running (for the app)."""
        if not self.ready or self.rehearsal:
            return []
        found = [label for _, label, _ in self.pending_lines()]
        now = meetings.find_meeting(self.meeting.group, self.meeting.id)
        if now is not None and now.status == "scheduled":
            where = f"item {self.item_index + 1} of {len(self.items)}" if self.items else "no agenda"
            found.append(f"Meeting mode: “{self.meeting.title}” is running ({where}; its place is kept)")
        return found

    def save_unsaved(self) -> str | None:
        """Save the pending lines (a referral, a check-in); the reason if one cannot be saved."""
        for name, label, problem in self.pending_lines():
            if problem:
                self.query_one(f"#{name}", Input).focus()
                return f"{label}: {problem}"
            saved = self._record() if name == "capture" else self._check_in_chosen()
            if not saved:
                return f"{label} was not saved"
        self.keep_open = False
        self.save_draft()
        return None

    def discard_unsaved(self) -> None:
        self.query_one("#capture", Input).value = ""
        self.query_one("#checkin-search", Input).value = ""
        self.keep_open = False
        self.save_draft()

    def _draft_soon(self) -> None:
        if self.rehearsal:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.save_draft)

    def save_draft(self) -> None:
        """Keep the place, the lines and the last check-ins as this meeting's draft."""
        if self.rehearsal or not self.ready:
            return
        countdown = self.countdown
        speaker = self.speakers[self.speaker_index].member.id if self.in_round and self.speakers else None
        data = {
            "open": self.keep_open,
            "item": self.item_index,
            "item_id": self.item.id if self.item else None,
            "speaker": speaker,
            "countdown": None
            if countdown is None
            else {
                "seconds": countdown.seconds,
                "spent": countdown.spent,
                "started_at": countdown.started_at.isoformat() if countdown.started_at else None,
            },
            "capture": self.query_one("#capture", Input).value,
            "checkin": self.query_one("#checkin-search", Input).value,
            "undo": self.undo_stack,
        }
        title = f"Meeting mode: {self.meeting.title}, {meetings.local_date(self.meeting).isoformat()}"
        try:
            drafts.save_draft(self.meeting.group, meeting_key(self.meeting.id), title, data, now=self.app.clock())
        except UserError:  # busy or read-only: the screen still holds it all; the next change keeps it
            pass

    def _restore_place(self) -> None:
        """Come back to where this meeting was left: after escape, a crash or a restart."""
        if self.rehearsal:
            return
        draft = drafts.load_draft(self.meeting.group, meeting_key(self.meeting.id))
        if draft is None:
            return
        data = draft.data
        if self.items:
            ids = [item.id for item in self.items]
            index = ids.index(data["item_id"]) if data.get("item_id") in ids else data.get("item", 0)
            self._enter_item(index if isinstance(index, int) else 0)
            speakers = [line.member.id for line in self.speakers]
            if data.get("speaker") in speakers:
                self.speaker_index = speakers.index(data["speaker"])
            saved = data.get("countdown")
            if saved and self.countdown is not None:
                started = saved.get("started_at")
                self.countdown = Countdown(
                    int(saved.get("seconds", self.countdown.seconds)),
                    datetime.fromisoformat(started) if started else None,
                    float(saved.get("spent", 0.0)),
                )
            self._show_stage()
        self.undo_stack = [id_ for id_ in data.get("undo", []) if isinstance(id_, int)]
        # The lines come back as typed; setting them fires Changed, which repaints.
        self.query_one("#capture", Input).value = str(data.get("capture", ""))
        self.query_one("#checkin-search", Input).value = str(data.get("checkin", ""))

    # -- leaving --------------------------------------------------------------------------

    def action_leave(self) -> None:
        """Escape: from a box back to the stage; from the stage, leave (asking if a line is pending)."""
        if isinstance(self.focused, Input):
            self.query_one(Stage).focus()
            return
        pending = [] if self.rehearsal else self.pending_lines()
        if not pending:
            self._leave()
            return
        self._ask_about(
            pending, "Leave meeting mode with a line not saved?", "Save and leave", "Discard and leave", self._leave
        )

    def _leave(self) -> None:
        # Left on purpose: the place stays for coming back (m); the next start offers nothing.
        self.keep_open = False
        self.save_draft()
        self.dismiss(None)

    def on_unmount(self) -> None:
        self.app.sub_title = self.previous_sub_title

    def action_finish(self) -> None:
        if self.rehearsal:
            self.app.notify("Rehearsal over: nothing was recorded.", title="Rehearsal")
            self.dismiss(None)
            return
        meeting = get_meeting(self.meeting.id)
        if meeting.status != "scheduled":
            self.app.notify(
                f"This meeting is {meeting.status}; attendance can still be corrected on its page.", severity="warning"
            )
            return
        if meetings.local_date(meeting) > local_today(meeting.group, self.app.clock()):
            self.app.notify("This meeting has not happened yet: it can be finished on its day.", severity="warning")
            return
        pending = self.pending_lines()
        wrong = [(name, f"{label}: {problem}") for name, label, problem in pending if problem]
        if wrong:
            # An invalid line is shown, never dropped: fix it or clear it, then finish.
            self.query_one(f"#{wrong[0][0]}", Input).focus()
            self.app.notify(
                "Not finished — "
                + " · ".join(text for _, text in wrong)
                + ". Correct the line or clear it, then f again.",
                severity="error",
                timeout=8,
            )
            return
        if not pending:
            self._confirm_finish(meeting)
            return
        self._ask_about(
            pending,
            "Save the pending line before finishing?",
            "Save it, then finish",
            "Finish without it",
            lambda: self._confirm_finish(meeting),
        )

    def _ask_about(self, pending: list, question: str, save: str, discard: str, then) -> None:
        """Save / discard / stay for the pending lines; `then` runs unless the answer is stay
        (or a line could not be saved, which is shown)."""

        def answered(answer: str | None) -> None:
            if answer == "save":
                problem = self.save_unsaved()
                if problem:
                    self.app.notify(f"Not saved — {problem}", severity="error", timeout=8)
                    return
            elif answer == "discard":
                self.discard_unsaved()
            else:
                return
            then()

        self.app.push_screen(
            Choice(
                question,
                [label for _, label, _ in pending],
                [
                    ("save", save, "s"),
                    ("discard", discard, "d"),
                    ("stay", "Stay", "escape"),
                ],
            ),
            answered,
        )

    def _confirm_finish(self, meeting: Meeting) -> None:
        absent = meetings.absent_on_finish(meeting)
        if meeting.series_id is None:
            detail = "A one-off meeting: only who came is recorded; nobody is marked absent."
        elif absent:
            names = ", ".join(member.name for member in absent[:8]) + (" …" if len(absent) > 8 else "")
            detail = (
                f"{len(absent)} active member{'s' if len(absent) != 1 else ''} not checked in "
                f"will be marked absent: {names}."
            )
        else:
            detail = "Every active member is checked in: nobody is marked absent."
        detail += " Attendance can still be corrected afterwards, and the correction is kept."

        def sure(yes: bool | None) -> None:
            if not yes:
                return
            try:
                meetings.finish_meeting(meeting, now=self.app.clock())
            except UserError as error:
                self.app.notify(str(error), severity="warning")
                return
            drafts.clear_draft(meeting.group, meeting_key(meeting.id))
            came = attendance.came_count(meeting)
            self.app.notify(f"The meeting is held: {came} came. Thank you!", title="Finished")
            self.dismiss(None)

        self.app.push_screen(Confirm("Finish the meeting?", "Finish", "Not yet", detail=detail), sure)


def meeting_to_resume(group, meeting_id: str) -> int | None:
    """The id of this group's meeting `meeting_id` if meeting mode can still run it."""
    meeting = meetings.find_meeting(group, int(meeting_id)) if meeting_id.isdigit() else None
    return meeting.id if meeting is not None and meeting.status == "scheduled" else None


def open_meeting_mode(app, meeting: Meeting, closed) -> None:
    """Meeting mode for `meeting`; one more than a few hours away asks first: run it now
    (the meeting moves to now, its SEQUENCE rising like any reschedule) or rehearse."""
    now = app.clock()
    ahead = meeting.starts_at - now
    if meeting.status != "scheduled" or ahead <= EARLY:
        app.push_screen(MeetingModeScreen(meeting.id), closed)
        return

    def answered(answer: str | None) -> None:
        if answer == "rehearse":
            app.push_screen(MeetingModeScreen(meeting.id, rehearsal=True), closed)
        elif answer == "run":
            was = when(meeting.group, meeting)
            try:
                meetings.run_now(meeting, now=now)
            except UserError as error:
                app.notify(f"Not moved: {error}", severity="error")
                return
            app.notify(f"The meeting moved from {was} to now.", timeout=5)
            app.push_screen(MeetingModeScreen(meeting.id), closed)

    app.push_screen(
        Choice(
            f"This meeting starts in {_ahead_text(meeting, now)} ({when(meeting.group, meeting)}).",
            [
                "Run it now: the meeting moves to now (noted on its page; its invite's update carries it).",
                "Rehearse: try meeting mode with the real agenda and roster; nothing is recorded.",
            ],
            [("run", "Run it now", "r"), ("rehearse", "Rehearse", "h"), ("stay", "Cancel", "escape")],
        ),
        answered,
    )


def _ahead_text(meeting: Meeting, now: datetime) -> str:
    """ "5 hours" the same day or within a day; else the days by the group's calendar."""
    days = (meetings.local_date(meeting) - local_today(meeting.group, now)).days
    if days <= 1:
        hours = int((meeting.starts_at - now).total_seconds() // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{days} days"
