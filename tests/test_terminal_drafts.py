"""In a real terminal (a pty): text typed in a form, then SIGTERM; the next start offers it back.

The app runs as `python -m organizer` on a copy of the sample database, in a pseudo-terminal
of 120×40, with keys written to it as a person types them. The screen is read back as the
bytes the app writes, escape sequences removed.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from organizer.services import drafts, identity
from organizer.services.groups import current_group

ROOT = Path(__file__).resolve().parent.parent
ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
PATIENCE = 60.0  # seconds a slow, shared machine may take to show a screen


class Terminal:
    """The app in a pseudo-terminal: write keys, wait for text on the screen."""

    def __init__(self, db_path: Path):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "COLUMNS": "120",
            "LINES": "40",
        }
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "organizer", "--db", str(db_path)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        os.close(slave)
        self.seen = b""

    def text(self) -> str:
        return ESCAPES.sub(b"", self.seen).decode("utf-8", "replace")

    def wait_for(self, *texts: str) -> None:
        """Read the screen until every one of `texts` has been shown (or fail, saying what was)."""
        deadline = time.monotonic() + PATIENCE
        while not all(text in self.text() for text in texts):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"never shown: {texts!r}; the screen had: {self.text()[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:  # the app has ended
                    raise AssertionError(f"the app ended before showing {texts!r}") from None

    def settle(self, quiet: float = 0.3) -> None:
        """Read until the app has drawn nothing for `quiet` seconds (its screen is built and
        focused: keys typed into a screen still mounting can go to the one under it)."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                return
            self.seen += os.read(self.master, 65536)
        raise AssertionError("the app never stopped drawing")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def end(self, number: int = signal.SIGTERM) -> int:
        self.process.send_signal(number)
        try:
            while True:  # keep reading, so the app is never blocked writing its last frames
                ready, _, _ = select.select([self.master], [], [], 1.0)
                if ready:
                    try:
                        os.read(self.master, 65536)
                    except OSError:
                        break
                if self.process.poll() is not None:
                    break
            return self.process.wait(timeout=PATIENCE)
        finally:
            os.close(self.master)


def test_sigterm_keeps_what_was_typed_and_the_next_start_offers_it_back(sample_db, db_path):
    group = current_group()
    # Who is at the keyboard, answered before: the app does not ask (its own test asks).
    identity.set_me(group, identity.who_am_i(group))
    first = Terminal(db_path)
    try:
        first.wait_for("Grand River Business Circle")
        first.settle()
        first.type("2")
        first.wait_for("Members")
        first.settle()
        first.type("n")
        first.wait_for("New member")
        first.settle()
        first.type("Quintessa")
        first.wait_for("Quintessa")
    finally:
        code = first.end(signal.SIGTERM)
    assert code == 128 + signal.SIGTERM
    [draft] = drafts.list_drafts(group)
    assert draft.data["values"] == [["name", "Quintessa"]]

    second = Terminal(db_path)
    try:
        second.wait_for("Recovered from the last session", "New member: “Quintessa”")
        second.settle()
        second.type("r")
        second.wait_for("Save (ctrl+s)")
    finally:
        second.end(signal.SIGHUP)
    assert [d.data["values"] for d in drafts.list_drafts(group)] == [[["name", "Quintessa"]]]
