"""The README's screenshot is the app's own, and the script that makes it still works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_shows_the_dashboard_screenshot():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/dashboard.svg)" in readme
    svg = (ROOT / "docs" / "dashboard.svg").read_text(encoding="utf-8")
    assert "Grand&#160;River" in svg and "Next&#160;meeting" in svg


def test_the_screenshot_script_saves_the_dashboard(tmp_path):
    out = tmp_path / "dashboard.svg"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "make_screenshot.py"), str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    svg = out.read_text(encoding="utf-8")
    assert "Grand&#160;River" in svg and "in&#160;17&#160;days" in svg
    assert svg == (ROOT / "docs" / "dashboard.svg").read_text(encoding="utf-8"), (
        "docs/dashboard.svg is stale: run PYTHONPATH=. python docs/make_screenshot.py"
    )
