"""Checks for a file path typed into a form: the message to show under the field, or None.

Shared by the forms that read a file (import) and those that write one (exports), so the
same mistake gets the same words everywhere. `~` is expanded, as a shell would.
"""

from __future__ import annotations

from pathlib import Path


def as_path(text: str) -> Path:
    return Path(text.strip()).expanduser()


def file_to_write_problem(text: str) -> str | None:
    """A file we may create or replace: named, not a folder, in a folder that exists."""
    if not text.strip():
        return "name a file"
    path = as_path(text)
    if path.is_dir():
        return "that is a folder: name a file in it"
    if not path.parent.is_dir():
        return f"there is no folder {path.parent}"
    return None


def file_to_read_problem(text: str) -> str | None:
    """A file that exists and is a file (whether it can be read is found out by reading it)."""
    if not text.strip():
        return "name a file"
    path = as_path(text)
    if path.is_dir():
        return "that is a folder: name a file in it"
    if not path.exists():
        return f"there is no file {path}"
    if not path.is_file():
        return "that is not a regular file"
    return None
