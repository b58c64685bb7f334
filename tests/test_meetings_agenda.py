"""The agenda: items in order, totals against the meeting's length, carried-over threads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from organizer.errors import UserError, ValidationError
from organizer.models import AgendaItem, Thread
from organizer.services import agenda, meetings
from organizer.services.members import add_member
from organizer.services.recurrence import parse_rule
from organizer.services.threads import carry_to_next_meeting, start_thread

JAN = datetime(2026, 1, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def meeting(group):
    meetings.create_series(
        group,
        rule=parse_rule("2nd tuesday"),
        at="07:30",
        minutes=90,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 3, 31),
        now=JAN,
    )
    return meetings.occurrence(group, date(2026, 1, 13))


def titles(meeting) -> list[str]:
    return [item.title for item in agenda.agenda(meeting)]


def test_items_append_in_order_and_total_against_the_length(meeting, group):
    ana = add_member(group, name="Ana Silva", now=JAN)
    agenda.add_item(meeting, kind="open_networking", minutes=15)
    agenda.add_item(meeting, kind="education", title="Cash flow in winter", minutes=10, member=ana)
    agenda.add_item(meeting, kind="sixty_second_round", minutes=30)
    assert titles(meeting) == ["Open networking", "Cash flow in winter", "60-second round"]
    assert [item.position for item in agenda.agenda(meeting)] == [1, 2, 3]
    total = agenda.agenda_total(meeting)
    assert (total.minutes, total.meeting_minutes, total.is_over) == (55, 90, False)
    assert total.describe() == "55 of 90 min"

    agenda.add_item(meeting, kind="referral_round", minutes=40)
    total = agenda.agenda_total(meeting)
    assert (total.is_over, total.over_by) == (True, 5)
    assert total.describe() == "95 of 90 min — 5 min too long"


def test_move_up_and_down_and_remove_keep_positions_without_gaps(meeting):
    first, second, third = (agenda.add_item(meeting, title=name, minutes=5) for name in "ABC")
    agenda.move_down(first)
    assert titles(meeting) == ["B", "A", "C"]
    agenda.move_up(third)
    assert titles(meeting) == ["B", "C", "A"]
    agenda.move_up(AgendaItem.get_by_id(second.id))  # already first: stays
    assert titles(meeting) == ["B", "C", "A"]
    agenda.remove_item(AgendaItem.get_by_id(third.id))
    assert titles(meeting) == ["B", "A"]
    assert [item.position for item in agenda.agenda(meeting)] == [1, 2]
    assert agenda.agenda_total(meeting).minutes == 10


def test_edit_and_validation(meeting):
    item = agenda.add_item(meeting, kind="spotlight", minutes=10)
    agenda.update_item(item, title="Spotlight: Ana", minutes="12")
    assert (AgendaItem.get_by_id(item.id).title, AgendaItem.get_by_id(item.id).minutes) == ("Spotlight: Ana", 12)
    with pytest.raises(ValidationError) as error:
        agenda.update_item(item, kind="karaoke", minutes=-3, title="")
    assert set(error.value.fields) == {"kind", "minutes", "title"}
    with pytest.raises(ValidationError):
        agenda.add_item(meeting, minutes="ten")
    assert agenda.add_item(meeting, kind="Referral round").kind == "referral_round"


def test_a_carried_thread_is_on_the_agenda_and_removing_it_uncarries(meeting, group):
    ana = add_member(group, name="Ana Silva", now=JAN)
    agenda.standard_agenda(meeting)
    thread = start_thread(
        group, author=ana, title="Who prints banners fast?", body="Asking for a friend.", kind="ask", now=JAN
    )
    item = carry_to_next_meeting(thread, JAN)
    assert titles(meeting)[-1] == "Who prints banners fast?"
    assert agenda.agenda_total(meeting).minutes == 15 + 10 + 1 + 10 + 15 + 5 + item.minutes
    agenda.move_up(item)
    assert titles(meeting)[-2:] == ["Who prints banners fast?", "Visitors, announcements and close"]
    agenda.remove_item(AgendaItem.get_by_id(item.id))
    assert Thread.get_by_id(thread.id).carried_to is None
    assert len(agenda.agenda(meeting)) == len(agenda.STANDARD_AGENDA)


def test_standard_agenda_gives_a_minute_per_active_member_to_the_round(meeting, group):
    for name in ("Ana Silva", "Ben Ng", "Cleo Diaz"):
        add_member(group, name=name, now=JAN)
    add_member(group, name="Vic Visitor", status="visitor", now=JAN)
    items = agenda.standard_agenda(meeting)
    assert [item.kind for item in items] == [kind for kind, _, _ in agenda.STANDARD_AGENDA]
    assert items[2].minutes == 3
    assert agenda.agenda_total(meeting).minutes == 15 + 10 + 3 + 10 + 15 + 5
    with pytest.raises(UserError, match="already has items"):
        agenda.standard_agenda(meeting)


def test_a_thread_carried_onto_an_empty_agenda_does_not_block_the_usual_one(meeting, group):
    ana = add_member(group, name="Ana Silva", now=JAN)
    thread = start_thread(group, author=ana, title="Who prints banners fast?", body="Asking.", kind="ask", now=JAN)
    carry_to_next_meeting(thread, JAN)
    agenda.standard_agenda(meeting)  # g on the meeting's page
    usual = [title for _, _, title in agenda.STANDARD_AGENDA]
    assert titles(meeting) == [*usual[:-1], "Who prints banners fast?", usual[-1]]
    assert [item.position for item in agenda.agenda(meeting)] == list(range(1, 8))
    with pytest.raises(UserError, match="already has items"):
        agenda.standard_agenda(meeting)


def test_the_sample_next_meeting_has_an_agenda(sample_group, now):
    upcoming = meetings.next_meeting(sample_group, now)
    items = agenda.agenda(upcoming)
    assert items[2].kind == "sixty_second_round" and items[2].minutes >= 24
    assert agenda.agenda_total(upcoming).is_over is False
