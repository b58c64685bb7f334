"""Hostile input: every case is one line on stderr, exit 1, no traceback, nothing changed.

A table of command lines (impossible dates, numbers past 64 bits, broken CSV files,
amounts past the ceiling) runs against the sample group; then a held write lock, a
foreign or newer database, leftovers, control characters and the crash log.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from organizer import db as dbmod
from organizer import failures
from organizer.cli import main
from organizer.errors import StorageProblem, ValidationError
from organizer.models import Member, Referral, database
from organizer.services.members import add_member
from organizer.services.money import CEILING_MAJOR, check_amount
from tests.conftest import NOW, until


def fingerprint(path: Path | str) -> str:
    """A digest of every row of every table, read through a separate connection (a SQLite
    file, or on PostgreSQL the test's database by its URL)."""
    digest = hashlib.sha256()
    if isinstance(path, str):  # a postgresql:// URL
        import psycopg2

        connection = psycopg2.connect(path)
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            for (table,) in cursor.fetchall():
                digest.update(table.encode())
                cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
                for row in cursor.fetchall():
                    digest.update(repr(row).encode())
        finally:
            connection.close()
        return digest.hexdigest()
    with sqlite3.connect(str(path)) as connection:
        tables = [
            name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        for table in tables:
            digest.update(table.encode())
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_refusal(code: int, err: str, *words: str) -> None:
    assert code == 1, err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err and "\x1b" not in err
    assert len(err) < 400, err
    for word in words:
        assert word in err, err


def csv_file(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


REFERRAL_HEADER = b"date,giver,receiver,prospect,kind,temperature,status,value,notes\n"
ROW = b"2026-11-02,daniel@okaforcpa.ca,priya@ramanrealty.ca,Roof,outside,3,won,"

# (id, the command after --db, words the one line must hold). Files are made per test.
CASES = [
    ("recap far future", ["recap", "9999-12"], ["1900", "2200"]),
    ("recap year zero", ["recap", "0000-01"], ["month"]),
    ("meetings from 9999", ["meetings", "--from", "9999-12-31"], ["out of range"]),
    ("meetings to year 1", ["meetings", "--to", "0001-01-01"], ["out of range"]),
    ("balance from year 1", ["balance", "--from", "0001-01-01"], ["out of range"]),
    ("skip 9999", ["skip", "9999-12-31"], ["out of range"]),
    ("cancel no such month", ["cancel", "2026-13-01"], ["not a date"]),
    (
        "reschedule to year 1",
        ["reschedule", "2026-12-08", "--to", "0001-01-01 00:00"],
        ["out of range"],
    ),
    (
        "schedule from 9999",
        [
            "schedule",
            "--rule",
            "3rd thursday",
            "--at",
            "18:30",
            "--minutes",
            "120",
            "--from",
            "9999-12-01",
        ],
        ["out of range"],
    ),
    (
        "schedule minutes past 64 bits",
        [
            "schedule",
            "--rule",
            "3rd thursday",
            "--at",
            "18:30",
            "--minutes",
            "9" * 30,
            "--from",
            "2027-01-01",
        ],
        ["minutes"],
    ),
    ("threads limit past 64 bits", ["threads", "--limit", "9" * 25], ["too large"]),
    ("threads limit not a number", ["threads", "--limit", "1e9"], ["whole number"]),
    (
        "members: unterminated quote",
        ["import", "members", "@unterminated.csv"],
        ["line 2", "never closed"],
    ),
    ("members: name twice", ["import", "members", "@twice.csv"], ["column 2", "twice"]),
    ("members: UTF-16 without BOM", ["import", "members", "@utf16.csv"], ["UTF-16"]),
    (
        "members: 200,000 columns",
        ["import", "members", "@wide.csv"],
        ["200,000 columns"],
    ),
    (
        "referrals: UTF-16 without BOM",
        ["import", "referrals", "@utf16.csv"],
        ["UTF-16"],
    ),
    ("referrals: name twice", ["import", "referrals", "@twice.csv"], ["twice"]),
    ("members: a missing file", ["import", "members", "@missing.csv"], ["cannot read"]),
    ("ics-reply: not iCal", ["ics-reply", "@twice.csv"], []),
    (
        "post to a thread id past 64 bits",
        ["post", "9" * 25, "--as", "daniel@okaforcpa.ca", "--file", "@body.md"],
        ["no thread"],
    ),
    (
        "ics of a meeting id past 64 bits",
        ["ics", "--meeting", "9" * 25, "-o", "@out.ics"],
        ["no meeting"],
    ),
    (
        "ics of a meeting in 9999",
        ["ics", "--meeting", "9999-12-31", "-o", "@out.ics"],
        ["out of range"],
    ),
    (
        "ics of a superscript id",
        ["ics", "--meeting", "²", "-o", "@out.ics"],
        ["no meeting"],
    ),
    ("a group id past 64 bits", ["--group", "9" * 25, "stats"], ["no group"]),
    ("restore a foreign file", ["restore", "@twice.csv"], []),
    ("ics-reply of a CSV with 300 columns", ["ics-reply", "@cols300.csv"], ["not an iCalendar file"]),
    ("skip an empty date", ["skip", ""], ["date"]),
    ("cancel a blank date", ["cancel", " "], ["date"]),
    ("members: a folder", ["import", "members", "@folder"], ["is a folder"]),
    ("referrals: a folder", ["import", "referrals", "@folder"], ["is a folder"]),
    ("post a folder", ["post", "1", "--as", "daniel@okaforcpa.ca", "--file", "@folder"], ["is a folder"]),
    ("export to a path holding NUL", ["export", "members", "a\x00b.csv"], ["NUL"]),
    ("ics-reply of a path holding NUL", ["ics-reply", "a\x00b"], ["NUL"]),
]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    wide = (",".join(f"c{i}" for i in range(200_000)) + "\nname\n").encode()
    return {
        "unterminated.csv": csv_file(
            tmp_path,
            "u.csv",
            b'name,email\n"Ann,ann@example.com\nBob,bob@example.com\n',
        ),
        "twice.csv": csv_file(tmp_path, "t.csv", b"name,name\nAnn,Ann\n"),
        "utf16.csv": csv_file(tmp_path, "16.csv", "name,email\nAnn,ann@example.com\n".encode("utf-16-le")),
        "wide.csv": csv_file(tmp_path, "w.csv", wide),
        "cols300.csv": csv_file(tmp_path, "c.csv", (",".join(f"c{i}" for i in range(300)) + "\n").encode()),
        "missing.csv": str(tmp_path / "no-such.csv"),
        "body.md": csv_file(tmp_path, "body.md", b"Hello"),
        "superscript.csv": csv_file(
            tmp_path,
            "sup.csv",
            REFERRAL_HEADER + "2026-11-02,daniel@okaforcpa.ca,priya@ramanrealty.ca,Roof,outside,²,open,,\n".encode(),
        ),
        "out.ics": str(tmp_path / "out.ics"),
        "folder": str(tmp_path),
    }


@pytest.mark.parametrize(
    "argv, words",
    [(argv, words) for _, argv, words in CASES],
    ids=[name for name, _, _ in CASES],
)
def test_a_hostile_command_is_one_line_and_changes_nothing(sample_db, db_path, files, capsys, argv, words):
    before = fingerprint(db_path)
    argv = [files[arg[1:]] if arg.startswith("@") else arg for arg in argv]
    code, _, err = run(capsys, "--db", str(db_path), *argv)
    assert_one_line_refusal(code, err, *words)
    assert "unexpected error" not in err  # a known sentence: the input is the problem, not a bug
    assert fingerprint(db_path) == before


def test_an_amount_past_the_ceiling_is_refused_with_its_line(sample_db, db_path, tmp_path, capsys):
    before = fingerprint(db_path)
    data = REFERRAL_HEADER + ROW + b"100.00,\n" + ROW + b"92233720368547758.07,\n"
    code, _, err = run(
        capsys,
        "--db",
        str(db_path),
        "import",
        "referrals",
        csv_file(tmp_path, "r.csv", data),
    )
    assert code == 1 and "Traceback" not in err
    assert "line 3" in err and "ceiling" in err and "line 2" not in err
    assert fingerprint(db_path) == before
    assert check_amount(CEILING_MAJOR * 100, "CAD") == CEILING_MAJOR * 100
    with pytest.raises(ValidationError):
        check_amount(CEILING_MAJOR * 100 + 1, "CAD")
    assert check_amount(CEILING_MAJOR, "VND") == CEILING_MAJOR  # a trillion dong still fits


def test_totals_survive_a_stored_value_at_the_64_bit_limit(sample_db, db_path, capsys):
    # Written before the ceiling existed, or by hand: the sums must still work.
    giver = Referral.select().where((Referral.status == "won") & Referral.voided_at.is_null()).first().giver
    won = (
        Referral.select()
        .where((Referral.status == "won") & Referral.voided_at.is_null() & (Referral.giver == giver))
        .limit(2)
    )
    ids = [referral.id for referral in won]
    assert len(ids) == 2
    Referral.update(value_minor=2**63 - 1).where(Referral.id.in_(ids)).execute()
    code, out, err = run(capsys, "--db", str(db_path), "balance", "--format", "tsv")
    assert code == 0, err
    line = next(line for line in out.splitlines() if line.startswith(giver.name + "\t"))
    given = int(line.split("\t")[3].replace(".", ""))
    assert given > 2 * (2**63 - 1)  # two of them: past 64 bits, summed exactly
    code, out, err = run(capsys, "--db", str(db_path), "recap", "2026-11")
    assert code == 0, err


# -- a busy database --------------------------------------------------------------------


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
def test_a_command_that_writes_while_another_holds_the_lock_is_one_line(sample_db, db_path, write_lock, capsys):
    before = fingerprint(db_path)
    with write_lock():
        code, _, err = run(capsys, "--db", str(db_path), "skip", "2026-12-08")
    assert_one_line_refusal(code, err, "busy", "try again")
    assert fingerprint(db_path) == before
    code, _out, err = run(capsys, "--db", str(db_path), "skip", "2026-12-08")
    assert code == 0, err  # once the lock is gone, the same command goes through


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
def test_a_service_write_under_a_held_lock_is_a_storage_problem(sample_group, write_lock):
    with write_lock(), pytest.raises(StorageProblem, match="busy"):
        add_member(sample_group, now=NOW, name="Lock Tester", email="lock@example.com")
    assert not Member.select().where(Member.email == "lock@example.com").exists()


async def open_member_form(pilot, name: str):
    from organizer.tui.members.form import MemberForm

    await pilot.press("2")
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MemberForm)
    await pilot.press(*name)
    return pilot.app.screen


def form_status(form) -> str:
    return str(form.query_one("#form-status").render())


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
async def test_the_member_form_stays_open_with_its_text_when_the_database_stays_busy(
    sample_db, write_lock, monkeypatch
):
    from organizer.clock import frozen
    from organizer.tui.app import make_app
    from organizer.tui.widgets.form import FormScreen

    monkeypatch.setattr(FormScreen, "BUSY_TRIES", 2)
    monkeypatch.setattr(FormScreen, "BUSY_PAUSE", 0.05)
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_member_form(pilot, "Busy Tester")
        with write_lock():
            await pilot.press("ctrl+s")
            await until(pilot, lambda: "Not saved" in form_status(form), "the form to give up")
            assert app.screen is form and "busy" in form_status(form)
            assert form.values()["name"] == "Busy Tester"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    assert Member.select().where(Member.name == "Busy Tester").exists()


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
async def test_the_member_form_saves_by_itself_once_the_other_writer_is_done(sample_db, write_lock, monkeypatch):
    from organizer.clock import frozen
    from organizer.tui.app import make_app
    from organizer.tui.widgets.form import FormScreen

    monkeypatch.setattr(FormScreen, "BUSY_PAUSE", 0.05)
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_member_form(pilot, "Patient Tester")
        with write_lock():
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form and "Waiting" in form_status(form)
        await until(pilot, lambda: app.screen is not form, "the retry to save")
    assert Member.select().where(Member.name == "Patient Tester").exists()


# -- foreign, newer and loose databases -----------------------------------------------------


def foreign_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite"
    with sqlite3.connect(str(path)) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('mine, not Organizer''s')")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["stats"],
        ["demo"],
        [
            "init",
            "--name",
            "X",
            "--timezone",
            "UTC",
            "--organizer-name",
            "O",
            "--organizer-email",
            "o@x.org",
        ],
    ],
)
def test_a_foreign_sqlite_file_is_refused_byte_for_byte_unchanged(tmp_path, capsys, argv):
    path = foreign_file(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, _, err = run(capsys, "--db", str(path), *argv)
    assert_one_line_refusal(code, err, "not an Organizer database")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]  # no -wal, no -shm


def test_another_programs_application_id_is_refused(tmp_path, capsys):
    path = tmp_path / "other.db"
    with sqlite3.connect(str(path)) as connection:
        connection.execute("PRAGMA application_id = 1234")
    code, _, err = run(capsys, "--db", str(path), "stats")
    assert_one_line_refusal(code, err, "another program")


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
def test_a_database_newer_than_the_code_is_refused_with_its_version(db, db_path, capsys):
    database.execute_sql("PRAGMA user_version = 99")
    dbmod.close_database()
    code, _, err = run(capsys, "--db", str(db_path), "stats")
    assert_one_line_refusal(code, err, "version 99")


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
def test_a_new_database_identifies_itself(db):
    assert database.execute_sql("PRAGMA application_id").fetchone()[0] == 0x4F524731
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] >= 4


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
def test_a_loose_database_is_tightened_to_0600_on_open(db, db_path):
    dbmod.close_database()
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        if path.exists():
            path.chmod(0o644)
    dbmod.open_database(str(db_path))
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
def test_a_killed_backup_leaves_nothing_on_the_next_run(sample_db, db_path, tmp_path, capsys):
    destination = tmp_path / "copy.db"
    leftover = tmp_path / ".copy.db.abc123.partial"
    leftover.write_bytes(b"half a backup")
    code, _, err = run(capsys, "--db", str(db_path), "backup", str(destination))
    assert code == 0, err
    assert not leftover.exists() and destination.exists()


# -- uniqueness in the database -----------------------------------------------------------------


def test_two_active_members_cannot_share_an_email_even_past_the_checks(sample_group):
    from peewee import IntegrityError

    first = Member.select().where(Member.status == "active").first()
    with pytest.raises(IntegrityError), database.atomic():
        Member.create(
            group=sample_group,
            name="Racer",
            email=first.email.upper(),
            status="active",
            created_at=NOW,
            updated_at=NOW,
        )
    with pytest.raises(ValidationError, match="email"):
        add_member(sample_group, now=NOW, name="Racer", email=first.email)
    # An alumnus's old address may come back on a new member: only active seats are unique.
    Member.create(
        group=sample_group,
        name="Old",
        email="old@example.com",
        status="alumni",
        created_at=NOW,
        updated_at=NOW,
    )
    with database.atomic():
        Member.create(
            group=sample_group,
            name="New",
            email="old@example.com",
            status="active",
            created_at=NOW,
            updated_at=NOW,
        )


# -- control characters ---------------------------------------------------------------------------

HOSTILE_NAME = "Ann\x1b[2J\x1b]0;pwned\x07 Example\x00\x9b1m"


def test_control_characters_in_an_import_never_reach_the_database_or_the_output(sample_db, db_path, tmp_path, capsys):
    data = f'name,business,email,notes\n"{HOSTILE_NAME}","Bakery\x1b[31m",ann@example.com,"line one\nline\x1b two"\n'
    code, _out, err = run(
        capsys,
        "--db",
        str(db_path),
        "import",
        "members",
        csv_file(tmp_path, "m.csv", data.encode()),
    )
    assert code == 0, err
    ann = Member.get(Member.email == "ann@example.com")
    assert ann.name == "Ann[2J]0;pwned Example1m"
    assert ann.business == "Bakery[31m"
    assert ann.notes == "line one\nline two"  # a multi-line field keeps its line break
    for argv in (
        ["export", "members", str(tmp_path / "m-out.csv")],
        ["export", "members", str(tmp_path / "m.vcf")],
    ):
        code, _, err = run(capsys, "--db", str(db_path), *argv)
        assert code == 0, err
    for name in ("m-out.csv", "m.vcf"):
        text = (tmp_path / name).read_text(encoding="utf-8-sig")
        assert "\x1b" not in text and "\x07" not in text and "\x00" not in text
        assert "pwned Example1m" in text  # the name, its escape sequences defused


def test_old_rows_with_an_escape_are_printed_without_it(sample_db, db_path, capsys):
    from organizer.models import Meeting, Thread

    # Stored by an older version, before text was cleaned at the boundary.
    Meeting.update(title="Meeting \x1b[2J\x1b]0;t\x07").execute()
    Thread.update(title="Thread \x1b[2J").execute()
    Member.update(name=Member.name.concat("\x1b[2J")).execute()
    for argv in (
        ["meetings"],
        ["threads"],
        ["balance"],
        ["balance", "--format", "tsv"],
    ):
        code, out, err = run(capsys, "--db", str(db_path), *argv)
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out, argv


# -- the crash log --------------------------------------------------------------------------------


def test_an_unexpected_error_is_one_line_with_a_private_crash_log(db, db_path, tmp_path, capsys, monkeypatch):
    from organizer.cli import core

    monkeypatch.setattr(failures, "crash_folder", lambda: tmp_path / "logs")

    def broken(context):
        raise RuntimeError("a bug\nwith two lines")

    monkeypatch.setattr(core, "run_stats", broken)
    code, _, err = run(capsys, "--db", str(db_path), "stats")
    assert_one_line_refusal(code, err, "unexpected error", "RuntimeError: a bug")
    logs = list((tmp_path / "logs").iterdir())
    assert len(logs) == 1 and str(logs[0]) in err
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    assert "Traceback" in logs[0].read_text() and "with two lines" in logs[0].read_text()


@pytest.mark.parametrize(
    "error, sentence",
    [
        (sqlite3.OperationalError("database is locked"), failures.BUSY),
        (
            sqlite3.OperationalError("attempt to write a readonly database"),
            failures.READ_ONLY,
        ),
        (sqlite3.OperationalError("database or disk is full"), failures.DISK_FULL),
        (OSError(28, "No space left on device"), failures.DISK_FULL),
        (sqlite3.OperationalError("disk I/O error"), failures.DISK_ERROR),
    ],
)
def test_storage_failures_are_told_in_one_sentence(error, sentence):
    assert failures.explain(error) == sentence
    assert "\n" not in sentence


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
def test_a_read_only_database_is_one_line(sample_db, db_path, capsys, monkeypatch):
    # query_only is SQLite's own read-only switch (root ignores file modes).
    monkeypatch.setitem(dbmod.SQLITE_PRAGMAS, "query_only", 1)
    before = fingerprint(db_path)
    code, _, err = run(capsys, "--db", str(db_path), "skip", "2026-12-08")
    assert_one_line_refusal(code, err, "read-only")
    assert fingerprint(db_path) == before
    assert os.path.exists(db_path)


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
def test_an_older_database_whose_rows_break_the_email_rule_still_opens(group, db_path):
    """Two active members sharing an email (an older version's race) are kept as they are:
    the migration leaves the unique index out rather than change anyone's data."""
    from organizer.migrations import ACTIVE_EMAIL_INDEX, current_version
    from organizer.models import SCHEMA_VERSION, SchemaInfo

    database.execute_sql(f'DROP INDEX "{ACTIVE_EMAIL_INDEX}"')
    for name in ("Twin One", "Twin Two"):
        Member.create(
            group=group,
            name=name,
            email="twin@example.com",
            status="active",
            created_at=NOW,
            updated_at=NOW,
        )
    SchemaInfo.update(version=3).execute()
    database.execute_sql("PRAGMA application_id = 0")
    database.execute_sql("PRAGMA user_version = 0")
    dbmod.close_database()
    db = dbmod.open_database(str(db_path))
    assert current_version(db) == SCHEMA_VERSION
    assert database.execute_sql("PRAGMA application_id").fetchone()[0] == 0x4F524731
    assert Member.select().where(Member.email == "twin@example.com").count() == 2
    assert ACTIVE_EMAIL_INDEX not in {index.name for index in db.get_indexes("member")}


def test_a_file_of_many_bad_rows_prints_a_bounded_report(sample_db, db_path, tmp_path, capsys):
    rows = "".join(f"Bad {index},not-an-email\n" for index in range(5_000))
    path = csv_file(tmp_path, "bad.csv", f"name,email\n{rows}".encode())
    before = fingerprint(db_path)
    code, _, err = run(capsys, "--db", str(db_path), "import", "members", path)
    assert code == 1 and "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) <= 102 and "4,900 more problems" in err
    assert fingerprint(db_path) == before


async def test_a_background_job_that_fails_is_one_line_and_the_app_goes_on(sample_db, tmp_path, monkeypatch):
    from organizer.clock import frozen
    from organizer.tui.app import make_app
    from organizer.tui.dashboard import panels as dashboard_panels

    monkeypatch.setattr(failures, "crash_folder", lambda: tmp_path / "logs")

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a worker")

    monkeypatch.setattr(dashboard_panels, "render_all", broken)
    app = make_app(frozen(NOW))
    shown: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **options: shown.append(message))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: shown, "the failed job's notification")
        assert "Could not finish" in shown[0] and "a bug in a worker" in shown[0], shown
        await pilot.press("2")  # the app still answers
        await pilot.pause()
        assert app.current_section.id == "members"
    assert app.return_code in (None, 0)
    assert len(list((tmp_path / "logs").iterdir())) == 1


def test_a_superscript_digit_is_a_bad_cell_not_a_crash(sample_db, db_path, files, capsys):
    before = fingerprint(db_path)
    code, _, err = run(capsys, "--db", str(db_path), "import", "referrals", files["superscript.csv"])
    assert code == 1 and "Traceback" not in err and "unexpected" not in err
    assert err.splitlines()[0].startswith("line 2, column temperature")
    assert fingerprint(db_path) == before


@pytest.mark.sqlite_only  # a SQLite file's header, modes, lock or copy
def test_a_database_shared_with_its_group_keeps_the_group_and_loses_others(db, db_path):
    dbmod.close_database()
    db_path.chmod(0o664)
    dbmod.open_database(str(db_path))
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o660
