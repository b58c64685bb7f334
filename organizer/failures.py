"""The error boundary: any failure told in one line, and a crash log for the unexpected.

The command line and the app both come here with whatever was raised. A failure of the
storage (a busy, read-only, full or lost database, a disk error) is named with what to
do; anything else unexpected gets one line plus the path of a crash log (0600) holding
the traceback, so no traceback ever reaches the terminal.
"""

from __future__ import annotations

import errno
import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

BUSY = "the database is busy: another Organizer is writing; try again"
READ_ONLY = "this database is read-only: nothing was written"
DISK_FULL = "the disk is full: nothing was written"
DISK_ERROR = "the disk could not be read or written: nothing was written"
SERVER_GONE = "the PostgreSQL server went away: reconnecting… nothing was written; try again"
SERVER_DOWN = "cannot reach the PostgreSQL server"
OUT_OF_MEMORY = "out of memory: nothing was written"
NUL_IN_PATH = "a file name cannot hold a NUL character: check the path"

# (words in the driver's message, lower case) → the sentence. SQLite's and psycopg2's
# messages are stable English texts; error codes are not exposed by both drivers alike.
_STORAGE = (
    (("database is locked", "database table is locked", "database is busy"), BUSY),
    (("readonly database", "read-only", "read only"), READ_ONLY),
    (("database or disk is full", "no space left", "could not extend file"), DISK_FULL),
    (("disk i/o error",), DISK_ERROR),
    (
        (
            "server closed the connection",
            "connection already closed",
            "terminating connection",
            "the connection is closed",
            "connection not open",
            "ssl syscall error",
            "could not receive data",
        ),
        SERVER_GONE,
    ),
    (
        (
            "could not connect to server",
            "connection refused",
            "could not translate host name",
            "connection to server at",
            "timeout expired",
        ),
        SERVER_DOWN,
    ),
)


def storage_problem(error: BaseException) -> str | None:
    """The sentence for a storage failure (busy, read-only, full, lost), else None."""
    for link in _chain(error):
        if isinstance(link, OSError) and link.errno in (errno.ENOSPC, errno.EDQUOT):
            return DISK_FULL
        if isinstance(link, OSError) and link.errno == errno.EROFS:
            return READ_ONLY
        if type(link).__module__.split(".")[0] not in (
            "sqlite3",
            "peewee",
            "psycopg2",
            "psycopg",
        ):
            continue
        text = str(link).lower()
        for words, sentence in _STORAGE:
            if any(word in text for word in words):
                if sentence is SERVER_DOWN:
                    return f"{SERVER_DOWN}: {_first_line(str(link))}"
                return sentence
    return None


def explain(error: BaseException) -> str | None:
    """One line for a failure the user can act on, or None for a bug (needs a crash log)."""
    found = storage_problem(error)
    if found:
        return found
    if isinstance(error, MemoryError):
        return OUT_OF_MEMORY
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or _first_line(str(error))}"
    if isinstance(error, ValueError) and "embedded null byte" in str(error):
        # os and open() refuse a path holding NUL before any file is touched.
        return NUL_IN_PATH
    return None


def crash_folder() -> Path:
    """Where crash logs go: the user's log folder for Organizer."""
    import platformdirs

    return platformdirs.user_log_path("organizer", appauthor=False)


def write_crash_log(error: BaseException, *, now: datetime | None = None) -> Path | None:
    """Write `error`'s traceback to a new 0600 file; its path, or None if even that failed."""
    return write_crash_text("".join(traceback.format_exception(error)), now=now)


def write_crash_text(text: str, *, now: datetime | None = None) -> Path | None:
    """Write a traceback's text to a new 0600 crash log; its path, or None if that failed."""
    when = now or datetime.now(UTC)
    try:
        folder = crash_folder()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"crash-{when:%Y%m%d-%H%M%S-%f}-{os.getpid()}.log"
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(path, 0o600)
        return path
    except OSError:
        return None


def one_line(error: BaseException) -> str:
    """The one line to show for `error`; writes a crash log when it is unexpected."""
    known = explain(error)
    if known:
        return known
    path = write_crash_log(error)
    what = f"{type(error).__name__}: {_first_line(str(error))}" if str(error) else type(error).__name__
    where = f"; the details are in {path}" if path else ""
    from organizer.text import clip

    return f"unexpected error ({clip(what)}){where}"


def _chain(error: BaseException):
    seen = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        yield link
        link = link.__cause__ or link.__context__


def _first_line(text: str) -> str:
    from organizer.text import one_line as shown

    lines = [line for line in text.splitlines() if line.strip()]
    return shown(lines[0]) if lines else ""
