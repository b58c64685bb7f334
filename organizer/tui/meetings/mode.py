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

The screen is built in layers, one module each: its state (mode_state), the stage
(mode_stage), check-in (mode_check_in), the referral line (mode_capture) and the drafts
(mode_drafts); this module lays them out and leaves or finishes the meeting.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Footer, Input, Static

from organizer.errors import UserError
from organizer.services import agenda, attendance, drafts, meetings
from organizer.services.drafts import meeting_key
from organizer.services.groups import local_today
from organizer.services.meetings import get_meeting
from organizer.services.records import Meeting
from organizer.tui.meetings.mode_check_in import CheckIn
from organizer.tui.meetings.mode_drafts import DraftPart
from organizer.tui.meetings.mode_stage import TICK, Stage
from organizer.tui.meetings.text import when
from organizer.tui.widgets.choice import Choice
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.list_table import ListTable

EARLY = timedelta(hours=3)  # opening a meeting further ahead than this asks: run it now, or rehearse?


class MeetingModeScreen(DraftPart):
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

    # -- the two lines: check-in and the referral -------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "checkin-search":
            self.picked = False
            self._show_check_in()
        elif event.input.id == "capture":
            self._show_preview()
        self._draft_soon()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "checkin-search":
            self._check_in_chosen()
        elif event.input.id == "capture":
            self._record()

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
