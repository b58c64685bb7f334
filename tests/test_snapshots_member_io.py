"""Snapshots of the member import's report at 80×24 and 120×40 (sample group, frozen clock).

A skip-invalid import that adds, updates, leaves one row unchanged, ignores a column and
skips two bad rows: every part of the report at once. Regenerate with
`pytest tests/test_snapshots_member_io.py --snapshot-update`, then look at the pictures.
"""

from __future__ import annotations

import pytest

from organizer.clock import frozen
from organizer.tui.app import make_app
from tests.conftest import NOW

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

ROSTER = """name,business,category,email,phone,Join Date,Favourite Colour
Ana Souza,Souza Bakery,Baker,ana@souza.example,+1 519 555 0001,2024-01-09,red
Bad Date,Dates Ltd,Florist,date@dates.example,,03/10/2026,blue
Ben Carter,Carter Law,Business lawyer,ben@carter.example,519-555-0002,2025-02-11,
Daniel Okafor,Okafor & Associates CPA,Accountant,daniel@okaforcpa.ca,(519) 555-0199,,green
Priya Raman,Raman Realty Group,Realtor,priya@ramanrealty.ca,,,
Second Baker,Crumbs,baker,second@crumbs.example,,,
"""


@pytest.mark.parametrize("size", SIZES)
def test_import_report(sample_db, snap_compare, size, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")

    async def run_before(pilot) -> None:
        await pilot.press("2", "i")
        await pilot.pause()
        pilot.app.screen.field("path").value = str(path)
        pilot.app.screen.field("mode").value = "skip"
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(frozen(NOW), steady=True), terminal_size=size, run_before=run_before)
