"""Many groups in one database: `group add`, `groups`, `--group`, and each group seeing
only its own members, meetings, referrals, threads, exports and totals (CLI and app)."""

from __future__ import annotations

import pytest

from organizer import db as dbmod
from organizer import personal
from organizer.cli import main
from organizer.clock import frozen
from organizer.errors import UserError, ValidationError
from organizer.models import Member
from organizer.services.groups import add_group, current_group, list_groups
from tests.conftest import NOW, until

LAKESIDE = [
    "--name",
    "Lakeside Connectors",
    "--timezone",
    "Europe/Dublin",
    "--organizer-name",
    "Aoife Byrne",
    "--organizer-email",
    "aoife@example.ie",
    "--currency",
    "EUR",
    "--country",
    "ie",
]

# Group 2's own people and referrals: names found nowhere in the sample group.
MEMBERS_CSV = """name,business,category,email,joined,status
Aoife Byrne,Byrne Bookkeeping,Bookkeeper,aoife@example.ie,2025-01-10,active
Ciarán Ó Súilleabháin,Quayside Carpentry,Carpenter,ciaran@example.ie,2025-02-11,active
Niamh Kowalczyk,Harbour Physio,Physiotherapist,niamh@example.ie,2025-03-12,active
Oisín Delacroix,Visiting Vintner,Wine,oisin@example.ie,2026-10-01,visitor
"""
REFERRALS_CSV = """date,giver,receiver,prospect,kind,temperature,status,value,notes
2026-11-03,aoife@example.ie,ciaran@example.ie,Marina Bistro refit,outside,4,won,1200.00,
2026-11-04,ciaran@example.ie,niamh@example.ie,Rowing club physio,outside,3,open,,
2026-11-05,niamh@example.ie,aoife@example.ie,Clinic year-end books,inside,5,won,300.50,
"""


# Words of the sample group a screen of another group must never show.
SAMPLE_WORDS = ("Okafor", "Raman", "Grand", "Kitchener")


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def group_fields(name: str, timezone: str = "UTC", *more: str) -> list[str]:
    """A group's options for `group add` or `init`, the organizer made up."""
    return [
        "--name",
        name,
        "--timezone",
        timezone,
        "--organizer-name",
        "Niamh",
        "--organizer-email",
        "niamh@example.ie",
        *more,
    ]


def test_group_add_lists_and_refuses_what_would_confuse(db_path, capsys):
    assert run(capsys, "--db", db_path, "groups") == (0, "", "")
    code, out, _ = run(capsys, "--db", db_path, "group", "add", *LAKESIDE)
    assert code == 0 and out == "created group 1: Lakeside Connectors (Europe/Dublin)\n"
    code, out, _ = run(
        capsys,
        "--db",
        db_path,
        "group",
        "add",
        *group_fields("Harbour Circle", "Europe/Dublin"),
    )
    assert code == 0 and out.startswith("created group 2: Harbour Circle")
    listed = "1  Lakeside Connectors  0\n2  Harbour Circle  0\n"
    assert run(capsys, "--db", db_path, "groups") == (0, listed, "")
    code, _, err = run(capsys, "--db", db_path, "group", "add", *LAKESIDE)
    assert code == 1
    assert err == "organizer: name: this database already has a group called “Lakeside Connectors”\n"
    refused = {
        "timezone": group_fields("X", "Mars/Base"),
        "only digits": group_fields("42"),
        "country": group_fields("Y", "UTC", "--country", "Ireland"),
    }
    for says, fields in refused.items():
        code, _, err = run(capsys, "--db", db_path, "group", "add", *fields)
        assert code == 1 and err.count("\n") == 1 and says in err, err
    # `init` stays the first group's shortcut and points at `group add`.
    code, _, err = run(capsys, "--db", db_path, "init", *group_fields("Z"))
    assert code == 1 and "group add" in err
    assert run(capsys, "--db", db_path, "groups") == (0, listed, "")


def test_with_several_groups_a_command_needs_group_and_names_them(db_path, capsys):
    run(capsys, "--db", db_path, "load-sample")
    run(capsys, "--db", db_path, "group", "add", *LAKESIDE)
    expected = "(groups: 1 Grand River Business Circle, 2 Lakeside Connectors)"
    for command in (
        ["meetings"],
        ["balance"],
        ["threads"],
        ["recap", "2026-11"],
        ["export", "ledger", "x.csv"],
    ):
        code, out, err = run(capsys, "--db", db_path, *command)
        assert (code, out) == (1, ""), command
        assert err == f"organizer: this database holds several groups; choose one with --group NAME_OR_ID {expected}\n"
    code, _, err = run(capsys, "--db", db_path, "--group", "Nowhere", "meetings")
    assert code == 1 and err == f"organizer: no group called “Nowhere” in this database {expected}\n"
    code, _, err = run(capsys, "--db", db_path, "--group", "7", "meetings")
    assert code == 1 and "no group called “7”" in err


def group_outputs(capsys, db_path, folder, group: str) -> dict[str, str]:
    """Everything the command line shows of one group, files included (written in `folder`)."""
    seen = {}
    for name, command in {
        "meetings": ["meetings", "--from", "2025-01-01", "--to", "2027-12-31"],
        "balance": ["balance", "--format", "tsv"],
        "threads": ["threads"],
        "recap": ["recap", "2026-11"],
        "recap-txt": ["recap", "2026-11", "--format", "txt"],
        "stats": ["stats"],
    }.items():
        code, out, err = run(capsys, "--db", db_path, "--group", group, *command)
        assert code == 0, (name, err)
        seen[name] = out
    for name, command in {
        "members.csv": ["export", "members"],
        "members.vcf": ["export", "members"],
        "ledger.csv": ["export", "ledger"],
        "feed.ics": ["ics", "--feed", "-o"],
    }.items():
        path = folder / f"{group}-{name}"
        code, _, err = run(capsys, "--db", db_path, "--group", group, *command, path)
        assert code == 0, (name, err)
        # DTSTAMP is the moment of writing: the rest must match.
        seen[name] = "".join(
            line for line in path.read_text(encoding="utf-8-sig").splitlines(True) if not line.startswith("DTSTAMP")
        )
    return seen


def test_two_groups_see_nothing_of_each_other(sample_db, db_path, tmp_path, capsys):
    def outputs(group: str) -> dict[str, str]:
        return group_outputs(capsys, db_path, tmp_path, group)

    sample_names = [m.name for m in Member.select()]
    dbmod.close_database()
    before = outputs("1")
    assert run(capsys, "--db", db_path, "group", "add", *LAKESIDE)[0] == 0
    (tmp_path / "m.csv").write_text(MEMBERS_CSV, encoding="utf-8")
    (tmp_path / "r.csv").write_text(REFERRALS_CSV, encoding="utf-8")
    for command in (
        ["import", "members", tmp_path / "m.csv"],
        ["import", "referrals", tmp_path / "r.csv"],
        [
            "schedule",
            "--rule",
            "1st thursday",
            "--at",
            "07:30",
            "--minutes",
            "90",
            "--from",
            "2026-09-01",
            "--until",
            "2027-02-28",
        ],
        ["skip", "2026-12-03"],
    ):
        code, _, err = run(capsys, "--db", db_path, "--group", "Lakeside Connectors", *command)
        assert code == 0, (command, err)

    # Group 1 shows exactly what it showed when it was alone.
    assert outputs("Grand River Business Circle") == before
    lakeside = outputs("2")
    everything = "\n".join(lakeside.values())
    assert not [name for name in sample_names if name in everything]
    assert "Grand River" not in everything
    # Group 2's totals, worked out by hand from the files above.
    assert lakeside["stats"] == (
        "groups: 1\nmembers: 3\nvisitors: 1\nmeetings: 6\nreferrals: 3\nthreads: 0\nposts: 0\none_to_ones: 0\n"
    )
    balance = {line.split("\t")[0]: line.split("\t")[1:] for line in lakeside["balance"].splitlines()[1:]}
    assert balance["Aoife Byrne"] == ["1", "1", "1200.00", "300.50"]
    assert balance["Ciarán Ó Súilleabháin"] == ["1", "1", "0.00", "1200.00"]
    assert balance["Niamh Kowalczyk"] == ["1", "1", "300.50", "0.00"]
    assert len(lakeside["meetings"].splitlines()) == 6 and "Europe/Dublin" in lakeside["meetings"]
    assert "2026-12-03 07:30 Europe/Dublin  skipped" in lakeside["meetings"]
    assert lakeside["ledger.csv"].count("\n") == 4 and "Marina Bistro refit" in lakeside["ledger.csv"]
    assert lakeside["members.vcf"].count("BEGIN:VCARD") == 4  # everyone on the roster, the visitor too
    assert "1,500.50" in lakeside["recap"] or "1500.50" in lakeside["recap"]
    code, out, _ = run(capsys, "--db", db_path, "groups")
    assert out == "1  Grand River Business Circle  25\n2  Lakeside Connectors  3\n"


def test_the_services_choose_a_group_only_when_told(db, now):
    with pytest.raises(UserError, match="no group yet"):
        current_group()
    first = add_group(
        now=now,
        name="Alpha",
        timezone="UTC",
        organizer_name="A",
        organizer_email="a@example.com",
    )
    assert current_group() == first
    second = add_group(
        now=now,
        name="Beta",
        timezone="UTC",
        organizer_name="B",
        organizer_email="b@example.com",
        country="de",
    )
    assert current_group("Beta") == second and current_group(str(first.id)) == first
    with pytest.raises(UserError, match="several groups"):
        current_group()
    with pytest.raises(ValidationError):
        add_group(
            now=now,
            name=" Beta ",
            timezone="UTC",
            organizer_name="B",
            organizer_email="b@example.com",
        )
    assert [(line.name, line.active_members) for line in list_groups()] == [
        ("Alpha", 0),
        ("Beta", 0),
    ]


async def test_the_app_switches_groups_and_remembers_the_choice(sample_db, now, capsys):
    from organizer.services.members import add_member
    from organizer.tui.app import make_app
    from organizer.tui.group_switcher import GroupSwitcher

    lakeside = add_group(
        now=now,
        name="Lakeside Connectors",
        timezone="Europe/Dublin",
        organizer_name="Aoife Byrne",
        organizer_email="aoife@example.ie",
    )
    add_member(
        lakeside,
        now=now,
        name="Ciarán Ó Súilleabháin",
        business="Quayside Carpentry",
        category="Carpenter",
    )

    def listed(app) -> list[str]:
        table = app.current_section.table
        return [str(table.get_row_at(index)[0]) for index in range(table.row_count)]

    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.title == "Grand River Business Circle"  # nobody chose yet: the first group
        await pilot.press("2")
        await until(pilot, lambda: len(listed(app)) > 20, "the sample's members")
        assert "Ciarán Ó Súilleabháin" not in listed(app)
        assert all(word in app.export_screenshot() for word in SAMPLE_WORDS[:2])  # the check sees
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, GroupSwitcher), "the group switcher")
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.title == "Lakeside Connectors", "the switch")
        await pilot.press("2")
        await until(
            pilot,
            lambda: app.current_section.SECTION_ID == "members" and listed(app),
            "the members",
        )
        assert listed(app) == ["Ciarán Ó Súilleabháin"]
        for key in "134562":  # no section of the other group shows anything of the sample
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.export_screenshot()
            assert not [word for word in SAMPLE_WORDS if word in screen], key
        assert "Súilleabháin" in screen  # the last one, Members: group 2's own member
        # The palette offers the other group by name.
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Switch group: Grand River Business Circle" in commands
    assert personal.recall("group") == str(lakeside.id)
    again = make_app(frozen(NOW))
    async with again.run_test(size=(120, 40)):
        assert again.title == "Lakeside Connectors"
