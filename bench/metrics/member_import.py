"""Member import throughput: 100,000 members through `organizer import members FILE`.

Budget (design.md): ≥ 20,000 rows/s, linear, and another writer still gets through.
The file (made once, names in every script of bench/names.py, a unique email and
category each) is imported into a fresh database holding only the group. While it
runs, a second thread writes one setting through its own connection, as another
Organizer would; the row fails if that write is refused, and its note gives how long
it waited. Linearity: the rate at 100,000 must be at least half the rate at 10,000.
"""

from __future__ import annotations

import csv
import random
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter

from bench.metrics import Bench, NotBuilt, Row, cli_has, metric, run_cli
from bench.names import POOLS

ROWS = 100_000
SMALL = 10_000
NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def members_csv(bench: Bench, rows: int) -> Path:
    path = bench.out_dir / f"members-{rows}.csv"
    if path.exists():
        return path
    rng = random.Random(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "business", "category", "email", "phone", "joined"])
        for index in range(rows):
            name = f"{rng.choice(POOLS)[0].name(rng)[0]} {index + 1}"  # unique: a name matches a member
            out.writerow(
                [
                    name,
                    f"{name} & Co",
                    f"trade {index}",
                    f"member{index}@example.com",
                    f"+1 519 555 {index % 10_000:04d}",
                    f"20{10 + index % 15}-0{1 + index % 9}-1{index % 9}",
                ]
            )
    return path


def fresh_database(bench: Bench, rows: int) -> Path:
    from organizer import db as dbmod
    from organizer.services.groups import create_group

    path = bench.out_dir / f"member-import-{rows}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    dbmod.open_database(str(path))
    create_group(
        name="Bench Circle",
        timezone="America/Toronto",
        organizer_name="Olu",
        organizer_email="olu@example.com",
        now=NOW,
    )
    dbmod.close_database()
    return path


def import_once(bench: Bench, rows: int, *, writer_after: float | None = None) -> tuple[float, float | None]:
    """(seconds, the other writer's wait or None) for importing `rows` members; with
    `writer_after`, another thread writes that many seconds into the import."""
    from organizer import db as dbmod

    source, location = members_csv(bench, rows), fresh_database(bench, rows)
    waited: list[float] = []
    failed: list[str] = []
    started_import = threading.Event()

    def other_writer() -> None:
        from organizer.services.groups import set_setting

        started_import.wait()
        time.sleep(writer_after or 0)  # into the import's write, past its reading of the file
        try:
            begun = perf_counter()
            set_setting(None, "bench.other_writer", "1")
            waited.append(perf_counter() - begun)
        except Exception as error:  # the row reports it
            failed.append(str(error))
        finally:
            dbmod.close_database()

    writer = threading.Thread(target=other_writer) if writer_after is not None else None
    if writer:
        writer.start()
    started, cpu = perf_counter(), time.process_time()
    if writer:
        started_import.set()
    status, out, err = run_cli(["--db", str(location), "import", "members", str(source)])
    seconds, cpu = perf_counter() - started, time.process_time() - cpu
    if writer:
        writer.join()
    if status != 0 or f"added: {rows}" not in out:
        raise RuntimeError(f"the import failed (exit {status}): {(err or out).strip().splitlines()[-1:]}")
    if failed:
        raise RuntimeError(f"the other writer was refused: {failed[0]}")
    return seconds, (waited[0] if waited else None), cpu


@metric(
    "import of 100,000 members from CSV (organizer import members)",
    "member import: 100,000 rows against 10,000 (linear)",
    unit="rows/s",
)
def import_members(bench: Bench) -> list[Row]:
    if not cli_has("import", "members"):
        raise NotBuilt("no `organizer import members` command yet")
    small, _, _ = import_once(bench, SMALL)
    # Half-way through, on the 10,000-row rate: well inside the import's one write.
    seconds, waited, cpu = import_once(bench, ROWS, writer_after=small * ROWS / SMALL / 2)
    rate, small_rate = ROWS / seconds, SMALL / small
    wait = f"; another writer got through after {waited:.1f} s" if waited is not None else ""
    return [
        Row(
            "import of 100,000 members from CSV (organizer import members)",
            round(rate),
            "rows/s",
            20_000.0,
            op=">=",
            note=f"{seconds:.1f} s ({ROWS / cpu:,.0f} rows per CPU second){wait}",
        ),
        Row(
            "member import: 100,000 rows against 10,000 (linear)",
            round(rate / small_rate, 2),
            "×",
            0.5,
            op=">=",
            note=f"{round(small_rate):,} rows/s at 10,000",
        ),
    ]
