"""Snapshot of the Recap section: November 2026 of the sample group, frozen clock.

The recap is built in a thread worker: wait for it before the picture is taken.
Review an updated SVG as a picture before accepting it.
"""

from __future__ import annotations

from organizer.clock import frozen
from organizer.tui.app import make_app
from tests.conftest import NOW


async def built(pilot) -> None:
    await pilot.press("6")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_recap_section(sample_db, snap_compare):
    assert snap_compare(make_app(frozen(NOW), steady=True), terminal_size=(120, 40), run_before=built)
