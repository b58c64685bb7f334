"""The command-line contract of `one-to-one add`, `import one-to-ones`, `gaps` and `pairings`."""

from __future__ import annotations

import csv
import io
from email import message_from_bytes, policy

import pytest

from organizer.cli import main
from organizer.models import OneToOne
from organizer.services.members import add_member, update_member
from tests.conftest import NOW


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: NOW)


@pytest.fixture
def roster(group, now):
    people = [
        add_member(
            group,
            now=now,
            name="Ana Alves",
            email="ana@example.com",
            category="law",
            phone="+1 519 555 0101",
            good_referral="families buying a first home",
        ),
        add_member(group, now=now, name="Bo Berg", email="bo@example.com", category="print"),
        add_member(
            group,
            now=now,
            name="Zoë Lefèvre",
            email="zoe@example.com",
            category="design",
        ),
        add_member(group, now=now, name="Cy Chen", email="cy@example.com", category="tax"),
        add_member(group, now=now, name="Old Timer", email="old@example.com", category="roofs"),
    ]
    update_member(people[4], now=now, status="alumni")
    return people


def run(db_path, *args):
    return main(["--db", str(db_path), *args])


def test_add_prints_the_id_and_refuses_with_one_line(db_path, roster, capsys):
    assert (
        run(
            db_path,
            "one-to-one",
            "add",
            "ana@example.com",
            "Bo Berg",
            "--on",
            "2026-11-02",
            "--where",
            "video",
            "--notes",
            "coffee",
        )
        == 0
    )
    out, err = capsys.readouterr()
    row = OneToOne.get()
    assert out == f"{row.id}\n" and err == ""
    assert (row.mode, row.notes) == ("video", "coffee")
    cases = [
        (("Ana Alves", "Ana Alves", "--on", "2026-11-02"), "two different members"),
        (
            ("Ana Alves", "Nobody", "--on", "2026-11-02"),
            "no member with the email or name “Nobody”",
        ),
        (("Ana Alves", "Bo Berg", "--on", "2026-12-25"), "in the future"),
        (
            ("Bo Berg", "Ana Alves", "--on", "2026-11-02"),
            "already have a one-to-one on 2026-11-02",
        ),
        (("Ana Alves", "Bo Berg", "--on", "2026-11-31"), "no such day"),
    ]
    for args, reason in cases:
        assert run(db_path, "one-to-one", "add", *args) == 1
        out, err = capsys.readouterr()
        assert out == "" and len(err.splitlines()) == 1 and reason in err and err.startswith("organizer: ")
    assert OneToOne.select().count() == 1


BAD_FILE = (
    "\n".join(
        [
            "date,member_a,member_b,where,notes",
            "2026-01-05,ana@example.com,Bo Berg,in-person,lunch",
            "2026-01-06,Old Timer,Cy Chen,,",
            "2026-01-07,Ana Alves,Ana Alves,video,",
            "2026-01-08,ghost@example.com,Bo Berg,phone,",
            "2026-03-01,Bo Berg,Cy Chen,carrier pigeon,",
        ]
    )
    + "\n"
)


def test_import_all_or_nothing_with_lines_named(db_path, roster, tmp_path, capsys):
    path = tmp_path / "o2o.csv"
    path.write_text(BAD_FILE, encoding="utf-8")
    assert run(db_path, "import", "one-to-ones", str(path)) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[:3] == [
        "line 4, column member_b: the same member as member_a: a one-to-one takes two members",
        "line 5, column member_a: no member with the email “ghost@example.com”",
        "line 6, column where: “carrier pigeon”: where is in-person, video or phone",
    ]
    assert lines[-1] == (
        "organizer: nothing was imported: 3 of 5 rows are invalid "
        "(fix them, or use --skip-invalid to import the others)"
    )
    assert OneToOne.select().count() == 0

    assert run(db_path, "import", "one-to-ones", str(path), "--skip-invalid", "--dry-run") == 0
    assert capsys.readouterr().out.splitlines() == [
        "imported: 2",
        "invalid: 3",
        "dry run: nothing was written",
    ]
    assert OneToOne.select().count() == 0
    assert run(db_path, "import", "one-to-ones", str(path), "--skip-invalid") == 0
    assert capsys.readouterr().out.splitlines() == ["imported: 2", "invalid: 3"]
    assert OneToOne.select().count() == 2  # the alumni member's history is imported too


def test_gaps_tsv_and_member(db_path, roster, capsys):
    ana, bo, zoe, _, old = roster
    for a, b, day in (
        (ana, bo, "2026-10-01"),
        (ana, zoe, "2024-05-01"),
        (bo, old, "2026-01-01"),
    ):
        assert run(db_path, "one-to-one", "add", a.email, b.email, "--on", day) == 0
    capsys.readouterr()
    assert run(db_path, "gaps", "--format", "tsv") == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "member\tmet\tnot_met\tnot_met_12m",
        "Ana Alves\t2\t1\t2",
        "Bo Berg\t1\t2\t2",
        "Cy Chen\t0\t3\t3",
        "Zoë Lefèvre\t1\t2\t3",
    ]
    assert run(db_path, "gaps", "--member", "bo@example.com") == 0
    assert capsys.readouterr().out.splitlines() == ["Cy Chen", "Zoë Lefèvre"]
    assert run(db_path, "gaps") == 0
    assert "Ana Alves" in capsys.readouterr().out


def test_pairings_csv_is_a_matching_deterministic_and_odd_count_said(db_path, roster, capsys, tmp_path):
    ana, bo, _, _, old = roster
    assert run(db_path, "one-to-one", "add", ana.email, bo.email, "--on", "2026-10-01") == 0
    capsys.readouterr()
    assert run(db_path, "pairings", "2026-12", "--format", "csv") == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["member_a", "member_b", "never_met", "last_met"]
    names = [row[key] for row in rows for key in ("member_a", "member_b")]
    assert len(rows) == 2 and all(row["never_met"] == "yes" and row["last_met"] == "" for row in rows)
    assert sorted(set(names)) == sorted(names) and "Old Timer" not in names
    assert err == ""
    assert run(db_path, "pairings", "2026-12", "--format", "csv") == 0
    assert capsys.readouterr().out == out

    update_member(old, now=NOW, status="active")
    assert run(db_path, "pairings", "2026-12", "--format", "csv") == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 3 and "has no partner this month" in err
    assert run(db_path, "pairings", "2026-12", "--format", "csv", "--trio") == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    names = [row[key] for row in rows for key in ("member_a", "member_b")]
    assert len(rows) == 3 and len(set(names)) == 5 and "trio" in err

    eml = tmp_path / "mail"
    every = tmp_path / "all.eml"
    assert (
        run(
            db_path,
            "pairings",
            "2026-12",
            "--trio",
            "--eml",
            str(eml),
            "--eml-all",
            str(every),
            "--accept",
        )
        == 0
    )
    capsys.readouterr()
    files = sorted(eml.iterdir())
    assert len(files) == 3 and all(f.stat().st_mode & 0o777 == 0o600 for f in files)
    messages = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    with_ana = [m for m in messages if "ana@example.com" in m["To"]]
    body = with_ana[0].get_content()
    assert "+1 519 555 0101" in body and "a good referral for me is… families buying a first home" in body
    everyone = message_from_bytes(every.read_bytes(), policy=policy.default)
    assert everyone["To"].count("@") == 5
    assert OneToOne.select().where(OneToOne.planned == True).count() == 3


def test_pairings_refuse_a_bad_month(db_path, roster, capsys):
    assert run(db_path, "pairings", "2026-13") == 1
    assert "is not a month" in capsys.readouterr().err


def test_an_unseen_group_end_to_end(db_path, group, tmp_path, capsys):
    """Import a history with bad rows (nothing imported, then the good ones), check the gaps
    against a count of the file, and the pairings as a matching holding the most never-met
    pairs any matching can (brute force), the same twice."""

    import random
    from datetime import date, timedelta

    rng = random.Random(19)
    people = [
        add_member(
            group,
            now=NOW,
            name=f"Person {i}",
            email=f"p{i}@example.com",
            category=f"c{i}",
        )
        for i in range(9)
    ]
    update_member(people[8], now=NOW, status="alumni")
    today = date(2026, 11, 20)
    rows, held = ["date,member_a,member_b,where,notes"], set()
    while len(held) < 14:
        a, b = rng.sample(people, 2)
        day = today - timedelta(days=rng.randint(0, 800))
        if (a.id, b.id, day) in held or (b.id, a.id, day) in held:
            continue
        held.add((a.id, b.id, day))
        rows.append(f"{day},{a.email},{b.name},{rng.choice(['in-person', 'video', 'phone', ''])},")
    bad = [
        f"{today + timedelta(days=3)},{people[0].email},{people[1].email},,",
        f"{today},{people[2].email},{people[2].email},,",
        f"{today},nobody,{people[1].email},,",
    ]
    path = tmp_path / "history.csv"
    path.write_text("\n".join(rows[:5] + bad + rows[5:]) + "\n", encoding="utf-8")
    assert run(db_path, "import", "one-to-ones", str(path)) == 1
    err = capsys.readouterr().err
    assert all(f"line {n}," in err for n in (6, 7, 8)) and OneToOne.select().count() == 0
    assert run(db_path, "import", "one-to-ones", str(path), "--skip-invalid") == 0
    assert capsys.readouterr().out.splitlines() == ["imported: 14", "invalid: 3"]

    active = [p for p in people if p.status == "active" and p is not people[8]]
    since = date(2025, 11, 20)

    def met(p, q, recent=False):
        return any({a, b} == {p.id, q.id} and (day > since or not recent) for a, b, day in held)

    assert run(db_path, "gaps", "--format", "tsv") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "member\tmet\tnot_met\tnot_met_12m"
    expected = sorted(
        f"{p.name}\t{sum(met(p, q) for q in active if q is not p)}\t"
        f"{sum(not met(p, q) for q in active if q is not p)}\t"
        f"{sum(not met(p, q, True) for q in active if q is not p)}"
        for p in active
    )
    assert lines[1:] == expected

    assert run(db_path, "pairings", "2026-12", "--format", "csv") == 0
    out = capsys.readouterr().out
    pairs = list(csv.DictReader(io.StringIO(out)))
    by_name = {p.name: p for p in active}
    names = [row[k] for row in pairs for k in ("member_a", "member_b")]
    assert len(names) == len(set(names)) and set(names) <= set(by_name)
    for row in pairs:
        assert row["never_met"] == ("no" if met(by_name[row["member_a"]], by_name[row["member_b"]]) else "yes")

    def best(rest):
        if len(rest) < 2:
            return 0
        first, others = rest[0], rest[1:]
        return max([best(others)] + [best([x for x in others if x is not q]) + (not met(first, q)) for q in others])

    assert sum(row["never_met"] == "yes" for row in pairs) == best(active)
    assert run(db_path, "pairings", "2026-12", "--format", "csv") == 0
    assert capsys.readouterr().out == out
