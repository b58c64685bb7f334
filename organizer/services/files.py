"""Writing the files the app and the commands produce: whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from organizer.services.errors import UserError


def write_atomic(path: str | os.PathLike, data: bytes, *, mode: int = 0o644) -> Path:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A reader (a calendar watching the file, a mail client) sees the old file or the new
    one, never half of one. An existing file keeps its permissions. Returns the path.
    """
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"cannot write {target}: the folder {folder} does not exist")
    if target.is_dir():
        raise UserError(f"cannot write {target}: it is a folder")
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        pass
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise UserError(f"cannot write {target}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"cannot write {target}: {error.strerror or error}") from error
    return target
