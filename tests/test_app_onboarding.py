"""Onboarding on an empty database: create the group and its meeting, or load the sample."""

from __future__ import annotations

from organizer.clock import frozen
from organizer.models import Group, Meeting, MeetingSeries
from organizer.tui.app import make_app
from organizer.tui.onboarding import OnboardingScreen
from organizer.tui.widgets.field import Field
from tests.conftest import NOW


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[ch if ch != " " else "space" for ch in text])


async def test_an_empty_database_opens_on_onboarding(db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OnboardingScreen)
        await pilot.press("1")  # typed into the name field, never a section switch
        assert app.screen.field("name").value == "1"


async def test_onboarding_creates_the_group_and_its_meetings(db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await type_text(pilot, "Lakeside Connectors")
        await pilot.press("tab")
        await type_text(pilot, "Europe/Dublin")
        await pilot.press("tab")
        await type_text(pilot, "Aoife Byrne")
        await pilot.press("tab")
        await type_text(pilot, "aoife@example.ie")
        await pilot.press("tab", "backspace", "backspace", "backspace")
        await type_text(pilot, "EUR")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, OnboardingScreen)
        group = Group.get()
        assert (group.name, group.timezone, group.currency) == ("Lakeside Connectors", "Europe/Dublin", "EUR")
        assert app.title == "Lakeside Connectors"
        assert app.current_section.SECTION_ID == "dashboard"
        series = MeetingSeries.get()
        assert (series.ordinal, series.weekday, series.start_time, series.minutes) == (2, 1, "07:30", 90)
        first = Meeting.select().order_by(Meeting.starts_at).first()
        assert first.occurrence_date.isoformat() == "2026-12-08"  # the first 2nd Tuesday from today


async def test_bad_fields_show_their_message_and_create_nothing(db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await type_text(pilot, "Lakeside")
        await pilot.press("tab")
        await type_text(pilot, "Mars/Olympus")
        await pilot.press("tab", "tab")
        await type_text(pilot, "aoife@")
        screen = app.screen
        assert "not a known timezone" in screen.field("timezone").message
        assert "email" in screen.field("organizer_email").message
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OnboardingScreen)
        assert "the organizer's name is required" in screen.field("organizer_name").message
        assert "Not saved" in str(screen.query_one("#form-status").render())
        assert Group.select().count() == 0


async def test_the_meeting_rule_is_checked_as_you_type(db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rule: Field = app.screen.field("rule")
        rule.focus()
        await pilot.press("end", *["backspace"] * 11)
        await type_text(pilot, "2nd tuesdya")
        assert "is not a meeting rule" in rule.message
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "ay")
        assert rule.message == ""


async def test_load_the_sample_group_from_onboarding(db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.title == "Grand River Business Circle"
        assert Group.get().currency == "CAD"
        assert app.current_section.SECTION_ID == "dashboard"
