"""Meeting mode with Pilot, on the morning of the sample's December meeting: the countdown
(started, paused, the next speaker), check-in, three referrals captured (one with an
ambiguous name, which saves nothing), the ledger showing them, and finishing the meeting.

The clock is one the test moves by hand, so the countdown is exact and nothing sleeps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from textual.widgets import Digits, Input

from organizer.models import Attendance, Meeting, Member, Referral
from organizer.services.meetings import occurrence
from organizer.tui.app import make_app
from organizer.tui.meetings.countdown import Countdown, clock_text
from organizer.tui.meetings.mode import MeetingModeScreen
from organizer.tui.widgets.choice import Choice
from organizer.tui.widgets.confirm import Confirm
from tests.conftest import HandClock

# 07:40 in Kitchener on the day of the meeting (07:30–09:00).
MORNING = datetime(2026, 12, 8, 12, 40, tzinfo=UTC)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[ch if ch != " " else "space" for ch in text])


def shown(screen, selector: str) -> str:
    return " ".join(str(screen.query_one(selector).render()).split())


def countdown_shown(screen) -> str:
    return screen.query_one("#stage-countdown", Digits).value


async def open_meeting_mode(pilot) -> MeetingModeScreen:
    await pilot.press("3")
    await pilot.pause()
    await pilot.press("m")  # on the list's chosen row: today's meeting
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MeetingModeScreen)
    return screen


def test_the_countdown_counts_from_the_clock_it_is_given():
    start = MORNING
    timer = Countdown(60)
    assert clock_text(timer.remaining(start)) == "1:00" and not timer.running
    timer.toggle(start)
    assert clock_text(timer.remaining(start + timedelta(seconds=12.4))) == "0:48"
    timer.toggle(start + timedelta(seconds=13))
    assert clock_text(timer.remaining(start + timedelta(hours=1))) == "0:47"  # paused
    timer.toggle(start + timedelta(hours=1))
    assert clock_text(timer.remaining(start + timedelta(hours=1, seconds=47.5))) == "0:00"
    assert clock_text(timer.remaining(start + timedelta(hours=1, seconds=59))) == "-0:12"
    timer.restart(start, run=True)
    assert timer.running and timer.remaining(start) == 60
    assert clock_text(3900) == "1:05:00"


async def test_countdown_check_in_capture_and_finish(sample_db, sample_group):
    meeting = occurrence(sample_group, date(2026, 12, 8))
    assert meeting.status == "scheduled"
    clock = HandClock(MORNING)
    app = make_app(clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting_mode(pilot)
        assert screen.meeting.id == meeting.id
        assert screen.query_one("#mode-clock", Digits).value == "07:40"

        # To the 60-second round (the third item of the usual running order).
        await pilot.press("n", "n")
        await pilot.pause()
        assert "60-second round" in shown(screen, "#stage-item")
        assert countdown_shown(screen) == "1:00"

        # Check two members in: typing finds them, enter toggles.
        await pilot.press("c")
        await type_text(pilot, "zo")
        await pilot.pause()
        assert str(screen.check_in_table.get_row_at(0)[1]) == "Zoë Lefèvre"
        await pilot.press("enter")
        await type_text(pilot, "jose")
        await pilot.press("enter")
        await pilot.pause()
        here = {
            a.member.name
            for a in Attendance.select().where((Attendance.meeting == meeting) & (Attendance.presence == "present"))
        }
        assert here == {"Zoë Lefèvre", "José Núñez"}
        assert screen.query_one("#mode-checkin").border_title.startswith("Here: 2 of")
        # Who speaks is who is here, by name; the speaker called keeps the floor meanwhile.
        assert shown(screen, "#stage-speaker") == "Zoë Lefèvre speaker 2 of 2"
        await pilot.press("escape")  # out of the check-in box, back to the stage
        await pilot.press("left")
        await pilot.pause()
        assert shown(screen, "#stage-speaker") == "José Núñez speaker 1 of 2"

        # Start, let 13 seconds pass, pause; time stands still while paused.
        await pilot.press("space")
        clock.advance(13)
        screen.tick()
        assert countdown_shown(screen) == "0:47" and "running" in shown(screen, "#stage-state")
        await pilot.press("space")
        clock.advance(30)
        screen.tick()
        assert countdown_shown(screen) == "0:47" and "paused" in shown(screen, "#stage-state")
        await pilot.press("right")  # the next speaker gets a full minute
        await pilot.pause()
        assert "Zoë Lefèvre" in shown(screen, "#stage-speaker")
        assert countdown_shown(screen) == "1:00"

        # Three referrals; an ambiguous name saves nothing and says who it could be.
        before = Referral.select().where(Referral.meeting == meeting).count()
        await pilot.press("r")
        await type_text(pilot, "zoe > jose: mobile site for Hofstetter Farms, hot 4")
        await pilot.pause()
        assert shown(screen, "#capture-preview").startswith("✓ Zoë Lefèvre → José Núñez: Hofstetter Farms")
        await pilot.press("enter")
        await type_text(pilot, "da > priya: tax review for Carla Moretti")
        await pilot.pause()
        preview = shown(screen, "#capture-preview")
        assert "matches 2 members: Daniel Okafor, David Schmidt" in preview
        assert screen.query_one("#capture-preview").has_class("-problem")
        await pilot.press("enter")
        await pilot.pause()
        assert Referral.select().where(Referral.meeting == meeting).count() == before + 1
        assert screen.query_one("#capture", Input).value == "da > priya: tax review for Carla Moretti"
        capture = screen.query_one("#capture", Input)
        capture.value = "daniel > priya: tax review for Carla Moretti"
        await pilot.press("enter")
        await type_text(pilot, "priya > zoe: new storefront for Bakery Nine, warm")
        await pilot.press("enter")
        await pilot.pause()
        captured = list(Referral.select().where(Referral.meeting == meeting).order_by(Referral.id))[before:]
        assert [(r.giver.name, r.receiver.name, r.prospect_name, r.temperature) for r in captured] == [
            ("Zoë Lefèvre", "José Núñez", "Hofstetter Farms", 4),
            ("Daniel Okafor", "Priya Raman", "Carla Moretti", 3),
            ("Priya Raman", "Zoë Lefèvre", "Bakery Nine", 3),
        ]
        assert all(r.given_on == date(2026, 12, 8) and r.status == "open" for r in captured)
        assert screen.query_one("#mode-capture").border_title == f"Referrals at this meeting · {before + 3}"
        assert "Bakery Nine" in shown(screen, "#capture-list")

        # Finish: asked first, then held, with everyone not checked in absent.
        await pilot.press("escape", "f")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, MeetingModeScreen)
        assert Meeting.get_by_id(meeting.id).status == "held"
        active = Member.select().where((Member.group == sample_group) & (Member.status == "active")).count()
        absent = Attendance.select().where((Attendance.meeting == meeting) & (Attendance.presence == "absent"))
        assert absent.count() == active - 2

        # The ledger lists them, linked to the meeting.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("5")
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        table = app.current_section.table
        prospects = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"Hofstetter Farms", "Carla Moretti", "Bakery Nine"} <= prospects


async def test_meeting_mode_refuses_a_cancelled_meeting(sample_db, sample_group):
    from organizer.services.meetings import cancel_meeting

    cancel_meeting(occurrence(sample_group, date(2026, 12, 8)), now=MORNING)
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        section = app.current_section
        december = occurrence(sample_group, date(2026, 12, 8))
        section.table.move_cursor(row=section.table.get_row_index(str(december.id)))
        await pilot.press("m")
        await pilot.pause()
        assert not isinstance(app.screen, MeetingModeScreen)


async def test_check_in_needs_one_match_or_a_choice_and_ctrl_o_undoes_it(sample_db, sample_group):
    meeting = occurrence(sample_group, date(2026, 12, 8))
    app = make_app(HandClock(MORNING))
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))
        screen = await open_meeting_mode(pilot)
        await pilot.press("c", "a", "enter")  # "a" matches many: nobody is checked in
        await pilot.pause()
        assert "people match “a”" in notes[-1]
        assert (
            not Attendance.select().where((Attendance.meeting == meeting) & Attendance.presence.is_null(False)).exists()
        )
        await pilot.press("down", "enter")  # chosen with ↓: the second match
        await pilot.pause()
        chosen = Attendance.get((Attendance.meeting == meeting) & (Attendance.presence == "present")).member
        assert notes[-1] == f"{chosen.name} is here."
        await type_text(pilot, chosen.name)
        await pilot.press("enter")  # already here: enter never checks anyone out
        await pilot.pause()
        assert "already checked in" in notes[-1]
        await type_text(pilot, chosen.name)
        await pilot.press("ctrl+o")
        await pilot.pause()
        row = Attendance.get((Attendance.meeting == meeting) & (Attendance.member == chosen))
        assert row.presence is None and notes[-1] == f"{chosen.name} is no longer checked in."
        assert screen.query_one("#checkin-search", Input).value == ""


async def test_a_held_meeting_is_not_checked_in_from_meeting_mode(sample_db, sample_group):
    november = occurrence(sample_group, date(2026, 11, 10))
    before = {(a.member_id, a.presence) for a in Attendance.select().where(Attendance.meeting == november)}
    app = make_app(HandClock(MORNING))
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))
        await pilot.press("3")
        await pilot.pause()
        section = app.current_section
        section.table.move_cursor(row=section.table.get_row_index(str(november.id)))
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("c", *"zoe", "enter")
        await pilot.pause()
        assert "was held" in notes[-1]
    assert {(a.member_id, a.presence) for a in Attendance.select().where(Attendance.meeting == november)} == before


async def test_leaving_meeting_mode_keeps_the_place_and_a_future_meeting_asks_first(sample_db, sample_group):
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting_mode(pilot)
        await pilot.press("n", "n")
        await pilot.pause()
        assert screen.item_index == 2
        await pilot.press("escape")  # a stray escape: back to the list
        await pilot.pause()
        assert app.sub_title == "Meetings"
        await pilot.press("m")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, MeetingModeScreen) and again.item_index == 2
        await pilot.press("escape")
        await pilot.pause()
        january = occurrence(sample_group, date(2027, 1, 12))
        section = app.current_section
        section.table.move_cursor(row=section.table.get_row_index(str(january.id)))
        await pilot.press("m")  # a month ahead: run it now, or rehearse? (tests/test_app_meeting_night.py)
        await pilot.pause()
        assert isinstance(app.screen, Choice) and "starts in 35 days" in shown(app.screen, ".choice-question")
        await pilot.press("escape")  # neither: nothing opens, nothing moves
        await pilot.pause()
        assert not isinstance(app.screen, (Choice, MeetingModeScreen))
        assert occurrence(sample_group, date(2027, 1, 12)).starts_at == january.starts_at
