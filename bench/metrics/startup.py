"""Cold start to the first screen, next to a bare Textual app measured the same way.

Budget (design.md): ≤ 1.5 × a bare Textual app's start on the same machine. Two figures:

- in-process: from building the app to the first refresh of its first screen (the app runs
  headless with an auto-pilot that waits for the screen, then for one refresh);
- whole process: the wall time of `python -c` starting the app headless through the real
  entry point (`organizer.cli.main(["--db", ...])`) and exiting at that same moment; the
  bare app runs under the same patch, so both pay for Python and Textual alike.

The two kinds of run alternate and each figure is a median.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from time import perf_counter

from bench.metrics import Bench, Row, median, metric, ms

ROOT = Path(__file__).resolve().parents[2]
SIZE = (120, 40)


def bare_app():
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("Hello")
            yield Footer()

    return Bare()


async def _first_screen(pilot) -> None:
    """Wait until the first screen has processed its events and been painted once."""
    waiter = getattr(pilot, "_wait_for_screen", None)
    if waiter is not None:
        await waiter()
    painted = asyncio.Event()
    pilot.app.call_after_refresh(painted.set)
    await painted.wait()


def ready_seconds(factory) -> float:
    """Seconds from calling `factory()` to the first painted screen, running headless."""
    elapsed: list[float] = []

    async def autopilot(pilot):
        await _first_screen(pilot)
        elapsed.append(perf_counter() - started)
        pilot.app.exit()

    started = perf_counter()
    app = factory()
    app.run(headless=True, size=SIZE, auto_pilot=autopilot)
    if not elapsed:
        raise RuntimeError("the app exited before its first screen")
    return elapsed[0]


def organizer_factory():
    from bench.generate import NOW
    from organizer.clock import frozen
    from organizer.tui.app import make_app

    return lambda: make_app(clock=frozen(NOW))


@metric("cold start: in-process ready (organizer vs 1.5 × bare)")
def in_process(bench: Bench) -> list[Row]:
    factory = organizer_factory()
    ours, bare = [], []
    ready_seconds(factory), ready_seconds(bare_app)  # warm the imports for both
    for _ in range(bench.repeats):
        ours.append(ready_seconds(factory))
        bare.append(ready_seconds(bare_app))
    ours_ms, bare_ms = ms(median(ours)), ms(median(bare))
    bench.cache["bare_in_process_ms"] = bare_ms
    return [
        Row(
            "cold start: in-process ready (organizer vs 1.5 × bare)",
            ours_ms,
            "ms",
            round(1.5 * bare_ms, 3),
            note=f"bare {bare_ms:.1f} ms, ×{ours_ms / bare_ms:.2f}",
        )
    ]


# The child process: the same patch of App.run for both apps, so each starts headless and
# exits at its first painted screen; it prints its peak memory (KiB) on stdout.
_CHILD = """
import resource, sys
from textual.app import App
from bench.metrics.startup import _first_screen, SIZE
_run = App.run
async def _autopilot(pilot):
    await _first_screen(pilot)
    pilot.app.exit()
App.run = lambda self, *a, **k: _run(self, headless=True, size=SIZE, auto_pilot=_autopilot)
if sys.argv[1] == "bare":
    from bench.metrics.startup import bare_app
    bare_app().run()
else:
    from organizer.cli import main
    main(["--db", sys.argv[1]])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def process_seconds(target: str) -> tuple[float, int]:
    """(wall seconds, peak KiB) of one child starting `target` ("bare" or a database path)."""
    started = perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, target], capture_output=True, text=True, env=child_env(), cwd=ROOT, timeout=120
    )
    elapsed = perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"the {target} child failed: {done.stderr.strip().splitlines()[-1:]}")
    return elapsed, int(done.stdout.strip().splitlines()[-1])


@metric("cold start: whole process (organizer vs 1.5 × bare)", "peak memory: app process at first screen")
def whole_process(bench: Bench) -> list[Row]:
    target = str(bench.db_path)
    process_seconds(target), process_seconds("bare")  # warm the OS file cache for both
    ours, bare, peak = [], [], 0
    for _ in range(max(5, bench.repeats)):
        seconds, kib = process_seconds(target)
        ours.append(seconds)
        peak = max(peak, kib)
        bare.append(process_seconds("bare")[0])
    ours_ms, bare_ms = ms(median(ours)), ms(median(bare))
    return [
        Row(
            "cold start: whole process (organizer vs 1.5 × bare)",
            ours_ms,
            "ms",
            round(1.5 * bare_ms, 3),
            note=f"bare {bare_ms:.1f} ms, ×{ours_ms / bare_ms:.2f}",
        ),
        # Our own ceiling (design.md names none): the app on a laptop next to a browser.
        Row("peak memory: app process at first screen", round(peak / 1024, 1), "MB", 256.0),
    ]
