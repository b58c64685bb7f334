"""Every iCal export checked by tools we did not write: icalendar, recurring-ical-events,
vobject, khal and Radicale — in Toronto (the sample's zone) and in zones whose DST changes
on other dates (Berlin) or the other way round (Sydney), each with a skipped, a cancelled
and a moved month."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import vobject

from organizer.services import invites
from organizer.services.meetings import set_rsvp
from organizer.models import Member
from tests.ical_support import (
    BERLIN, NOW, SYDNEY, TORONTO, Radicale, assert_wellformed, build, by_date,
    expected_local_starts, khal,
)

SCENARIOS = [TORONTO, BERLIN, SYDNEY]
IDS = ["toronto", "berlin", "sydney"]


def exports(group, series, scenario):
    """Every kind of file for the scenario: name → bytes."""
    meeting = invites.resolve_meeting(group, "next", NOW)
    return {
        "request": invites.invite_bytes(meeting, NOW),
        "cancel": invites.invite_bytes(meeting, NOW, cancel=True),
        "series": invites.series_bytes(group, NOW),
        "feed": invites.feed_bytes(group, NOW),
    }


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_icalendar_parses_every_export_cleanly(db, scenario):
    group, series = build(scenario)
    for name, data in exports(group, series, scenario).items():
        calendar = assert_wellformed(data)
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [scenario.zone], name
        for event in calendar.walk("VEVENT"):
            assert event["DTSTART"].params["TZID"] == scenario.zone
            assert event["DTEND"].params["TZID"] == scenario.zone


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_recurring_ical_events_expands_the_series_to_the_expected_local_times(db, scenario):
    group, _ = build(scenario)
    calendar = assert_wellformed(invites.series_bytes(group, NOW))
    found = recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2027, 1, 1))
    starts = sorted(event["DTSTART"].dt for event in found)
    zone = ZoneInfo(scenario.zone)
    assert [start.astimezone(zone).replace(tzinfo=None) for start in starts] == expected_local_starts(scenario)
    # Each start is the right instant too, not only the right wall-clock reading.
    for start in starts:
        local = start.astimezone(zone)
        assert start.utcoffset() == local.utcoffset()


def test_toronto_keeps_0730_on_both_sides_of_each_dst_change(db):
    group, _ = build(TORONTO)
    calendar = assert_wellformed(invites.series_bytes(group, NOW))
    found = {
        event["DTSTART"].dt.date(): event["DTSTART"].dt
        for event in recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2027, 1, 1))
    }
    # 8 Mar and 1 Nov 2026 are the changes; 10 Feb / 10 Mar and 13 Oct / 10 Nov straddle them.
    for day, utc_hour in ((date(2026, 2, 10), 12), (date(2026, 3, 10), 11),
                          (date(2026, 10, 13), 11), (date(2026, 11, 10), 12)):
        assert found[day].strftime("%H:%M") == "07:30"
        assert found[day].astimezone(timezone.utc).hour == utc_hour
    assert date(2026, 8, 11) not in found  # skipped
    assert date(2026, 5, 12) not in found  # cancelled
    assert date(2026, 6, 9) not in found and found[date(2026, 6, 11)].strftime("%H:%M") == "18:00"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_vobject_validates_and_the_embedded_vtimezone_matches_zoneinfo(db, scenario):
    group, _ = build(scenario)
    zone = ZoneInfo(scenario.zone)
    for name, data in exports(group, None, scenario).items():
        calendar = vobject.readOne(data.decode("utf-8"), validate=True)
        embedded = calendar.vtimezone.gettzinfo()
        starts, rule_starts = [], []
        for vevent in calendar.vevent_list:
            if hasattr(vevent, "rrule"):
                rule_starts += list(vevent.getrruleset(addRDate=True).between(
                    datetime(2026, 1, 1, tzinfo=zone), datetime(2028, 1, 1, tzinfo=zone), inc=True))
            else:
                starts.append(vevent.dtstart.value)
        starts += rule_starts
        assert starts, name
        if name == "series":
            # vobject's expansion (EXDATEs applied) with the RECURRENCE-ID'd occurrence moved.
            moved = {vevent.recurrence_id.value.replace(tzinfo=None): vevent.dtstart.value.replace(tzinfo=None)
                     for vevent in calendar.vevent_list if hasattr(vevent, "recurrence_id")}
            walls = sorted(moved.get(start.replace(tzinfo=None), start.replace(tzinfo=None))
                           for start in rule_starts if start.year == 2026)
            assert walls == expected_local_starts(scenario)
        for start in starts:
            assert start.tzinfo is not None and "tzical" in type(start.tzinfo).__name__.lower()
            wall = start.replace(tzinfo=None)
            assert wall.replace(tzinfo=embedded).utcoffset() == wall.replace(tzinfo=zone).utcoffset(), (name, wall)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_khal_imports_each_file_without_a_warning_and_lists_the_occurrences(db, tmp_path, scenario):
    group, series = build(scenario)
    files = exports(group, series, scenario)
    for name, data in files.items():
        folder = tmp_path / name
        folder.mkdir()
        path = folder / f"{name}.ics"
        path.write_bytes(data)
        imported = khal(folder, scenario.zone, "import", "--batch", "-a", "meetings", str(path))
        assert imported.returncode == 0, imported.stderr
        assert imported.stderr == "", (name, imported.stderr)
        listed = khal(folder, scenario.zone, "list", "--day-format", "",
                      "--format", "{start} {title}", "2026-01-01", "2027-12-31")
        assert listed.returncode == 0 and listed.stderr == "", listed.stderr
        lines = [line for line in listed.stdout.splitlines() if line.strip()]
        if name == "series":
            starts = [datetime.strptime(line[:16], "%Y-%m-%d %H:%M") for line in lines
                      if line.startswith("2026")]
            assert starts == expected_local_starts(scenario), lines
        elif name == "feed":
            expected = [
                f"{meeting.starts_at.astimezone(ZoneInfo(scenario.zone)):%Y-%m-%d %H:%M} Monthly meeting"
                for meeting in series.meetings.order_by("starts_at")
                if meeting.status not in ("skipped", "cancelled")
                and meeting.starts_at >= datetime(2025, 11, 20, tzinfo=ZoneInfo(scenario.zone))
            ]
            assert lines == expected
        else:
            meeting = invites.resolve_meeting(group, "next", NOW)
            assert lines == [f"{meeting.starts_at.astimezone(ZoneInfo(scenario.zone)):%Y-%m-%d %H:%M} Monthly meeting"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_radicale_accepts_the_series_as_an_item_and_the_feed_as_a_calendar(db, tmp_path, scenario):
    group, series = build(scenario)
    server = Radicale(tmp_path / "radicale")
    assert server.request("MKCALENDAR", "/olu/meetings/")[0] == 201
    stored_series = invites.series_bytes(group, NOW).replace(b"METHOD:PUBLISH\r\n", b"")
    assert b"METHOD" not in stored_series
    assert server.request("PUT", "/olu/meetings/series.ics", stored_series)[0] == 201
    status, body = server.request("GET", "/olu/meetings/series.ics")
    assert status == 200
    assert body.count(b"BEGIN:VEVENT") == stored_series.count(b"BEGIN:VEVENT") == 2  # master + moved
    assert b"RRULE:FREQ=MONTHLY" in body and body.count(b"EXDATE;TZID=") == 2

    feed = invites.feed_bytes(group, NOW)
    assert server.request("PUT", "/olu/feed/", feed)[0] == 201
    status, body = server.request("GET", "/olu/feed/")
    assert status == 200
    assert body.count(b"BEGIN:VEVENT") == feed.count(b"BEGIN:VEVENT") >= 9


def test_an_invite_carries_each_members_rsvp_to_every_tool(db, tmp_path):
    group, series = build(TORONTO)
    meeting = invites.resolve_meeting(group, "next", NOW)
    set_rsvp(meeting, Member.get(Member.email == "mai@example.com"), "accepted", now=NOW)
    set_rsvp(meeting, Member.get(Member.email == "jing@example.com"), "declined", now=NOW)
    data = invites.invite_bytes(meeting, NOW)
    calendar = vobject.readOne(data.decode("utf-8"), validate=True)
    partstat = {
        attendee.value.lower(): attendee.params["PARTSTAT"][0] for attendee in calendar.vevent.attendee_list
    }
    assert partstat["mailto:mai@example.com"] == "ACCEPTED"
    assert partstat["mailto:jing@example.com"] == "DECLINED"
    assert partstat["mailto:zoe@example.com"] == "NEEDS-ACTION"
    assert "mailto:ana@example.com" not in partstat  # alumni are not invited
    assert len(partstat) == 5  # active members with an email


def test_the_sample_groups_files_pass_every_reader(sample_group, tmp_path):
    """The sample (2nd Tuesday 07:30 in Kitchener, August skipped), as a user first sees it."""
    series = invites.series_bytes(sample_group, NOW)
    calendar = assert_wellformed(series)
    found = recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2027, 1, 1))
    starts = sorted(event["DTSTART"].dt for event in found)
    assert [start.strftime("%m-%d %H:%M") for start in starts] == [
        "01-13 07:30", "02-10 07:30", "03-10 07:30", "04-14 07:30", "05-12 07:30", "06-09 07:30",
        "07-14 07:30", "09-08 07:30", "10-13 07:30", "11-10 07:30", "12-08 07:30"]
    for data in (series, invites.feed_bytes(sample_group, NOW),
                 invites.invite_bytes(invites.resolve_meeting(sample_group, "next", NOW), NOW)):
        assert_wellformed(data)
        vobject.readOne(data.decode("utf-8"), validate=True)
        path = tmp_path / "file.ics"
        path.write_bytes(data)
        imported = khal(tmp_path / str(len(data)), "America/Toronto", "import", "--batch", str(path))
        assert imported.returncode == 0 and imported.stderr == "", imported.stderr


def test_a_series_changed_from_a_date_reads_as_one_continuous_calendar(db, tmp_path):
    """Through the meetings services: reschedule, cancel, then "this and following" from
    September at 18:00 on the 3rd Thursday — the old series gains an UNTIL, the new one
    carries on, and every reader sees one meeting a month at the right local time."""
    from organizer.services.meetings import cancel_meeting, reschedule
    from organizer.services.recurrence import parse_rule
    from organizer.services.series_changes import change_series_from

    group, series = build(TORONTO)
    reschedule(by_date(series, date(2026, 3, 10)), starts_at=datetime(2026, 3, 11, 7, 30, tzinfo=ZoneInfo(TORONTO.zone)), now=NOW)
    cancel_meeting(by_date(series, date(2026, 4, 14)), now=NOW)
    change_series_from(series, date(2026, 9, 1), rule=parse_rule("3rd thursday"), at="18:00", now=NOW)

    data = invites.series_bytes(group, NOW)
    calendar = assert_wellformed(data)
    masters = [event for event in calendar.walk("VEVENT") if "RRULE" in event]
    assert len(masters) == 2 and masters[0]["UID"] != masters[1]["UID"]
    assert "UNTIL" in masters[0]["RRULE"] and "UNTIL" not in masters[1]["RRULE"]

    found = recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2027, 1, 1))
    starts = sorted(event["DTSTART"].dt.astimezone(ZoneInfo(TORONTO.zone)).strftime("%m-%d %H:%M") for event in found)
    assert starts == ["01-13 07:30", "02-10 07:30", "03-11 07:30", "06-11 18:00", "07-14 07:30",
                      "09-17 18:00", "10-15 18:00", "11-19 18:00", "12-17 18:00"]

    vobject.readOne(data.decode("utf-8"), validate=True)
    path = tmp_path / "series.ics"
    path.write_bytes(data)
    imported = khal(tmp_path, TORONTO.zone, "import", "--batch", str(path))
    assert imported.returncode == 0 and imported.stderr == "", imported.stderr
    listed = khal(tmp_path, TORONTO.zone, "list", "--day-format", "", "--format", "{start}",
                  "2026-01-01", "2026-12-31")
    assert [line[5:] for line in listed.stdout.splitlines() if line.strip()] == starts

    # The feed and the invites keep each meeting's own UID through the change.
    november = invites.resolve_meeting(group, "2026-11-19", NOW)
    assert november.uid == "meeting-2026-11-10@organizer.test"
    assert b"UID:meeting-2026-11-10@organizer.test" in invites.feed_bytes(group, NOW)
