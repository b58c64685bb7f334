"""The ledger's first screen and page turns at scale, through the real app (headless).

    PYTHONPATH=. python bench/ledger_screen.py --db PATH [--runs 7]

PATH is a database seeded by bench/ledger_scale.py (200,000 referrals by default).
At 120×40 it times, from the key to the first frame painted with the new page:
pressing `5` (the first screen of the ledger), then pagedown and pageup: the section's
`show_page` is wrapped here to time the query and the table fill, and the frame is the
next refresh after it. Budget: first screen ≤ 300 ms at 200,000 referrals.
Pilot's own press() waits are left out: they are the same for any app.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime

from organizer import db as dbmod
from organizer.clock import frozen
from organizer.tui.app import make_app
from organizer.tui.ledger.section import LedgerSection

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


async def one_run(found: dict[str, list[float]]) -> None:
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        section = app.query_one(LedgerSection)
        mark: dict[str, float] = {}
        painted: list[float] = []
        show_page = section.show_page

        def timed_show_page(page, **where):
            started = time.perf_counter()
            show_page(page, **where)
            found["query + fill"].append((time.perf_counter() - started) * 1000)
            section.call_after_refresh(lambda: painted.append(time.perf_counter()))

        section.show_page = timed_show_page  # type: ignore[method-assign]

        async def timed(name: str, key: str) -> None:
            painted.clear()
            mark["start"] = time.perf_counter()
            await pilot.press(key)
            while not painted:
                await asyncio.sleep(0.001)
            found[name].append((painted[0] - mark["start"]) * 1000)
            await app.workers.wait_for_complete()
            await pilot.pause()

        # Pilot delivers the key at once; the mark is taken just before it.
        await timed("first screen", "5")
        await timed("pagedown", "pagedown")
        await timed("pageup", "pageup")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    dbmod.open_database(args.db)
    found: dict[str, list[float]] = {"first screen": [], "pagedown": [], "pageup": [], "query + fill": []}
    for _ in range(args.runs):
        asyncio.run(one_run(found))
    for name, runs in found.items():
        print(f"{name:14} median {statistics.median(runs):7.1f} ms   worst {max(runs):7.1f} ms")
    dbmod.close_database()


if __name__ == "__main__":
    main()
