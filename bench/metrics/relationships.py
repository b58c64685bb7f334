"""Gaps and pairings (design.md: ≤ 50 ms at 60 members, ≤ 2 s at 1,000).

Both scales are groups of their own, made once under bench/out/ by the generator: every
member active, five years of monthly meetings and one-to-ones at about one per member a
month (1,800 at 60 members, 30,000 at 1,000), and a ledger for the category affinity.
Each figure is one call of the service the `gaps` / `pairings` commands print.
"""

from __future__ import annotations

from dataclasses import replace

from bench.generate import NOW, SCALES, generate
from bench.metrics import Bench, Row, median, metric, ms, timed

GROUPS = {60: 1_800, 1_000: 30_000}  # members: one-to-ones over five years


def _database(bench: Bench, members: int):
    path = bench.out_dir / f"relationships-{members}.db"
    if not path.exists():
        spec = replace(
            SCALES["S"],
            members=members,
            referrals=members * 50,
            meetings=72,
            threads=0,
            posts=0,
            attendees=0,
            one_to_ones=GROUPS[members],
            all_active=True,
        )
        generate(spec, path)
    return path


@metric(
    "gaps, 60 members, 5 years of one-to-ones (services.relationships.gaps)",
    "pairings, 60 members, 5 years of one-to-ones (services.pairings.suggest)",
    "gaps, 1,000 members, 5 years of one-to-ones",
    "pairings, 1,000 members, 5 years of one-to-ones",
    needs_db=False,
)
def relationships(bench: Bench) -> list[Row]:
    from organizer import db as dbmod
    from organizer.services.groups import current_group
    from organizer.services.pairings import suggest
    from organizer.services.relationships import gaps

    month = f"{NOW.year + (NOW.month == 12)}-{NOW.month % 12 + 1:02d}"  # the month after "today"
    rows = []
    for members, budget, label in (
        (60, 50.0, "60 members"),
        (1_000, 2000.0, "1,000 members"),
    ):
        path = _database(bench, members)
        dbmod.open_database(str(path))
        try:
            group = current_group()
            gap = timed(lambda group=group: gaps(group, now=NOW), 9 if members == 60 else 3)
            pairs = timed(
                lambda group=group: suggest(group, month, now=NOW),
                9 if members == 60 else 3,
            )
        finally:
            dbmod.close_database()
        detail = "" if members == 1_000 else " (services.relationships.gaps)"
        rows.append(
            Row(
                f"gaps, {label}, 5 years of one-to-ones{detail}",
                ms(median(gap)),
                "ms",
                budget,
            )
        )
        detail = "" if members == 1_000 else " (services.pairings.suggest)"
        rows.append(
            Row(
                f"pairings, {label}, 5 years of one-to-ones{detail}",
                ms(median(pairs)),
                "ms",
                budget,
            )
        )
    return rows
