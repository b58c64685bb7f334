"""More groups in a database that holds some: the sample loaded beside them, and a backup's
groups restored beside them with new ids (services.group_copy), on SQLite and PostgreSQL.

Each restored group is compared with its source row by row (every column but ids and
foreign keys, in every table that belongs to a group), and through everything the command
line shows of it; the groups already there must show exactly what they showed before.
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import ForeignKeyField

from organizer import db as dbmod
from organizer import models
from organizer.models import (
    ALL_MODELS,
    SCHEMA_VERSION,
    Attendance,
    AttendanceCorrection,
    BaseModel,
    Draft,
    Group,
    MailReceived,
    Meeting,
    MeetingSeries,
    Member,
    MemberEvent,
    SchemaInfo,
    SendLog,
    Setting,
)
from organizer.services.backup import backup_sqlite
from organizer.services.drafts import save_draft
from organizer.services.group_copy import owners, read_groups
from organizer.services.groups import get_setting
from organizer.services.mail_opt_out import opt_outs, set_opt_out
from tests.conftest import NOW, ON_POSTGRES
from tests.test_backup import make_version_1
from tests.test_groups import LAKESIDE, MEMBERS_CSV, REFERRALS_CSV, group_outputs, run

SAMPLE = "Grand River Business Circle"
OPTED_OUT = "zoe@lefevre.design"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Every command at the same moment: two loads of the sample write the same times."""
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: NOW)


@pytest.fixture
def source(sample_template, tmp_path) -> Path:
    """The sample group's SQLite database with a row in every table a group owns (the
    sample leaves some empty), and a member invited by one added after them."""
    path = tmp_path / "source.db"
    shutil.copy(sample_template, path)
    dbmod.open_database(str(path))
    try:
        group = Group.get()
        first = Member.select().order_by(Member.id).first()
        last = Member.select().order_by(Member.id.desc()).first()
        first.invited_by = last  # a key to a later row of the same table
        first.save()
        attendance = Attendance.select().order_by(Attendance.id).first()
        AttendanceCorrection.create(
            attendance=attendance, at=NOW, actor=first, old_presence="absent", new_presence="present", reason="bus"
        )
        SendLog.create(
            group=group,
            kind="digest",
            send_key="digest:2026-11-01",
            member=first,
            email=first.email,
            message_id="<d1@organizer>",
            sent_at=NOW,
        )
        MailReceived.create(group=group, message_id="<r1@example.com>", kind="rsvp", received_at=NOW)
        MemberEvent.create(member=first, at=NOW, action="renewed", detail="renewal due 2027-03-01")
        save_draft(group, f"member:member={first.id}", "Edit member", {"form": "member"}, now=NOW)
        set_opt_out(Member.get(Member.email == OPTED_OUT), ["digest"])
        counts = {model: model.select().count() for model in owners()}
        assert all(counts.values()), [m.__name__ for m, n in counts.items() if not n]  # a new table needs a row here
    finally:
        dbmod.close_database()
    return path


@pytest.fixture
def backup(source, tmp_path) -> Path:
    return backup_sqlite(source, tmp_path / "backup.db").path


def content(location, name: str, *, skip=(Setting, Draft)) -> dict[str, list[tuple[str, ...]]]:
    """Every row of the group `name`, by table, without ids and foreign keys (they differ
    between databases); settings and drafts hold ids in their text and are checked apart."""
    dbmod.open_database(str(location))
    try:
        group = Group.get(Group.name == name)
        snapshot = read_groups({group.id})
        seen = {}
        for model in owners():
            if model in skip:
                continue
            fields = model._meta.sorted_fields
            keep = [at for at, f in enumerate(fields) if not (f.primary_key or isinstance(f, ForeignKeyField))]
            rows = snapshot.rows[model]
            seen[model._meta.table_name] = sorted(tuple(repr(row[at]) for at in keep) for row in rows)
        return seen
    finally:
        dbmod.close_database()


def every_row(location) -> dict[str, list[tuple]]:
    """The whole database, row for row."""
    dbmod.open_database(str(location))
    try:
        return {model.__name__: list(model.select().order_by(model.id).tuples()) for model in ALL_MODELS}
    finally:
        dbmod.close_database()


def sqlite_dump(location) -> list[str] | None:
    if ON_POSTGRES:
        return None
    connection = sqlite3.connect(location)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def without_ids(outputs: dict[str, str]) -> dict[str, str]:
    """The outputs less what is made of row ids: the ledger's id and parent columns, a vCard's UID."""
    table = list(csv.reader(io.StringIO(outputs["ledger.csv"])))
    dropped = [table[0].index("id"), table[0].index("parent")]
    ledger = [[cell for at, cell in enumerate(row) if at not in dropped] for row in table]
    cards = [line for line in outputs["members.vcf"].splitlines(True) if not line.startswith("UID:")]
    return outputs | {"ledger.csv": repr(ledger), "members.vcf": "".join(cards)}


def lakeside(capsys, db_path, tmp_path) -> None:
    """Group 1 of the target: Lakeside Connectors with its own members and referrals."""
    assert run(capsys, "--db", db_path, "group", "add", *LAKESIDE)[0] == 0
    (tmp_path / "m.csv").write_text(MEMBERS_CSV, encoding="utf-8")
    (tmp_path / "r.csv").write_text(REFERRALS_CSV, encoding="utf-8")
    for kind, path in (("members", tmp_path / "m.csv"), ("referrals", tmp_path / "r.csv")):
        code, _, err = run(capsys, "--db", db_path, "--group", "1", "import", kind, path)
        assert code == 0, err


def test_every_table_of_a_group_is_found_from_the_models():
    declared = {
        value
        for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel
    }
    assert declared == set(ALL_MODELS)  # a model left out of ALL_MODELS would be left out of restore
    assert set(owners()) == set(ALL_MODELS) - {SchemaInfo}
    order = list(owners())
    for model in order:  # parents first
        for field in model._meta.sorted_fields:
            if isinstance(field, ForeignKeyField) and field.rel_model is not model:
                assert order.index(field.rel_model) < order.index(model), (model, field)


def test_load_sample_beside_other_groups_and_refuse_a_name_taken(db_path, tmp_path, capsys):
    lakeside(capsys, db_path, tmp_path)
    before = group_outputs(capsys, db_path, tmp_path, "1")
    code, out, err = run(capsys, "--db", db_path, "load-sample")
    assert (code, err) == (0, "") and out.startswith(f"loaded {SAMPLE}: 27 members")
    rows = every_row(db_path)
    code, out, err = run(capsys, "--db", db_path, "load-sample")
    assert (code, out) == (1, "")
    assert err == (
        f"organizer: this database already has a group called “{SAMPLE}”: "
        "load the sample under another name (load-sample --name NEW)\n"
    )
    assert every_row(db_path) == rows
    assert run(capsys, "--db", db_path, "load-sample", "--name", "42")[2].count("only digits") == 1
    code, out, _ = run(capsys, "--db", db_path, "load-sample", "--name", "Sample Two")
    assert code == 0 and out.startswith("loaded Sample Two: 27 members")
    assert run(capsys, "--db", db_path, "groups")[1] == (
        f"1  Lakeside Connectors  3\n2  {SAMPLE}  25\n3  Sample Two  25\n"
    )
    assert group_outputs(capsys, db_path, tmp_path, "1") == before
    first, second = content(db_path, SAMPLE), content(db_path, "Sample Two")
    # The same sample: every row alike but the name and the meetings' UIDs, new for each group.
    for table in ("group", "meeting", "meeting_series"):
        assert len(first.pop(table)) == len(second.pop(table))
    assert first == second


def test_restore_adds_the_backups_group_beside_the_groups_here(source, backup, db_path, tmp_path, capsys):
    (tmp_path / "source").mkdir()
    expected = group_outputs(capsys, source, tmp_path / "source", SAMPLE)
    lakeside(capsys, db_path, tmp_path)
    before = group_outputs(capsys, db_path, tmp_path, "1")

    code, out, err = run(capsys, "--db", db_path, "restore", backup)
    assert (code, err) == (0, "")
    assert out == (
        f"restored 1 group(s) and 30 members from {backup} as group 2 “{SAMPLE}”; "
        "1 unsaved draft(s) left out (they name rows by the backup's ids)\n"
    )
    assert run(capsys, "--db", db_path, "groups")[1] == f"1  Lakeside Connectors  3\n2  {SAMPLE}  25\n"
    assert content(db_path, SAMPLE) == content(source, SAMPLE)
    assert group_outputs(capsys, db_path, tmp_path, "1") == before  # nothing of the sample in group 1
    # Nor of group 1 in the sample, which shows all it showed, but for what is made of ids.
    assert without_ids(group_outputs(capsys, db_path, tmp_path, SAMPLE)) == without_ids(expected)
    dbmod.open_database(str(db_path))
    try:
        restored = Group.get(Group.name == SAMPLE)
        # Text naming a member by id follows the member.
        me = Member.get_by_id(int(get_setting(restored, "me")))
        assert (me.group_id, me.email) == (restored.id, restored.organizer_email)
        assert opt_outs(Member.get((Member.group == restored) & (Member.email == OPTED_OUT))) == ["digest"]
        assert not Draft.select().exists()
        inviter = Member.get(
            (Member.group == restored) & Member.invited_by.is_null(False) & (Member.status == "active")
        )
        assert inviter.invited_by.group_id == restored.id
        if not ON_POSTGRES:
            assert dbmod.database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        dbmod.close_database()
    # New rows after the restore take the next ids (PostgreSQL's sequences moved too).
    code, out, err = run(capsys, "--db", db_path, "group", "add", *_fields("Harbour Circle"))
    assert code == 0 and out.startswith("created group 3: Harbour Circle"), err


def test_a_copy_of_a_group_here_gets_its_own_uids(source, backup, tmp_path, capsys):
    code, out, err = run(capsys, "--db", source, "restore", backup, "--as-name", "Sample Copy")
    assert code == 0, err
    assert out.startswith(f"restored 1 group(s) and 30 members from {backup} as group 2 “Sample Copy”")
    original, copy = content(source, SAMPLE), content(source, "Sample Copy")
    for table in ("group", "meeting", "meeting_series"):
        assert len(original.pop(table)) == len(copy.pop(table))
    assert original == copy
    dbmod.open_database(str(source))
    try:
        for model in (Meeting, MeetingSeries):
            assert model.select(model.uid).distinct().count() == model.select().count()
    finally:
        dbmod.close_database()


def test_a_refused_restore_changes_nothing(source, backup, db_path, tmp_path, capsys):
    lakeside(capsys, db_path, tmp_path)
    assert run(capsys, "--db", db_path, "restore", backup)[0] == 0
    rows, dump = every_row(db_path), sqlite_dump(db_path)
    both = tmp_path / "both.db"
    shutil.copy(backup, both)
    assert run(capsys, "--db", both, "load-sample", "--name", "Sample Two")[0] == 0

    refusals = {
        (backup,): f"organizer: this database already has a group called “{SAMPLE}”: nothing was restored "
        "(restore it under another name with --as-name NEW)\n",
        (both, "--group", "Sample Two"): "",
        (both, "--as-name", "X"): "organizer: --as-name renames one group and the backup holds 2: "
        "choose one with --group NAME\n",
        (both, "--group", "Nowhere"): "organizer: the backup has no group called “Nowhere” "
        f"(groups: 1 {SAMPLE}, 2 Sample Two)\n",
        (backup, "--as-name", "Lakeside Connectors"): "organizer: this database already has a group called "
        "“Lakeside Connectors”: nothing was restored (restore it under another name with --as-name NEW)\n",
        (backup, "--as-name", "7"): "organizer: a group's name cannot be only digits (--group N means group id N): "
        "nothing was restored (restore it under another name with --as-name NEW)\n",
    }
    for args, said in refusals.items():
        code, out, err = run(capsys, "--db", db_path, "restore", *args)
        if not said:  # the one that is allowed: then it is refused a second time
            assert code == 0, err
            rows, dump = every_row(db_path), sqlite_dump(db_path)
            code, out, err = run(capsys, "--db", db_path, "restore", *args)
            assert "already has a group called “Sample Two”" in err
        else:
            assert err == said, args
        assert (code, out) == (1, "")
        assert every_row(db_path) == rows and sqlite_dump(db_path) == dump, args


def test_an_older_backup_is_upgraded_then_restored_beside(backup, db_path, tmp_path, capsys):
    lakeside(capsys, db_path, tmp_path)
    make_version_1(backup)
    code, out, err = run(capsys, "--db", db_path, "restore", backup)
    assert code == 0, err
    assert out.startswith(f"restored 1 group(s) and 30 members from {backup} as group 2 “{SAMPLE}”")
    assert f"(schema upgraded from version 1 to {SCHEMA_VERSION})" in out
    dbmod.open_database(str(db_path))
    try:
        group = Group.get(Group.name == SAMPLE)
        zoe = Member.get((Member.group == group) & (Member.email == "zoe@lefevre.design"))
        assert "zoe lefevre" in zoe.search_key  # version 2's column, filled by the upgrade
        assert Member.select().where(Member.group == group).count() == 30
    finally:
        dbmod.close_database()


def test_into_a_database_with_no_group_the_ids_are_kept(source, backup, db_path, capsys):
    # PostgreSQL always copies rows; SQLite copies the whole file unless --group chooses.
    choose = [] if ON_POSTGRES else ["--group", SAMPLE]
    code, out, err = run(capsys, "--db", db_path, "restore", backup, *choose)
    assert code == 0, err
    assert out == f"restored 1 group(s) and 30 members from {backup} as group 1 “{SAMPLE}”\n"
    here, there = every_row(db_path), every_row(source)
    del here["SchemaInfo"], there["SchemaInfo"]
    assert here == there  # drafts and settings too: the ids in their text still hold


def _fields(name: str) -> list[str]:
    return ["--name", name, "--timezone", "UTC", "--organizer-name", "N", "--organizer-email", "n@example.ie"]
