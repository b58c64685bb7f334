"""Shared fixtures: a fresh database per test, a group, the sample group, a frozen clock.

Databases are files in tmp_path, never `:memory:` (threads would each see their own).
The sample group is loaded once per session into a template file and copied per test.

With ORGANIZER_TEST_DB set to a PostgreSQL URL (a superuser's, e.g. the throwaway cluster
`.ci/run` starts), `db_path` is instead the URL of a fresh database made per test with
`CREATE DATABASE … TEMPLATE` from one prepared per session (empty schema, or the sample
group), and dropped afterwards. Tests marked `sqlite_only` (pragmas, EXPLAIN QUERY PLAN,
database files) are deselected in that run and counted in its summary.
"""

from __future__ import annotations

import itertools
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from organizer import db as dbmod
from organizer.sample import load_sample
from organizer.services.groups import create_group

# The PostgreSQL server to run the suite on instead of SQLite files (see the docstring).
TEST_DB_ENV = "ORGANIZER_TEST_DB"
PG_URL = os.environ.get(TEST_DB_ENV, "").strip()
ON_POSTGRES = dbmod.is_url(PG_URL)

# The sample's "today" (sample_data/group.toml), 09:00 in Kitchener: every frozen test clock.
NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


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


@pytest.fixture(autouse=True)
def personal_settings(tmp_path_factory, monkeypatch):
    """Each test's own config folder: never the real user's settings, never another test's."""
    from organizer import personal

    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv(personal.ENV_VAR, str(folder))
    return folder


@pytest.fixture
def now() -> datetime:
    return NOW


class PostgresServer:
    """The test cluster: a database per test, copied from a per-session template."""

    def __init__(self, url: str):
        from playhouse.db_url import parse

        self.url = url
        self.connect_args = parse(url)
        self.prefix = f"organizer_test_{os.getpid()}"
        self.counter = itertools.count(1)
        self.templates: dict[str, str] = {}

    def execute(self, sql: str) -> None:
        import psycopg2

        # CREATE/DROP DATABASE cannot run in a transaction: autocommit, its own connection.
        connection = psycopg2.connect(**self.connect_args)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    def url_of(self, name: str) -> str:
        base, _, query = self.url.partition("?")
        base = base.rsplit("/", 1)[0]
        return f"{base}/{name}" + (f"?{query}" if query else "")

    def create(self, template: str = "empty") -> str:
        """A new database copied from `template`; its URL."""
        name = f"{self.prefix}_{next(self.counter)}"
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.templates[template]}"')
        return name

    def drop(self, name: str) -> None:
        # FORCE: a test's worker threads may still hold a connection.
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def prepare(self, template: str, fill=None) -> None:
        """Make the template database `template`: the schema, then `fill()` if given."""
        name = f"{self.prefix}_{template}"
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        dbmod.open_database(self.url_of(name))
        try:
            if fill is not None:
                fill()
        finally:
            dbmod.close_database()
        self.templates[template] = name


def pytest_collection_modifyitems(config, items):
    if not ON_POSTGRES:
        return
    kept = [item for item in items if item.get_closest_marker("sqlite_only") is None]
    deselected = [item for item in items if item.get_closest_marker("sqlite_only") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    config.stash[_SQLITE_ONLY] = len(deselected)


_SQLITE_ONLY = pytest.StashKey[int]()


def pytest_report_header(config):
    if ON_POSTGRES:
        return f"database: PostgreSQL ({TEST_DB_ENV})"
    return "database: SQLite files"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if ON_POSTGRES:
        count = config.stash.get(_SQLITE_ONLY, 0)
        terminalreporter.write_line(f"PostgreSQL run: {count} sqlite_only tests deselected (SQLite by nature)")


@pytest.fixture(scope="session")
def postgres_server():
    if not ON_POSTGRES:
        yield None
        return
    server = PostgresServer(PG_URL)
    server.prepare("empty")
    yield server
    for name in server.templates.values():
        server.drop(name)


@pytest.fixture
def db_path(request, tmp_path: Path, postgres_server):
    """Where the test's database is: a file path, or on PostgreSQL a fresh database's URL."""
    if postgres_server is None:
        yield tmp_path / "organizer.db"
        return
    template = "empty"
    if "sample_db" in request.fixturenames:
        template = "sample"
        if template not in postgres_server.templates:
            postgres_server.prepare(template, lambda: load_sample(now=NOW))
    name = postgres_server.create(template)
    yield postgres_server.url_of(name)
    dbmod.close_database()
    postgres_server.drop(name)


@pytest.fixture
def db(db_path: Path):
    database = dbmod.open_database(str(db_path))
    yield database
    dbmod.close_database()


@pytest.fixture
def group(db):
    return create_group(
        name="Test Circle",
        timezone="America/Toronto",
        organizer_name="Olu Organizer",
        organizer_email="olu@example.com",
        now=NOW,
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
def sample_db(request, db_path: Path):
    """A private copy of the sample group, opened (on PostgreSQL, db_path was made from the
    sample's template database)."""
    if not ON_POSTGRES:
        shutil.copy(request.getfixturevalue("sample_template"), db_path)
        db_path.chmod(0o600)
    database = dbmod.open_database(str(db_path))
    yield database
    dbmod.close_database()


@pytest.fixture
def sample_group(sample_db):
    from organizer.services.groups import current_group

    return current_group()


CLI_CLOCK = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def cli(db_path, capsys, monkeypatch):
    """Run the command line on a fresh database with a frozen clock (CLI_CLOCK); returns
    a function of the arguments giving (code, stdout, stderr)."""
    from organizer.cli import main

    monkeypatch.setattr("organizer.cli.common.system_now", lambda: CLI_CLOCK)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def write_lock(db_path: Path, monkeypatch):
    """Another program holding the database's write lock: `with write_lock():` keeps a
    second connection in BEGIN IMMEDIATE. Writers here wait 0.1 s, not the real bound."""
    import contextlib
    import sqlite3

    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 100)
    if dbmod.database.obj is not None and not dbmod.database.is_closed():
        dbmod.database.execute_sql("PRAGMA busy_timeout = 100")

    @contextlib.contextmanager
    def hold():
        holder = sqlite3.connect(str(db_path), isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            yield holder
            holder.execute("ROLLBACK")
        finally:
            holder.close()

    return hold


@pytest.fixture(autouse=True)
def documents_folder(tmp_path_factory, monkeypatch) -> Path:
    """Exports default to the user's documents folder: in tests, a folder of the test's own
    (beside tmp_path, so a test that lists tmp_path sees only what it made)."""
    folder = tmp_path_factory.mktemp("Documents")
    monkeypatch.setattr("organizer.tui.widgets.export_folder.documents_dir", lambda: folder)
    return folder
