"""Meeting mode's referral line: `ana > ben: roof repair for Carla, hot 4` (or a one-to-one,
`ana + ben: coffee tuesday`) with a live preview, and the referrals passed so far."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, Static

from organizer.errors import UserError, ValidationError
from organizer.services import capture, one_to_one_capture
from organizer.services.identity import who_am_i
from organizer.tui.meetings.mode_check_in import CheckInPart

CAPTURE_HINT = "giver > receiver: prospect, details — e.g. ana > ben: roof repair for Carla, hot 4"


class CapturePart(CheckInPart):
    """The referral line of meeting mode."""

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
