"""The static gates run with the tests: ruff's lint rules, its formatting and mypy (pyproject)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREES = ["organizer", "tests", "bench", "docs"]


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args, *TREES], cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    done = ruff("check", "--no-cache")
    assert done.returncode == 0, done.stdout[-3000:]


def test_the_tree_is_formatted():
    done = ruff("format", "--check", "--no-cache")
    assert done.returncode == 0, done.stdout[-3000:]


def test_mypy_finds_nothing(tmp_path):
    # A cache of its own: a shared one can hold another checkout's results.
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:]
