"""What the command line prints goes through here: control characters never reach the terminal.

Text is cleaned where it enters (services.text), but a database written by an older
version, or by hand, may still hold an ESC: printed raw it could clear the screen or
retitle the terminal. So stdout and stderr of a command keep tabs and line breaks and
drop every other control character (C0, DEL, C1) — defence in depth, in one place.
Binary output (`sys.stdout.buffer`) passes untouched.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO

from organizer.text import drop_controls

_DROPPED = {
    code: None
    for code in (
        *range(0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        0x7F,
        *range(0x80, 0xA0),
    )
}


class CleanStream:
    """A text stream that writes through to `inner` without control characters."""

    def __init__(self, inner: TextIO):
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(drop_controls(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):  # flush, fileno, isatty, buffer, encoding…
        return getattr(self.inner, name)


@contextlib.contextmanager
def clean_output() -> Iterator[None]:
    """Within the block, sys.stdout and sys.stderr drop control characters."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = CleanStream(out), CleanStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


# A file of 100,000 bad rows must not print 100,000 lines: the first ones show the pattern.
PROBLEMS_SHOWN = 100


def print_problems(lines: list[str], *, limit: int = PROBLEMS_SHOWN) -> None:
    """Each problem on its own line on stderr, the first `limit` of them, then how many more."""
    for line in lines[:limit]:
        print(line, file=sys.stderr)
    if len(lines) > limit:
        print(f"… and {len(lines) - limit:,} more problems (fix the ones above first)", file=sys.stderr)
