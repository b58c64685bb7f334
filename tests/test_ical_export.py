"""What each iCal file says: invites, cancellations, the series, the feed, the email —
and the golden files of an invite, the series and a cancellation (frozen clock, fixed UIDs).

Set ORGANIZER_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change, then
read the diff before committing it.
"""

from __future__ import annotations

import email
import email.policy
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from organizer.errors import UserError
from organizer.models import AgendaItem, Meeting, Member
from organizer.services import invites
from organizer.services.meetings import set_rsvp
from tests.ical_support import NOW, TORONTO, assert_wellformed, build, by_date

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def toronto(db):
    group, series = build(TORONTO)
    meeting = by_date(series, date(2026, 12, 8))
    AgendaItem.create(meeting=meeting, position=1, kind="open_networking", minutes=15)
    AgendaItem.create(
        meeting=meeting,
        position=2,
        kind="education",
        minutes=10,
        title="Pricing for the holidays",
        member=Member.get(Member.email == "zoe@example.com"),
    )
    AgendaItem.create(meeting=meeting, position=3, kind="sixty_second_round", minutes=30)
    set_rsvp(meeting, Member.get(Member.email == "mai@example.com"), "accepted", now=NOW)
    set_rsvp(meeting, Member.get(Member.email == "kevin@example.com"), "tentative", now=NOW)
    return group, series, meeting


def golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("ORGANIZER_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{name} differs from its golden file"


def event_of(data: bytes):
    return Calendar.from_ical(data).walk("VEVENT")


def test_golden_invite(toronto):
    _, _, meeting = toronto
    golden("invite.ics", invites.invite_bytes(meeting, NOW))


def test_golden_series(toronto):
    group, _, _ = toronto
    golden("series.ics", invites.series_bytes(group, NOW))


def test_golden_cancellation(toronto):
    _, _, meeting = toronto
    golden("cancel.ics", invites.invite_bytes(meeting, NOW, cancel=True))


def test_the_invite_states_everything(toronto):
    _group, _, meeting = toronto
    data = invites.invite_bytes(meeting, NOW)
    calendar = assert_wellformed(data)
    assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0" and "PRODID" in calendar
    (event,) = calendar.walk("VEVENT")
    # One meeting of the series: the series' UID and the occurrence it is (see below).
    assert str(event["UID"]) == "series-1@organizer.test"
    assert event.decoded("RECURRENCE-ID") == datetime(2026, 12, 8, 7, 30, tzinfo=ZoneInfo("America/Toronto"))
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTAMP") == NOW
    assert event.decoded("DTSTART") == datetime(2026, 12, 8, 7, 30, tzinfo=ZoneInfo("America/Toronto"))
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)
    assert str(event["SUMMARY"]) == "Monthly meeting"
    assert str(event["LOCATION"]) == "Café Zoë, back room, 1 Main St"
    assert str(event["ORGANIZER"]) == "mailto:olu@example.com"
    assert event["ORGANIZER"].params["CN"] == "Olu Organizer"
    description = str(event["DESCRIPTION"])
    for text in (
        "What it is for: Pass referrals; meet the people behind the businesses.",
        "What you get from it: Warm introductions, honest answers.",
        "What we will discuss: Open networking, the 60-second round, referrals.",
        "Time needed: 90 minutes, coffee from 15 minutes before.",
        "\nCan't make it? No reply needed — see you next month.\n",
        "07:30  Open networking (15 min)",
        "07:45  Pricing for the holidays — Zoë Lefèvre (10 min)",
        "07:55  60-second round (30 min)",
    ):
        assert text in description
    attendees = {str(item): item.params for item in event["ATTENDEE"]}
    assert set(attendees) == {
        f"mailto:{mail}"
        for mail in (
            "zoe@example.com",
            "mai@example.com",
            "jing@example.com",
            "dimitra@example.com",
            "kevin@example.com",
        )
    }
    mai = attendees["mailto:mai@example.com"]
    assert (mai["CN"], mai["CUTYPE"], mai["ROLE"], mai["PARTSTAT"], mai["RSVP"]) == (
        "Nguyễn Thị Mai",
        "INDIVIDUAL",
        "REQ-PARTICIPANT",
        "ACCEPTED",
        "TRUE",
    )
    assert attendees["mailto:kevin@example.com"]["PARTSTAT"] == "TENTATIVE"
    assert attendees["mailto:jing@example.com"]["PARTSTAT"] == "NEEDS-ACTION"
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY" and alarm.decoded("TRIGGER") == timedelta(days=-1)
    assert b"TRIGGER:-P1D\r\n" in data


def test_the_reminder_follows_the_group(toronto):
    group, _, meeting = toronto
    group.reminder_minutes = 90
    group.save()
    assert b"TRIGGER:-PT1H30M\r\n" in invites.invite_bytes(meeting, NOW)


def test_multibyte_text_is_folded_between_characters(toronto):
    _, _, meeting = toronto
    meeting.title = "Встреча 会議 회의 " * 12
    meeting.save()
    data = invites.invite_bytes(meeting, NOW)
    assert_wellformed(data)  # every physical line decodes on its own
    assert str(event_of(data)[0]["SUMMARY"]) == meeting.title.strip()


def test_the_cancellation_raises_sequence_and_keeps_the_uid(toronto):
    _, _, meeting = toronto
    request = event_of(invites.invite_bytes(meeting, NOW))[0]
    calendar = assert_wellformed(invites.invite_bytes(meeting, NOW, cancel=True))
    assert calendar["METHOD"] == "CANCEL"
    (cancel,) = calendar.walk("VEVENT")
    assert cancel["UID"] == request["UID"]
    assert cancel["SEQUENCE"] == request["SEQUENCE"] + 1
    assert cancel["STATUS"] == "CANCELLED"
    assert not cancel.walk("VALARM")
    # Once the meeting is cancelled (which raised its SEQUENCE), the file says the same.
    meeting.status, meeting.sequence = "cancelled", meeting.sequence + 1
    meeting.save()
    assert event_of(invites.invite_bytes(meeting, NOW, cancel=True))[0]["SEQUENCE"] == request["SEQUENCE"] + 1


def test_no_invite_for_a_cancelled_meeting(toronto):
    _group, series, _ = toronto
    with pytest.raises(UserError, match="is cancelled: export its cancellation with --cancel"):
        invites.invite_bytes(by_date(series, TORONTO.cancelled), NOW)


def test_the_series_has_rule_exdates_and_the_moved_occurrence(toronto):
    group, _series, _ = toronto
    calendar = assert_wellformed(invites.series_bytes(group, NOW))
    assert calendar["METHOD"] == "PUBLISH"
    master, moved = calendar.walk("VEVENT")
    assert str(master["UID"]) == str(moved["UID"]) == "series-1@organizer.test"
    assert master["RRULE"]["FREQ"] == ["MONTHLY"] and master["RRULE"]["BYDAY"] == ["2TU"]
    assert "UNTIL" not in master["RRULE"]
    assert master.decoded("DTSTART") == datetime(2026, 1, 13, 7, 30, tzinfo=ZoneInfo("America/Toronto"))
    exdates = master["EXDATE"]
    assert [item.params["TZID"] for item in exdates] == ["America/Toronto"] * 2
    assert sorted(item.dts[0].dt.replace(tzinfo=None) for item in exdates) == [
        datetime(2026, 5, 12, 7, 30),
        datetime(2026, 8, 11, 7, 30),
    ]
    assert master["SEQUENCE"] == 2  # the skip and the cancellation each count
    assert moved.decoded("RECURRENCE-ID") == datetime(2026, 6, 9, 7, 30, tzinfo=ZoneInfo("America/Toronto"))
    assert moved.decoded("DTSTART") == datetime(2026, 6, 11, 18, 0, tzinfo=ZoneInfo("America/Toronto"))
    assert moved["SEQUENCE"] == 1


def test_a_series_that_ends_has_until_in_utc(db):
    from tests.ical_support import BERLIN

    group, _ = build(BERLIN)
    master = event_of(invites.series_bytes(group, NOW))[0]
    # The last Thursday of December 2026, 19:00 in Berlin = 18:00 UTC.
    assert master["RRULE"]["UNTIL"] == [datetime.fromisoformat("2026-12-31T18:00:00+00:00")]


def test_the_series_names_its_occurrences_by_the_rules_wall_time_across_dst_changes(db):
    """Last Sunday at 02:30 in Berlin from 29 March 2026, when 02:30 does not exist (the
    meeting is at 03:30), until 31 October 2027, when 02:30 comes twice (the first).

    The RRULE repeats DTSTART's wall time, so DTSTART, EXDATE and RECURRENCE-ID say 02:30.
    Readers differ on what a time that does not exist means, and some add a length to the
    wall clock across a change, so an occurrence a change is in the way of is an override
    with its real start and end, and the master has a DURATION rather than a DTEND. UNTIL
    is the later reading of the last start."""
    from tests.ical_support import BERLIN_NIGHT

    group, _ = build(BERLIN_NIGHT)
    master, *overrides = event_of(invites.series_bytes(group, NOW))
    assert master.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 3, 29, 2, 30)
    assert "DTEND" not in master and master.decoded("DURATION") == timedelta(minutes=90)
    assert master["RRULE"]["UNTIL"] == [datetime.fromisoformat("2027-10-31T01:30:00+00:00")]
    assert sorted(item.dts[0].dt.replace(tzinfo=None) for item in master["EXDATE"]) == [
        datetime(2026, 5, 31, 2, 30),
        datetime(2027, 3, 28, 2, 30),
    ]
    wall = [
        tuple(event.decoded(name).replace(tzinfo=None) for name in ("RECURRENCE-ID", "DTSTART", "DTEND"))
        for event in overrides
    ]
    assert wall == [
        (datetime(2026, 3, 29, 2, 30), datetime(2026, 3, 29, 3, 30), datetime(2026, 3, 29, 5, 0)),  # gap
        (datetime(2026, 6, 28, 2, 30), datetime(2026, 6, 27, 2, 30), datetime(2026, 6, 27, 4, 0)),  # moved
        (datetime(2026, 10, 25, 2, 30), datetime(2026, 10, 25, 2, 30), datetime(2026, 10, 25, 3, 0)),  # 03:00 CET
        (datetime(2027, 10, 31, 2, 30), datetime(2027, 10, 31, 2, 30), datetime(2027, 10, 31, 3, 0)),
    ]
    assert all(event["DTSTART"].params["TZID"] == "Europe/Berlin" for event in [master, *overrides])


def test_the_feed_holds_the_past_year_and_the_future_without_gone_meetings(db):
    group, series = build(TORONTO)
    old = Meeting.create(
        group=group,
        starts_at=datetime(2025, 10, 1, 12, tzinfo=ZoneInfo("UTC")),
        minutes=60,
        title="Too old",
        uid="old@organizer.test",
        created_at=NOW,
        updated_at=NOW,
    )
    one_off = Meeting.create(
        group=group,
        starts_at=datetime(2026, 12, 20, 17, tzinfo=ZoneInfo("UTC")),
        minutes=60,
        title="Holiday social",
        uid="social@organizer.test",
        created_at=NOW,
        updated_at=NOW,
    )
    calendar = assert_wellformed(invites.feed_bytes(group, NOW))
    assert calendar["METHOD"] == "PUBLISH" and calendar["X-WR-CALNAME"] == "Test Circle"
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert uids == {series.uid, one_off.uid} and old.uid not in uids  # too old for the window
    # The series' meetings as the invites name them: its UID and the slot under the rule.
    found = recurring_ical_events.of(calendar).between(date(2025, 1, 1), date(2028, 1, 1))
    slots = {
        event["RECURRENCE-ID"].dt.date(): event["DTSTART"].dt.replace(tzinfo=None)
        for event in found
        if str(event["UID"]) == series.uid
    }
    assert date(2026, 5, 12) not in slots  # cancelled
    assert date(2026, 8, 11) not in slots  # skipped
    assert slots[date(2026, 6, 9)] == datetime(2026, 6, 11, 18, 0)  # moved, still on, under its slot
    assert slots[date(2026, 12, 8)] == datetime(2026, 12, 8, 7, 30)
    stored = Meeting.select().where(Meeting.status.not_in(["skipped", "cancelled"]) & Meeting.series.is_null(False))
    assert sorted(slots) == sorted(meeting.occurrence_date for meeting in stored)
    assert all("ATTENDEE" not in event for event in calendar.walk("VEVENT"))  # no emails published


def test_resolve_meeting(toronto):
    group, series, meeting = toronto
    assert invites.resolve_meeting(group, "next", NOW) == meeting
    assert invites.resolve_meeting(group, str(meeting.id), NOW) == meeting
    assert invites.resolve_meeting(group, "2026-12-08", NOW) == meeting
    assert invites.resolve_meeting(group, "2026-06-11", NOW) == by_date(series, TORONTO.moved)
    with pytest.raises(UserError, match="no meeting with id 9999"):
        invites.resolve_meeting(group, "9999", NOW)
    with pytest.raises(UserError, match="no meeting on 2026-12-09"):
        invites.resolve_meeting(group, "2026-12-09", NOW)
    with pytest.raises(UserError, match="give next, a meeting id or a date"):
        invites.resolve_meeting(group, "tomorrow", NOW)


def test_the_email_is_multipart_alternative_with_the_calendar_and_the_attachment(toronto):
    _group, _, meeting = toronto
    data = invites.email_bytes(meeting, NOW)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message.get_content_type() == "multipart/mixed"
    assert [addr.addr_spec for addr in message["From"].addresses] == ["olu@example.com"]
    assert len(message["To"].addresses) == 5
    assert "Nguyễn Thị Mai" in [addr.display_name for addr in message["To"].addresses]
    assert message["Subject"] == "Invitation: Monthly meeting — Tuesday 8 December 2026, 07:30–09:00"
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    text, page, calendar = alternative.iter_parts()
    assert text.get_content_type() == "text/plain" and "What it is for:" in text.get_content()
    assert page.get_content_type() == "text/html" and "Pricing for the holidays" in page.get_content()
    assert calendar.get_content_type() == "text/calendar" and calendar.get_param("method") == "REQUEST"
    ics = invites.invite_bytes(meeting, NOW)
    assert calendar.get_payload(decode=True) == ics
    assert attachment.get_filename() == "invite.ics" and attachment.get_payload(decode=True) == ics


def test_the_email_escapes_html(toronto):
    _, _, meeting = toronto
    meeting.intent = "<script>alert('x')</script> & more"
    meeting.save()
    message = email.message_from_bytes(invites.email_bytes(meeting, NOW), policy=email.policy.default)
    page = message.get_body(("html",)).get_content()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_cancellation_email(toronto):
    _, _, meeting = toronto
    message = email.message_from_bytes(invites.email_bytes(meeting, NOW, cancel=True), policy=email.policy.default)
    assert message["Subject"].startswith("Cancelled: Monthly meeting")
    parts = list(message.walk())
    assert any(part.get_content_type() == "text/calendar" and part.get_param("method") == "CANCEL" for part in parts)
    assert any(part.get_filename() == "cancel.ics" for part in parts)


def test_writing_is_atomic_and_names_the_file(toronto, tmp_path):
    group, _, meeting = toronto
    target = tmp_path / "invite.ics"
    target.write_bytes(b"old")
    assert invites.write_invite(meeting, target, NOW) == target
    assert target.read_bytes() == invites.invite_bytes(meeting, NOW)
    assert target.stat().st_mode & 0o777 == 0o600  # it names members and their emails
    assert sorted(path.name for path in tmp_path.iterdir() if "invite" in path.name) == ["invite.ics"]
    with pytest.raises(UserError, match="there is no folder"):
        invites.write_feed(group, tmp_path / "missing" / "feed.ics", NOW)


def test_two_meetings_of_a_series_have_their_own_message_ids(toronto):
    _, series, december = toronto
    january = by_date(series, date(2027, 1, 12))
    ids = [
        email.message_from_bytes(invites.email_bytes(meeting, NOW), policy=email.policy.default)["Message-ID"]
        for meeting in (december, january)
    ]
    assert ids[0] != ids[1]
    assert all(value.startswith("<request.0.") and value.endswith("series-1@organizer.test>") for value in ids)
