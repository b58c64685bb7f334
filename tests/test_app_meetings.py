"""Meetings section flows with Pilot: the list, a meeting's page (agenda, the five fields,
RSVPs, attendance, visitors), moving, skipping and cancelling, the series and the calendar
files, each checked in the database, on screen and in the files written.

The sample group is frozen at NOW (2026-11-20 09:00 in Kitchener); its next meeting is
Tuesday 8 December 2026 at 07:30.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from email import message_from_bytes

from icalendar import Calendar

from organizer.clock import frozen
from organizer.models import AgendaItem, Attendance, AttendanceCorrection, Meeting, Member
from organizer.services import agenda, meetings
from organizer.services.meetings import next_meeting, occurrence
from organizer.tui.app import make_app
from organizer.tui.help import HelpScreen
from organizer.tui.meetings.detail import MeetingScreen
from organizer.tui.meetings.forms import InvitationDefaultsForm, MeetingForm, NewMeetingForm, RescheduleForm
from organizer.tui.meetings.night_forms import AgendaItemForm, AttendanceForm, VisitorForm
from organizer.tui.meetings.section import MeetingsSection
from organizer.tui.meetings.series_form import SeriesForm
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.path_form import PathForm
from tests.conftest import NOW

DECEMBER = date(2026, 12, 8)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[ch if ch != " " else "space" for ch in text])


async def open_meetings(pilot) -> MeetingsSection:
    await pilot.press("3")
    await pilot.pause()
    section = pilot.app.current_section
    assert isinstance(section, MeetingsSection)
    return section


async def open_next_meeting(pilot) -> MeetingScreen:
    await open_meetings(pilot)
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


def text_of(widget) -> str:
    return " ".join(str(widget.render()).split())


def roster_row(screen: MeetingScreen, name: str) -> list[str]:
    table = screen.roster_table
    for index in range(table.row_count):
        cells = [str(cell) for cell in table.get_row_at(index)]
        if cells[0] == name:
            return cells
    raise AssertionError(f"{name} is not on the roster")


async def choose_roster(pilot, screen: MeetingScreen, name: str) -> None:
    """Find `name` with the roster's search, then put the cursor on them."""
    await pilot.press("slash")
    await type_text(pilot, name)
    await pilot.press("enter")
    await pilot.pause()
    assert screen.roster_table.has_focus
    assert str(screen.roster_table.get_row_at(0)[0]) == name


async def open_reschedule(pilot, meeting) -> RescheduleForm:
    """The list, its cursor on `meeting`, then r."""
    section = await open_meetings(pilot)
    section.table.move_cursor(row=section.table.get_row_index(str(meeting.id)))
    await pilot.press("r")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, RescheduleForm)
    return form


async def set_field(pilot, form, name: str, text: str) -> None:
    field = form.field(name)
    field.value = text
    field.focus()
    await pilot.pause()


async def test_the_list_shows_past_and_coming_meetings_with_the_next_one_chosen(sample_db, sample_group):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        section = await open_meetings(pilot)
        table = section.table
        dates = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Tue 10 Nov 2026" in dates and "Tue 12 Jan 2027" in dates
        assert section.chosen_meeting_id() == next_meeting(sample_group, NOW).id
        row = [str(cell) for cell in table.get_row_at(table.cursor_row)]
        assert row[0] == "Tue 8 Dec 2026" and row[1] == "07:30" and row[2] == "scheduled"
        august = [str(c) for c in table.get_row_at(dates.index("Tue 11 Aug 2026"))]
        assert august[2] == "skipped"
        assert "2nd Tuesday at 07:30, 90 min" in text_of(section.query_one("#meetings-series"))
        assert "Next in 17 days 22 h" in text_of(section.query_one("#meetings-status"))
        assert "25 meetings from Nov 2025" in text_of(section.query_one("#meetings-status"))
        await pilot.press("left_square_bracket")  # a year further back: the sample starts in December 2025
        await pilot.pause()
        assert table.row_count == 25
        assert "25 meetings from Nov 2024" in text_of(section.query_one("#meetings-status"))


async def test_the_meeting_page_shows_the_five_fields_the_agenda_and_the_roster(sample_db, sample_group):
    meeting = next_meeting(sample_group, NOW)
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_next_meeting(pilot)
        invitation = text_of(screen.query_one("#meeting-invitation"))
        for label in (
            "What it is for",
            "What you get from it",
            "What we will discuss",
            "Time needed",
            "Can't make it?",
        ):
            assert label in invitation
        assert "No reply needed and no hard feelings" in invitation
        total = agenda.agenda_total(meeting)
        assert screen.query_one("#meeting-agenda").border_title == f"Agenda · {total.minutes} of 90 min"
        assert screen.agenda_table.row_count == len(agenda.agenda(meeting))
        counts = text_of(screen.query_one("#roster-counts"))
        assert "coming" in counts and "no answer" in counts
        assert screen.roster_table.row_count >= 24


async def test_rsvp_and_a_substitute_from_the_attendance_form(sample_db, sample_group):
    meeting = next_meeting(sample_group, NOW)
    zoe = Member.get(Member.email == "zoe@lefevre.design")
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_next_meeting(pilot)
        await choose_roster(pilot, screen, "Zoë Lefèvre")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AttendanceForm)
        await set_field(pilot, form, "rsvp", "declined")
        await set_field(pilot, form, "presence", "substitute")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # a substitute needs a name
        assert "name the substitute" in form.field("substitute_name").message
        await set_field(pilot, form, "substitute_name", "Marie Lefèvre")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        row = Attendance.get((Attendance.meeting == meeting) & (Attendance.member == zoe))
        assert (row.rsvp, row.presence, row.substitute_name) == ("declined", "substitute", "Marie Lefèvre")
        cells = roster_row(screen, "Zoë Lefèvre")
        assert cells[2] == "not coming" and cells[3] == "substitute: Marie Lefèvre"


async def test_a_visitor_at_the_door_with_who_invited_them(sample_db, sample_group):
    meeting = next_meeting(sample_group, NOW)
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_next_meeting(pilot)
        await pilot.press("v")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, VisitorForm)
        await type_text(pilot, "Mateo Rossi")
        await pilot.press("tab")
        await type_text(pilot, "nobody at all")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "no member matches" in form.field("invited_by").message
        await set_field(pilot, form, "invited_by", "Priya Raman")
        await set_field(pilot, form, "business", "Rossi Roofing")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        visitor = Member.get(Member.name == "Mateo Rossi")
        assert visitor.status == "visitor" and visitor.invited_by.name == "Priya Raman"
        row = Attendance.get((Attendance.meeting == meeting) & (Attendance.member == visitor))
        assert row.presence == "present"
        assert roster_row(screen, "Mateo Rossi")[3] == "present, invited by Priya Raman"


async def test_check_in_with_space_and_a_held_meetings_correction_is_kept(sample_db, sample_group):
    november = occurrence(sample_group, date(2026, 11, 10))
    assert november.status == "held"
    absent = (
        Attendance.select()
        .where((Attendance.meeting == november) & (Attendance.presence == "absent"))
        .join(Member)
        .where(Member.status == "active")
        .first()
    )
    assert absent is not None
    name = absent.member.name
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        section = await open_meetings(pilot)
        table = section.table
        table.move_cursor(row=table.get_row_index(str(november.id)))
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert "held" in text_of(screen.query_one("#meeting-title"))
        await choose_roster(pilot, screen, name)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AttendanceForm) and "correction" in text_of(form.query_one("#form-intro"))
        await set_field(pilot, form, "presence", "late")
        await set_field(pilot, form, "reason", "came in after the round")
        await pilot.press("ctrl+s")
        await pilot.pause()
        correction = AttendanceCorrection.get(AttendanceCorrection.attendance == absent.id)
        assert (correction.old_presence, correction.new_presence, correction.reason) == (
            "absent",
            "late",
            "came in after the round",
        )
        assert correction.actor.email == "daniel@okaforcpa.ca"  # who the app is used by
        assert roster_row(screen, name)[3] == "late (corrected)"
        await pilot.press("space")  # on a held meeting a check-in is a correction: the form asks why
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AttendanceForm)
        await set_field(pilot, form, "presence", "absent")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "say why" in form.field("reason").message
        await set_field(pilot, form, "reason", "recorded twice")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Attendance.get_by_id(absent.id).presence == "absent"
        assert AttendanceCorrection.select().where(AttendanceCorrection.attendance == absent.id).count() == 2


async def test_the_agenda_adds_moves_flags_and_removes(sample_db, sample_group):
    meeting = next_meeting(sample_group, NOW)
    items_before = len(agenda.agenda(meeting))
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_next_meeting(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AgendaItemForm)
        await set_field(pilot, form, "kind", "education")
        await set_field(pilot, form, "title", "Reading a balance sheet")
        await set_field(pilot, form, "minutes", "twenty")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "whole number" in form.field("minutes").message
        await set_field(pilot, form, "minutes", "20")
        await set_field(pilot, form, "member", "Daniel Okafor")
        await pilot.press("ctrl+s")
        await pilot.pause()
        item = AgendaItem.get(AgendaItem.title == "Reading a balance sheet")
        assert (item.position, item.minutes, item.member.name) == (items_before + 1, 20, "Daniel Okafor")
        total = agenda.agenda_total(meeting)
        assert total.is_over
        line = screen.query_one("#agenda-total")
        assert "too long" in text_of(line) and line.has_class("-over")
        await pilot.press("shift+up")
        await pilot.pause()
        assert AgendaItem.get_by_id(item.id).position == items_before
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert AgendaItem.get_or_none(AgendaItem.id == item.id) is None
        positions = [i.position for i in agenda.agenda(meeting)]
        assert positions == list(range(1, items_before + 1))


async def test_edit_the_five_fields_and_the_title_raises_the_sequence(sample_db, sample_group):
    meeting = next_meeting(sample_group, NOW)
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_next_meeting(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeetingForm)
        await set_field(pilot, form, "topics", "The holiday party; the 60-second round")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = Meeting.get_by_id(meeting.id)
        assert saved.topics == "The holiday party; the 60-second round"
        assert saved.sequence == meeting.sequence  # not a material change
        await pilot.press("e")
        await pilot.pause()
        await set_field(pilot, app.screen, "title", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs a title" in app.screen.field("title").message
        await set_field(pilot, app.screen, "title", "December meeting and holiday breakfast")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = Meeting.get_by_id(meeting.id)
        assert saved.title == "December meeting and holiday breakfast"
        assert saved.sequence == meeting.sequence + 1
        assert "December meeting and holiday breakfast" in text_of(screen.query_one("#meeting-title"))


async def test_reschedule_skip_and_back_on_from_the_list(sample_db, sample_group):
    january = occurrence(sample_group, date(2027, 1, 12))
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_reschedule(pilot, january)
        assert form.field("starts").value == "2027-01-12 07:30"
        await set_field(pilot, form, "starts", "2027-01-19 7h30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a date and time" in form.field("starts").message
        await set_field(pilot, form, "starts", "2027-01-19 08:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        moved = Meeting.get_by_id(january.id)
        assert moved.starts_at == datetime(2027, 1, 19, 13, 0, tzinfo=UTC)  # 08:00 in Kitchener
        assert moved.sequence == january.sequence + 1 and moved.occurrence_date == date(2027, 1, 12)
        section = app.current_section
        assert str(section.table.get_row_at(section.table.cursor_row)[0]) == "Tue 19 Jan 2027"
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert Meeting.get_by_id(january.id).status == "skipped"
        await pilot.press("b")
        await pilot.pause()
        assert Meeting.get_by_id(january.id).status == "scheduled"


async def test_a_one_off_meeting_and_a_second_on_the_same_day_is_refused(sample_db, sample_group):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meetings(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewMeetingForm)
        assert form.field("intent").value == sample_group.default_intent
        await set_field(pilot, form, "starts", "2026-12-08 18:00")
        await set_field(pilot, form, "title", "Holiday social")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "already a meeting on 2026-12-08" in text_of(form.query_one("#form-status"))
        await set_field(pilot, form, "starts", "2026-12-17 18:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        social = Meeting.get(Meeting.title == "Holiday social")
        assert social.series is None and social.minutes == 90
        assert social.starts_at == datetime(2026, 12, 17, 23, 0, tzinfo=UTC)
        assert social.opt_out == sample_group.default_out


async def test_the_series_changes_from_a_date_on(sample_db, sample_group):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meetings(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SeriesForm) and form.field("rule").value == "2nd tuesday"
        await set_field(pilot, form, "rule", "3rd someday")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a meeting rule" in form.field("rule").message
        await set_field(pilot, form, "rule", "3rd thursday")
        await set_field(pilot, form, "at", "18:30")
        await set_field(pilot, form, "starts_on", "2027-01-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SeriesForm)
        assert occurrence(sample_group, date(2027, 1, 21)).starts_at == datetime(2027, 1, 21, 23, 30, tzinfo=UTC)
        assert occurrence(sample_group, DECEMBER).status == "scheduled"  # before the change


async def test_invitation_defaults_reach_upcoming_meetings_that_kept_them(sample_db, sample_group):
    january = occurrence(sample_group, date(2027, 1, 12))
    december = next_meeting(sample_group, NOW)
    december.benefit = "Our own words for December"
    december.save()
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meetings(pilot)
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InvitationDefaultsForm)
        await set_field(pilot, form, "benefit", "Introductions to customers you could not reach alone.")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert Meeting.get_by_id(january.id).benefit == "Introductions to customers you could not reach alone."
    assert Meeting.get_by_id(december.id).benefit == "Our own words for December"


async def export_to(pilot, key: str, path) -> PathForm:
    await pilot.press(key)
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, PathForm)
    await set_field(pilot, form, "path", str(path))
    await pilot.press("ctrl+s")
    await pilot.pause()
    return form


async def test_calendar_files_from_the_app_invite_series_feed_and_cancellation(sample_db, sample_group, tmp_path):
    meeting = next_meeting(sample_group, NOW)
    app = make_app(frozen(NOW))
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # what the user is told
        await open_meetings(pilot)
        form = await export_to(pilot, "i", tmp_path / "invite.txt")
        assert app.screen is form and "ends in .ics or .eml" in form.field("path").message
        await set_field(pilot, form, "path", str(tmp_path / "invite.ics"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        invite = Calendar.from_ical((tmp_path / "invite.ics").read_bytes())
        # One meeting of the series: named as the series file names it (UID and RECURRENCE-ID).
        assert invite["METHOD"] == "REQUEST" and invite.walk("VEVENT")[0]["UID"] == meeting.series.uid
        assert "RECURRENCE-ID" in invite.walk("VEVENT")[0]
        assert notes[-1] == f"Wrote {tmp_path / 'invite.ics'}"
        assert os.stat(tmp_path / "invite.ics").st_mode & 0o777 == 0o600
        await export_to(pilot, "i", tmp_path / "invite.eml")
        email = message_from_bytes((tmp_path / "invite.eml").read_bytes())
        assert [
            part.get_param("method")
            for part in email.walk()
            if part.get_content_type() == "text/calendar" and not part.get_filename()
        ] == ["REQUEST"]
        await export_to(pilot, "x", tmp_path / "series.ics")
        series = Calendar.from_ical((tmp_path / "series.ics").read_bytes())
        assert "RRULE" in series.walk("VEVENT")[0]
        await export_to(pilot, "p", tmp_path / "feed.ics")
        assert Calendar.from_ical((tmp_path / "feed.ics").read_bytes())["METHOD"] == "PUBLISH"
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert Meeting.get_by_id(meeting.id).status == "cancelled"
        form = app.screen
        assert isinstance(form, PathForm) and form.field("path").value.endswith("cancel-2026-12-08.ics")
        await set_field(pilot, form, "path", str(tmp_path / "cancel.ics"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        cancel = Calendar.from_ical((tmp_path / "cancel.ics").read_bytes())
        event = cancel.walk("VEVENT")[0]
        assert cancel["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
        assert event["UID"] == meeting.series.uid and int(event["SEQUENCE"]) == Meeting.get_by_id(meeting.id).sequence
        assert notes[-1] == f"Wrote {tmp_path / 'cancel.ics'}"


async def test_help_and_palette_reach_the_meeting_pages_keys(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_next_meeting(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = text_of(app.screen.query_one("#help-text"))
        for words in ("Meeting mode", "Move agenda item up", "Check in/out", "Visitor", "Reschedule", "Invite"):
            assert words in text
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Add item")
        for _ in range(5):
            await pilot.pause()
        await pilot.press("enter")
        for _ in range(3):
            await pilot.pause()
        assert isinstance(app.screen, AgendaItemForm)


async def test_a_calendar_file_that_exists_is_replaced_only_after_a_yes(sample_db, tmp_path):
    target = tmp_path / "series.ics"
    target.write_bytes(b"keep me")
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meetings(pilot)
        await export_to(pilot, "x", target)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PathForm) and target.read_bytes() == b"keep me"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, (Confirm, PathForm))
        assert b"RRULE" in target.read_bytes()


async def test_the_invite_form_says_what_the_invitation_lacks(sample_db, sample_group):
    meeting = next_meeting(sample_group, NOW)
    meeting.intent = ""
    meeting.save()
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meetings(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, PathForm)
        assert "It does not say yet: What it is for" in text_of(app.screen.query_one("#form-intro"))


async def test_moving_a_meeting_into_the_past_asks_first(sample_db, sample_group):
    december = occurrence(sample_group, date(2026, 12, 8))
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_reschedule(pilot, december)
        await set_field(pilot, form, "starts", "2026-11-17 07:30")  # NOW is 20 November
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "into the past" in str(app.screen.query_one(".confirm-question").render())
        await pilot.press("escape")  # not yet: back in the form, nothing moved
        await pilot.pause()
        assert app.screen is form and Meeting.get_by_id(december.id).starts_at == december.starts_at
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert Meeting.get_by_id(december.id).starts_at.astimezone(UTC).date() == date(2026, 11, 17)


async def test_the_invite_warns_when_the_agenda_runs_past_the_end(sample_db, sample_group):
    from textual.widgets import Static

    from organizer.services import agenda as agenda_service

    meeting = next_meeting(sample_group, NOW)
    agenda_service.add_item(meeting, kind="other", title="A long talk", minutes=40)
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meetings(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, PathForm)
        shown = " ".join(str(widget.render()) for widget in app.screen.query(Static))
        over = agenda_service.agenda_total(meeting).over_by
        assert over > 0 and f"The agenda runs {over} min past the meeting's end" in " ".join(shown.split())


async def test_reschedule_onto_a_date_with_a_meeting_asks_then_cancels_that_one(sample_db, sample_group):
    january = occurrence(sample_group, date(2027, 1, 12))
    february = (
        Meeting.select()
        .where((Meeting.group == sample_group) & (Meeting.starts_at > january.starts_at))
        .order_by(Meeting.starts_at)
        .first()
    )
    day = meetings.local_date(february).isoformat()
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_reschedule(pilot, january)
        await set_field(pilot, form, "starts", f"{day} 07:30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert f"{day} already has a meeting (07:30" in str(app.screen.question)
        await pilot.press("n")  # not yet: nothing changed, the form and its text still there
        await pilot.pause()
        assert app.screen is form and form.field("starts").value == f"{day} 07:30"
        assert Meeting.get_by_id(february.id).status == "scheduled"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PathForm)  # the cancellation for calendars, as after c
        cancelled = Meeting.get_by_id(february.id)
        assert cancelled.status == "cancelled" and cancelled.sequence == february.sequence + 1
        assert meetings.local_date(Meeting.get_by_id(january.id)).isoformat() == day
        assert occurrence(sample_group, date.fromisoformat(day)).id == january.id
