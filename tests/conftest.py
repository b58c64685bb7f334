"""Shared fixtures: a fresh database file per test, a group, the sample group, a frozen clock.

Databases are files in tmp_path, never `:memory:` (threads would each see their own).
The sample group is loaded once per session into a template file and copied per test.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from organizer import db as dbmod
from organizer.sample import load_sample
from organizer.services.groups import create_group

# The sample's "today" (sample_data/group.toml), 09:00 in Kitchener: every frozen test clock.
NOW = datetime(2026, 11, 20, 14, 0, tzinfo=timezone.utc)


class HandClock:
    """A clock that stands still until the test moves it (meeting mode's countdown)."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


async def until(pilot, condition, what: str = "the app to get there") -> None:
    """Let the app run (timers included) until `condition()` holds."""
    for _ in range(300):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"waited in vain for {what}")


async def dashboard_filled(pilot) -> None:
    """Until every panel of the dashboard holds its numbers (a thread worker fills them
    after the first frame)."""
    board = pilot.app.query_one("#dashboard-board")
    await until(pilot, lambda: all(board.contents.values()), "the dashboard's numbers")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "organizer.db"


@pytest.fixture
def db(db_path: Path):
    database = dbmod.open_database(str(db_path))
    yield database
    dbmod.close_database()


@pytest.fixture
def group(db):
    return create_group(
        name="Test Circle", timezone="America/Toronto", organizer_name="Olu Organizer",
        organizer_email="olu@example.com", now=NOW,
    )


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    dbmod.open_database(str(path))
    load_sample(now=NOW)
    dbmod.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    dbmod.close_database()
    return path


@pytest.fixture
def sample_db(sample_template: Path, db_path: Path):
    """A private copy of the sample group, opened."""
    shutil.copy(sample_template, db_path)
    db_path.chmod(0o600)
    database = dbmod.open_database(str(db_path))
    yield database
    dbmod.close_database()


@pytest.fixture
def sample_group(sample_db):
    from organizer.services.groups import current_group

    return current_group()


@pytest.fixture(autouse=True)
def documents_folder(tmp_path: Path, monkeypatch) -> Path:
    """Exports default to the user's documents folder: in tests, one under tmp_path."""
    folder = tmp_path / "Documents"
    folder.mkdir(exist_ok=True)
    monkeypatch.setattr("organizer.tui.widgets.export_folder.documents_dir", lambda: folder)
    return folder
