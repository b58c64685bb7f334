"""`organizer ics` and `organizer ics-reply` from the command line, and replies applied to RSVPs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar, Event, vCalAddress

from organizer.cli import main
from organizer.errors import UserError
from organizer.models import Attendance, Member
from organizer.services import invites
from tests.ical_support import NOW, TORONTO, assert_wellformed, build, by_date


@pytest.fixture
def cli(db, db_path, monkeypatch):
    """The Toronto scenario in a database file, and a way to run commands on it at NOW."""
    _group, series = build(TORONTO)
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: NOW)

    def run(*args: str) -> int:
        return main(["--db", str(db_path), *args])

    run.series = series
    return run


def reply(uid: str, email: str, partstat: str, *, sequence: int = 0, method: str = "REPLY") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Some Mail Client//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    event.add("sequence", sequence)
    event.add("organizer", vCalAddress("mailto:olu@example.com"))
    attendee = vCalAddress(f"mailto:{email}")
    attendee.params["PARTSTAT"] = partstat
    event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return calendar.to_ical()


def occurrence_reply(recurrence_id: datetime) -> bytes:
    """Mai accepts one occurrence of the series file (the Toronto scenario's series UID)."""
    calendar = Calendar.from_ical(reply("series-1@organizer.test", "mai@example.com", "ACCEPTED"))
    calendar.walk("VEVENT")[0].add("recurrence-id", recurrence_id)
    return calendar.to_ical()


@pytest.mark.parametrize(
    "args, method",
    [
        (["--meeting", "next"], "REQUEST"),
        (["--meeting", "2026-12-08", "--cancel"], "CANCEL"),
        (["--series"], "PUBLISH"),
        (["--feed"], "PUBLISH"),
    ],
)
def test_ics_writes_the_file_and_prints_its_path(cli, tmp_path, capsys, args, method):
    target = tmp_path / "out.ics"
    assert cli("ics", *args, "-o", str(target)) == 0
    out, err = capsys.readouterr()
    assert out == f"{target}\n"
    if "--cancel" in args:  # the meeting was on: it is now off in the records too
        assert err == (
            "the meeting on 2026-12-08 is now cancelled in Test Circle's records too "
            "(put it back on in the app if this was a mistake)\n"
        )
    else:
        assert err == ""
    assert assert_wellformed(target.read_bytes())["METHOD"] == method


def test_ics_by_id_and_as_email(cli, tmp_path, capsys):
    meeting = by_date(cli.series, date(2026, 12, 8))
    target = tmp_path / "invite.eml"
    assert cli("ics", "--meeting", str(meeting.id), "--eml", "-o", str(target)) == 0
    assert capsys.readouterr().out == f"{target}\n"
    assert b'Content-Type: text/calendar; charset="utf-8"; method="REQUEST"' in target.read_bytes()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--series", "--cancel"], "--cancel and --eml go with --meeting"),
        (["--feed", "--eml"], "--cancel and --eml go with --meeting"),
        (["--meeting", "2026-05-12"], "the meeting on 2026-05-12 is cancelled: export its cancellation with --cancel"),
        (["--meeting", "2026-12-09"], "no meeting on 2026-12-09"),
        (["--meeting", "soon"], "give next, a meeting id or a date YYYY-MM-DD"),
    ],
)
def test_ics_mistakes_are_one_line(cli, tmp_path, capsys, args, message):
    assert cli("ics", *args, "-o", str(tmp_path / "x.ics")) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not (tmp_path / "x.ics").exists()


def test_ics_needs_one_of_meeting_series_feed(cli, tmp_path, capsys):
    assert cli("ics", "-o", str(tmp_path / "x.ics")) == 1
    assert "one of the arguments --meeting --series --feed is required" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["ics", "ics-reply"])
def test_help(command, capsys):
    assert main([command, "--help"]) == 0
    assert "usage: organizer " + command in capsys.readouterr().out


def test_ics_reply_updates_the_rsvp(cli, tmp_path, capsys):
    meeting = by_date(cli.series, date(2026, 12, 8))
    path = tmp_path / "reply.ics"
    path.write_bytes(reply(meeting.uid, "MAI@example.com", "ACCEPTED"))
    assert cli("ics-reply", str(path)) == 0
    out, err = capsys.readouterr()
    assert out == "2026-12-08 07:30 America/Toronto  Nguyễn Thị Mai  accepted\n" and err == ""
    mai = Member.get(Member.email == "mai@example.com")
    assert Attendance.get((Attendance.meeting == meeting) & (Attendance.member == mai)).rsvp == "accepted"

    path.write_bytes(reply(meeting.uid, "mai@example.com", "DECLINED"))
    assert cli("ics-reply", str(path)) == 0
    assert Attendance.get((Attendance.meeting == meeting) & (Attendance.member == mai)).rsvp == "declined"
    # …and the next invite carries it.
    data = invites.invite_bytes(meeting, NOW)
    assert b"PARTSTAT=DECLINED" in data.replace(b"\r\n ", b"")


def test_a_reply_to_an_older_invite_is_applied_and_said_so(cli, tmp_path, capsys):
    moved = by_date(cli.series, TORONTO.moved)  # SEQUENCE 1 after the move
    path = tmp_path / "reply.ics"
    path.write_bytes(reply(moved.uid, "zoe@example.com", "TENTATIVE", sequence=0))
    assert cli("ics-reply", str(path)) == 0
    assert "Zoë Lefèvre  tentative  (answered an earlier version of the invite)" in capsys.readouterr().out


def test_a_reply_to_one_occurrence_of_the_series_file(cli, tmp_path, capsys):
    calendar = Calendar.from_ical(reply(cli.series.uid, "jing@example.com", "ACCEPTED"))
    calendar.walk("VEVENT")[0].add("recurrence-id", datetime(2026, 12, 8, 12, 30, tzinfo=UTC))
    path = tmp_path / "reply.ics"
    path.write_bytes(calendar.to_ical())
    assert cli("ics-reply", str(path)) == 0
    assert capsys.readouterr().out == "2026-12-08 07:30 America/Toronto  陈静  accepted\n"


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda m: reply("nobody@elsewhere", "mai@example.com", "ACCEPTED"),
            "the reply is for an event Test Circle did not send (UID nobody@elsewhere)",
        ),
        (
            lambda m: reply(m.uid, "stranger@example.com", "ACCEPTED"),
            "the reply is from stranger@example.com, who is not a member of Test Circle",
        ),
        (
            lambda m: reply(m.uid, "mai@example.com", "DELEGATED"),
            "mai@example.com answered DELEGATED, which is not an RSVP",
        ),
        (
            lambda m: reply(m.uid, "mai@example.com", "ACCEPTED", method="REQUEST"),
            "this is not a reply (METHOD is REQUEST, not REPLY)",
        ),
        (lambda m: b"hello, this is not a calendar", "this is not an iCalendar file"),
        (
            lambda m: reply("series-1@organizer.test", "mai@example.com", "ACCEPTED"),
            "the reply answers the whole series series-1@organizer.test",
        ),
        (
            lambda m: occurrence_reply(datetime(2026, 12, 9, 12, 30, tzinfo=UTC)),
            "the reply answers the series series-1@organizer.test on 2026-12-09, when it has no meeting",
        ),
    ],
)
def test_ics_reply_errors_change_nothing(cli, tmp_path, capsys, make, message):
    meeting = by_date(cli.series, date(2026, 12, 8))
    path = tmp_path / "reply.ics"
    path.write_bytes(make(meeting))
    before = list(Attendance.select().tuples())
    assert cli("ics-reply", str(path)) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err, err
    assert list(Attendance.select().tuples()) == before


def test_ics_reply_missing_file(cli, tmp_path, capsys):
    assert cli("ics-reply", str(tmp_path / "nope.ics")) == 1
    assert "cannot read" in capsys.readouterr().err


def test_a_reply_with_two_attendees_applies_both_or_neither(cli):
    meeting = by_date(cli.series, date(2026, 12, 8))
    calendar = Calendar.from_ical(reply(meeting.uid, "mai@example.com", "ACCEPTED"))
    stranger = vCalAddress("mailto:stranger@example.com")
    stranger.params["PARTSTAT"] = "ACCEPTED"
    calendar.walk("VEVENT")[0].add("attendee", stranger, encode=False)
    with pytest.raises(UserError):
        invites.apply_reply(meeting.group, calendar.to_ical(), NOW)
    assert Attendance.select().where(Attendance.meeting == meeting).count() == 0


def test_a_reply_made_from_our_own_invite_as_a_client_would(cli, tmp_path, capsys):
    """A calendar answers with the invite itself: METHOD:REPLY, the VTIMEZONE, one ATTENDEE."""
    meeting = by_date(cli.series, date(2026, 12, 8))
    calendar = Calendar.from_ical(invites.invite_bytes(meeting, NOW))
    calendar["METHOD"] = "REPLY"
    event = calendar.walk("VEVENT")[0]
    zoe = next(item for item in event["ATTENDEE"] if str(item) == "mailto:zoe@example.com")
    zoe.params["PARTSTAT"] = "TENTATIVE"
    del zoe.params["RSVP"]
    event["ATTENDEE"] = zoe
    path = tmp_path / "reply.ics"
    path.write_bytes(calendar.to_ical())
    assert cli("ics-reply", str(path)) == 0
    assert capsys.readouterr().out == "2026-12-08 07:30 America/Toronto  Zoë Lefèvre  tentative\n"


def test_cancelling_a_scheduled_meeting_cancels_it_in_the_records(cli, tmp_path, capsys):
    """No CANCEL goes out for a meeting the app still shows as on: it is cancelled, with
    the SEQUENCE the file carries; a second export says the same SEQUENCE."""
    meeting = by_date(cli.series, date(2026, 12, 8))
    assert (meeting.status, meeting.sequence) == ("scheduled", 0)
    assert cli("ics", "--meeting", "2026-12-08", "--cancel", "-o", str(tmp_path / "c.ics")) == 0
    meeting = by_date(cli.series, date(2026, 12, 8))
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    (event,) = Calendar.from_ical((tmp_path / "c.ics").read_bytes()).walk("VEVENT")
    assert event["SEQUENCE"] == 1 and event["STATUS"] == "CANCELLED"
    capsys.readouterr()
    assert cli("ics", "--meeting", "2026-12-08", "--cancel", "-o", str(tmp_path / "d.ics")) == 0
    assert capsys.readouterr().err == ""  # already cancelled: nothing more changes
    assert by_date(cli.series, date(2026, 12, 8)).sequence == 1
    assert Calendar.from_ical((tmp_path / "d.ics").read_bytes()).walk("VEVENT")[0]["SEQUENCE"] == 1


def test_a_held_meeting_has_no_cancellation(cli, tmp_path, capsys):
    meeting = by_date(cli.series, date(2026, 3, 10))
    meeting.status = "held"
    meeting.save()
    assert cli("ics", "--meeting", "2026-03-10", "--cancel", "-o", str(tmp_path / "c.ics")) == 1
    assert "was held: it cannot be cancelled" in capsys.readouterr().err
    assert not (tmp_path / "c.ics").exists()
