"""The countdown of meeting mode (the 60-second round, a timed agenda item), as plain state.

It reads no clock of its own: every call takes `now` (the app's injected clock), so a
frozen clock in a test or snapshot holds it still, and a test can move time by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime


@dataclass
class Countdown:
    seconds: int
    started_at: datetime | None = None  # set while it runs
    spent: float = 0.0  # seconds run before the last start

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def elapsed(self, now: datetime) -> float:
        running = (now - self.started_at).total_seconds() if self.started_at else 0.0
        return self.spent + running

    def remaining(self, now: datetime) -> float:
        """Seconds left; below zero once time is up."""
        return self.seconds - self.elapsed(now)

    def toggle(self, now: datetime) -> None:
        """Start, or pause where it is."""
        if self.started_at is None:
            self.started_at = now
        else:
            self.spent = self.elapsed(now)
            self.started_at = None

    def restart(self, now: datetime, seconds: int | None = None, *, run: bool = False) -> None:
        """Back to the full time (or `seconds`), running if `run`."""
        if seconds is not None:
            self.seconds = seconds
        self.spent = 0.0
        self.started_at = now if run else None


def clock_text(seconds: float) -> str:
    """'0:47', '12:00', '1:05:00'; time over shows as '-0:12'."""
    over = seconds <= -1  # a split second past the end still reads 0:00
    whole = math.floor(-seconds) if over else math.ceil(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return f"-{text}" if over else text
