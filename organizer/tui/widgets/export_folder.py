"""Where exports go: the folder used last on this database, else the user's documents
folder (platformdirs: ~/Documents, or the XDG one), else the home folder — never silently
the directory the app happened to be started from."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from organizer.services.groups import get_setting, set_setting

SETTING = "export_folder"


def documents_dir() -> Path:
    return Path(platformdirs.user_documents_dir())


def export_path(name: str) -> Path:
    """`name` in the folder exports go to (see the module)."""
    for folder in (get_setting(None, SETTING), documents_dir(), Path.home()):
        if folder and Path(folder).is_dir():
            return Path(folder) / name
    return Path.home() / name


def remember_folder(path: Path) -> None:
    """The next export starts in the folder of the file just written."""
    if path.parent.is_dir():
        set_setting(None, SETTING, str(path.parent))
