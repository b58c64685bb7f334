"""Every iCal export checked by tools we did not write: icalendar, recurring-ical-events,
vobject, khal and Radicale — in Toronto (the sample's zone) and in zones whose DST changes
on other dates (Berlin, London, St John's), the other way round (Sydney, Santiago, Chatham)
or never (Kolkata), at 02:30 on the night Berlin's clocks change, and across the year Tehran
gave up DST; each with a skipped, a cancelled and a moved month."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import vobject
from icalendar import Calendar

from organizer.models import Meeting, Member
from organizer.services import invites, meetings
from organizer.services.groups import create_group
from organizer.services.meetings import set_rsvp
from tests.ical_support import (
    BERLIN,
    BERLIN_NIGHT,
    CHATHAM,
    KOLKATA,
    LONDON,
    NOW,
    SANTIAGO,
    ST_JOHNS,
    SYDNEY,
    TORONTO,
    Radicale,
    assert_wellformed,
    build,
    by_date,
    expected_local_starts,
    khal,
)

SCENARIOS = [TORONTO, BERLIN, SYDNEY, LONDON, SANTIAGO, CHATHAM, ST_JOHNS, KOLKATA, BERLIN_NIGHT]
IDS = ["toronto", "berlin", "sydney", "london", "santiago", "chatham", "st_johns", "kolkata", "berlin_night"]


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
            # A master whose first occurrence a DST change is in the way of has a DURATION.
            assert event["DTEND"].params["TZID"] == scenario.zone if "DTEND" in event else event["DURATION"]


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
    for day, utc_hour in (
        (date(2026, 2, 10), 12),
        (date(2026, 3, 10), 11),
        (date(2026, 10, 13), 11),
        (date(2026, 11, 10), 12),
    ):
        assert found[day].strftime("%H:%M") == "07:30"
        assert found[day].astimezone(UTC).hour == utc_hour
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
        # vobject's expansion (EXDATEs applied), each overridden occurrence (RECURRENCE-ID)
        # replaced by its override: the occurrences as a vobject user sees them.
        overrides = {
            vevent.recurrence_id.value.replace(tzinfo=None): vevent.dtstart.value
            for vevent in calendar.vevent_list
            if hasattr(vevent, "recurrence_id")
        }
        starts = []
        # An invite of one occurrence (RECURRENCE-ID, no master in its file) stands alone.
        masters = any(hasattr(vevent, "rrule") for vevent in calendar.vevent_list)
        for vevent in calendar.vevent_list:
            if hasattr(vevent, "rrule"):
                starts += [
                    overrides.get(start.replace(tzinfo=None), start)
                    for start in vevent.getrruleset(addRDate=True).between(
                        datetime(2026, 1, 1, tzinfo=zone), datetime(2028, 1, 1, tzinfo=zone), inc=True
                    )
                ]
            elif not (masters and hasattr(vevent, "recurrence_id")):
                starts.append(vevent.dtstart.value)
        assert starts, name
        if name == "series":
            walls = sorted(start.replace(tzinfo=None) for start in starts if start.year == 2026)
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
        listed = khal(
            folder, scenario.zone, "list", "--day-format", "", "--format", "{start} {title}", "2026-01-01", "2027-12-31"
        )
        assert listed.returncode == 0 and listed.stderr == "", listed.stderr
        lines = [line for line in listed.stdout.splitlines() if line.strip()]
        if name in ("series", "feed"):
            # The feed holds the series as the series file does (from the window's start).
            starts = [datetime.strptime(line[:16], "%Y-%m-%d %H:%M") for line in lines if line.startswith("2026")]
            assert starts == expected_local_starts(scenario), lines
            assert {line[17:] for line in lines} == {"Monthly meeting"}
        else:
            meeting = invites.resolve_meeting(group, "next", NOW)
            assert lines == [f"{meeting.starts_at.astimezone(ZoneInfo(scenario.zone)):%Y-%m-%d %H:%M} Monthly meeting"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_radicale_accepts_the_series_as_an_item_and_the_feed_as_a_calendar(db, tmp_path, scenario):
    group, _series = build(scenario)
    server = Radicale(tmp_path / "radicale")
    assert server.request("MKCALENDAR", "/olu/meetings/")[0] == 201
    stored_series = invites.series_bytes(group, NOW).replace(b"METHOD:PUBLISH\r\n", b"")
    assert b"METHOD" not in stored_series
    assert server.request("PUT", "/olu/meetings/series.ics", stored_series)[0] == 201
    status, body = server.request("GET", "/olu/meetings/series.ics")
    assert status == 200
    # The master and its overrides (the moved month; at night, also the one in the gap).
    overrides = stored_series.count(b"RECURRENCE-ID")
    assert body.count(b"BEGIN:VEVENT") == stored_series.count(b"BEGIN:VEVENT") == 1 + overrides >= 2
    assert b"RRULE:FREQ=MONTHLY" in body and body.count(b"EXDATE;TZID=") == 2

    feed = invites.feed_bytes(group, NOW)
    assert server.request("PUT", "/olu/feed/", feed)[0] == 201
    status, body = server.request("GET", "/olu/feed/")
    assert status == 200
    assert body.count(b"BEGIN:VEVENT") == feed.count(b"BEGIN:VEVENT") >= 2  # the series and its moved month
    served = recurring_ical_events.of(Calendar.from_ical(body)).between(date(2026, 1, 1), date(2027, 1, 1))
    zone = ZoneInfo(scenario.zone)
    assert sorted(event["DTSTART"].dt.astimezone(zone).replace(tzinfo=None) for event in served) == (
        expected_local_starts(scenario)
    )


def test_an_invite_carries_each_members_rsvp_to_every_tool(db, tmp_path):
    group, _series = build(TORONTO)
    meeting = invites.resolve_meeting(group, "next", NOW)
    set_rsvp(meeting, Member.get(Member.email == "mai@example.com"), "accepted", now=NOW)
    set_rsvp(meeting, Member.get(Member.email == "jing@example.com"), "declined", now=NOW)
    data = invites.invite_bytes(meeting, NOW)
    calendar = vobject.readOne(data.decode("utf-8"), validate=True)
    partstat = {attendee.value.lower(): attendee.params["PARTSTAT"][0] for attendee in calendar.vevent.attendee_list}
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
        "01-13 07:30",
        "02-10 07:30",
        "03-10 07:30",
        "04-14 07:30",
        "05-12 07:30",
        "06-09 07:30",
        "07-14 07:30",
        "09-08 07:30",
        "10-13 07:30",
        "11-10 07:30",
        "12-08 07:30",
    ]
    for data in (
        series,
        invites.feed_bytes(sample_group, NOW),
        invites.invite_bytes(invites.resolve_meeting(sample_group, "next", NOW), NOW),
    ):
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
    reschedule(
        by_date(series, date(2026, 3, 10)),
        starts_at=datetime(2026, 3, 11, 7, 30, tzinfo=ZoneInfo(TORONTO.zone)),
        now=NOW,
    )
    cancel_meeting(by_date(series, date(2026, 4, 14)), now=NOW)
    change_series_from(series, date(2026, 9, 1), rule=parse_rule("3rd thursday"), at="18:00", now=NOW)

    data = invites.series_bytes(group, NOW)
    calendar = assert_wellformed(data)
    masters = [event for event in calendar.walk("VEVENT") if "RRULE" in event]
    assert len(masters) == 2 and masters[0]["UID"] != masters[1]["UID"]
    assert "UNTIL" in masters[0]["RRULE"] and "UNTIL" not in masters[1]["RRULE"]

    found = recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2027, 1, 1))
    starts = sorted(event["DTSTART"].dt.astimezone(ZoneInfo(TORONTO.zone)).strftime("%m-%d %H:%M") for event in found)
    assert starts == [
        "01-13 07:30",
        "02-10 07:30",
        "03-11 07:30",
        "06-11 18:00",
        "07-14 07:30",
        "09-17 18:00",
        "10-15 18:00",
        "11-19 18:00",
        "12-17 18:00",
    ]

    vobject.readOne(data.decode("utf-8"), validate=True)
    path = tmp_path / "series.ics"
    path.write_bytes(data)
    imported = khal(tmp_path, TORONTO.zone, "import", "--batch", str(path))
    assert imported.returncode == 0 and imported.stderr == "", imported.stderr
    listed = khal(tmp_path, TORONTO.zone, "list", "--day-format", "", "--format", "{start}", "2026-01-01", "2026-12-31")
    assert [line[5:] for line in listed.stdout.splitlines() if line.strip()] == starts

    # The meeting keeps its row through the change; the feed names it as its invite does,
    # so a calendar holding both shows it once.
    november = invites.resolve_meeting(group, "2026-11-19", NOW)
    assert november.uid == "meeting-2026-11-10@organizer.test"
    both = assert_wellformed(invites.feed_bytes(group, NOW))
    for event in assert_wellformed(invites.invite_bytes(november, NOW)).walk("VEVENT"):
        both.add_component(event)
    found = recurring_ical_events.of(both).between(date(2026, 11, 1), date(2026, 12, 1))
    assert [f"{event['DTSTART'].dt:%m-%d %H:%M}" for event in found] == ["11-19 18:00"]


def test_a_meeting_time_that_the_dst_changes_skip_or_repeat_reads_alike_in_every_tool(db, tmp_path):
    """02:30 on the last Sunday in Berlin: on 29 March 2026 (the first) the clocks jump from
    02:00 to 03:00, so the meeting is at 03:30; on 25 October 2026 and 31 October 2027 (the
    last) 02:30 comes twice and the meeting is at the first. The rule's own times stay 02:30,
    the skipped 28 March 2027 is in the gap too: every reader finds the stored instants."""
    group, series = build(BERLIN_NIGHT)
    zone = ZoneInfo(BERLIN_NIGHT.zone)
    stored = [
        meeting.starts_at
        for meeting in series.meetings.order_by(Meeting.starts_at)
        if meeting.status not in ("skipped", "cancelled")
    ]
    assert len(stored) == 18
    assert stored[0].astimezone(zone).strftime("%m-%d %H:%M %z") == "03-29 03:30 +0200"
    assert stored[-1].astimezone(zone).strftime("%Y-%m-%d %H:%M %z") == "2027-10-31 02:30 +0200"
    data = invites.series_bytes(group, NOW)
    calendar = assert_wellformed(data)

    found = recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2028, 1, 1))
    assert sorted(event["DTSTART"].dt.astimezone(UTC) for event in found) == stored
    # Each lasts its 90 minutes, the night the clocks go back included (02:30 CEST–03:00 CET).
    assert {event["DTEND"].dt.astimezone(UTC) - event["DTSTART"].dt.astimezone(UTC) for event in found} == {
        timedelta(minutes=90)
    }

    parsed = vobject.readOne(data.decode("utf-8"), validate=True)
    overrides = {
        vevent.recurrence_id.value.replace(tzinfo=None): vevent.dtstart.value
        for vevent in parsed.vevent_list
        if hasattr(vevent, "recurrence_id")
    }
    master = next(vevent for vevent in parsed.vevent_list if hasattr(vevent, "rrule"))
    occurrences = [overrides.get(start.replace(tzinfo=None), start) for start in master.getrruleset(addRDate=True)]
    assert sorted(start.astimezone(UTC) for start in occurrences) == stored

    path = tmp_path / "series.ics"
    path.write_bytes(data)
    imported = khal(tmp_path, BERLIN_NIGHT.zone, "import", "--batch", str(path))
    assert imported.returncode == 0 and imported.stderr == "", imported.stderr
    listed = khal(
        tmp_path, BERLIN_NIGHT.zone, "list", "--day-format", "", "--format", "{start} {end}", "2026-01-01", "2027-12-31"
    )
    assert [line for line in listed.stdout.splitlines() if line.strip()] == [
        f"{start.astimezone(zone):%Y-%m-%d %H:%M} {start.astimezone(zone) + timedelta(minutes=90):%Y-%m-%d %H:%M}"
        if start.astimezone(zone).month != 10
        # the clocks go back at 03:00, during it
        else f"{start.astimezone(zone):%Y-%m-%d %H:%M} {start.astimezone(zone):%Y-%m-%d} 03:00"
        for start in stored
    ]


def test_a_series_across_the_year_tehran_gave_up_dst_reads_alike_in_every_tool(db, tmp_path):
    """1st Saturday at 17:00 in Tehran, 2021–2023: +04:30 in summer 2021 and 2022, +03:30 ever
    after; the VTIMEZONE's daylight rule ends with an UNTIL."""
    from organizer.services.recurrence import parse_rule

    group = create_group(
        name="Halgheh", timezone="Asia/Tehran", organizer_name="Olu", organizer_email="olu@example.com", now=NOW
    )
    series = meetings.create_series(
        group,
        rule=parse_rule("1st saturday"),
        at="17:00",
        minutes=90,
        starts_on=date(2021, 1, 1),
        ends_on=date(2023, 12, 31),
        now=NOW,
    )
    zone = ZoneInfo("Asia/Tehran")
    stored = [meeting.starts_at for meeting in series.meetings.order_by(Meeting.starts_at)]
    assert {start.astimezone(zone).utcoffset() for start in stored} == {
        timedelta(hours=3, minutes=30),
        timedelta(hours=4, minutes=30),
    }
    data = invites.series_bytes(group, NOW)
    calendar = assert_wellformed(data)
    found = recurring_ical_events.of(calendar).between(date(2021, 1, 1), date(2024, 1, 1))
    assert sorted(event["DTSTART"].dt.astimezone(UTC) for event in found) == stored
    parsed = vobject.readOne(data.decode("utf-8"), validate=True)
    assert sorted(start.astimezone(UTC) for start in parsed.vevent.getrruleset(addRDate=True)) == stored
    path = tmp_path / "series.ics"
    path.write_bytes(data)
    imported = khal(tmp_path, "Asia/Tehran", "import", "--batch", str(path))
    assert imported.returncode == 0 and imported.stderr == "", imported.stderr
    listed = khal(
        tmp_path, "Asia/Tehran", "list", "--day-format", "", "--format", "{start}", "2021-01-01", "2023-12-31"
    )
    assert [line for line in listed.stdout.splitlines() if line.strip()] == [
        f"{start.astimezone(zone):%Y-%m-%d %H:%M}" for start in stored
    ]


@pytest.mark.parametrize(
    "day, shown",
    [
        (date(2026, 12, 8), "2026-12-08 07:30"),  # on the rule's date
        (TORONTO.moved, "2026-06-11 18:00"),  # moved: under its new date only
    ],
)
def test_a_calendar_holding_the_series_and_an_invite_shows_the_meeting_once(db, tmp_path, day, shown):
    """The invite names its meeting as the series file does (the series' UID and the
    RECURRENCE-ID), so khal and recurring-ical-events replace the occurrence, not add one."""
    group, series = build(TORONTO)
    invite = invites.invite_bytes(by_date(series, day), NOW)
    series_file, invite_file = tmp_path / "series.ics", tmp_path / "invite.ics"
    series_file.write_bytes(invites.series_bytes(group, NOW))
    invite_file.write_bytes(invite)
    for path in (series_file, invite_file):
        imported = khal(tmp_path, TORONTO.zone, "import", "--batch", str(path))
        assert imported.returncode == 0 and imported.stderr == "", imported.stderr
    month = f"{day:%Y-%m}"
    listed = khal(
        tmp_path, TORONTO.zone, "list", "--day-format", "", "--format", "{start} {title}", f"{month}-01", f"{month}-28"
    )
    assert [line for line in listed.stdout.splitlines() if line.strip()] == [f"{shown} Monthly meeting"]

    both = assert_wellformed(invites.series_bytes(group, NOW))
    for event in assert_wellformed(invite).walk("VEVENT"):
        both.add_component(event)
    found = recurring_ical_events.of(both).between(date(day.year, day.month, 1), date(day.year, day.month, 28))
    assert [f"{event['DTSTART'].dt:%Y-%m-%d %H:%M}" for event in found] == [shown]


def test_a_backslash_survives_every_export_as_typed(db, tmp_path):
    r"""`C:\New folder`: icalendar 7.3.2's own writer makes `\N` a line break; ours does not."""
    group, series = build(TORONTO)
    typed = "C:\\New folder\\n, a\\;b\\"
    meeting = by_date(series, date(2026, 12, 8))
    meeting.place = typed
    meeting.save()
    group.name = typed
    group.save()
    for name, data in exports(group, series, TORONTO).items():
        calendar = assert_wellformed(data)
        places = {str(event["LOCATION"]) for event in calendar.walk("VEVENT") if "LOCATION" in event}
        assert typed in places, name
        vobject_places = {
            event.location.value
            for event in vobject.readOne(data.decode("utf-8")).vevent_list
            if hasattr(event, "location")
        }
        assert typed in vobject_places, name
    feed = invites.feed_bytes(group, NOW)
    assert vobject.readOne(feed.decode("utf-8")).x_wr_calname.value == typed
