"""Snapshots of the Relationships view (120×40 and 80×24): matrix, coverage, pairings.

Sample group, frozen clock. Regenerate with `pytest tests/test_snapshots_relationships.py
--snapshot-update`, then look at the pictures before committing them.
"""

from __future__ import annotations

import pytest

from organizer.clock import frozen
from organizer.tui.app import make_app
from tests.conftest import NOW

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def relationships_shown(pilot) -> None:
    await pilot.press("2")
    await pilot.pause()
    await pilot.press("escape", "r")
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_relationships(sample_db, snap_compare, size):
    assert snap_compare(
        make_app(frozen(NOW), steady=True),
        terminal_size=size,
        run_before=relationships_shown,
    )
