"""Any cadence: rules in words and as RRULEs, evaluated by dateutil, exported as the same
RRULE, and read back alike by dateutil and recurring-ical-events across DST changes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr
from icalendar import Calendar

from organizer import db as dbmod
from organizer.errors import ValidationError
from organizer.models import MeetingSeries
from organizer.services.recurrence import parse_rrule, parse_rule
from tests.conftest import CLI_CLOCK as CLOCK


@pytest.mark.parametrize(
    ("words", "rrule", "described"),
    [
        ("every tuesday", "FREQ=WEEKLY;BYDAY=TU", "every Tuesday"),
        (
            "Every other Thursday",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
            "every other Thursday",
        ),
        (
            "1st and 3rd wednesday",
            "FREQ=MONTHLY;BYDAY=1WE,3WE",
            "1st and 3rd Wednesday",
        ),
        ("2nd and last monday", "FREQ=MONTHLY;BYDAY=2MO,-1MO", "2nd and last Monday"),
        ("last and 2nd mon", "FREQ=MONTHLY;BYDAY=2MO,-1MO", "2nd and last Monday"),
        ("3rd thursday", "FREQ=MONTHLY;BYDAY=3TH", "3rd Thursday"),
        ("every fourth sun of the month", "FREQ=MONTHLY;BYDAY=4SU", "4th Sunday"),
    ],
)
def test_rules_in_words_are_rrules(words, rrule, described):
    rule = parse_rule(words)
    assert rule.text == rrule
    assert rule.describe() == described
    assert parse_rrule(rule.text) == rule


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO", "1st Monday, every other month"),
        ("RRULE:freq=monthly;byday=TU;bysetpos=2", "2nd Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH", "every 3 weeks on Monday and Thursday"),
    ],
)
def test_rrules_are_accepted_and_worded(text, described):
    assert parse_rrule(text).describe() == described


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("FREQ=YEARLY;BYMONTH=3", "FREQ=YEARLY is not supported"),
        ("FREQ=DAILY", "FREQ=DAILY is not supported"),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=4", "COUNT is not supported"),
        ("FREQ=WEEKLY;BYDAY=TU;UNTIL=20261231T000000Z", "UNTIL is not supported"),
        ("FREQ=MONTHLY;BYMONTHDAY=1", "BYMONTHDAY is not supported"),
        ("FREQ=WEEKLY;BYDAY=2TU", "only monthly"),
        ("FREQ=WEEKLY;BYDAY=XX", "is not a day"),
        ("FREQ=WEEKLY", "BYDAY is missing"),
        ("BYDAY=TU", "FREQ is missing"),
        ("FREQ=WEEKLY;INTERVAL=0;BYDAY=TU", "INTERVAL"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=10", "gives no date"),
    ],
)
def test_other_rrules_are_refused_in_one_line(text, why):
    with pytest.raises(ValidationError) as error:
        parse_rrule(text)
    message = error.value.fields["rrule"]
    assert why in message and "\n" not in message
    assert "FREQ=WEEKLY or FREQ=MONTHLY" in message


def test_every_other_thursday_counts_from_the_first_thursday_on_or_after_the_start():
    rule = parse_rule("every other thursday")
    # 2026-03-06 is a Friday: the first Thursday on or after it is the 12th.
    assert list(rule.dates(date(2026, 3, 6), date(2026, 4, 30))) == [
        date(2026, 3, 12),
        date(2026, 3, 26),
        date(2026, 4, 9),
        date(2026, 4, 23),
    ]
    # Starting on the Thursday itself, it is the first.
    assert next(rule.dates(date(2026, 3, 5))) == date(2026, 3, 5)


@pytest.fixture
def run(cli):
    return cli


@pytest.fixture
def berlin(run):
    assert (
        run(
            "init",
            "--name",
            "Spree Kreis",
            "--timezone",
            "Europe/Berlin",
            "--organizer-name",
            "Jana Vogel",
            "--organizer-email",
            "jana@example.de",
        )[0]
        == 0
    )
    return run


CADENCES = [
    ("--rule", "every tuesday", "07:00"),
    ("--rule", "every other thursday", "18:30"),
    ("--rule", "1st and 3rd wednesday", "12:00"),
    ("--rule", "2nd and last monday", "07:30"),
    ("--rule", "last sunday", "02:30"),  # skipped in March and repeated in October
    ("--rrule", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1FR", "19:00"),
    ("--rrule", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "17:00"),
    ("--rrule", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH", "08:15"),
]


def _listed(run, start: str, end: str) -> list[datetime]:
    code, out, err = run("meetings", "--from", start, "--to", end)
    assert (code, err) == (0, "")
    starts = []
    for line in out.splitlines():
        day, clock, zone_name, rest = line.split(" ", 3)
        assert zone_name == "Europe/Berlin"
        if rest.split()[0] in ("scheduled", "held"):
            starts.append(datetime.fromisoformat(f"{day} {clock}"))
    return starts


def _series_file(run, tmp_path) -> Calendar:
    path = tmp_path / "series.ics"
    code, _, err = run("ics", "--series", "-o", str(path))
    assert (code, err) == (0, "")
    return Calendar.from_ical(path.read_bytes())


@pytest.mark.parametrize(("option", "rule", "at"), CADENCES, ids=[c[1] for c in CADENCES])
def test_every_occurrence_equals_what_dateutil_and_recurring_ical_events_read(berlin, tmp_path, option, rule, at):
    code, _, err = berlin(
        "schedule",
        option,
        rule,
        "--at",
        at,
        "--minutes",
        "90",
        "--from",
        "2026-01-09",
        "--until",
        "2027-12-31",
    )
    assert (code, err) == (0, ""), err
    listed = _listed(berlin, "2026-01-01", "2027-12-31")
    assert listed and len(listed) == len(set(listed))

    calendar = _series_file(berlin, tmp_path)
    master = next(event for event in calendar.walk("VEVENT") if "RRULE" in event)
    # The series' iCal RRULE is the rule itself (plus the series' UNTIL).
    exported = master["RRULE"].to_ical().decode()
    wanted = parse_rule(rule) if option == "--rule" else parse_rrule(rule)
    parts = [part for part in exported.split(";") if not part.startswith("UNTIL=")]
    assert ";".join(parts) == wanted.text

    # dateutil from the file's own DTSTART and RRULE (wall times in the zone).
    dtstart = master.decoded("DTSTART")
    dateutil_starts = [moment.replace(tzinfo=None) for moment in rrulestr(exported, dtstart=dtstart)]
    zone = ZoneInfo("Europe/Berlin")
    # A wall time the clocks skip is the meeting one hour later (as stored and listed).
    real = [
        (moment.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)).replace(tzinfo=None)
        for moment in dateutil_starts
    ]
    assert real == listed

    # recurring-ical-events reads the whole file (VTIMEZONE, RRULE, UNTIL) alike.
    events = recurring_ical_events.of(calendar).between(datetime(2026, 1, 1), datetime(2028, 1, 1))
    read = sorted(event.decoded("DTSTART").astimezone(zone).replace(tzinfo=None) for event in events)
    assert read == listed


def test_skip_reschedule_cancel_feed_and_invites_on_a_weekly_series(berlin, tmp_path):
    assert (
        berlin(
            "schedule",
            "--rule",
            "every other thursday",
            "--at",
            "07:30",
            "--minutes",
            "90",
            "--from",
            "2026-03-06",
            "--until",
            "2026-06-30",
        )[0]
        == 0
    )
    assert berlin("meetings", "--from", "2026-03-01", "--to", "2026-04-10")[1].splitlines() == [
        "2026-03-12 07:30 Europe/Berlin  scheduled  Spree Kreis meeting",
        "2026-03-26 07:30 Europe/Berlin  scheduled  Spree Kreis meeting",
        "2026-04-09 07:30 Europe/Berlin  scheduled  Spree Kreis meeting",
    ]
    assert berlin("skip", "2026-03-26")[0] == 0
    assert berlin("cancel", "2026-04-23")[0] == 0
    assert berlin("reschedule", "2026-05-07", "--to", "2026-05-06 19:00")[0] == 0
    calendar = _series_file(berlin, tmp_path)
    zone = ZoneInfo("Europe/Berlin")
    events = recurring_ical_events.of(calendar).between(datetime(2026, 3, 1), datetime(2026, 7, 1))
    read = sorted(event.decoded("DTSTART").astimezone(zone).replace(tzinfo=None) for event in events)
    assert read == _listed(berlin, "2026-03-01", "2026-06-30")
    assert datetime(2026, 5, 6, 19, 0) in read and datetime(2026, 3, 26, 7, 30) not in read

    feed = tmp_path / "feed.ics"
    assert berlin("ics", "--feed", "-o", str(feed))[0] == 0
    fed = recurring_ical_events.of(Calendar.from_ical(feed.read_bytes())).between(
        datetime(2026, 3, 1), datetime(2026, 7, 1)
    )
    # The feed has the meetings that happen (the series, as the series file has it): the
    # skipped and the cancelled one are left out.
    assert sorted(event.decoded("DTSTART").astimezone(zone).replace(tzinfo=None) for event in fed) == read
    invite = tmp_path / "invite.ics"
    code, _, err = berlin("ics", "--meeting", "2026-04-09", "-o", str(invite))
    assert (code, err) == (0, "")
    (event,) = Calendar.from_ical(invite.read_bytes()).walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(zone).replace(tzinfo=None) == datetime(2026, 4, 9, 7, 30)


def test_a_weekly_series_replaced_by_a_monthly_one_keeps_the_meetings_that_match(
    berlin,
):
    assert (
        berlin(
            "schedule",
            "--rule",
            "every tuesday",
            "--at",
            "07:30",
            "--minutes",
            "90",
            "--from",
            "2026-03-01",
            "--until",
            "2026-04-30",
        )[0]
        == 0
    )
    code, _, err = berlin(
        "schedule",
        "--rule",
        "2nd tuesday",
        "--at",
        "07:30",
        "--minutes",
        "90",
        "--from",
        "2026-04-01",
    )
    assert (code, err) == (0, "")
    lines = berlin("meetings", "--from", "2026-04-01", "--to", "2026-04-30")[1].splitlines()
    assert [line.split("  ")[1] for line in lines] == [
        "cancelled",
        "scheduled",
        "cancelled",
        "cancelled",
    ]
    assert lines[1].startswith("2026-04-14 07:30")


def test_the_command_line_refuses_a_bad_rrule_and_both_options(berlin):
    code, _, err = berlin(
        "schedule",
        "--rrule",
        "FREQ=YEARLY;BYMONTH=1",
        "--at",
        "07:30",
        "--minutes",
        "90",
        "--from",
        "2026-03-01",
    )
    assert code == 1
    assert err.startswith("organizer: rrule: “FREQ=YEARLY;BYMONTH=1”: FREQ=YEARLY is not supported")
    assert err.count("\n") == 1
    code, _, err = berlin(
        "schedule",
        "--rule",
        "every tuesday",
        "--rrule",
        "FREQ=WEEKLY;BYDAY=TU",
        "--at",
        "07:30",
        "--minutes",
        "90",
        "--from",
        "2026-03-01",
    )
    assert code != 0 and "not allowed with argument --rule" in err


@pytest.mark.sqlite_only  # a version-3 file made by hand with sqlite3
def test_version_3_series_become_rrules(db_path):
    from organizer.services import meetings
    from organizer.services.groups import create_group

    dbmod.open_database(str(db_path))
    group = create_group(
        name="Old",
        timezone="Europe/Berlin",
        organizer_name="O",
        organizer_email="o@example.de",
        now=CLOCK,
    )
    meetings.create_series(
        group,
        rule=parse_rule("last friday"),
        at="07:30",
        minutes=90,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 3, 31),
        now=CLOCK,
    )
    dbmod.close_database()
    # Make it a version-3 database: no rrule (nor the other version-4 columns and table).
    con = sqlite3.connect(db_path)
    con.execute("ALTER TABLE meeting_series DROP COLUMN rrule")
    con.execute('ALTER TABLE "group" DROP COLUMN country')
    con.execute('ALTER TABLE "group" DROP COLUMN subdivision')
    con.execute("ALTER TABLE member DROP COLUMN contacted_on")
    con.execute("DROP TABLE member_event")
    con.execute("UPDATE schema_info SET version = 3")
    con.commit()
    con.close()
    dbmod.open_database(str(db_path))
    try:
        series = MeetingSeries.get()
        assert series.rrule == "FREQ=MONTHLY;BYDAY=-1FR"
        assert [day.isoformat() for day in meetings.series_rule(series).dates(series.starts_on, series.ends_on)] == [
            "2026-01-30",
            "2026-02-27",
            "2026-03-27",
        ]
    finally:
        dbmod.close_database()


def test_an_open_ended_series_reads_alike_within_any_window(berlin, tmp_path):
    code, _, err = berlin(
        "schedule",
        "--rule",
        "every other thursday",
        "--at",
        "02:30",
        "--minutes",
        "60",
        "--from",
        "2026-01-09",
    )
    assert (code, err) == (0, "")
    listed = _listed(berlin, "2026-01-01", "2027-06-30")
    calendar = _series_file(berlin, tmp_path)
    master = next(event for event in calendar.walk("VEVENT") if "RRULE" in event)
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    zone = ZoneInfo("Europe/Berlin")
    events = recurring_ical_events.of(calendar).between(datetime(2026, 1, 1), datetime(2027, 7, 1))
    read = sorted(event.decoded("DTSTART").astimezone(zone).replace(tzinfo=None) for event in events)
    assert read == listed and listed[0] == datetime(2026, 1, 15, 2, 30)


@pytest.mark.parametrize(
    ("option", "text"),
    [
        ("--rrule", "FREQ=WEEKLY;BYDAY=TU\n;X\x1b=1"),
        ("--rule", "every\x1b[31m tuesday\r\n"),
        ("--rrule", "x" * 5000),
    ],
)
def test_hostile_rules_are_refused_in_one_clean_line(berlin, option, text):
    code, out, err = berlin(
        "schedule",
        option,
        text,
        "--at",
        "07:30",
        "--minutes",
        "90",
        "--from",
        "2026-03-01",
    )
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "\x1b" not in err and "\r" not in err
    assert berlin("meetings")[1] == ""  # nothing was stored


def test_a_cadence_changed_from_a_date_reads_as_one_continuous_calendar(berlin, tmp_path):
    assert (
        berlin(
            "schedule",
            "--rule",
            "every tuesday",
            "--at",
            "07:30",
            "--minutes",
            "90",
            "--from",
            "2026-02-01",
            "--until",
            "2026-12-31",
        )[0]
        == 0
    )
    assert berlin("skip", "2026-02-17")[0] == 0
    code, out, err = berlin(
        "schedule",
        "--rule",
        "1st and 3rd wednesday",
        "--at",
        "18:00",
        "--minutes",
        "120",
        "--from",
        "2026-04-01",
        "--until",
        "2026-12-31",
    )
    assert (code, err) == (0, ""), err
    assert "replaced the earlier series from 2026-04-01" in out
    listed = _listed(berlin, "2026-01-01", "2026-12-31")
    assert datetime(2026, 3, 31, 7, 30) in listed and datetime(2026, 4, 1, 18, 0) in listed
    assert not [start for start in listed if start >= datetime(2026, 4, 1) and start.weekday() != 2]
    calendar = _series_file(berlin, tmp_path)
    rules = sorted(
        ";".join(part for part in event["RRULE"].to_ical().decode().split(";") if not part.startswith("UNTIL="))
        for event in calendar.walk("VEVENT")
        if "RRULE" in event
    )
    assert rules == ["FREQ=MONTHLY;BYDAY=1WE,3WE", "FREQ=WEEKLY;BYDAY=TU"]
    zone = ZoneInfo("Europe/Berlin")
    events = recurring_ical_events.of(calendar).between(datetime(2026, 1, 1), datetime(2027, 1, 1))
    read = sorted(event.decoded("DTSTART").astimezone(zone).replace(tzinfo=None) for event in events)
    assert read == listed


def test_a_rule_written_two_ways_is_one_rule():
    assert parse_rrule("FREQ=MONTHLY;BYDAY=-1MO,2MO") == parse_rule("2nd and last monday")
    assert parse_rrule("FREQ=MONTHLY;BYDAY=3WE,1WE,3WE") == parse_rule("3rd and 1st wednesday")
    assert parse_rrule("FREQ=WEEKLY;BYDAY=TH,MO").text == "FREQ=WEEKLY;BYDAY=MO,TH"
