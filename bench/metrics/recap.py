"""The monthly recap, per format (md, txt, html, pdf).

Budget (design.md): at 60 members / 3,000 referrals ≤ 30 ms Markdown, text and HTML and
≤ 100 ms PDF; ≤ 1 s (in a worker) for 10,000 / 200,000; and `organizer recap YYYY-MM -o
recap.pdf` as a whole process (a fresh interpreter: imports, Typst's fonts, the file) ≤ 1.5 s. When the recap's service is in the tree, the figure is building the
month (`services.recap.build_recap`) and rendering it as the command does
(`organizer.cli.recap._render`), in memory, after a warm-up that imports the renderers;
otherwise, the command `organizer recap YYYY-MM --format F -o FILE` in this process (which
adds parsing, opening the database and writing the file). Each row names which ran.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from time import perf_counter

from bench.metrics import Bench, NotBuilt, Row, cli_has, median, metric, ms, run_cli, timed
from bench.metrics.startup import ROOT, child_env

FORMATS = ("md", "txt", "html", "pdf")
MONTH = "2026-10"  # the last whole month before the benchmark's today


BUDGETS_S = {"md": 30.0, "txt": 30.0, "html": 30.0, "pdf": 100.0}  # ms at S
PROCESS_ROW = f"organizer recap {MONTH} -o recap.pdf, whole process"


def _names():
    return tuple(f"monthly recap {MONTH}, {fmt}" for fmt in FORMATS)


def _service():
    """(build, render, paper) from the recap's service and command, or None."""
    try:
        from organizer.cli import recap as command
        from organizer.services import recap as service
    except ImportError:
        return None
    build_recap = service.build_recap
    render = getattr(command, "_render", None)
    paper = getattr(service, "default_paper", None) or getattr(command, "default_paper", None)
    return (build_recap, render, paper) if render and paper else None


@metric(*_names(), PROCESS_ROW)
def recap(bench: Bench) -> list[Row]:
    repeats = 3 if bench.large else 7
    found = _service()
    if found is None and not cli_has("recap"):
        raise NotBuilt("no `organizer recap` command yet")
    rows = []
    for fmt, name in zip(FORMATS, _names()):
        if found is not None:
            samples, how = _in_memory(found, fmt, repeats), "build_recap + render"
        else:
            samples, how = _command(bench, fmt, repeats), "organizer recap -o FILE"
        budget = 1000.0 if bench.large else BUDGETS_S[fmt]
        rows.append(Row(f"{name} ({how})", ms(median(samples)), "ms", budget))
    rows.append(Row(PROCESS_ROW, ms(median(_process(bench))), "ms", 1500.0))
    return rows


def _process(bench: Bench) -> list[float]:
    """Wall seconds of `python -m organizer recap MONTH -o FILE.pdf` in a child process."""
    target = bench.out_dir / f"recap-{bench.scale}-process.pdf"
    args = [sys.executable, "-m", "organizer", "--db", str(bench.db_path), "recap", MONTH, "-o", str(target)]
    samples = []
    for _ in range(4):  # the first warms the OS file cache (and fontconfig's), not counted
        started = perf_counter()
        done = subprocess.run(args, capture_output=True, text=True, env=child_env(), cwd=ROOT, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"recap -o {target.name} failed: {done.stderr.strip()[-300:]}")
        samples.append(perf_counter() - started)
    return samples[1:]


def _in_memory(found, fmt: str, repeats: int) -> list[float]:
    from bench.generate import NOW
    from organizer.services.groups import current_group

    build, render, paper = found
    group = current_group()
    year, month = (int(part) for part in MONTH.split("-"))

    def once():
        with contextlib.redirect_stderr(io.StringIO()):  # the PDF's font warnings
            render(build(group, year, month, now=NOW), fmt, paper(group))

    return timed(once, repeats)


def _command(bench: Bench, fmt: str, repeats: int) -> list[float]:
    target = bench.out_dir / f"recap-{bench.scale}.{fmt}"
    args = ["--db", str(bench.db_path), "recap", MONTH, "--format", fmt, "-o", str(target)]

    def once():
        status, _, err = run_cli(args)
        if status != 0:
            raise RuntimeError(f"recap --format {fmt} failed: {err.strip()}")

    return timed(once, repeats)
