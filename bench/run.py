"""Measure design.md's performance budgets on a generated group.

    python bench/run.py --scale S|L [--json FILE] [--only WORD] [--repeats N]

Generates the scale's database under bench/out/ when it is missing or was made by other
code (a stamp records the generator's and the models' hashes and the seed), then runs
every registered metric (bench/metrics/) and prints one table: metric, figure, budget,
ratio (figure over budget, ≤ 1 passes) and pass. `--json` writes the same rows as a list
of {metric, value, unit, budget, pass}. A metric whose feature is not built yet shows
"not built yet" and fails; the exit status is 1 when any row fails.

Before measuring it compiles the project's bytecode (compileall), as installing a
package does: an editable install on a machine with PYTHONDONTWRITEBYTECODE set (this
one) would otherwise compile every module of ours at every start, which no installed
copy does.
"""

from __future__ import annotations

import argparse
import compileall
import gc
import hashlib
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench.metrics import Bench, NotBuilt, Row, load

OUT = ROOT / "bench" / "out"
# What the generated databases depend on: a change to any of them rebuilds them.
STAMPED = (
    "bench/generate.py",
    "bench/names.py",
    "organizer/migrations.py",
    *sorted(str(path.relative_to(ROOT)) for path in (ROOT / "organizer").glob("models*.py")),
)


def stamp(seed: int) -> str:
    digest = hashlib.sha256(str(seed).encode())
    for name in STAMPED:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_database(scale: str, seed: int, force: bool = False) -> tuple[Path, float | None]:
    """The scale's database, generated (in a child process) when missing or stale."""
    OUT.mkdir(parents=True, exist_ok=True)
    path, stamp_file = OUT / f"{scale}.db", OUT / f"{scale}.db.stamp"
    wanted = stamp(seed)
    if not force and path.exists() and stamp_file.exists() and stamp_file.read_text() == wanted:
        return path, None
    # Files derived from the database go with it.
    for stale in (OUT / f"{scale}.referrals.csv", OUT / f"{scale}-members.db", OUT / "ics.db"):
        stale.unlink(missing_ok=True)
    started = perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            "--scale",
            scale,
            "--out",
            str(path),
            "--seed",
            str(seed),
        ],
        check=True,
        cwd=ROOT,
    )
    stamp_file.write_text(wanted)
    return path, perf_counter() - started


def run_metrics(bench: Bench, only: str | None = None) -> list[Row]:
    from organizer import db as dbmod

    rows: list[Row] = []
    for entry in load():
        if only and not any(only.lower() in name.lower() for name in entry.names):
            continue
        # Each metric starts from a clean heap: the apps earlier metrics built (start-up
        # runs a dozen) are garbage a later one's collections would otherwise wade through.
        gc.collect()
        started = perf_counter()
        try:
            if entry.needs_db:
                dbmod.open_database(str(bench.db_path))
            produced = entry.fn(bench)
        except (NotBuilt, ImportError, AttributeError) as error:
            reason = f"not built yet: {error}"
            produced = [Row(name, None, entry.unit, None, note=reason) for name in entry.names]
        except Exception as error:  # a failing metric is a failed row, not a crashed run
            traceback.print_exc(file=sys.stderr)
            produced = [Row(name, None, entry.unit, None, note=f"error: {error}") for name in entry.names]
        finally:
            dbmod.close_database()
        for row in produced:
            print(f"  {row.metric}: {_figure(row)} ({perf_counter() - started:.1f} s)", file=sys.stderr)
        rows.extend(produced)
    return rows


def _figure(row: Row) -> str:
    if row.value is None:
        return "not built yet" if row.note.startswith("not built") else "error"
    return f"{row.value:,.1f} {row.unit}" if isinstance(row.value, float) else f"{row.value:,} {row.unit}"


def _budget(row: Row) -> str:
    if row.budget is None:
        return "—"
    sign = "≤" if row.op == "<=" else "≥"
    return f"{sign} {row.budget:,.1f} {row.unit}" if row.budget % 1 else f"{sign} {row.budget:,.0f} {row.unit}"


def table(rows: list[Row]) -> str:
    """A Markdown table, readable in a terminal and pasteable into a closing note."""
    lines = ["| metric | figure | budget | ratio | pass | note |", "|---|---:|---:|---:|:---:|---|"]
    for row in rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        lines.append(
            f"| {row.metric} | {_figure(row)} | {_budget(row)} | {ratio} | "
            f"{'pass' if row.passed else 'FAIL'} | {row.note} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure design.md's performance budgets.")
    parser.add_argument("--scale", choices=("S", "L"), default="S")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=7, help="runs per timing (medians are reported)")
    parser.add_argument("--only", metavar="WORD", help="only the metrics whose row names contain WORD")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the database even if cached")
    args = parser.parse_args(argv)

    started = perf_counter()
    compileall.compile_dir(ROOT / "organizer", quiet=1)
    path, generated = ensure_database(args.scale, args.seed, args.regenerate)
    print(
        f"database {path.relative_to(ROOT)}: "
        + (f"generated in {generated:.1f} s" if generated is not None else "cached"),
        file=sys.stderr,
    )
    bench = Bench(scale=args.scale, db_path=path, out_dir=OUT, repeats=args.repeats)
    rows = run_metrics(bench, args.only)
    print(table(rows))
    failed = sum(not row.passed for row in rows)
    # Timings on a busy machine run long; the load says how busy it was.
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(
        f"\nscale {args.scale}: {len(rows) - failed} of {len(rows)} rows pass; "
        f"{perf_counter() - started:.0f} s in all"
        + (f" (generation {generated:.0f} s)" if generated else "")
        + f"; {os.cpu_count()} CPUs, load average {load} at the end"
    )
    if args.json:
        args.json.write_text(
            json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
