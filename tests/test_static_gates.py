"""The static gates run with the tests: ruff's lint rules and its formatting (pyproject)."""

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
