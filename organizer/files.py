"""Writing files that hold personal data: private (0600) and atomic.

The bytes go to a temporary file created 0600 in the destination's folder, are flushed
to disk, and the file is then renamed over the destination: a reader (or a crash) sees
the old file or the new one, never half of one, and the data is never readable by others,
not even for a moment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from organizer.errors import UserError


def check_folder(path: Path | str) -> Path:
    """`path` (user's ~ expanded) if its folder exists, else UserError: a command can ask
    before it spends time making what it would write there."""
    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise UserError(f"there is no folder {path.parent}")
    return path


def write_private(path: Path | str, data: bytes) -> Path:
    """Write `data` to `path` atomically with mode 0600; UserError if the folder is missing."""
    import tempfile  # loaded when a file is written, not with every start

    path = check_folder(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as error:
        raise UserError(f"cannot write in {path.parent}: {error.strerror or error}")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(name, 0o600)  # mkstemp makes it 0600 already; an existing file's mode is not kept
        os.replace(name, path)
    except BaseException as error:
        Path(name).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise UserError(f"cannot write {path}: {error.strerror or error}")
        raise
    return path


# What Organizer reads from a file the user names (an import, a reply, a post): far past a
# region's whole ledger as CSV, and a bound for /dev/zero or a mistaken disk image.
MAX_INPUT_BYTES = 256 * 1024 * 1024
_CHUNK = 1024 * 1024


def read_input(name: str | Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the file `name` (`-`: standard input), refusing in one line a folder,
    a missing or unreadable file and anything longer than `limit` bytes."""
    import sys

    if str(name) == "-":
        return _read_capped(sys.stdin.buffer, "standard input", limit)
    path = Path(name).expanduser()
    if path.is_dir():
        raise UserError(f"{path} is a folder: name a file")
    try:
        with path.open("rb") as handle:
            return _read_capped(handle, str(path), limit)
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from None


def _size(limit: int) -> str:
    megabytes, rest = divmod(limit, 1024 * 1024)
    return f"{megabytes} MB" if megabytes and not rest else f"{limit:,} bytes"


def _read_capped(handle: BinaryIO, where: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := handle.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise UserError(f"{where} is too large: Organizer reads at most {_size(limit)} here")
        chunks.append(chunk)
    return b"".join(chunks)
