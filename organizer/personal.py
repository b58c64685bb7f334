"""One person's own settings, kept in their config folder rather than in the shared database.

Several people share one database (a leadership team, a region); which group each last
worked on and who each of them is belong to that person, so they live in
`settings.json` in the user's config folder (platformdirs; `$ORGANIZER_CONFIG_DIR`
overrides it, e.g. for tests), keyed by database. The file is private (0600) and written
atomically; a file that is missing or unreadable counts as empty.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from organizer.errors import UserError
from organizer.files import write_private

ENV_VAR = "ORGANIZER_CONFIG_DIR"
FILE_NAME = "settings.json"

# The open database as these settings name it (db.open_database sets it: a file's absolute
# path, a URL without its password), so each database keeps its own choices.
database_here: str = ""


def config_dir() -> Path:
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path("organizer", appauthor=False)


def _load() -> dict:
    try:
        data = json.loads((config_dir() / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def recall(key: str) -> str:
    """This person's `key` for the open database ("" when never set)."""
    value = _load().get("databases", {}).get(database_here, {}).get(key, "")
    return value if isinstance(value, str) else ""


def remember(key: str, value: str) -> None:
    """Keep this person's `key` for the open database; never fails the caller (the folder
    may be read-only): a setting not kept is only asked for again."""
    data = _load()
    databases = data.setdefault("databases", {})
    if not isinstance(databases.get(database_here), dict):
        databases[database_here] = {}
    databases[database_here][key] = value
    folder = config_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(
            folder / FILE_NAME,
            json.dumps(data, indent=1, sort_keys=True).encode("utf-8"),
        )
    except (OSError, UserError):
        pass
