"""The group's year: public holidays under the meetings, renewals due, renewing."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest

from organizer import db as dbmod
from organizer.errors import ValidationError
from organizer.models import Group, Member
from organizer.services import members, renewals
from organizer.services.countries import parse_country
from organizer.services.holidays import holiday_on, holidays_between
from tests.conftest import CLI_CLOCK as CLOCK


@pytest.fixture
def run(cli):
    return cli


def _init(run, *extra: str):
    code, _, err = run(
        "init",
        "--name",
        "Isar Runde",
        "--timezone",
        "Europe/Berlin",
        "--organizer-name",
        "Lena Maier",
        "--organizer-email",
        "lena@example.de",
        *extra,
    )
    assert (code, err) == (0, "")


def test_holidays_lists_the_meetings_on_public_holidays_of_the_subdivision(run):
    _init(run, "--country", "de-by")
    assert (
        run(
            "schedule",
            "--rule",
            "every thursday",
            "--at",
            "07:30",
            "--minutes",
            "90",
            "--from",
            "2026-01-01",
            "--until",
            "2026-12-31",
        )[0]
        == 0
    )
    assert run("skip", "2026-06-04")[0] == 0
    code, out, err = run("holidays")
    assert (code, err) == (0, "")
    # Thursdays of 2026 that are holidays in Bavaria: New Year, Ascension, Corpus Christi
    # (Corpus Christi is not a holiday in every German state).
    assert [line.split("  ")[:2] for line in out.splitlines()] == [
        ["2026-01-01", "scheduled"],
        ["2026-05-14", "scheduled"],
        ["2026-06-04", "skipped"],
    ]
    assert all(len(line.split("  ")) == 3 and line.split("  ")[2] for line in out.splitlines())
    code, out, _ = run("holidays", "--from", "2026-05-01", "--to", "2026-05-31")
    assert out.splitlines() == ["2026-05-14  scheduled  " + out.split("  ")[2].strip()]


def test_a_country_without_subdivision_has_only_the_national_holidays(db):
    assert set(holidays_between("DE", "", date(2026, 1, 1), date(2026, 12, 31))) == {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 10, 3),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }
    bavaria = holidays_between("DE", "BY", date(2026, 1, 1), date(2026, 12, 31))
    assert {date(2026, 1, 6), date(2026, 6, 4), date(2026, 11, 1)} <= set(bavaria)


def test_a_meeting_on_a_holiday_is_flagged_and_none_without_a_country(group):
    assert holiday_on(group, date(2026, 12, 25)) is None
    group.country = "CA"
    group.subdivision = "ON"
    assert holiday_on(group, date(2026, 12, 25))
    assert holiday_on(group, date(2026, 2, 16))  # Family Day, Ontario
    assert holiday_on(group, date(2026, 12, 23)) is None


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("DE", ("DE", "")),
        ("de-by", ("DE", "BY")),
        (" CA-ON ", ("CA", "ON")),
        ("", ("", "")),
    ],
)
def test_country_codes(text, parsed):
    assert parse_country(text) == parsed


@pytest.mark.sqlite_only  # no database file is made: a file
@pytest.mark.parametrize("text", ["XX", "DE-ZZ", "Germany", "\x1b[2J"])
def test_unknown_countries_are_refused_before_the_database_is_created(run, db_path, text):
    code, out, err = run(
        "init",
        "--name",
        "X",
        "--timezone",
        "Europe/Berlin",
        "--organizer-name",
        "A",
        "--organizer-email",
        "a@example.de",
        "--country",
        text,
    )
    assert (code, out) == (1, "")
    assert err.startswith("organizer: country: ") and err.count("\n") == 1
    assert not db_path.exists()


def test_holidays_needs_a_country(run):
    _init(run)
    code, out, err = run("holidays")
    assert (code, out) == (1, "")
    assert err.startswith("organizer: country: the group has no country")


@contextmanager
def opened(db_path):
    """The database between commands (each command closes it when it is done)."""
    dbmod.open_database(str(db_path))
    try:
        yield
    finally:
        dbmod.close_database()


def _roster(group: Group) -> None:
    for name, email, status, due in (
        ("Zoe Late", "zoe@example.de", "active", date(2025, 12, 1)),  # overdue
        ("Ana Soon", "ana@example.de", "active", date(2026, 1, 20)),
        ("Ben Leave", "ben@example.de", "on_leave", date(2026, 1, 20)),
        ("Cy Later", "cy@example.de", "active", date(2026, 3, 1)),  # 55 days ahead
        ("Dan Alumnus", "dan@example.de", "alumni", date(2026, 1, 10)),  # not renewing
        ("Eve Visitor", "eve@example.de", "visitor", date(2026, 1, 10)),
        ("Fay Undated", "fay@example.de", "active", None),
    ):
        members.add_member(group, name=name, email=email, status=status, renewal_due=due, now=CLOCK)


def test_renewals_lists_overdue_and_due_within_days_soonest_first(run, db_path):
    _init(run)
    with opened(db_path):
        _roster(Group.get())
    code, out, err = run("renewals")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "2025-12-01  Zoe Late  zoe@example.de",
        "2026-01-20  Ana Soon  ana@example.de",
        "2026-01-20  Ben Leave  ben@example.de",
    ]
    assert run("renewals", "--within", "60")[1].splitlines()[-1] == "2026-03-01  Cy Later  cy@example.de"
    assert run("renewals", "--within", "0")[1].splitlines() == ["2025-12-01  Zoe Late  zoe@example.de"]
    code, out, err = run("renewals", "--within", "-3")
    assert code == 1 and err.startswith("organizer: within: ")


def test_renewing_moves_the_date_a_year_on_and_is_in_the_history(run, db_path):
    _init(run)
    with opened(db_path):
        _roster(Group.get())
    code, out, err = run("renew", "zoe@example.de")
    assert (code, err) == (0, "")
    assert out == "renewed: Zoe Late, due 2026-12-01\n"
    assert "Zoe Late" not in run("renewals")[1]
    with opened(db_path):
        zoe = Member.get(Member.email == "zoe@example.de")
        (event,) = renewals.member_history(zoe)
        assert (event.action, event.detail) == (
            "renewed",
            "renewal due 2026-12-01 (was 2025-12-01)",
        )
        fay = Member.get(Member.email == "fay@example.de")
        assert renewals.renew(fay, now=CLOCK).renewal_due == date(2027, 1, 5)  # from today: none was set
        with pytest.raises(ValidationError):
            renewals.renew(fay, now=CLOCK, until=date(2026, 6, 1))


def test_renewal_groups_and_the_members_filter(group):
    _roster(group)
    today = date(2026, 1, 5)
    groups = renewals.renewal_groups(group, today)
    assert [(g.label, [m.name for m in g.members]) for g in groups] == [
        ("overdue", ["Zoe Late"]),
        ("due within 30 days", ["Ana Soon", "Ben Leave"]),
        ("due within 60 days", ["Cy Later"]),
        ("due within 90 days", []),
    ]
    assert renewals.due_soon_count(group, today) == 3
    found = members.search_members(group, members.MemberFilter(renewal_by=date(2026, 2, 4)))
    assert [m.name for m in found] == ["Ana Soon", "Ben Leave", "Zoe Late"]
    assert renewals.one_year_on(date(2028, 2, 29)) == date(2029, 2, 28)


def test_onboarding_takes_a_country_and_any_cadence(db):
    from organizer.services.meetings import series_rule
    from organizer.services.onboarding import onboarding_problems, start_group

    values = dict(
        name="Isar Runde",
        timezone="Europe/Berlin",
        organizer_name="Lena Maier",
        organizer_email="lena@example.de",
        currency="EUR",
        country="de-by",
        rule="every other thursday",
        at="07:30",
        minutes="90",
        starts_on="",
    )
    group = start_group(values, now=CLOCK)
    assert (group.country, group.subdivision) == ("DE", "BY")
    (series,) = group.series
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    assert series.starts_on == date(2026, 1, 8)  # the first Thursday from today
    assert series_rule(series).describe() == "every other Thursday"
    _, errors = onboarding_problems({**values, "country": "Bavaria", "rule": "FREQ=YEARLY"}, now=CLOCK)
    assert set(errors) == {"country", "rule"}
    assert "FREQ=YEARLY is not supported" in errors["rule"]


def test_a_visitor_applies_and_joins_from_the_command_line_keeping_visits_and_inviter(run, db_path):
    from organizer.services import attendance, meetings
    from organizer.services.recurrence import parse_rule

    _init(run)
    with opened(db_path):
        group = Group.get()
        host = members.add_member(group, name="Ana Host", email="ana@example.de", now=CLOCK)
        meetings.create_series(
            group,
            rule=parse_rule("every tuesday"),
            at="07:30",
            minutes=90,
            starts_on=date(2026, 1, 6),
            ends_on=date(2026, 2, 28),
            now=CLOCK,
        )
        for day in (date(2026, 1, 6), date(2026, 1, 13)):
            attendance.add_visitor(
                meetings.occurrence(group, day),
                name="Vera Visit",
                invited_by=host,
                now=CLOCK,
            )
    assert run("join", "Ana Host")[2] == "organizer: Ana Host is already active\n"
    assert run("apply", "Vera Visit")[1] == "applicant: Vera Visit\n"
    code, out, err = run("join", "Vera Visit", "--on", "2026-01-20")
    assert (code, err) == (0, "")
    assert out == (
        "joined: Vera Visit, member from 2026-01-20, renewal due 2027-01-20 (2 visits kept, invited by Ana Host)\n"
    )
    with opened(db_path):
        vera = Member.get(Member.name == "Vera Visit")
        assert (vera.status, vera.invited_by.name) == ("active", "Ana Host")
        assert [event.action for event in renewals.member_history(vera)] == [
            "status",
            "joined",
        ]
