"""Nothing heavy loads before the first screen.

`python -X importtime -c "import organizer.cli; import organizer.tui.app"` must not load
icalendar, typst, fontTools, pypdf, vobject or the CSV import code; nor may the app's first
screen load them (a child process runs the app headless on the scale's database to its
first painted screen, then lists what `sys.modules` holds). Budget: none of them.
"""

from __future__ import annotations

import subprocess
import sys

from bench.metrics import Bench, Row, metric
from bench.metrics.startup import ROOT, child_env

# Top-level packages a first screen does not need, and our CSV import code. (Our export
# modules are small and pure; the Recap section's preview uses the recap's.)
# (psycopg2 is not listed: peewee itself imports it, when installed, on `import peewee`.)
HEAVY_PACKAGES = ("icalendar", "typst", "fontTools", "pypdf", "vobject", "recurring_ical_events")
HEAVY_PREFIXES = ("organizer.imports",)


def is_heavy(module: str) -> bool:
    top = module.split(".")[0]
    if top in HEAVY_PACKAGES:
        return True
    if module.startswith(HEAVY_PREFIXES):
        return True
    # The CSV import code, wherever it lives (services.imports, services.referral_import ...).
    return module.startswith("organizer.services.") and "import" in module.rsplit(".", 1)[-1]


def importtime_modules(code: str) -> list[str]:
    """Every module `python -X importtime -c CODE` reports loading."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    modules = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                modules.append(name)
    return modules


_FIRST_SCREEN = """
import sys
from textual.app import App
from bench.metrics.startup import _first_screen, SIZE
_run = App.run
async def _autopilot(pilot):
    await _first_screen(pilot)
    pilot.app.exit()
App.run = lambda self, *a, **k: _run(self, headless=True, size=SIZE, auto_pilot=_autopilot)
from organizer.cli import main
main(["--db", sys.argv[1]])
print("\\n".join(sorted(sys.modules)))
"""


def first_screen_modules(location) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_SCREEN, str(location)],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    return done.stdout.split()


@metric(
    "heavy modules loaded by `import organizer.cli, organizer.tui.app` (importtime)",
    "heavy modules loaded by the first screen",
    unit="modules",
)
def heavy(bench: Bench) -> list[Row]:
    imported = [m for m in importtime_modules("import organizer.cli; import organizer.tui.app") if is_heavy(m)]
    shown = [m for m in first_screen_modules(bench.db_path) if is_heavy(m)]
    return [
        Row(
            "heavy modules loaded by `import organizer.cli, organizer.tui.app` (importtime)",
            len(imported),
            "modules",
            0.0,
            note=", ".join(sorted(imported)[:5]),
        ),
        Row("heavy modules loaded by the first screen", len(shown), "modules", 0.0, note=", ".join(sorted(shown)[:5])),
    ]
