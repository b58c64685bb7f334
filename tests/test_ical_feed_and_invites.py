"""The subscription feed names a series' meetings as the invites do (the series' UID, the
RECURRENCE-ID of the slot), so a calendar holding the feed and an invite shows each meeting
once; checked with khal, recurring-ical-events, vobject and Radicale, tools we did not write."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import vobject
from icalendar import Calendar

from organizer.models import AgendaItem, Meeting, MeetingSeries
from organizer.services import invites, meetings
from organizer.services.groups import create_group
from organizer.services.recurrence import local_start, parse_rule
from tests.ical_support import NOW, TORONTO, Radicale, assert_wellformed, build, by_date, khal

ZONE = ZoneInfo(TORONTO.zone)


def one_off(group) -> Meeting:
    return meetings.create_meeting(
        group,
        starts_at=datetime(2026, 12, 19, 17, 0, tzinfo=ZONE),
        minutes=120,
        title="Holiday social",
        now=NOW,
    )


def khal_lines(folder: Path, *files: bytes) -> list[str]:
    """What khal lists from 2025-11-20 to the end of 2027 after importing `files` in order
    into one calendar."""
    folder.mkdir(parents=True)
    for number, data in enumerate(files):
        path = folder / f"{number}.ics"
        path.write_bytes(data)
        imported = khal(folder, TORONTO.zone, "import", "--batch", str(path))
        assert imported.returncode == 0 and imported.stderr == "", imported.stderr
    listed = khal(
        folder, TORONTO.zone, "list", "--day-format", "", "--format", "{start} {title}", "2025-11-20", "2027-12-31"
    )
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr
    return [line for line in listed.stdout.splitlines() if line.strip()]


def expanded(calendar: Calendar) -> list[str]:
    found = recurring_ical_events.of(calendar).between(date(2025, 11, 20), date(2028, 1, 1))
    return sorted(f"{event['DTSTART'].dt.astimezone(ZONE):%Y-%m-%d %H:%M} {event['SUMMARY']}" for event in found)


@pytest.mark.parametrize(
    "which, shown",
    [
        ("rule date", "2026-12-08 07:30 Monthly meeting"),
        ("moved", "2026-06-11 18:00 Monthly meeting"),  # under its new date only
        ("one-off", "2026-12-19 17:00 Holiday social"),
    ],
)
def test_a_calendar_holding_the_feed_and_an_invite_shows_the_meeting_once(db, tmp_path, which, shown):
    group, series = build(TORONTO)
    social = one_off(group)
    meeting = {"rule date": by_date(series, date(2026, 12, 8)), "moved": by_date(series, TORONTO.moved)}.get(
        which, social
    )
    feed, invite = invites.feed_bytes(group, NOW), invites.invite_bytes(meeting, NOW)

    alone = khal_lines(tmp_path / "feed", feed)
    assert alone.count(shown) == 1
    # The feed first, then the invite arrives: once. (khal's import replaces whatever its
    # calendar holds under the UID, so for one of a series the series' other meetings go, as
    # after the series file; with the meeting's own UID, as the feed had it, it was there twice.)
    both = khal_lines(tmp_path / "both", feed, invite)
    assert both.count(shown) == 1
    if which == "one-off":
        assert both == alone

    for first, then in ((feed, invite), (invite, feed)):
        combined = assert_wellformed(first)
        for event in assert_wellformed(then).walk("VEVENT"):
            combined.add_component(event)
        assert expanded(combined) == expanded(assert_wellformed(feed))
        assert expanded(combined).count(shown) == 1


def test_the_feed_and_the_invites_name_every_meeting_alike(db):
    """Each meeting the feed holds carries the UID and RECURRENCE-ID of its own invite, and a
    cancelled one's CANCEL names the slot the feed leaves out (its EXDATE)."""
    group, series = build(TORONTO)
    social = one_off(group)
    feed = assert_wellformed(invites.feed_bytes(group, NOW))
    # recurring-ical-events gives every occurrence a RECURRENCE-ID; a one-off has none of its own.
    in_feed = {
        (str(event["UID"]), event["RECURRENCE-ID"].dt if str(event["UID"]) == series.uid else None)
        for event in recurring_ical_events.of(feed).between(date(2025, 11, 20), date(2028, 1, 1))
    }
    on = Meeting.select().where(Meeting.status == "scheduled").order_by(Meeting.starts_at)
    named = set()
    for meeting in on:
        (event,) = Calendar.from_ical(invites.invite_bytes(meeting, NOW)).walk("VEVENT")
        named.add((str(event["UID"]), event["RECURRENCE-ID"].dt if "RECURRENCE-ID" in event else None))
    assert named == in_feed
    assert (social.uid, None) in in_feed
    assert {uid for uid, _ in in_feed} == {series.uid, social.uid}

    (master,) = [event for event in feed.walk("VEVENT") if "RRULE" in event]
    exdates = {moment.dt for exdate in master["EXDATE"] for moment in exdate.dts}
    cancelled = by_date(series, TORONTO.cancelled)
    (cancel,) = Calendar.from_ical(invites.invite_bytes(cancelled, NOW, cancel=True)).walk("VEVENT")
    assert cancel["RECURRENCE-ID"].dt in exdates
    assert int(cancel["SEQUENCE"]) == cancelled.sequence


def test_the_feed_keeps_its_window_and_its_sequence_never_falls(db):
    """A series running since 2024: the feed's master starts at the first meeting of the past
    12 months; a meeting moved into the window from an earlier slot is still there; a
    cancellation that leaves the window still counts in the SEQUENCE."""
    group = create_group(
        name="Old Circle", timezone=TORONTO.zone, organizer_name="Olu", organizer_email="olu@example.com", now=NOW
    )
    series = meetings.create_series(
        group, rule=parse_rule("2nd tuesday"), at="07:30", minutes=90, starts_on=date(2024, 1, 1), now=NOW
    )
    meetings.cancel_meeting(by_date(series, date(2025, 3, 11)), now=NOW)  # before the window
    meetings.reschedule(  # November 2025's slot (the 11th) moved into the window (which starts on the 20th)
        by_date(series, date(2025, 11, 11)), starts_at=local_start(date(2025, 11, 25), time(7, 30), ZONE), now=NOW
    )
    data = invites.feed_bytes(group, NOW)
    feed = assert_wellformed(data)
    (master,) = [event for event in feed.walk("VEVENT") if "RRULE" in event]
    assert master["DTSTART"].dt == datetime(2025, 11, 11, 7, 30, tzinfo=ZONE)
    assert int(master["SEQUENCE"]) == MeetingSeries.get_by_id(series.id).sequence + 1  # the March cancellation
    assert "EXDATE" not in master
    starts = expanded(feed)
    assert starts[:3] == [
        "2025-11-25 07:30 Old Circle monthly meeting",
        "2025-12-09 07:30 Old Circle monthly meeting",
        "2026-01-13 07:30 Old Circle monthly meeting",
    ]
    vobject.readOne(data.decode("utf-8"), validate=True)


def test_a_meeting_with_an_agenda_carries_it_in_the_feed(db, tmp_path):
    group, series = build(TORONTO)
    december = by_date(series, date(2026, 12, 8))
    AgendaItem.create(meeting=december, position=1, kind="other", title="Open networking", minutes=30)
    data = invites.feed_bytes(group, NOW)
    feed = assert_wellformed(data)
    (override,) = [
        event
        for event in feed.walk("VEVENT")
        if "RECURRENCE-ID" in event and event["RECURRENCE-ID"].dt.date() == date(2026, 12, 8)
    ]
    assert "07:30  Open networking (30 min)" in str(override["DESCRIPTION"])
    vobject.readOne(data.decode("utf-8"), validate=True)
    # A CalDAV server stores it as one calendar object per UID.
    server = Radicale(tmp_path / "radicale")
    assert server.request("MKCALENDAR", "/olu/feed/")[0] == 201
    assert server.request("PUT", "/olu/feed/", data)[0] == 201
    status, body = server.request("GET", "/olu/feed/")
    assert status == 200 and expanded(Calendar.from_ical(body)) == expanded(feed)
