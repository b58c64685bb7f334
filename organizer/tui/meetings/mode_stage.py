"""Meeting mode's stage: the agenda item now and next, the speaker of the 60-second round
and the countdown, with the keys that move them (space, t, → ←, n p)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Digits, Static

from organizer.services import agenda
from organizer.services.groups import zone
from organizer.tui.meetings.countdown import Countdown, clock_text
from organizer.tui.meetings.mode_state import ModeState

SPEAKER_SECONDS = 60
TICK = 0.25  # seconds between repaints of the clock and the countdown


class Stage(Vertical, can_focus=True):
    """The agenda item, the speaker and the countdown; holds the focus between typing."""


class StagePart(ModeState):
    """The stage of meeting mode."""

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
