"""Snapshots of the Meetings section, a meeting's page and meeting mode, at 80×24 and 120×40.

The sample group, a steady app (no animation, no blinking cursor) and a clock that only
moves when told: meeting mode is shown 13 seconds into a speaker's minute of the
60-second round. Regenerate with `pytest tests/test_snapshots_meetings.py
--snapshot-update`, then look at the pictures before committing them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from organizer.clock import frozen
from organizer.tui.app import make_app
from tests.conftest import NOW, HandClock

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
# 07:40 in Kitchener on the morning of the December meeting.
MORNING = datetime(2026, 12, 8, 12, 40, tzinfo=UTC)


@pytest.mark.parametrize("size", SIZES)
def test_meetings_list(sample_db, snap_compare, size):
    assert snap_compare(make_app(frozen(NOW), steady=True), terminal_size=size, press=["3"])


@pytest.mark.parametrize("size", SIZES)
def test_meeting_page(sample_db, snap_compare, size):
    assert snap_compare(make_app(frozen(NOW), steady=True), terminal_size=size, press=["3", "enter"])


@pytest.mark.parametrize("size", SIZES)
def test_meeting_mode_mid_countdown(sample_db, snap_compare, size):
    clock = HandClock(MORNING)

    async def in_the_round(pilot) -> None:
        await pilot.press("3", "m")
        await pilot.pause()
        await pilot.press("c", *"zo", "enter", *"jose", "enter", "escape")  # two checked in
        await pilot.press("n", "n", "left", "space")  # the round; José's minute starts
        clock.advance(13)
        pilot.app.screen.tick()
        await pilot.press("r", *"zoe > jose: mobile site for Hofstetter Farms, hot 4", "enter")
        await pilot.press(*"da > priya: tax review")  # an ambiguous name, shown in the preview
        pilot.app.clear_notifications()  # the saved referral's toast would hide the preview
        await pilot.pause()

    assert snap_compare(make_app(clock, steady=True), terminal_size=size, run_before=in_the_round)
