"""CSV import throughput: 200,000 referrals through `organizer import referrals FILE`.

Budget (design.md): ≥ 30,000 rows/s. The file (made once by the generator, between the
scale's members by email) is imported, in this process, into a copy of a database that
holds the scale's group with its members and meetings but no referrals yet (a group
bringing its ledger over from a spreadsheet; the same seed gives the same members). The
figure is rows over the command's wall time, checked against the count of referrals the
copy gained.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from time import perf_counter

from bench.generate import SCALES, generate, member_emails, write_referrals_csv
from bench.metrics import Bench, NotBuilt, Row, cli_has, metric, run_cli

ROWS = 200_000


def referrals_csv(bench: Bench):
    path = bench.out_dir / f"{bench.scale}.referrals.csv"
    if not path.exists():
        write_referrals_csv(path, ROWS, member_emails(bench.db_path))
    return path


def members_database(bench: Bench):
    """The scale's members and meetings, no referrals, threads or one-to-ones (cached)."""
    path = bench.out_dir / f"{bench.scale}-members.db"
    if not path.exists():
        spec = replace(SCALES[bench.scale], referrals=0, threads=0, posts=0, one_to_ones=0)
        generate(spec, path)
    return path


def _referral_count(location) -> int:
    import sqlite3

    with sqlite3.connect(location) as connection:
        return connection.execute("SELECT COUNT(*) FROM referral").fetchone()[0]


@metric("import of 200,000 referrals from CSV (organizer import referrals)", unit="rows/s")
def import_referrals(bench: Bench) -> list[Row]:
    if not cli_has("import", "referrals"):
        raise NotBuilt("no `organizer import referrals` command yet")
    source = referrals_csv(bench)
    copy = bench.out_dir / f"{bench.scale}-import.db"
    for suffix in ("", "-wal", "-shm"):
        (copy.parent / f"{copy.name}{suffix}").unlink(missing_ok=True)
    shutil.copy(members_database(bench), copy)
    before = _referral_count(copy)
    started = perf_counter()
    status, out, err = run_cli(["--db", str(copy), "import", "referrals", str(source)])
    seconds = perf_counter() - started
    gained = _referral_count(copy) - before
    for suffix in ("", "-wal", "-shm"):
        (copy.parent / f"{copy.name}{suffix}").unlink(missing_ok=True)
    if status != 0 or gained != ROWS:
        raise RuntimeError(
            f"the import gained {gained} of {ROWS} rows (exit {status}): {(err or out).strip().splitlines()[-1:]}"
        )
    return [
        Row(
            "import of 200,000 referrals from CSV (organizer import referrals)",
            round(ROWS / seconds),
            "rows/s",
            30_000.0,
            op=">=",
            note=f"{seconds:.1f} s",
        )
    ]
