"""One name, one person: the same text finds the same member from every entry point."""

from __future__ import annotations

import pytest

from organizer.errors import NotFound
from organizer.services import attendance, capture, meetings
from organizer.services.ledger_import import check_referrals
from organizer.services.members import add_member, find_member
from organizer.services.resolve import resolve_member
from organizer.tui.widgets.member_pick import resolve_member as form_resolve_member

# (what is typed, who it is; None: nobody is saved, and the message says why)
TABLE = [
    ("olga", "Ольга Смирнова"),  # by the start of her email: her name is in Cyrillic
    ("Olga", "Ольга Смирнова"),
    ("ольга", "Ольга Смирнова"),
    ("OLGA@SMIRNOVAPHYSIO.CA", "Ольга Смирнова"),
    ("zoe", "Zoë Lefèvre"),
    ("ZOË", "Zoë Lefèvre"),
    ("zoe lef", "Zoë Lefèvre"),
    ("lefevre", "Zoë Lefèvre"),
    ("priya", "Priya Raman"),
    ("raman", "Priya Raman"),  # a word start anywhere in the name
    ("mai", "Nguyễn Thị Mai"),
    ("δημητρα", "Δήμητρα Παππά"),
    ("jieun", "김지은"),
    ("김지은", "김지은"),
    ("ma", None),  # several
    ("da", None),
    ("pria raman", None),  # a typo
    ("nobody", None),
    ("nobody@example.com", None),
]
WHY = {
    "ma": "“ma” matches 3 members: Linda MacDonald, Marcus Thompson, Nguyễn Thị Mai",
    "da": "“da” matches 2 members: Daniel Okafor, David Schmidt",
    "pria raman": "did you mean Priya Raman?",
    "nobody": "no member matches “nobody”",
    "nobody@example.com": "no member with the email “nobody@example.com”",
}
RECEIVER = "isabelle@royinteriors.ca"


def _by_capture(group, text, now):
    preview = capture.preview_capture(group, f"{text} > {RECEIVER}: Carla, warm", now=now)
    return (preview.giver.name if preview.giver else None), preview.errors.get("giver", "")


def _by_find_member(group, text, now):  # `post --as`, threads' posting as, the member form, member imports
    try:
        return find_member(group, text).name, ""
    except NotFound as error:
        return None, str(error)


def _by_form(group, text, now):  # the visitor form's "invited by", the ledger's forms and filter
    member, why = form_resolve_member(group, text)
    return (member.name if member else None), why


def _by_referral_import(group, text, now):
    body = f'date,giver,receiver,prospect\n2026-11-01,"{text}",{RECEIVER},Carla\n'.encode()
    check = check_referrals(group, body, now=now)
    if check.rows:
        from organizer.models import Member

        return Member.get_by_id(check.rows[0]["giver_id"]).name, ""
    return None, " ".join(problem.reason for problem in check.problems if problem.column == "giver")


def _by_resolver(group, text, now):
    found = resolve_member(group, text)
    return (found.member.name if found.member else None), found.problem


ENTRY_POINTS = [
    _by_resolver,
    _by_capture,
    _by_find_member,
    _by_form,
    _by_referral_import,
]


@pytest.mark.parametrize("text, who", TABLE)
def test_same_text_same_member_everywhere(sample_group, now, text, who):
    answers = {entry.__name__: entry(sample_group, text, now) for entry in ENTRY_POINTS}
    assert {name: found for name, (found, _) in answers.items()} == {name: who for name in answers}
    if text in WHY:
        for name, (_, why) in answers.items():
            assert WHY[text] in why, (name, why)


@pytest.mark.parametrize("text, who", [row for row in TABLE if row[1]])
def test_check_in_lists_the_member_the_resolver_finds(sample_group, now, text, who):
    meeting = meetings.next_meeting(sample_group, now)
    names = [line.member.name for line in attendance.roster(meeting, text)]
    assert who in names


def test_check_in_narrows_by_word_starts_as_capture_does(sample_group):
    from organizer.models import Meeting

    meeting = Meeting.select().where(Meeting.group == sample_group).first()
    names = [line.member.name for line in attendance.roster(meeting, "ma")]
    assert names == ["Linda MacDonald", "Marcus Thompson", "Nguyễn Thị Mai"]


def test_active_members_before_visitors_before_alumni(group, now):
    add_member(group, name="Sam Visitor", status="visitor", now=now)
    add_member(group, name="Sam Active", now=now)
    add_member(group, name="Old Sam", status="alumni", now=now)
    assert resolve_member(group, "sam").member.name == "Sam Active"
    assert resolve_member(group, "sam vis").member.name == "Sam Visitor"
    assert resolve_member(group, "old sam").member is None  # alumni give no more referrals
    assert find_member(group, "old sam").name == "Old Sam"  # but history and imports name them


# -- meeting mode: check-in and capture agree -------------------------------------------------


async def test_check_in_and_capture_find_the_same_person(sample_db, sample_group):
    from datetime import date

    from organizer.models import Attendance, Referral
    from organizer.services.meetings import occurrence
    from organizer.tui.app import make_app
    from tests.conftest import HandClock
    from tests.test_app_meeting_mode import MORNING, open_meeting_mode, type_text

    meeting = occurrence(sample_group, date(2026, 12, 8))
    app = make_app(HandClock(MORNING))
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))
        await open_meeting_mode(pilot)
        await pilot.press("c")
        await type_text(pilot, "olga")
        await pilot.press("enter")
        await pilot.pause()
        here = Attendance.select().where((Attendance.meeting == meeting) & Attendance.presence.is_null(False))
        assert [row.member.name for row in here] == ["Ольга Смирнова"]
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "pria raman")
        await pilot.press("enter")
        await pilot.pause()
        assert "did you mean Priya Raman?" in notes[-1] and here.count() == 1

        await pilot.press("escape", "r")  # out of the check-in box, into the capture line
        await type_text(pilot, "olga > zoe: Müller Bakery, warm, $2,500")
        await pilot.press("enter")
        await pilot.pause()
        referral = Referral.select().order_by(Referral.id.desc()).first()
        assert (referral.giver.name, referral.receiver.name) == (
            "Ольга Смирнова",
            "Zoë Lefèvre",
        )
        assert referral.value_minor == 250000 and referral.prospect_name == "Müller Bakery"
