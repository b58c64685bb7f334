"""Shared by the iCal tests: a group with a series that has a skipped, a cancelled and a
moved month; the file-format checks; khal and Radicale run on throwaway folders."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from wsgiref.util import setup_testing_defaults
from zoneinfo import ZoneInfo

from icalendar import Calendar

from organizer.models import Meeting, MeetingSeries
from organizer.services import meetings, members
from organizer.services.groups import create_group
from organizer.services.recurrence import local_start, parse_rule

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=ZoneInfo("UTC"))
KHAL = Path(sys.executable).with_name("khal")


@dataclass(frozen=True)
class Scenario:
    zone: str
    rule: str
    at: str
    starts_on: date
    ends_on: date | None
    skipped: date
    cancelled: date
    moved: date  # the occurrence date of the moved meeting…
    moved_to: datetime  # …and its new local start (naive, in `zone`)


TORONTO = Scenario(
    zone="America/Toronto",
    rule="2nd tuesday",
    at="07:30",
    starts_on=date(2026, 1, 13),
    ends_on=None,
    skipped=date(2026, 8, 11),
    cancelled=date(2026, 5, 12),
    moved=date(2026, 6, 9),
    moved_to=datetime(2026, 6, 11, 18, 0),
)
BERLIN = Scenario(
    zone="Europe/Berlin",
    rule="last thursday",
    at="19:00",
    starts_on=date(2026, 1, 29),
    ends_on=date(2026, 12, 31),
    skipped=date(2026, 7, 30),
    cancelled=date(2026, 4, 30),
    moved=date(2026, 9, 24),
    moved_to=datetime(2026, 9, 22, 18, 30),
)
SYDNEY = Scenario(
    zone="Australia/Sydney",
    rule="1st monday",
    at="12:00",
    starts_on=date(2026, 1, 5),
    ends_on=None,
    skipped=date(2026, 12, 7),
    cancelled=date(2026, 6, 1),
    moved=date(2026, 4, 6),
    moved_to=datetime(2026, 4, 8, 8, 15),
)

# Zones the sample never sees: winter at +00:00 (London), DST starting at midnight in the
# south (Santiago), a 45-minute offset (Chatham), a half-hour one west (St John's), no DST
# and a half-hour offset (Kolkata), and a meeting time that the change to summer time skips
# and the change back repeats (Berlin at 02:30 on the last Sunday).
LONDON = Scenario(
    zone="Europe/London",
    rule="last wednesday",
    at="08:00",
    starts_on=date(2026, 6, 1),
    ends_on=None,
    skipped=date(2026, 8, 26),
    cancelled=date(2026, 11, 25),
    moved=date(2026, 10, 28),
    moved_to=datetime(2026, 10, 27, 18, 0),
)
SANTIAGO = Scenario(
    zone="America/Santiago",
    rule="first friday",
    at="07:00",
    starts_on=date(2026, 1, 1),
    ends_on=date(2026, 12, 31),
    skipped=date(2026, 4, 3),
    cancelled=date(2026, 9, 4),
    moved=date(2026, 10, 2),
    moved_to=datetime(2026, 10, 1, 19, 0),
)
CHATHAM = Scenario(
    zone="Pacific/Chatham",
    rule="4th monday",
    at="19:45",
    starts_on=date(2026, 1, 1),
    ends_on=None,
    skipped=date(2026, 4, 27),
    cancelled=date(2026, 9, 28),
    moved=date(2026, 7, 27),
    moved_to=datetime(2026, 7, 28, 12, 15),
)
ST_JOHNS = Scenario(
    zone="America/St_Johns",
    rule="fourth saturday",
    at="10:00",
    starts_on=date(2026, 1, 1),
    ends_on=date(2026, 12, 31),
    skipped=date(2026, 3, 28),
    cancelled=date(2026, 10, 24),
    moved=date(2026, 11, 28),
    moved_to=datetime(2026, 11, 27, 17, 30),
)
KOLKATA = Scenario(
    zone="Asia/Kolkata",
    rule="3rd thursday",
    at="09:15",
    starts_on=date(2026, 1, 1),
    ends_on=None,
    skipped=date(2026, 5, 21),
    cancelled=date(2026, 10, 15),
    moved=date(2026, 2, 19),
    moved_to=datetime(2026, 2, 20, 10, 45),
)
BERLIN_NIGHT = Scenario(
    zone="Europe/Berlin",
    rule="last sunday",
    at="02:30",
    starts_on=date(2026, 3, 29),
    ends_on=date(2027, 10, 31),  # 02:30 is skipped, then repeated
    skipped=date(2027, 3, 28),
    cancelled=date(2026, 5, 31),  # the skipped one is in the gap
    moved=date(2026, 6, 28),
    moved_to=datetime(2026, 6, 27, 2, 30),
)

MEMBERS = (
    ("Zoë Lefèvre", "zoe@example.com"),
    ("Nguyễn Thị Mai", "mai@example.com"),
    ("陈静", "jing@example.com"),
    ("Δήμητρα Παππά", "dimitra@example.com"),
    ("Kevin O'Brien", "kevin@example.com"),
)


def build(scenario: Scenario, *, name: str = "Test Circle"):
    """The group, its series and members, with fixed UIDs (they are random per database)."""
    group = create_group(
        name=name,
        timezone=scenario.zone,
        organizer_name="Olu Organizer",
        organizer_email="olu@example.com",
        now=NOW,
        default_intent="Pass referrals; meet the people behind the businesses.",
        default_benefit="Warm introductions, honest answers.",
        default_topics="Open networking, the 60-second round, referrals.",
        default_time_needed="90 minutes, coffee from 15 minutes before.",
        default_out="Can't make it? No reply needed — see you next month.",
    )
    series = meetings.create_series(
        group,
        rule=parse_rule(scenario.rule),
        at=scenario.at,
        minutes=90,
        starts_on=scenario.starts_on,
        ends_on=scenario.ends_on,
        place="Café Zoë, back room, 1 Main St",
        title="Monthly meeting",
        now=NOW,
    )
    series.uid = "series-1@organizer.test"
    series.save()
    for meeting in Meeting.select().where(Meeting.series == series):
        meeting.uid = f"meeting-{meeting.occurrence_date.isoformat()}@organizer.test"
        meeting.save()
    for member_name, email in MEMBERS:
        members.add_member(group, name=member_name, email=email, now=NOW)
    members.add_member(group, name="No Email", now=NOW)
    members.add_member(group, name="Ana Alumna", email="ana@example.com", status="alumni", now=NOW)

    meetings.skip_occurrence(by_date(series, scenario.skipped), now=NOW)
    cancelled = by_date(series, scenario.cancelled)
    cancelled.status, cancelled.sequence = "cancelled", cancelled.sequence + 1
    cancelled.save()
    moved = by_date(series, scenario.moved)
    moved.starts_at = scenario.moved_to.replace(tzinfo=ZoneInfo(scenario.zone))
    moved.sequence += 1
    moved.save()
    return group, MeetingSeries.get_by_id(series.id)


def by_date(series: MeetingSeries, day: date) -> Meeting:
    return Meeting.get((Meeting.series == series) & (Meeting.occurrence_date == day))


def expected_local_starts(scenario: Scenario, year: int = 2026) -> list[datetime]:
    """Naive local starts of the year's occurrences: the rule's, minus skipped and
    cancelled, with the moved one moved."""
    rule = parse_rule(scenario.rule)
    hour, minute = map(int, scenario.at.split(":"))
    starts = []
    for day in rule.dates(max(scenario.starts_on, date(year, 1, 1)), scenario.ends_on or date(year, 12, 31)):
        if day.year != year or day in (scenario.skipped, scenario.cancelled):
            continue
        # A time the change to summer time skips is read with the offset before the gap
        # (RFC 5545 3.3.5): 02:30 becomes 03:30, as the meeting was stored.
        wall = local_start(day, time(hour, minute), ZoneInfo(scenario.zone)).replace(tzinfo=None)
        starts.append(scenario.moved_to if day == scenario.moved else wall)
    return sorted(starts)


# -- the file format ---------------------------------------------------------------------


def assert_wellformed(data: bytes) -> Calendar:
    """CRLF line ends, no line over 75 octets, UTF-8 intact, icalendar finds no error."""
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    for line in lines:
        assert b"\r" not in line and b"\n" not in line, line
        assert len(line) <= 75, (len(line), line)
    # Folding never splits a character: every physical line is valid UTF-8 on its own.
    for line in lines:
        line.decode("utf-8")
    calendar = Calendar.from_ical(data)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    assert "UID" not in calendar  # no calendar-level UID
    return calendar


# -- khal --------------------------------------------------------------------------------


def khal(tmp_path: Path, zone: str, *args: str) -> subprocess.CompletedProcess:
    """Run khal with a throwaway config, calendar folder and cache under tmp_path."""
    home = tmp_path / "khal"
    (home / "calendar").mkdir(parents=True, exist_ok=True)
    config = home / "config"
    config.write_text(
        "[calendars]\n[[meetings]]\n"
        f"path = {home / 'calendar'}\ntype = calendar\n\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"local_timezone = {zone}\ndefault_timezone = {zone}\n\n"
        "[default]\ndefault_calendar = meetings\n\n"
        f"[sqlite]\npath = {home / 'khal.db'}\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(home),
        "XDG_DATA_HOME": str(home),
        "XDG_CACHE_HOME": str(home),
        "TZ": "UTC",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    return subprocess.run([str(KHAL), "-c", str(config), *args], capture_output=True, text=True, env=env, timeout=60)


# -- Radicale ----------------------------------------------------------------------------


class Radicale:
    """Radicale's WSGI application, called in-process on a storage folder under tmp_path."""

    def __init__(self, folder: Path):
        from radicale import Application, config

        configuration = config.load()
        configuration.update(
            {
                "storage": {"filesystem_folder": str(folder)},
                "auth": {"type": "none"},
                "rights": {"type": "owner_only"},
                "logging": {"level": "error"},
            },
            "test",
            privileged=True,
        )
        self.app = Application(configuration)

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "text/calendar"):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": content_type,
            "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"olu:secret").decode(),
            "wsgi.errors": io.StringIO(),
        }
        setup_testing_defaults(environ)
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"] = int(status.split()[0])

        body = b"".join(self.app(environ, start_response))
        return answer["status"], body
