"""Meeting mode keeps everything: the lines typed (asked about before leaving or quitting),
and the place (item, speaker, countdown) with the last check-ins as the meeting's draft,
so escape, a crash or a restart comes back to them."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Input

from organizer.errors import UserError
from organizer.services import drafts, meetings
from organizer.services.drafts import meeting_key
from organizer.tui.meetings.countdown import Countdown
from organizer.tui.meetings.mode_capture import CapturePart

DRAFT_DELAY = 0.5  # seconds after the last keystroke before the lines are kept as a draft


class DraftPart(CapturePart):
    """Unsaved lines, the place and the draft of meeting mode."""

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
