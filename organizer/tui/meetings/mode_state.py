"""What every part of meeting mode holds: the meeting and the state of the night.

The screen (organizer/tui/meetings/mode.py) is built in layers, each in its own module: this
state, the stage (mode_stage), check-in (mode_check_in), the referral line (mode_capture),
then the drafts that keep it all (mode_drafts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.timer import Timer

from organizer.services import attendance, capture
from organizer.services.meetings import get_meeting
from organizer.services.records import Meeting, Member
from organizer.tui.meetings.countdown import Countdown
from organizer.tui.widgets.shell import OnShell


class ModeState(OnShell, Screen):
    """Meeting mode's state; the layers above it show and change it."""

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

    if TYPE_CHECKING:  # the drafts layer (mode_drafts), the last: every layer keeps its changes

        def save_draft(self) -> None: ...
