"""Keystroke to repaint in the member search.

Budget (design.md): ≤ 16 ms median, ≤ 50 ms p95 over 10,000 members. Timed inside the app,
from the key event's own timestamp (`events.Key.time`) to the callback Textual runs after
the next refresh, not by Pilot round trips.

Two measurements:

- in the app: the bench presses `2` (Members), `/` (search) and types; each keystroke is
  timed from just before the key is sent to just after the list has been refreshed for it
  *and repainted* (the section's refresh is wrapped here, in the bench, not in the app);
- a harness: `services.members.search_members` per keystroke prefix, and the rows put
  into the list widget the Members section draws them with (FastTable; a DataTable
  before it had one) in a tiny Textual app, timed the same way (key event to after the
  refresh): the service and the widget without the rest of the app.
"""

from __future__ import annotations

import asyncio
import gc
import time

from bench.metrics import Bench, NotBuilt, Row, median, metric, ms, p95

# What a person types: prefixes of names in several scripts, word by word. The field is
# cleared between words.
WORDS = ("nguyen thi", "lefevre", "смирн", "kim", "patel")
SIZE = (120, 40)
# Rows the harness asks for, as the Members section does: a screenful (40 lines) and some
# to scroll into (design.md: never all rows into a widget), list columns only when the
# service offers that (`brief`).
PAGE = 60
PASSES = 3  # measured passes over WORDS, after one warm-up pass


def _harness_app(group, limit: int):
    import inspect

    from rich.text import Text
    from textual.app import App
    from textual.widgets import Input

    from organizer.services.members import MemberFilter, search_members
    from organizer.tui.widgets.fast_table import FastTable

    brief = {"brief": True} if "brief" in inspect.signature(search_members).parameters else {}

    class Harness(App):
        def __init__(self):
            super().__init__()
            self.pressed: list[float] = []  # when the key being measured was sent
            self.samples: list[float] = []

        def compose(self):
            yield Input(id="search")
            yield FastTable(id="members")

        def on_mount(self):
            table = self.query_one(FastTable)
            for label, width in (("name", 24), ("business", 26), ("category", 20), ("email", 27)):
                table.add_column(label, width=width)

        def on_input_changed(self, event) -> None:
            started = self.pressed.pop() if self.pressed else None
            rows = search_members(group, MemberFilter(text=event.value), limit=limit, **brief)
            table = self.query_one(FastTable)
            table.clear()
            for m in rows:
                table.add_row(Text(m.name), Text(m.business), Text(m.category), Text(m.email), key=str(m.id))
            if started is not None:
                self.call_after_refresh(lambda: self.samples.append(time.perf_counter() - started))

    return Harness()


async def _type_words(pilot, clear, pressed: list[float]) -> None:
    """Type WORDS, noting in `pressed` when each key is sent (the one being measured)."""
    for _ in range(1 + PASSES):  # the first pass warms the caches; its samples are dropped below
        for word in WORDS:
            for char in word:
                pressed[:] = [time.perf_counter()]
                await pilot.press("space" if char == " " else char)
            clear()
            await pilot.pause()


@metric(
    "member search keystroke→repaint, median (service + list harness)",
    "member search keystroke→repaint, p95 (service + list harness)",
)
def harness(bench: Bench) -> list[Row]:
    from organizer.services.groups import current_group

    app = _harness_app(current_group(), PAGE)

    async def run():
        async with app.run_test(size=SIZE) as pilot:
            app.query_one("#search").focus()
            await pilot.pause()

            def clear():
                app.query_one("#search").value = ""

            await _type_words(pilot, clear, app.pressed)

    asyncio.run(run())
    keystrokes = PASSES * sum(len(word) for word in WORDS)
    samples = app.samples[-keystrokes:]
    return [
        Row(
            "member search keystroke→repaint, median (service + list harness)",
            ms(median(samples)),
            "ms",
            16.0,
            note=f"{len(samples)} keystrokes",
        ),
        Row("member search keystroke→repaint, p95 (service + list harness)", ms(p95(samples)), "ms", 50.0),
    ]


@metric("member search keystroke→repaint, median (in app)", "member search keystroke→repaint, p95 (in app)")
def in_app(bench: Bench) -> list[Row]:
    from bench.generate import NOW
    from organizer.clock import frozen
    from organizer.tui.app import make_app
    from organizer.tui.members.section import MembersSection

    app = make_app(clock=frozen(NOW))
    pressed: list[float] = []  # when the key being measured was sent
    samples: list[float] = []
    refresh = MembersSection.refresh_data

    def timed_refresh(section, *args, **kwargs):
        refresh(section, *args, **kwargs)
        if pressed:
            started = pressed.pop()
            section.call_after_refresh(lambda: samples.append(time.perf_counter() - started))

    async def run():
        MembersSection.refresh_data = timed_refresh
        gc.freeze()  # as the command line does before the app runs
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2")
            await pilot.pause()
            await pilot.press("slash")
            await pilot.pause()

            def clear():
                focused = app.focused
                if focused is not None and hasattr(focused, "value"):
                    focused.value = ""

            await _type_words(pilot, clear, pressed)

    asyncio.run(run())
    MembersSection.refresh_data = refresh
    keystrokes = PASSES * sum(len(word) for word in WORDS)
    if len(samples) < keystrokes:
        raise NotBuilt(f"the Members list refreshed {len(samples)} times for {keystrokes} measured keystrokes")
    samples = samples[-keystrokes:]
    return [
        Row(
            "member search keystroke→repaint, median (in app)",
            ms(median(samples)),
            "ms",
            16.0,
            note=f"{len(samples)} keystrokes",
        ),
        Row("member search keystroke→repaint, p95 (in app)", ms(p95(samples)), "ms", 50.0),
    ]
