"""Rescheduling onto a date that already has a meeting: the service says what is in the way
and, once the person says yes, cancels it and moves this one there in one transaction; the
command line asks on a terminal and takes --cancel-other in a script."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from organizer.cli import main
from organizer.errors import UserError
from organizer.models import Meeting
from organizer.services import invites, meetings
from organizer.services.recurrence import local_start, parse_rule

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def weekly(group):
    return meetings.create_series(
        group,
        rule=parse_rule("every tuesday"),
        at="07:30",
        minutes=90,
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 31),
        title="Weekly breakfast",
        now=NOW,
    )


def on(group, day: date) -> Meeting:
    return meetings.occurrence(group, day)


def at(day: date, hour: int = 7, minute: int = 30) -> datetime:
    return local_start(day, time(hour, minute), TORONTO)


def fresh(meeting: Meeting) -> Meeting:
    return Meeting.get_by_id(meeting.id)


def test_the_check_says_what_is_in_the_way(group, weekly):
    eighth = on(group, date(2026, 12, 8))
    clash = meetings.in_the_way(group, at(date(2026, 12, 15), 18, 0), moving=eighth)
    assert clash is not None
    assert clash.meeting == on(group, date(2026, 12, 15))
    assert (clash.day, clash.at, clash.title, clash.in_series, clash.held) == (
        date(2026, 12, 15),
        "07:30",
        "Weekly breakfast",
        True,
        False,
    )
    assert clash.describe() == "2026-12-15 already has a meeting (07:30, Weekly breakfast)"
    # Its own date, later that day, is nothing in the way; nor a free day.
    assert meetings.in_the_way(group, at(date(2026, 12, 8), 9, 0), moving=eighth) is None
    assert meetings.in_the_way(group, at(date(2026, 12, 10)), moving=eighth) is None
    # A cancelled meeting leaves its day free.
    meetings.cancel_meeting(on(group, date(2026, 12, 22)), now=NOW)
    assert meetings.in_the_way(group, at(date(2026, 12, 22)), moving=eighth) is None


def test_a_one_off_in_the_way_is_named_as_one(group, weekly):
    meetings.create_meeting(group, starts_at=at(date(2026, 12, 11), 18, 0), minutes=120, title="Summer social", now=NOW)
    clash = meetings.in_the_way(group, at(date(2026, 12, 11)), moving=on(group, date(2026, 12, 8)))
    assert clash is not None and not clash.in_series
    assert clash.describe() == "2026-12-11 already has a meeting (18:00, Summer social, a one-off meeting)"


def test_a_plain_reschedule_still_refuses_a_taken_date(group, weekly):
    eighth = on(group, date(2026, 12, 8))
    with pytest.raises(UserError, match="already a meeting on 2026-12-15"):
        meetings.reschedule(eighth, starts_at=at(date(2026, 12, 15)), now=NOW)
    assert fresh(eighth).starts_at == at(date(2026, 12, 8))


def test_replacing_cancels_the_other_and_moves_this_one_in_one_go(group, weekly):
    eighth, fifteenth = on(group, date(2026, 12, 8)), on(group, date(2026, 12, 15))
    request_before = Calendar.from_ical(invites.invite_bytes(fifteenth, NOW))
    clash = meetings.in_the_way(group, at(date(2026, 12, 15)), moving=eighth)
    later = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

    moved = meetings.reschedule_replacing(eighth, clash, starts_at=at(date(2026, 12, 15)), now=later)

    assert moved.summary() == "moved 2026-12-08 to 2026-12-15; the meeting already on 2026-12-15 is cancelled"
    assert moved.meeting.id == eighth.id and moved.cancelled is not None and moved.cancelled.id == fifteenth.id
    cancelled, now_on = fresh(fifteenth), fresh(eighth)
    assert (cancelled.status, cancelled.sequence, cancelled.updated_at) == ("cancelled", 1, later)
    assert (now_on.status, now_on.sequence, now_on.starts_at) == ("scheduled", 1, at(date(2026, 12, 15)))
    assert now_on.occurrence_date == date(2026, 12, 8)  # its RECURRENCE-ID stays its slot
    # One meeting a date: the date names the moved one now; the 8th has none that happens.
    assert meetings.occurrence(group, date(2026, 12, 15)) == now_on
    live = [m for m in meetings.list_meetings(group, date(2026, 12, 8), date(2026, 12, 15)) if m.status == "scheduled"]
    assert [m.id for m in live] == [eighth.id]

    # The cancelled meeting's CANCEL names it as its invite did, with a higher SEQUENCE.
    cancel = Calendar.from_ical(invites.invite_bytes(cancelled, NOW, cancel=True))
    assert cancel["METHOD"] == "CANCEL"
    (before,), (after,) = request_before.walk("VEVENT"), cancel.walk("VEVENT")
    assert after["STATUS"] == "CANCELLED"
    assert after["UID"] == before["UID"] == weekly.uid
    assert after["RECURRENCE-ID"].dt == before["RECURRENCE-ID"].dt == at(date(2026, 12, 15))
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1 == 1


def test_a_different_meeting_in_the_way_now_changes_nothing(group, weekly):
    eighth = on(group, date(2026, 12, 8))
    asked_about = meetings.in_the_way(group, at(date(2026, 12, 15)), moving=eighth)
    with pytest.raises(UserError, match=r"2026-12-22 already has a meeting .* not the one you were asked about"):
        meetings.reschedule_replacing(eighth, asked_about, starts_at=at(date(2026, 12, 22)), now=NOW)
    assert {(m.status, m.sequence) for m in meetings.list_meetings(group)} == {("scheduled", 0)}


def test_a_held_meeting_in_the_way_is_not_cancelled_and_nothing_moves(group, weekly):
    eighth, first = on(group, date(2026, 12, 8)), on(group, date(2026, 12, 1))
    meetings.mark_held(first, now=NOW)
    clash = meetings.in_the_way(group, at(date(2026, 12, 1)), moving=eighth)
    assert clash is not None and clash.held
    assert clash.describe() == "2026-12-01 already has a meeting that was held (07:30, Weekly breakfast)"
    with pytest.raises(UserError, match="was held: it cannot be cancelled"):
        meetings.reschedule_replacing(eighth, clash, starts_at=at(date(2026, 12, 1)), now=NOW)
    assert fresh(first).status == "held"
    assert (fresh(eighth).starts_at, fresh(eighth).sequence) == (at(date(2026, 12, 8)), 0)


def test_a_meeting_gone_meanwhile_is_not_said_to_be_cancelled(group, weekly):
    eighth = on(group, date(2026, 12, 8))
    clash = meetings.in_the_way(group, at(date(2026, 12, 15)), moving=eighth)
    meetings.skip_occurrence(clash.meeting, now=NOW)  # someone else, meanwhile
    moved = meetings.reschedule_replacing(eighth, clash, starts_at=at(date(2026, 12, 15)), now=NOW)
    assert moved.cancelled is None and moved.summary() == "moved 2026-12-08 to 2026-12-15"
    assert fresh(clash.meeting).status == "skipped"


# -- the command line --------------------------------------------------------------------


class Terminal(io.StringIO):
    """Standard input as a person at a terminal types it."""

    def isatty(self) -> bool:
        return True


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture
def run(db_path, capsys, monkeypatch):
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: NOW)
    monkeypatch.setattr("sys.stdin", Pipe(""))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    init = (
        "init",
        "--name",
        "Breakfast Club",
        "--timezone",
        "America/Toronto",
        "--organizer-name",
        "Olu",
        "--organizer-email",
        "olu@example.com",
    )
    assert run(*init)[0] == 0
    schedule = ("schedule", "--rule", "every tuesday", "--at", "07:30", "--minutes", "90")
    assert run(*schedule, "--from", "2026-12-01", "--until", "2026-12-31", "--title", "Weekly breakfast")[0] == 0
    return run


def listed(run) -> list[str]:
    return run("meetings", "--from", "2026-12-01", "--to", "2026-12-31")[1].splitlines()


BEFORE = [
    "2026-12-01 07:30 America/Toronto  scheduled  Weekly breakfast",
    "2026-12-08 07:30 America/Toronto  scheduled  Weekly breakfast",
    "2026-12-15 07:30 America/Toronto  scheduled  Weekly breakfast",
    "2026-12-22 07:30 America/Toronto  scheduled  Weekly breakfast",
    "2026-12-29 07:30 America/Toronto  scheduled  Weekly breakfast",
]
QUESTION = "2026-12-15 already has a meeting (07:30, Weekly breakfast): cancel it and move this one there? [y/N] "


def moved_lines(cancelled_id: int) -> list[str]:
    return [
        "moved 2026-12-08 to 2026-12-15; the meeting already on 2026-12-15 is cancelled",
        "rescheduled: 2026-12-15 07:30 America/Toronto  scheduled  Weekly breakfast (sequence 1)",
        "cancelled: 2026-12-15 07:30 America/Toronto  cancelled  Weekly breakfast (sequence 1); "
        f"its cancellation: organizer ics --meeting {cancelled_id} --cancel -o FILE",
    ]


def fifteenth_id() -> int:
    return Meeting.get(Meeting.occurrence_date == date(2026, 12, 15)).id


@pytest.mark.parametrize("answer", ["y\n", "Yes\n"])
def test_on_a_terminal_it_asks_and_a_yes_moves_it(run, monkeypatch, answer):
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    code, out, err = run("reschedule", "2026-12-08", "--to", "2026-12-15 07:30")
    assert (code, err) == (0, QUESTION)
    assert out.splitlines() == moved_lines(fifteenth_id())
    assert listed(run) == [
        BEFORE[0],
        "2026-12-15 07:30 America/Toronto  scheduled  Weekly breakfast",
        "2026-12-15 07:30 America/Toronto  cancelled  Weekly breakfast",
        *BEFORE[3:],
    ]


@pytest.mark.parametrize("answer", ["\n", "n\n", "nope\n", ""])  # Enter, no, anything else, end of input
def test_on_a_terminal_anything_but_yes_changes_nothing(run, monkeypatch, answer):
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    code, out, err = run("reschedule", "2026-12-08", "--to", "2026-12-15 07:30")
    assert (code, out, err) == (1, "", QUESTION + "nothing changed\n")
    assert listed(run) == BEFORE


def test_in_a_script_without_the_flag_it_is_one_line_and_nothing_is_written(run):
    code, out, err = run("reschedule", "2026-12-08", "--to", "2026-12-15 07:30")
    assert (code, out) == (1, "")
    assert err == (
        "organizer: 2026-12-15 already has a meeting (07:30, Weekly breakfast): "
        "give --cancel-other to cancel it and move this one there\n"
    )
    assert listed(run) == BEFORE


@pytest.mark.parametrize("stdin", [Pipe(""), Terminal("")])
def test_the_flag_says_yes_without_a_question(run, monkeypatch, tmp_path, stdin):
    monkeypatch.setattr("sys.stdin", stdin)
    code, out, err = run("reschedule", "2026-12-08", "--to", "2026-12-15 07:30", "--cancel-other")
    assert (code, err) == (0, "")
    assert out.splitlines() == moved_lines(fifteenth_id())
    # The cancellation the output names is written with the raised SEQUENCE.
    path = tmp_path / "cancel.ics"
    assert run("ics", "--meeting", str(fifteenth_id()), "--cancel", "-o", str(path))[0] == 0
    (event,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert (event["STATUS"], int(event["SEQUENCE"])) == ("CANCELLED", 1)


def test_a_held_meeting_in_the_way_is_refused_without_a_question(run, monkeypatch):
    meetings.mark_held(Meeting.get(Meeting.occurrence_date == date(2026, 12, 15)), now=NOW)
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, err = run("reschedule", "2026-12-08", "--to", "2026-12-15 07:30", "--cancel-other")
    assert (code, out) == (1, "")
    assert (
        err
        == "organizer: 2026-12-15 already has a meeting that was held (07:30, Weekly breakfast): choose another date\n"
    )


def test_a_held_meeting_is_not_moved_and_nothing_is_asked(run, monkeypatch):
    meetings.mark_held(Meeting.get(Meeting.occurrence_date == date(2026, 12, 8)), now=NOW)
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, err = run("reschedule", "2026-12-08", "--to", "2026-12-15 07:30")
    assert (code, out, err) == (1, "", "organizer: the meeting on 2026-12-08 was held: it cannot be moved\n")


def test_a_free_date_asks_nothing(run, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal(""))
    code, out, err = run("reschedule", "2026-12-08", "--to", "2026-12-10 18:00")
    assert (code, err) == (0, "")
    assert out == "rescheduled: 2026-12-10 18:00 America/Toronto  scheduled  Weekly breakfast (sequence 1)\n"
