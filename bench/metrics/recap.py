"""The monthly recap, per format: `organizer recap YYYY-MM --format F -o FILE`.

Budget (design.md): ≤ 50 ms for 60 members / 3,000 referrals; ≤ 1 s (in a worker) for
10,000 / 200,000. Timed through the command in this process (after one warm-up run, so
the recap's modules are imported): the figure includes parsing the arguments and opening
the database, a millisecond or two.
"""

from __future__ import annotations

from bench.metrics import Bench, NotBuilt, Row, cli_has, median, metric, ms, run_cli, timed

FORMATS = ("md", "txt", "html", "pdf")
MONTH = "2026-10"  # the last whole month before the benchmark's today


def _names():
    return tuple(f"monthly recap {MONTH}, {fmt} (organizer recap)" for fmt in FORMATS)


@metric(*_names())
def recap(bench: Bench) -> list[Row]:
    if not cli_has("recap"):
        raise NotBuilt("no `organizer recap` command yet")
    budget = 1000.0 if bench.large else 50.0
    rows = []
    for fmt, name in zip(FORMATS, _names()):
        target = bench.out_dir / f"recap-{bench.scale}.{fmt}"
        args = ["--db", str(bench.db_path), "recap", MONTH, "--format", fmt, "-o", str(target)]

        def once():
            status, _, err = run_cli(args)
            if status != 0:
                raise RuntimeError(f"recap --format {fmt} failed: {err.strip()}")

        samples = timed(once, 3 if bench.large else 7)
        rows.append(Row(name, ms(median(samples)), "ms", budget))
    return rows
