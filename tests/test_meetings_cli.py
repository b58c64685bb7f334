"""`organizer schedule / skip / reschedule / cancel / meetings`: outputs and one-line errors."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, rrule

from organizer.cli import main

CLOCK = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def run(db_path, capsys, monkeypatch):
    """Run the command line on a fresh database with a frozen clock; return (code, out, err)."""
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: CLOCK)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def sydney(run):
    code, _, _ = run(
        "init",
        "--name",
        "Harbour Circle",
        "--timezone",
        "Australia/Sydney",
        "--organizer-name",
        "Mia Chen",
        "--organizer-email",
        "mia@example.com.au",
    )
    assert code == 0
    return run


def test_a_southern_group_with_a_skipped_and_a_moved_month(sydney):
    code, out, err = sydney(
        "schedule",
        "--rule",
        "1st wednesday",
        "--at",
        "18:00",
        "--minutes",
        "120",
        "--from",
        "2026-01-01",
        "--until",
        "2026-06-30",
        "--place",
        "Rooftop bar",
        "--title",
        "Harbour drinks",
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "scheduled 1st Wednesday at 18:00 Australia/Sydney for 120 min from 2026-01-01 until 2026-06-30: "
        "“Harbour drinks”",
        "6 meetings stored",
    ]
    assert sydney("skip", "2026-04-01")[0] == 0
    code, out, _ = sydney("reschedule", "2026-05-06", "--to", "2026-05-07 19:30")
    assert code == 0
    assert out == "rescheduled: 2026-05-07 19:30 Australia/Sydney  scheduled  Harbour drinks (sequence 1)\n"
    code, out, _ = sydney("cancel", "2026-06-03")
    assert out == "cancelled: 2026-06-03 18:00 Australia/Sydney  cancelled  Harbour drinks (sequence 1)\n"

    code, out, err = sydney("meetings")
    assert (code, err) == (0, "")
    # 18:00 local all year, across the April end of summer time.
    assert out.splitlines() == [
        "2026-01-07 18:00 Australia/Sydney  scheduled  Harbour drinks",
        "2026-02-04 18:00 Australia/Sydney  scheduled  Harbour drinks",
        "2026-03-04 18:00 Australia/Sydney  scheduled  Harbour drinks",
        "2026-04-01 18:00 Australia/Sydney  skipped  Harbour drinks",
        "2026-05-07 19:30 Australia/Sydney  scheduled  Harbour drinks",
        "2026-06-03 18:00 Australia/Sydney  cancelled  Harbour drinks",
    ]
    code, out, _ = sydney("meetings", "--from", "2026-03-04", "--to", "2026-05-07")
    assert [line[:10] for line in out.splitlines()] == ["2026-03-04", "2026-04-01", "2026-05-07"]


def test_meetings_to_a_date_past_the_horizon_lists_an_open_series_that_far(sydney):
    assert (
        sydney("schedule", "--rule", "2nd monday", "--at", "12:00", "--minutes", "60", "--from", "2026-01-01")[0] == 0
    )
    code, out, err = sydney("meetings", "--from", "2028-01-01", "--to", "2028-12-31")
    assert (code, err) == (0, "")
    expected = [
        d.date().isoformat()
        for d in rrule(MONTHLY, byweekday=MO(2), dtstart=datetime(2028, 1, 1), until=datetime(2028, 12, 31))
    ]
    assert [line[:10] for line in out.splitlines()] == expected and len(expected) == 12
    assert sydney("skip", "2028-05-08")[0] == 0  # stored now, so it can be changed


def test_the_moved_meeting_answers_to_its_old_date_too(sydney):
    sydney(
        "schedule",
        "--rule",
        "last friday",
        "--at",
        "07:30",
        "--minutes",
        "90",
        "--from",
        "2026-01-01",
        "--until",
        "2026-03-31",
    )
    sydney("reschedule", "2026-02-27", "--to", "2026-02-26 07:30")
    code, out, _ = sydney("reschedule", "2026-02-27", "--place", "Library")
    assert code == 0 and out.startswith("rescheduled: 2026-02-26 07:30 Australia/Sydney  scheduled")
    assert out.endswith("(sequence 2)\n")


def test_schedule_again_replaces_the_series_from_its_date(sydney):
    sydney(
        "schedule",
        "--rule",
        "2nd tuesday",
        "--at",
        "07:30",
        "--minutes",
        "90",
        "--from",
        "2026-01-01",
        "--until",
        "2026-12-31",
        "--title",
        "Breakfast",
    )
    code, out, err = sydney(
        "schedule",
        "--rule",
        "3rd thursday",
        "--at",
        "18:30",
        "--minutes",
        "120",
        "--from",
        "2026-07-01",
        "--until",
        "2026-12-31",
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == (
        "replaced the earlier series from 2026-07-01: 6 meetings moved, length changed for 6 meetings"
    )
    _, listing, _ = sydney("meetings", "--from", "2026-06-01", "--to", "2026-07-31")
    assert listing.splitlines() == [
        "2026-06-09 07:30 Australia/Sydney  scheduled  Breakfast",
        "2026-07-16 18:30 Australia/Sydney  scheduled  Breakfast",
    ]


WEEKDAYS = {"monday": MO, "tuesday": TU, "wednesday": WE, "thursday": TH, "friday": FR, "saturday": SA, "sunday": SU}
NTH = {"1st": 1, "first": 1, "2nd": 2, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}


def rrule_lines(zone_name, rule, at, start, until, skipped, moved, moved_to, title):
    """The listing as dateutil's rrule computes it: the rule's dates, the local time (a time
    the clocks skip read with the offset before the gap, RFC 5545 3.3.5), one month skipped
    and one moved."""
    zone = ZoneInfo(zone_name)
    nth, day = rule.split()
    hour, minute = map(int, at.split(":"))
    lines = {}
    for moment in rrule(
        MONTHLY,
        byweekday=WEEKDAYS[day](NTH[nth]),
        dtstart=datetime.fromisoformat(start),
        until=datetime.fromisoformat(until),
    ):
        wall = moment.replace(hour=hour, minute=minute, tzinfo=zone)
        local = wall.astimezone(UTC).astimezone(zone)
        status = "skipped" if moment.date().isoformat() == skipped else "scheduled"
        lines[moment.date().isoformat()] = f"{local:%Y-%m-%d %H:%M} {zone_name}  {status}  {title}"
    del lines[moved]
    lines[moved_to] = f"{moved_to} {zone_name}  scheduled  {title}"
    return sorted(lines.values())


@pytest.mark.parametrize(
    "zone_name, rule, at, skipped, moved, moved_to",
    [
        ("Pacific/Chatham", "4th monday", "19:45", "2026-09-28", "2026-04-27", "2026-04-28 19:45"),
        ("America/St_Johns", "fourth saturday", "10:00", "2026-03-28", "2026-11-28", "2026-11-27 09:30"),
        ("Asia/Kolkata", "3rd thursday", "09:15", "2026-12-17", "2026-02-19", "2026-02-20 10:45"),
        ("America/Santiago", "first friday", "07:00", "2026-09-04", "2027-04-02", "2027-04-01 07:00"),
        ("Europe/London", "last wednesday", "08:00", "2026-03-25", "2026-10-28", "2026-10-27 08:00"),
        # 02:30 on the last Sunday: skipped by the clocks in March (03:30), twice in October.
        ("Europe/Berlin", "last sunday", "02:30", "2027-03-28", "2026-10-25", "2026-10-24 02:30"),
        # Santiago's clocks skip midnight to 01:00 on the first Sunday of September.
        ("America/Santiago", "1st sunday", "00:30", "2026-05-03", "2026-11-01", "2026-11-02 00:30"),
    ],
)
def test_meetings_in_zones_the_sample_never_sees_match_rrule(run, zone_name, rule, at, skipped, moved, moved_to):
    assert (
        run(
            "init",
            "--name",
            "Circle",
            "--timezone",
            zone_name,
            "--organizer-name",
            "Org",
            "--organizer-email",
            "org@example.org",
        )[0]
        == 0
    )
    assert (
        run(
            "schedule",
            "--rule",
            rule,
            "--at",
            at,
            "--minutes",
            "90",
            "--from",
            "2026-01-01",
            "--until",
            "2027-12-31",
            "--title",
            "Monthly",
        )[0]
        == 0
    )
    assert run("skip", skipped)[0] == 0
    code, out, err = run("reschedule", moved, "--to", moved_to)
    assert (code, err) == (0, ""), err
    code, out, err = run("meetings")
    assert (code, err) == (0, "")
    assert out.splitlines() == rrule_lines(
        zone_name, rule, at, "2026-01-01", "2027-12-31", skipped, moved, moved_to, "Monthly"
    )
    code, out, _ = run("meetings", "--from", "2027-03-01", "--to", "2027-04-30")
    assert len(out.splitlines()) == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("schedule", "--rule", "5th friday", "--at", "18:30", "--minutes", "120", "--from", "2026-01-01"),
            "organizer: rule: “5th friday” is not a meeting rule",
        ),
        (
            ("schedule", "--rule", "3rd thursday", "--at", "25:00", "--minutes", "120", "--from", "2026-01-01"),
            "organizer: at: “25:00” is not a time of day",
        ),
        (
            ("schedule", "--rule", "3rd thursday", "--at", "18:30", "--minutes", "5", "--from", "2026-01-01"),
            "organizer: minutes: a meeting lasts between 15 minutes and 24 hours",
        ),
        (
            ("schedule", "--rule", "3rd thursday", "--at", "18:30", "--minutes", "90", "--from", "2026-02-30"),
            "organizer: from: “2026-02-30” is not a date",
        ),
        (
            (
                "schedule",
                "--rule",
                "3rd thursday",
                "--at",
                "18:30",
                "--minutes",
                "90",
                "--from",
                "2026-03-01",
                "--until",
                "2026-02-01",
            ),
            "organizer: until: the series ends after it starts",
        ),
        (("skip", "2026-01-08"), "organizer: no meeting on 2026-01-08"),
        (("skip", "8 Jan"), "organizer: date: “8 Jan” is not a date"),
        (("cancel", "2026-01-08"), "organizer: no meeting on 2026-01-08"),
        (("reschedule", "2026-01-07", "--to", "next week"), "organizer: to: “next week” is not a date and time"),
        (("reschedule", "2026-01-07"), "organizer: to: give the new date and time"),
        (
            ("reschedule", "2026-01-07", "--to", "2026-02-04 18:00"),
            "organizer: 2026-02-04 already has a meeting (18:00, Harbour Circle monthly meeting): "
            "give --cancel-other to cancel it and move this one there",
        ),
        (("meetings", "--from", "2026-05-01", "--to", "2026-04-01"), "organizer: to: --to is before --from"),
    ],
)
def test_errors_are_one_line_and_exit_1(sydney, monkeypatch, args, message):
    monkeypatch.setattr("sys.stdin", io.StringIO())  # a script's: nothing asks, even under pytest -s
    sydney(
        "schedule",
        "--rule",
        "1st wednesday",
        "--at",
        "18:00",
        "--minutes",
        "120",
        "--from",
        "2026-01-01",
        "--until",
        "2026-03-31",
    )
    code, _out, err = sydney(*args)
    assert code == 1
    assert err.startswith(message), err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_usage_mistake_is_one_line_and_exit_1(sydney, capsys):
    assert main(["schedule", "--rule", "3rd thursday"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("organizer schedule: error: the following arguments are required: --at")
    assert err.count("\n") == 1


def test_skipping_twice_is_an_error_and_changes_nothing(sydney):
    sydney(
        "schedule",
        "--rule",
        "1st wednesday",
        "--at",
        "18:00",
        "--minutes",
        "120",
        "--from",
        "2026-01-01",
        "--until",
        "2026-02-28",
    )
    assert sydney("skip", "2026-02-04")[1].endswith("(sequence 1)\n")
    code, _, err = sydney("skip", "2026-02-04")
    assert (code, err) == (1, "organizer: the meeting on 2026-02-04 is already skipped\n")


def test_no_group_yet_is_one_line(run):
    code, _, err = run("meetings")
    assert code == 1 and err.startswith("organizer: this database has no group yet")


@pytest.mark.parametrize("command", ["schedule", "skip", "reschedule", "cancel", "meetings"])
def test_help_works_on_every_command(command, capsys):
    assert main([command, "--help"]) == 0
    assert command in capsys.readouterr().out


def test_meetings_on_the_sample_group(sample_db, db_path, capsys, monkeypatch, now):
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: now)
    assert main(["--db", str(db_path), "meetings", "--from", "2026-07-01", "--to", "2026-09-30"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2026-07-14 07:30 America/Toronto  held  Grand River Business Circle — monthly meeting",
        "2026-08-11 07:30 America/Toronto  skipped  Grand River Business Circle — monthly meeting",
        "2026-09-08 07:30 America/Toronto  held  Grand River Business Circle — monthly meeting",
    ]
    assert main(["--db", str(db_path), "reschedule", "2026-09-08", "--to", "2026-09-09 07:30"]) == 1
    assert capsys.readouterr().err == "organizer: the meeting on 2026-09-08 was held: it cannot be moved\n"


def test_a_new_groups_invitations_say_all_five_things(sydney):
    from organizer.models import Group, Meeting

    assert (
        sydney("schedule", "--rule", "1st wednesday", "--at", "18:00", "--minutes", "120", "--from", "2026-01-01")[0]
        == 0
    )
    group = Group.get()
    assert group.default_time_needed == "120 minutes, 18:00–20:00."
    for meeting in Meeting.select():
        fields = (meeting.intent, meeting.benefit, meeting.topics, meeting.time_needed, meeting.opt_out)
        assert all(fields) and meeting.time_needed == "120 minutes, 18:00–20:00."
    assert "No reply needed" in group.default_out


def test_a_new_place_is_said_as_a_new_place_not_as_meetings_moved(sydney):
    every = (
        "schedule",
        "--rule",
        "2nd tuesday",
        "--at",
        "07:30",
        "--minutes",
        "90",
        "--from",
        "2026-01-01",
        "--until",
        "2026-06-30",
    )
    sydney(*every)
    code, out, err = sydney(*every[:-4], "--from", "2026-03-01", "--until", "2026-06-30", "--place", "Library")
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == "replaced the earlier series from 2026-03-01: place changed for 4 meetings"
