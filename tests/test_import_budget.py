"""The import budget: nothing heavy loads before the first screen.

The command line and the app must start without icalendar, typst, fontTools, pypdf, vobject or our
CSV import code: those load when a command or an action needs them. Checked
in fresh interpreters, with `python -X importtime` and with the app run headless to its
first painted screen on the sample group.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY_PACKAGES = ("icalendar", "typst", "fontTools", "pypdf", "vobject", "recurring_ical_events")


def _heavy(module: str) -> bool:
    """The libraries for files, and the CSV import code (the file formats' own modules
    are small, and the Recap section's preview uses the recap's)."""
    if module.split(".")[0] in HEAVY_PACKAGES:
        return True
    if module.startswith("organizer.imports"):
        return True
    return module.startswith("organizer.services.") and "import" in module.rsplit(".", 1)[-1]


def _python(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_importing_the_command_line_and_the_app_loads_nothing_heavy():
    done = _python("-X", "importtime", "-c", "import organizer.cli; import organizer.tui.app")
    assert done.returncode == 0, done.stderr
    loaded = [
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    assert "organizer.tui.app" in loaded and "textual.app" in loaded
    assert [module for module in loaded if _heavy(module)] == []


_FIRST_SCREEN = """
import asyncio, sys
from textual.app import App
_run = App.run
async def _autopilot(pilot):
    await pilot._wait_for_screen()
    painted = asyncio.Event()
    pilot.app.call_after_refresh(painted.set)
    await painted.wait()
    pilot.app.exit()
App.run = lambda self, *a, **k: _run(self, headless=True, size=(120, 40), auto_pilot=_autopilot)
from organizer.cli import main
main(["--db", sys.argv[1]])
print("\\n".join(sorted(sys.modules)))
"""


def test_the_first_screen_loads_nothing_heavy(sample_template, tmp_path):
    copy = tmp_path / "sample.db"
    shutil.copy(sample_template, copy)
    done = _python("-c", _FIRST_SCREEN, str(copy))
    assert done.returncode == 0, done.stderr
    modules = done.stdout.split()
    assert "organizer.tui.app" in modules
    assert [module for module in modules if _heavy(module)] == []
    # Opening the app builds no subcommands, and the other sections load after the first screen.
    assert not [
        m for m in modules if m.startswith("organizer.cli.") and m not in ("organizer.cli.common", "organizer.cli.core")
    ]
    assert not [
        m
        for m in modules
        if m.endswith(".section")
        and m.startswith("organizer.tui.")
        and m not in ("organizer.tui.widgets.section", "organizer.tui.dashboard.section")
    ]
