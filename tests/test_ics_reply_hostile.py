"""`organizer ics-reply` on hostile .ics files: one line per problem, nothing applied."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from organizer.cli import main
from organizer.models import Attendance
from tests.ical_support import NOW, TORONTO, build
from tests.test_ical_cli import occurrence_reply, reply


@pytest.fixture
def run_reply(db, db_path, tmp_path, monkeypatch, capsys):
    build(TORONTO)
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: NOW)

    def run(data: bytes) -> tuple[int, str, str]:
        path = tmp_path / "reply.ics"
        path.write_bytes(data)
        code = main(["--db", str(db_path), "ics-reply", str(path)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def rsvps() -> list[tuple]:
    return list(Attendance.select(Attendance.meeting, Attendance.member, Attendance.rsvp).tuples())


def with_recurrence_id(line: bytes) -> bytes:
    data = occurrence_reply(datetime(2026, 12, 9, 12, 30, tzinfo=UTC))
    start = data.index(b"RECURRENCE-ID")
    end = data.index(b"\r\n", start)
    return data[:start] + line + data[end:]


@pytest.mark.parametrize(
    "line, words",
    [
        (b"RECURRENCE-ID:20261399T999999Z", "not a date"),
        (b"RECURRENCE-ID;VALUE=PERIOD:20261209T123000Z/PT1H", "not a date"),
        (b"RECURRENCE-ID;VALUE=DURATION:PT1H", "not a date"),
        (b"RECURRENCE-ID:99991209T123000Z", "out of range"),
        (b"RECURRENCE-ID:banana\x1b[2J", "not a date"),
    ],
    ids=["bad date", "period", "duration", "year 9999", "garbage with an escape"],
)
def test_any_recurrence_id_form_is_one_line(run_reply, line, words):
    before = rsvps()
    code, out, err = run_reply(with_recurrence_id(line))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and words in err, err
    assert "Traceback" not in err and "\x1b" not in err
    assert rsvps() == before


def test_an_unknown_uid_and_an_unknown_attendee_are_one_line_each(run_reply):
    from icalendar import Calendar

    first = Calendar.from_ical(reply("no-such-uid@elsewhere\x1b]0;x\x07", "mai@example.com", "ACCEPTED"))
    from organizer.models import Meeting

    second = Calendar.from_ical(reply(Meeting.select().first().uid, "stranger@example.com", "ACCEPTED"))
    first.add_component(second.walk("VEVENT")[0])
    before = rsvps()
    code, _out, err = run_reply(first.to_ical())
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert "did not send" in lines[0] and "stranger@example.com" in lines[1]
    assert "\x1b" not in err and "\x07" not in err
    assert rsvps() == before


def test_a_huge_file_is_refused_without_reading_it_all(run_reply):
    event = reply("series-1@organizer.test", "mai@example.com", "ACCEPTED")
    body = event.split(b"BEGIN:VEVENT")[1].split(b"END:VCALENDAR")[0]
    huge = event.split(b"BEGIN:VEVENT")[0] + (b"BEGIN:VEVENT" + body) * 100_000 + b"END:VCALENDAR\r\n"
    assert len(huge) > 1_000_000
    code, _, err = run_reply(huge)
    assert code == 1 and err.count("\n") == 1 and "at most" in err, err


def test_many_events_below_the_size_cap_are_refused_in_one_line(run_reply):
    event = reply("series-1@organizer.test", "mai@example.com", "ACCEPTED")
    body = event.split(b"BEGIN:VEVENT")[1].split(b"END:VCALENDAR")[0]
    many = event.split(b"BEGIN:VEVENT")[0] + (b"BEGIN:VEVENT" + body) * 500 + b"END:VCALENDAR\r\n"
    code, _, err = run_reply(many)
    assert code == 1 and err.count("\n") == 1 and "500 events" in err, err
