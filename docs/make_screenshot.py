"""Regenerate docs/dashboard.svg: the app's own screenshot of the dashboard on the sample group.

    PYTHONPATH=. python docs/make_screenshot.py [OUT.svg]

120×40, the sample group at its fixed "today" with a frozen clock, no animation or blink,
so the picture only changes when the dashboard does.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from organizer import db as dbmod
from organizer.clock import frozen
from organizer.sample import load_sample
from organizer.tui.app import make_app

SAMPLE_NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)  # the sample's today, 09:00 in Kitchener
DEFAULT_OUT = Path(__file__).resolve().parent / "dashboard.svg"


async def shoot(out: Path, size: tuple[int, int] = (120, 40)) -> None:
    app = make_app(frozen(SAMPLE_NOW), steady=True)
    async with app.run_test(size=size) as pilot:
        board = app.query_one("#dashboard-board")
        while not all(board.contents.values()):  # the panels are filled by a thread worker
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main(argv: list[str]) -> int:
    out = Path(argv[0]).resolve() if argv else DEFAULT_OUT
    with tempfile.TemporaryDirectory() as folder:
        dbmod.open_database(str(Path(folder) / "sample.db"))
        load_sample(now=SAMPLE_NOW)
        asyncio.run(shoot(out))
        dbmod.close_database()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
