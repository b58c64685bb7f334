"""Signals in a real pseudo-terminal: the app ends cleanly and gives the terminal back.

The app runs as a child process on a pty, as in a terminal emulator. Once it has drawn
its first screen, a signal is sent; afterwards the terminal's modes (echo, canonical
input) must be as they were before it started, and the app must have left the
alternate screen and turned the mouse off, with no traceback.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def read_until(master: int, wanted: bytes, seen: bytearray, limit: float = 60.0) -> bool:
    """Read the child's output into `seen` until `wanted` shows up (or the child is gone)."""
    deadline = time.monotonic() + limit
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return wanted in seen
            if not chunk:
                break
            seen.extend(chunk)
    return wanted in seen


def drain_until_exit(master: int, child: subprocess.Popen, seen: bytearray, limit: float = 60.0) -> int | None:
    """Keep reading (a full pty would block the child's last writes) until it exits."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            seen.extend(chunk)
        if child.poll() is not None and not ready:
            return child.returncode
    return child.poll()


@contextlib.contextmanager
def app_in_pty(argv: list[str], **env: str):
    """The command `argv` (python's arguments) on a new pseudo-terminal: (master, slave, child)."""
    master, slave = os.openpty()
    environment = dict(
        os.environ,
        TERM="xterm-256color",
        PYTHONPATH=str(ROOT),
        COLUMNS="100",
        LINES="30",
        **env,
    )
    child = subprocess.Popen(
        [sys.executable, *argv],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=environment,
        start_new_session=True,
        cwd=str(ROOT),
    )
    try:
        yield master, slave, child
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
        os.close(slave)


@pytest.mark.parametrize(
    "signum",
    [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
    ids=["SIGTERM", "SIGHUP", "SIGINT"],
)
def test_a_signal_restores_the_terminal_and_exits_cleanly(sample_db, db_path, signum):
    seen = bytearray()
    with app_in_pty(["-m", "organizer", "--db", str(db_path)]) as (
        master,
        slave,
        child,
    ):
        before = termios.tcgetattr(slave)
        assert read_until(master, b"\x1b[?1049h", seen), seen[-500:]  # the app took the screen
        assert read_until(master, b"Dashboard", seen), seen[-500:]  # and drew its first screen
        assert not termios.tcgetattr(slave)[3] & termios.ECHO  # raw mode: what must be undone
        child.send_signal(signum)
        status = drain_until_exit(master, child, seen)
        after = termios.tcgetattr(slave)
    tail = bytes(seen[seen.rfind(b"\x1b[?1049h") :])
    assert status == 128 + signum, (status, tail[-300:])
    assert after[3] & termios.ECHO and after[3] & termios.ICANON
    assert after[3] == before[3] and after[0] == before[0]  # local and input modes as they were
    assert b"\x1b[?1049l" in tail  # back on the main screen
    assert b"\x1b[?1000l" in tail or b"\x1b[?1003l" in tail  # mouse reporting off
    assert b"Traceback" not in seen


def test_a_crash_in_the_app_is_one_line_and_a_crash_log(sample_db, db_path, tmp_path):
    """An unexpected error the app cannot go on from (a screen that cannot be built): the
    terminal gets one line, the log the traceback. (One in a key's action or a handler is a
    notification and the app goes on: tests/test_tui_boundary.py.)"""
    script = (
        "import sys; from organizer.tui.help import HelpScreen\n"
        "def broken(self):\n    raise RuntimeError('boom in a handler')\n"
        "HelpScreen.compose = broken\n"
        "from organizer.cli import main; sys.exit(main(sys.argv[1:]))\n"
    )
    seen = bytearray()
    argv = ["-c", script, "--db", str(db_path)]
    with app_in_pty(argv, XDG_STATE_HOME=str(tmp_path / "state")) as (master, _, child):
        assert read_until(master, b"Dashboard", seen), seen[-500:]
        os.write(master, b"?")  # help: its screen cannot be built
        status = drain_until_exit(master, child, seen)
    tail = bytes(seen[seen.rfind(b"\x1b[?1049l") :]).decode("utf-8", "replace")
    assert status == 1
    assert "Traceback" not in tail and "boom in a handler" not in tail
    assert "the app stopped on an unexpected error" in tail
    logs = list((tmp_path / "state").rglob("crash-*.log"))
    assert len(logs) == 1 and "boom in a handler" in logs[0].read_text()
    assert logs[0].stat().st_mode & 0o777 == 0o600
