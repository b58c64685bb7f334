"""What can be done to one meeting, from the Meetings list and from the meeting's page alike:
edit, reschedule, skip, cancel, put back on, write its invite, open meeting mode.

A section or screen mixes in `MeetingActions`, says which meeting is meant
(`chosen_meeting_id`) and what to redraw after a change (`meetings_changed`). Refusals
(a held meeting cannot move) are one notification, never a crash.

The iCal code (icalendar) loads when a calendar file is first written, not at start-up.
"""

from __future__ import annotations

from pathlib import Path

from organizer.errors import UserError
from organizer.services import agenda, meetings
from organizer.services.groups import local_today
from organizer.services.meetings import find_meeting
from organizer.services.records import Meeting
from organizer.tui.meetings.forms import MeetingForm, RescheduleForm
from organizer.tui.meetings.text import when
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.export_folder import export_path
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.path_form import PathForm
from organizer.tui.widgets.shell import OnShell

CALENDAR_SUFFIXES = (".ics", ".eml")


def write_calendar_file(app, what: str, path: Path, write) -> None:
    """Run `write(path)` (one of services.invites' writers) and say which file it wrote."""
    try:
        written = write(path)
    except (UserError, OSError) as error:
        app.notify(f"Not written: {error}", severity="error")
        return
    app.notify(f"Wrote {written}", title=what, timeout=8)


def _invite_warnings(meeting: Meeting, now) -> str:
    """What the invite would lack: any of the five things it states, or anyone to send it to."""
    lines = []
    gaps = meetings.invitation_gaps(meeting)
    if gaps:
        lines.append("It does not say yet: " + ", ".join(gaps) + " (e on the meeting fills them in).")
    if not meetings.invitee_count(meeting.group):
        lines.append("No active member has an email: the invite would go to nobody.")
    if meetings.local_date(meeting) < local_today(meeting.group, now):
        lines.append("This meeting is in the past.")
    over = agenda.agenda_total(meeting).over_by
    if over:
        lines.append(f"The agenda runs {over} min past the meeting's end: shorten it first (enter on the meeting).")
    return "".join(f"\n[b $warning]{escape(line)}[/]" for line in lines)


class MeetingActions(OnShell):
    """Mixed into a Widget or Screen that has `self.app.open_group` and `self.app.clock`."""

    def chosen_meeting_id(self) -> int | None:
        raise NotImplementedError

    def meetings_changed(self, meeting_id: int | None) -> None:
        """Redraw after a write; `meeting_id` is the meeting written."""

    def _meeting(self, doing: str) -> Meeting | None:
        meeting_id = self.chosen_meeting_id()
        meeting = find_meeting(self.app.open_group, meeting_id)
        if meeting is None:
            self.app.notify(f"Choose a meeting to {doing} first.", severity="warning")
        return meeting

    def _after(self, message: str):
        def finished(result) -> None:
            if result is not None:
                self.app.notify(message)
                self.meetings_changed(self.chosen_meeting_id())

        return finished

    def _change(self, meeting: Meeting, change, message: str) -> None:
        try:
            change(meeting, now=self.app.clock())
        except UserError as error:
            self.app.notify(str(error), severity="warning")
            return
        self.app.notify(message)
        self.meetings_changed(meeting.id)

    # -- the verbs ------------------------------------------------------------------------

    def action_edit_meeting(self) -> None:
        if meeting := self._meeting("edit"):
            self.app.push_screen(MeetingForm(meeting), self._after("Meeting saved."))

    def action_reschedule(self) -> None:
        meeting = self._meeting("reschedule")
        if meeting is None:
            return
        if meeting.status == "held":
            self.app.notify("This meeting was held: it cannot move.", severity="warning")
            return
        plain = self._after("Meeting moved: send the invite again (i).")

        def moved(result: Meeting | meetings.Rescheduled | None) -> None:
            if not isinstance(result, meetings.Rescheduled):
                plain(result)
                return
            summary = result.summary()
            self.app.notify(f"{summary[0].upper()}{summary[1:]}. Send the invite again (i).")
            self.meetings_changed(result.meeting.id)
            if result.cancelled is not None:  # the calendars learn of it as of any cancellation
                self._ask_for_calendar_file(result.cancelled, "cancel")

        self.app.push_screen(RescheduleForm(meeting), moved)

    def action_skip(self) -> None:
        meeting = self._meeting("skip")
        if meeting is None:
            return

        def sure(yes: bool | None) -> None:
            if yes:
                self._change(
                    meeting, meetings.skip_occurrence, f"Skipped the meeting of {when(meeting.group, meeting)}."
                )

        self.app.push_screen(
            Confirm(
                f"Skip the meeting of {when(meeting.group, meeting)}?",
                "Skip",
                detail="A holiday: it stays listed as skipped and leaves calendars.",
            ),
            sure,
        )

    def action_cancel_meeting(self) -> None:
        meeting = self._meeting("cancel")
        if meeting is None:
            return

        def sure(yes: bool | None) -> None:
            if not yes:
                return
            try:
                meetings.cancel_meeting(meeting, now=self.app.clock())
            except UserError as error:
                self.app.notify(str(error), severity="warning")
                return
            self.meetings_changed(meeting.id)
            self._ask_for_calendar_file(meeting, "cancel")

        self.app.push_screen(
            Confirm(
                f"Cancel the meeting of {when(meeting.group, meeting)}?",
                "Cancel the meeting",
                "Keep it",
                detail="It stays listed as cancelled. Next you can write the cancellation for calendars.",
            ),
            sure,
        )

    def action_reinstate(self) -> None:
        if meeting := self._meeting("put back on"):
            self._change(meeting, meetings.reinstate, f"The meeting of {when(meeting.group, meeting)} is on again.")

    def action_invite(self) -> None:
        meeting = self._meeting("invite to")
        if meeting is None:
            return
        if meeting.status in ("skipped", "cancelled"):
            self._ask_for_calendar_file(meeting, "cancel")
        else:
            self._ask_for_calendar_file(meeting, "invite")

    def _ask_for_calendar_file(self, meeting: Meeting, kind: str) -> None:
        day = meetings.local_date(meeting).isoformat()
        cancel = kind == "cancel"
        title = ("Write the cancellation" if cancel else "Write the invite") + f" of {when(meeting.group, meeting)}"
        intro = (
            "[dim]An .ics file (METHOD:CANCEL) to send to members; a name ending .eml writes a "
            "ready-to-send email carrying it.[/dim]"
            if cancel
            else "[dim]An .ics file (METHOD:REQUEST) to every active member with an email; a name "
            "ending .eml writes a ready-to-send email carrying it.[/dim]"
        )
        if not cancel:
            intro += _invite_warnings(meeting, self.app.clock())
        path = export_path(f"{'cancel' if cancel else 'invite'}-{day}.ics")

        def chosen(target: Path | None) -> None:
            if target is None:
                return
            from organizer.services import invites

            write_calendar_file(
                self.app,
                "Cancellation written" if cancel else "Invite written",
                target,
                lambda p: invites.write_invite(
                    meeting, p, self.app.clock(), cancel=cancel, eml=p.suffix.lower() == ".eml"
                ),
            )

        self.app.push_screen(PathForm(title, path, suffixes=CALENDAR_SUFFIXES, intro=intro), chosen)

    def action_meeting_mode(self) -> None:
        from organizer.tui.meetings.mode import open_meeting_mode

        meeting = self._meeting("run")
        if meeting is None:
            return
        if meeting.status in ("skipped", "cancelled"):
            self.app.notify(f"This meeting is {meeting.status}: put it back on (b) to run it.", severity="warning")
            return
        open_meeting_mode(self.app, meeting, lambda _: self.meetings_changed(meeting.id))
