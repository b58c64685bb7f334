"""Meeting night without loss, with Pilot: quitting asks (save / discard / stay), finishing
with a line pending saves it first or shows why not, drafts come back after a crash (a new
app object on the same database), a future meeting is run now or rehearsed (a rehearsal
writes nothing), ctrl+o undoes the last check-in, and the finish dialog says exactly who
is marked absent.

The clock is one the test moves by hand; a crash is a first app ended without quitting
(no question asked, nothing tidied up), then a second app on the same database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from textual.widgets import Input

from organizer.models import Attendance, Draft, Meeting, Member, Referral
from organizer.services import drafts
from organizer.services.meetings import (
    absent_on_finish,
    create_meeting,
    local_date,
    occurrence,
)
from organizer.tui.app import make_app
from organizer.tui.meetings.mode import MeetingModeScreen
from organizer.tui.meetings.night_forms import VisitorForm
from organizer.tui.members.form import MemberForm
from organizer.tui.widgets.choice import Choice
from organizer.tui.widgets.confirm import Confirm
from tests.conftest import HandClock, until
from tests.test_app_meeting_mode import shown, type_text

# 07:40 in Kitchener on the day of the sample's December meeting (07:30–09:00).
MORNING = datetime(2026, 12, 8, 12, 40, tzinfo=UTC)
VALID_LINE = "zoe > marcus: IT support for Müller Bakery, hot 5"


async def new_member_typed(pilot, name: str) -> None:
    """Members (2), a new member (n), and `name` typed in it."""
    await pilot.press("2")
    await pilot.pause()
    await pilot.press("n")
    await shown_on_top(pilot, MemberForm)
    await type_text(pilot, name)


async def shown_on_top(pilot, kind):
    """Until a screen of `kind` is on top and filled (meeting mode ready, a form's fields there)."""
    app = pilot.app

    def there() -> bool:
        screen = app.screen
        if not isinstance(screen, kind) or not screen.is_mounted:
            return False
        return screen.ready if isinstance(screen, MeetingModeScreen) else bool(screen.query("Field"))

    await until(pilot, there, f"{kind.__name__} on top")
    await pilot.pause()
    return app.screen


def keep_notes(app) -> list[str]:
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(str(message))
    return notes


async def open_meeting_mode(pilot, meeting: Meeting | None = None):
    await pilot.press("3")
    await pilot.pause()
    if meeting is not None:
        section = pilot.app.current_section
        section.table.move_cursor(row=section.table.get_row_index(str(meeting.id)))
    await pilot.press("m")
    await until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, Choice)
            or (isinstance(pilot.app.screen, MeetingModeScreen) and pilot.app.screen.ready)
        ),
        "meeting mode",
    )
    return pilot.app.screen


def present(meeting) -> set[int]:
    return {
        row.member_id
        for row in Attendance.select().where((Attendance.meeting == meeting) & (Attendance.presence == "present"))
    }


# -- quitting asks ---------------------------------------------------------------------------


async def test_quit_with_a_dirty_form_asks_and_stay_keeps_it(sample_db, sample_group):
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        await new_member_typed(pilot, "Quintessa Vale")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        assert "New member: Name “Quintessa Vale”" in shown(app.screen, ".choice-lines")
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert isinstance(app.screen, MemberForm) and app.screen.field("name").value == "Quintessa Vale"
        assert app.return_code is None
        await pilot.press("ctrl+q", "d")  # discard and quit
        await pilot.pause()
        assert app.return_code == 0
    assert not Member.select().where(Member.name == "Quintessa Vale").exists()
    assert drafts.list_drafts(sample_group) == []


async def test_quit_and_save_saves_a_valid_form_and_refuses_an_invalid_one(sample_db, sample_group):
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        notes = keep_notes(app)
        await new_member_typed(pilot, "Quintessa Vale")
        form = app.screen
        form.field("email").value = "not an email"
        await pilot.press("ctrl+q", "s")
        await pilot.pause()
        assert app.return_code is None and app.screen is form  # refused: nothing is lost
        assert notes[-1].startswith("Not quitting — New member: Email")
        form.field("email").value = "q@vale.example"
        await pilot.press("ctrl+q", "s")
        await pilot.pause()
        assert app.return_code == 0
    assert Member.get(Member.name == "Quintessa Vale").email == "q@vale.example"


async def test_quit_nothing_unsaved_quits_at_once(sample_db):
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_quit_in_meeting_mode_names_the_lines_and_the_running_meeting(sample_db, sample_group):
    meeting = occurrence(sample_group, date(2026, 12, 8))
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting_mode(pilot)
        await pilot.press("r")
        await type_text(pilot, VALID_LINE)
        await pilot.press("ctrl+q")
        await pilot.pause()
        lines = shown(app.screen, ".choice-lines")
        assert f"Referral line “{VALID_LINE}”" in lines and "is running" in lines
        await pilot.press("s")  # save and quit: the referral is recorded first
        await pilot.pause()
        assert app.return_code == 0
    assert Referral.get(Referral.meeting == meeting).prospect_name.endswith("Müller Bakery")


# -- finishing and leaving with a line pending ------------------------------------------------


async def test_finish_with_a_valid_pending_line_saves_it_first(sample_db, sample_group):
    meeting = occurrence(sample_group, date(2026, 12, 8))
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting_mode(pilot)
        await pilot.press("r")
        await type_text(pilot, VALID_LINE)
        await pilot.press("escape", "f")  # to the stage, then finish
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        assert f"Referral line “{VALID_LINE}”" in shown(app.screen, ".choice-lines")
        await pilot.press("s")
        await pilot.pause()
        assert Referral.select().where(Referral.meeting == meeting).count() == 1
        assert isinstance(app.screen, Confirm)
        absent = absent_on_finish(meeting)
        detail = " ".join(str(s.render()) for s in app.screen.query(".confirm-question"))
        assert f"{len(absent)} active members not checked in will be marked absent" in " ".join(detail.split())
        await pilot.press("y")
        await pilot.pause()
    assert Meeting.get_by_id(meeting.id).status == "held"
    marked = Attendance.select().where((Attendance.meeting == meeting) & (Attendance.presence == "absent"))
    assert {row.member_id for row in marked} == {member.id for member in absent}


async def test_finish_with_an_invalid_pending_line_shows_it_and_finishes_nothing(sample_db, sample_group):
    meeting = occurrence(sample_group, date(2026, 12, 8))
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        notes = keep_notes(app)
        screen = await open_meeting_mode(pilot)
        await pilot.press("r")
        await type_text(pilot, "zoe > nobodyatall: a roof")
        await pilot.press("escape", "f")
        await pilot.pause()
        assert not isinstance(app.screen, (Choice, Confirm))
        assert notes[-1].startswith("Not finished — Referral line “zoe > nobodyatall: a roof”:")
        capture = screen.query_one("#capture", Input)
        assert capture.value == "zoe > nobodyatall: a roof" and capture.has_focus
        assert "✗" in shown(screen, "#capture-preview")
    assert Meeting.get_by_id(meeting.id).status == "scheduled"


async def test_escape_with_a_pending_line_asks_and_discard_leaves(sample_db, sample_group):
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting_mode(pilot)
        await pilot.press("c")
        await type_text(pilot, "zoe")
        await pilot.press("escape", "escape")  # to the stage, then leave
        await pilot.pause()
        assert isinstance(app.screen, Choice) and "Check-in line “zoe”" in shown(app.screen, ".choice-lines")
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert isinstance(app.screen, MeetingModeScreen)
        await pilot.press("escape", "d")
        await pilot.pause()
        assert not isinstance(app.screen, MeetingModeScreen)


async def test_a_one_off_meeting_finish_says_nobody_is_marked_absent(sample_db, sample_group):
    evening = MORNING + timedelta(days=7)  # a week after the monthly meeting
    social = create_meeting(
        sample_group,
        now=evening,
        starts_at=evening - timedelta(minutes=10),
        minutes=60,
        title="Holiday social",
    )
    app = make_app(HandClock(evening))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting_mode(pilot, social)
        await pilot.press("f")
        await pilot.pause()
        detail = " ".join(" ".join(str(s.render()) for s in app.screen.query(".confirm-question")).split())
        assert "nobody is marked absent" in detail
        await pilot.press("y")
        await pilot.pause()
    assert not Attendance.select().where((Attendance.meeting == social) & (Attendance.presence == "absent")).exists()


# -- ctrl+o ------------------------------------------------------------------------------------


async def test_ctrl_o_undoes_the_last_check_in_with_no_name_typed(sample_db, sample_group):
    meeting = occurrence(sample_group, date(2026, 12, 8))
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        notes = keep_notes(app)
        await open_meeting_mode(pilot)
        await pilot.press("c")
        await type_text(pilot, "zoe")
        await pilot.press("enter")
        await type_text(pilot, "marcus")
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert len(present(meeting)) == 2
        await pilot.press("ctrl+o")  # from the stage, no name: the last one (Marcus)
        await pilot.pause()
        assert notes[-1].endswith("is no longer checked in.") and notes[-1].startswith("Marcus")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert present(meeting) == set()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert notes[-1] == "No check-in to undo yet."


# -- drafts survive a crash --------------------------------------------------------------------


async def test_a_form_draft_survives_a_crash_and_is_offered_back(sample_db, sample_group):
    first = make_app(HandClock(MORNING))
    async with first.run_test(size=(120, 40)) as pilot:
        await new_member_typed(pilot, "Quintessa Vale")
        # Written half a second after the last key (a slow machine may write "Q" first).
        await until(
            pilot,
            lambda: [d.data["values"] for d in drafts.list_drafts(sample_group)] == [[["name", "Quintessa Vale"]]],
            "the whole name in the draft",
        )
        # A crash: the app ends here without quitting (no question, nothing tidied up).
    [draft] = drafts.list_drafts(sample_group)
    assert draft.key == "member:member=None" and draft.data["values"] == [["name", "Quintessa Vale"]]

    second = make_app(HandClock(MORNING))
    async with second.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(second.screen, Choice), "the recovery question")
        assert "New member: “Quintessa Vale”" in shown(second.screen, ".choice-lines")
        await pilot.press("r")
        form = await shown_on_top(pilot, MemberForm)
        assert isinstance(form, MemberForm) and form.field("name").value == "Quintessa Vale"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert Member.select().where(Member.name == "Quintessa Vale").count() == 1
    assert drafts.list_drafts(sample_group) == []  # saved: the draft is gone


async def test_a_meetings_invitation_text_survives_a_crash(sample_db, sample_group):
    from organizer.tui.meetings.detail import MeetingScreen
    from organizer.tui.meetings.forms import MeetingForm

    first = make_app(HandClock(MORNING))
    async with first.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "enter")
        await until(pilot, lambda: isinstance(first.screen, MeetingScreen), "the meeting's page")
        await pilot.press("e")
        form = await shown_on_top(pilot, MeetingForm)
        form.field("title").value = "Holiday social and toy drive"
        await until(pilot, lambda: drafts.list_drafts(sample_group), "the draft to be written")
    [draft] = drafts.list_drafts(sample_group)
    assert draft.data["form"] == "meeting_form"

    second = make_app(HandClock(MORNING))
    async with second.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(second.screen, Choice), "the recovery question")
        await pilot.press("r")
        form = await shown_on_top(pilot, MeetingForm)
        assert form.field("title").value == "Holiday social and toy drive"


async def test_discarding_recovered_drafts_forgets_them(sample_db, sample_group):
    drafts.save_draft(
        sample_group,
        "member:member=None",
        "New member",
        {"form": "member", "args": {"member": None}, "values": [["name", "Quintessa"]]},
        now=MORNING,
    )
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, Choice), "the recovery question")
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, (Choice, MemberForm))
    assert drafts.list_drafts(sample_group) == []


async def test_meeting_mode_comes_back_after_a_crash_with_its_place_line_and_check_ins(sample_db, sample_group):
    meeting = occurrence(sample_group, date(2026, 12, 8))
    clock = HandClock(MORNING)
    first = make_app(clock)
    async with first.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting_mode(pilot)
        await pilot.press("c")
        await type_text(pilot, "zoe")
        await pilot.press("enter", "escape", "n", "n", "space")  # item 3, its countdown running
        clock.advance(30)
        await pilot.press("r")
        await type_text(pilot, VALID_LINE)
        await until(
            pilot,
            lambda: (
                (d := drafts.load_draft(sample_group, f"meeting:{meeting.id}")) and d.data.get("capture") == VALID_LINE
            ),
            "the line's draft",
        )
        left = screen.countdown.remaining(clock())
        # A crash: the app ends here without quitting (no question, nothing tidied up).
    clock.advance(10)  # the restart takes ten seconds; the countdown kept running

    second = make_app(clock)
    async with second.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(second.screen, Choice), "the recovery question")
        assert f"referral line “{VALID_LINE[:39]}…”" in shown(second.screen, ".choice-lines")
        await pilot.press("r")
        again = await shown_on_top(pilot, MeetingModeScreen)
        assert isinstance(again, MeetingModeScreen) and again.item_index == 2
        assert again.countdown.running and again.countdown.remaining(clock()) == left - 10
        assert again.query_one("#capture", Input).value == VALID_LINE
        await pilot.press("ctrl+o")  # the check-in made before the crash
        await pilot.pause()
        assert present(meeting) == set()


# -- a future meeting --------------------------------------------------------------------------


async def test_a_rehearsal_writes_nothing_and_says_so(sample_db, sample_group):
    january = occurrence(sample_group, date(2027, 1, 12))

    def counts():
        return Attendance.select().count(), Referral.select().count(), Draft.select().count(), Member.select().count()

    before, start, sequence = counts(), january.starts_at, january.sequence
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        notes = keep_notes(app)
        await open_meeting_mode(pilot, january)
        assert isinstance(app.screen, Choice) and "starts in 35 days" in shown(app.screen, ".choice-question")
        await pilot.press("h")
        await shown_on_top(pilot, MeetingModeScreen)
        screen = app.screen
        assert isinstance(screen, MeetingModeScreen) and screen.rehearsal
        assert "REHEARSAL" in shown(screen, "#mode-heading") and "REHEARSAL" in app.sub_title
        await pilot.press("c")
        await type_text(pilot, "zoe")
        await pilot.press("enter", "escape")
        assert "Here: 1 of" in screen.query_one("#mode-checkin").border_title
        await pilot.press("r")
        await type_text(pilot, VALID_LINE)
        await pilot.press("enter", "escape", "v")
        await pilot.pause()
        assert "not recorded" in shown(screen, "#capture-list"), notes
        assert notes[-1].startswith("A rehearsal adds nobody")
        await pilot.press("f")
        await pilot.pause()
        assert notes[-1] == "Rehearsal over: nothing was recorded."
        assert not isinstance(app.screen, MeetingModeScreen)
    after = Meeting.get_by_id(january.id)
    assert counts() == before and (after.starts_at, after.sequence) == (start, sequence)


async def test_run_it_now_moves_the_meeting_and_dates_referrals_on_it(sample_db, sample_group):
    january = occurrence(sample_group, date(2027, 1, 12))
    clock = HandClock(datetime(2027, 1, 5, 23, 10, tzinfo=UTC))  # 18:10 in Kitchener
    app = make_app(clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting_mode(pilot, january)
        await pilot.press("r")  # run it now
        await shown_on_top(pilot, MeetingModeScreen)
        assert isinstance(app.screen, MeetingModeScreen) and not app.screen.rehearsal
        await pilot.press("r")
        await type_text(pilot, VALID_LINE)
        await pilot.press("enter")
        await pilot.pause()
    moved = Meeting.get_by_id(january.id)
    assert moved.starts_at == clock().replace(second=0) and moved.sequence == january.sequence + 1
    assert moved.notes.endswith("2027-01-05 18:10: run early from meeting mode; it was to start 2027-01-12 07:30.")
    referral = Referral.get(Referral.meeting == moved)
    assert referral.given_on == local_date(moved) == date(2027, 1, 5)


async def test_meeting_mode_left_on_purpose_is_not_offered_back_but_keeps_its_place(sample_db, sample_group):
    meeting = occurrence(sample_group, date(2026, 12, 8))
    first = make_app(HandClock(MORNING))
    async with first.run_test(size=(120, 40)) as pilot:
        await open_meeting_mode(pilot)
        await pilot.press("n", "escape")  # item 2, then leave
        await pilot.pause()
    draft = drafts.load_draft(sample_group, f"meeting:{meeting.id}")
    assert draft.data["open"] is False and draft.data["item"] == 1

    second = make_app(HandClock(MORNING))
    async with second.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not isinstance(second.screen, Choice)  # nothing to recover
        screen = await open_meeting_mode(pilot)
        assert screen.item_index == 1


async def test_a_reply_draft_is_restored_into_the_reply_editor(sample_db, sample_group):
    from organizer.models import Thread
    from organizer.tui.threads.forms import PostEditor

    thread = Thread.select().where(Thread.group == sample_group).order_by(Thread.id).first()
    me = Member.select().where(Member.group == sample_group).order_by(Member.id).first()
    body = "Try **Hofstetter**:\nthey fix fridges on Sundays."
    args = {"thread": thread.id, "as": me.id, "post": None}
    drafts.save_draft(
        sample_group,
        f"post:as={me.id}:post=None:thread={thread.id}",
        "Reply",
        {"form": "post", "args": args, "values": [["body", body]]},
        now=MORNING,
    )
    app = make_app(HandClock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, Choice), "the recovery question")
        await pilot.press("r")
        editor = await shown_on_top(pilot, PostEditor)
        assert isinstance(editor, PostEditor) and editor.thread.id == thread.id
        assert editor.field("body").value == body
        assert editor.draft_key == f"post:as={me.id}:post=None:thread={thread.id}"


async def test_a_visitor_draft_comes_back_over_its_meeting_mode(sample_db, sample_group):
    meeting = occurrence(sample_group, date(2026, 12, 8))
    first = make_app(HandClock(MORNING))
    async with first.run_test(size=(120, 40)) as pilot:
        await open_meeting_mode(pilot)
        await pilot.press("v")
        await shown_on_top(pilot, VisitorForm)
        await type_text(pilot, "Wanda Visitor")
        await until(
            pilot,
            lambda: (
                (d := drafts.load_draft(sample_group, f"visitor:meeting={meeting.id}"))
                and ["name", "Wanda Visitor"] in d.data["values"]
            ),
            "the visitor's whole name in its draft",
        )
        # A crash: the app ends here without quitting.

    second = make_app(HandClock(MORNING))
    async with second.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(second.screen, Choice), "the recovery question")
        lines = shown(second.screen, ".choice-lines")
        assert "Meeting mode: " in lines and "A visitor at the door: “Wanda Visitor”" in lines
        await pilot.press("r")
        await shown_on_top(pilot, VisitorForm)
        assert [type(s).__name__ for s in second.screen_stack[1:]] == [
            "MeetingModeScreen",
            "VisitorForm",
        ]
        await pilot.press("ctrl+s")  # checked in as a visitor; meeting mode shows her
        screen = await shown_on_top(pilot, MeetingModeScreen)
        await until(
            pilot,
            lambda: "+ 1 visitor" in screen.query_one("#mode-checkin").border_title,
            "the visitor in the count",
        )
    wanda = Member.get(Member.name == "Wanda Visitor")
    assert wanda.id in present(meeting)


async def test_a_question_answers_once_though_keys_come_on_while_it_closes(sample_db):
    app = make_app(HandClock(MORNING))
    answers: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        question = Choice(
            "Go on?",
            [],
            [
                ("save", "Save", "s"),
                ("discard", "Discard", "d"),
                ("stay", "Stay", "escape"),
            ],
        )
        app.push_screen(question, answers.append)
        await pilot.pause()
        question.answer("discard")  # "d", then "s" before the screen is gone
        question.answer("save")
        await pilot.pause()
    assert answers == ["discard"]
