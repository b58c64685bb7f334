"""Meeting mode: the meeting full screen, for the projector.

A large clock; the agenda item now and the next; a large countdown for timed items — in
the 60-second round, one minute per speaker with the speaker's name shown large (space
starts and pauses, → the next speaker, ← the previous); check-in (type a name, enter
checks in when one person matches or ↑↓ chose one, ctrl+o undoes it); the one-line referral capture
(`ana > ben: roof repair for Carla, hot 4`) with a live preview, saving nothing while a
name is unknown or matches several members; the referrals passed at this meeting so far.
`f` finishes the meeting (held; members not checked in are marked absent). A held
meeting's attendance is corrected on its page, with a reason, not here.

Time comes from the app's injected clock, so a frozen clock holds the countdown still.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Digits, Footer, Input, Static

from organizer.wording import plural
from organizer.services import agenda, attendance, capture, meetings
from organizer.services.errors import UserError, ValidationError
from organizer.services.groups import local_today, zone
from organizer.services.identity import who_am_i
from organizer.services.meetings import get_meeting
from organizer.services.members import reload_member
from organizer.services.records import Meeting, Member
from organizer.tui.meetings.countdown import Countdown, clock_text
from organizer.tui.meetings.forms import VisitorForm
from organizer.tui.meetings.text import presence_text, when
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.list_table import ListTable
from organizer.tui.widgets.shell import OnShell

SPEAKER_SECONDS = 60
CHECK_IN_ROWS = 60  # the check-in list shows this many; typing narrows
TICK = 0.25  # seconds between repaints of the clock and the countdown
CAPTURE_HINT = "giver > receiver: prospect, details — e.g. ana > ben: roof repair for Carla, hot 4"


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
        Binding("escape", "leave", "Back", tooltip="from a box, back to the stage; from the stage, leave"),
    ]

    def __init__(self, meeting_id: int):
        super().__init__()
        self.meeting: Meeting = get_meeting(meeting_id)
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
                yield CheckIn(placeholder="c: type a name", id="checkin-search",
                              compact=True, select_on_focus=False)
                table = ListTable(id="checkin-table")
                table.can_focus = False  # the search box drives it
                yield table
        with Vertical(id="mode-capture"):
            yield Input(placeholder="r: type a referral passed in the room", id="capture", compact=True, select_on_focus=False)
            yield Static(id="capture-preview")
            yield Static(id="capture-list")
        yield Footer()

    def on_mount(self) -> None:
        self.previous_sub_title = self.app.sub_title
        self.app.sub_title = "Meeting mode"
        group = self.meeting.group
        self.query_one("#mode-heading", Static).update(Text.assemble(
            (self.meeting.title, "bold"), "\n", when(group, self.meeting), " · ",
            self.meeting.place or "no place set"))
        self.items = agenda.agenda(self.meeting)
        self.speakers = attendance.speakers(self.meeting)
        self._enter_item(0)
        self._restore_place()
        self._show_check_in()
        self._show_preview()
        self._show_referrals()
        self.query_one(Stage).focus()
        self.set_interval(TICK, self.tick)

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
            self.query_one("#stage-item", Static).update(Text(
                "No agenda yet: escape, then add items on the meeting's page (a), or g for the usual order."))
            self.query_one("#stage-speaker", Static).update("")
            self.query_one("#stage-next", Static).update("")
            self.tick()
            return
        kind = agenda.KIND_LABELS[item.kind]
        minutes = f" · {item.minutes} min" if item.minutes else ""
        self.query_one("#stage-item", Static).update(
            Text(f"{self.item_index + 1} of {len(self.items)} · {kind}{minutes}", style="dim"))
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

    def action_restart_timer(self) -> None:
        if self.countdown is not None:
            self.countdown.restart(self.app.clock())
            self.rang = False
            self.tick()

    def action_speaker(self, step: int) -> None:
        if not self.in_round:
            self.app.notify("Speakers take turns in the 60-second round; n moves to the next item.", timeout=3)
            return
        index = self.speaker_index + step
        if not 0 <= index < len(self.speakers):
            self.app.notify("That was the last speaker: n moves on." if step > 0 else "This is the first speaker.",
                            timeout=3)
            return
        self.speaker_index = index
        running = self.countdown.running
        self.countdown.restart(self.app.clock(), SPEAKER_SECONDS, run=running)
        self.rang = False
        self._show_stage()

    def action_item(self, step: int) -> None:
        index = self.item_index + step
        if not self.items or not 0 <= index < len(self.items):
            return
        self._enter_item(index)

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
            here = line.presence in attendance.ATTENDED
            mark = Text("✓", style="bold green") if here else Text("·", style="dim")
            name = Text(line.member.name, style="" if here else "dim")
            if line.member.status == "visitor":
                name.append("  visitor", style="italic")
            table.add_row(mark, name, key=str(line.member.id))
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)), animate=False)
        expected = attendance.active_member_count(self.meeting.group)
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
        if table.row_count == 0:
            self.app.notify("Nobody matches: check the spelling, or add a visitor (v).", severity="warning")
            return None
        if table.row_count > 1 and not self.picked:
            many = f"{plural(table.row_count, 'person', 'people')} match “{text}”" if text else "Type a name first"
            self.app.notify(f"{many}: type more of the name, or choose with ↑ ↓.", severity="warning")
            return None
        key, _ = table.coordinate_to_cell_key((table.cursor_row, 0))
        return reload_member(int(key.value))

    def _refuse_if_held(self) -> bool:
        meeting = get_meeting(self.meeting.id)
        if meeting.status == "held":
            self.app.notify("This meeting was held: correct its attendance on its page (with a reason).",
                            severity="warning")
            return True
        return False

    def _check_in_chosen(self) -> None:
        if self._refuse_if_held() or (member := self._chosen()) is None:
            return
        try:
            row, changed = attendance.check_in(self.meeting, member, now=self.app.clock(),
                                               actor=who_am_i(self.meeting.group))
        except UserError as error:
            self.app.notify(str(error), severity="warning")
            return
        if changed:
            self.app.notify(f"{member.name} is here.", timeout=2)
        else:
            self.app.notify(f"{member.name} is already checked in ({presence_text(row.presence, row.substitute_name)}); "
                            "ctrl+o undoes a check-in.", timeout=4)
        self._after_check_in(member)

    def action_undo_check_in(self) -> None:
        if self._refuse_if_held() or (member := self._chosen()) is None:
            return
        try:
            attendance.undo_check_in(self.meeting, member, now=self.app.clock(), actor=who_am_i(self.meeting.group))
        except UserError as error:
            self.app.notify(str(error), severity="warning")
            return
        self.app.notify(f"{member.name} is no longer checked in.", timeout=3)
        self._after_check_in(member)

    def _after_check_in(self, member: Member) -> None:
        self.query_one("#checkin-search", Input).value = ""
        self._speakers_changed()
        self._show_check_in(keep=member.id)

    def _speakers_changed(self) -> None:
        """Who speaks follows the check-in; the current speaker keeps the floor."""
        current = self.speakers[self.speaker_index].member.id if self.in_round and self.speakers else None
        self.speakers = attendance.speakers(self.meeting)
        ids = [line.member.id for line in self.speakers]
        self.speaker_index = ids.index(current) if current in ids else min(self.speaker_index, max(0, len(ids) - 1))
        self._show_stage()

    def action_focus_check_in(self) -> None:
        self.query_one("#checkin-search", Input).focus()

    def action_visitor(self) -> None:
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
        self.preview = capture.preview_capture(self.meeting.group, text, now=self.app.clock())
        if self.preview.ok:
            line.update(Text.assemble(("✓ ", "bold green"), self.preview.describe(), ("  · enter saves", "dim")))
        else:
            line.update(Text("✗ " + " · ".join(dict.fromkeys(self.preview.errors.values()))))
        line.set_class(not self.preview.ok, "-problem")

    def _record(self) -> None:
        self._show_preview()
        preview = self.preview
        if preview is None:
            return
        if not preview.ok:
            self.app.notify("Not saved: " + " · ".join(dict.fromkeys(preview.errors.values())),
                            severity="error")
            return
        try:
            referral = capture.record_capture(preview, self.meeting, now=self.app.clock(),
                                              actor=who_am_i(self.meeting.group))
        except (ValidationError, UserError) as error:
            self.app.notify(f"Not saved: {error}", severity="error")
            return
        self.app.notify(f"Referral #{referral.id}: {referral.giver.name} → {referral.receiver.name}.",
                        timeout=3)
        self.query_one("#capture", Input).value = ""
        self._show_referrals()

    def _show_referrals(self) -> None:
        referrals = capture.meeting_referrals(self.meeting)
        self.query_one("#mode-capture").border_title = f"Referrals at this meeting · {len(referrals)}"
        lines = [
            f"#{r.id}  {r.giver.name} → {r.receiver.name}: {r.prospect_name} (temperature {r.temperature})"
            for r in reversed(referrals)
        ]
        self.query_one("#capture-list", Static).update(Text("\n".join(lines) or "None yet."))

    def action_focus_capture(self) -> None:
        self.query_one("#capture", Input).focus()

    # -- leaving --------------------------------------------------------------------------

    def action_leave(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(Stage).focus()
        else:
            self.dismiss(None)

    def on_unmount(self) -> None:
        # Coming back (m) finds the meeting where it was left: a stray escape loses nothing.
        self.app.meeting_places[self.meeting.id] = (self.item_index, self.speaker_index, self.countdown)
        self.app.sub_title = self.previous_sub_title

    def _restore_place(self) -> None:
        place = self.app.meeting_places.get(self.meeting.id)
        if place is None or not self.items:
            return
        item_index, speaker_index, countdown = place
        self._enter_item(item_index)
        self.speaker_index = min(speaker_index, max(0, len(self.speakers) - 1))
        if countdown is not None:
            self.countdown = countdown
        self._show_stage()

    def action_finish(self) -> None:
        meeting = get_meeting(self.meeting.id)
        if meeting.status != "scheduled":
            self.app.notify(f"This meeting is {meeting.status}; attendance can still be corrected on its page.",
                            severity="warning")
            return
        if meetings.local_date(meeting) > local_today(meeting.group, self.app.clock()):
            self.app.notify("This meeting has not happened yet: it can be finished on its day.", severity="warning")
            return

        def sure(yes: bool | None) -> None:
            if not yes:
                return
            try:
                meetings.finish_meeting(meeting, now=self.app.clock())
            except UserError as error:
                self.app.notify(str(error), severity="warning")
                return
            came = attendance.came_count(meeting)
            self.app.notify(f"The meeting is held: {came} came. Thank you!", title="Finished")
            self.dismiss(None)

        self.app.push_screen(Confirm(
            "Finish the meeting?", "Finish", "Not yet",
            detail="It becomes held; active members not checked in are marked absent. "
                   "Attendance can still be corrected afterwards, and the correction is kept."), sure)
