"""Ledger section flows with Pilot: record, advance to won, thank, void, filter and page.

Each test drives the keys a person would press and checks both the database and the
screen. The sample group is frozen at NOW (2026-11-20 09:00 in Kitchener).
"""

from __future__ import annotations

from datetime import date

from organizer.clock import frozen
from organizer.models import LedgerEvent, Referral
from organizer.services.groups import current_group
from organizer.services.ledger import history
from organizer.services.ledger_queries import LedgerFilter, filtered_totals, first_page, page_after
from organizer.tui.app import make_app
from organizer.tui.ledger.forms import LedgerFilterForm, RecordReferralForm
from organizer.tui.ledger.history import LedgerHistoryScreen
from organizer.tui.ledger.section import LedgerSection
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.form import FormScreen
from tests.conftest import NOW


async def open_ledger(pilot) -> LedgerSection:
    await pilot.press("5")
    await settle(pilot)
    section = pilot.app.current_section
    assert isinstance(section, LedgerSection)
    return section


async def settle(pilot) -> None:
    """Until the workers are done: the totals worker starts only after the page is painted."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def row_ids(section: LedgerSection) -> list[int]:
    return [int(key) for key in section.table.rows]


def status_line(section: LedgerSection) -> str:
    return str(section.query_one("#ledger-status").render())


async def test_record_a_referral_from_the_form(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        section = await open_ledger(pilot)
        before = Referral.select().count()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RecordReferralForm)
        await pilot.press(*"Daniel Okafor", "enter", *"Gregory", "enter")
        await pilot.press(*"Hofstetter Farms", "enter", *"519-555-0101", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordReferralForm)
        assert Referral.select().count() == before + 1
        new = Referral.select().order_by(Referral.id.desc()).get()
        assert (new.giver.name, new.receiver.name) == ("Daniel Okafor", "Gregory Walsh")
        assert (new.prospect_name, new.prospect_contact) == ("Hofstetter Farms", "519-555-0101")
        assert new.given_on == date(2026, 11, 20) and new.status == "open"
        assert [e.action for e in LedgerEvent.select().where(LedgerEvent.referral == new)] == ["created"]
        # Newest first: it heads the list, with the cursor on it.
        assert row_ids(section)[0] == new.id
        assert section.chosen_referral_id() == new.id


async def test_record_form_shows_field_messages_and_asks_before_discarding(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_ledger(pilot)
        count = Referral.select().count()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        for name in ("giver", "receiver", "prospect_name"):
            assert form.field(name).message, name
        assert "giver" in str(form.query_one("#form-status").render()).lower()
        await pilot.press(*"Zoë")  # the focus went to the first bad field
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep editing: nothing typed is lost
        await pilot.pause()
        assert app.screen is form and form.field("giver").value == "Zoë"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert Referral.select().count() == count


async def test_advance_to_won_thank_and_void(sample_db):
    group = current_group()
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        section = await open_ledger(pilot)
        target = Referral.get_by_id(section.chosen_referral_id())
        assert target.status == "open"
        totals_before = filtered_totals(group, LedgerFilter())

        # a: open → won (the second choice after "contacted") with a typed value.
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter", "down", "enter")  # open the status list, pick "won"
        await pilot.pause()
        await pilot.press("tab", "tab", *"1,250.50", "ctrl+s")
        await settle(pilot)
        target = Referral.get_by_id(target.id)
        assert target.status == "won" and target.value_minor == 125050
        assert target.closed_on == date(2026, 11, 20)
        assert "won" in str(section.table.get_row_at(0)[5])
        assert "1,250.50" in str(section.table.get_row_at(0)[6])

        # t: the thank-you with a note.
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"Thanks, a great fit", "ctrl+s")
        await settle(pilot)
        target = Referral.get_by_id(target.id)
        assert target.thanked_on == date(2026, 11, 20) and target.thank_note == "Thanks, a great fit"

        # x: void with a reason, then confirm.
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("ctrl+s")  # no reason: refused
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.field("reason").message
        await pilot.press(*"Entered twice", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        target = Referral.get_by_id(target.id)
        assert target.voided_at is not None and target.void_reason == "Entered twice"
        assert [
            e.action for e in LedgerEvent.select().where(LedgerEvent.referral == target).order_by(LedgerEvent.id)
        ] == ["created", "status", "thanked", "voided"]
        # Still listed, marked void; the totals leave it out.
        assert row_ids(section)[0] == target.id
        assert "void" in str(section.table.get_row_at(0)[5])
        after = filtered_totals(group, LedgerFilter())
        assert after.count == totals_before.count - 1 and after.void == totals_before.void + 1
        assert after.won_value == totals_before.won_value
        line = status_line(section)
        assert f"{after.count} referrals" in line and f"{after.void} void" in line

        # A voided entry cannot be moved on.
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]


async def test_month_status_and_member_filters_narrow_the_table(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        section = await open_ledger(pilot)
        everything = len(row_ids(section))
        await pilot.press("right_square_bracket")  # this month
        await settle(pilot)
        november = Referral.select().where(Referral.given_on >= date(2026, 11, 1))
        assert sorted(row_ids(section)) == sorted(r.id for r in november)
        assert len(row_ids(section)) < everything
        assert "2026-11" in str(section.query_one("#ledger-filters").render())
        assert f"{november.where(Referral.voided_at.is_null()).count()} referrals" in status_line(section)

        await pilot.press("left_square_bracket")  # October
        await settle(pilot)
        rows = [Referral.get_by_id(i) for i in row_ids(section)]
        assert rows and all(r.given_on.month == 10 and r.given_on.year == 2026 for r in rows)

        await pilot.press("s")  # status: open
        await settle(pilot)
        rows = [Referral.get_by_id(i) for i in row_ids(section)]
        assert rows and all(r.status == "open" for r in rows)

        await pilot.press("c")  # clear, then a member as receiver through the filter form
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, LedgerFilterForm)
        await pilot.press("tab", *"Priya Raman")
        await pilot.pause()
        app.screen.field("role").control.value = "receiver"
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = [Referral.get_by_id(i) for i in row_ids(section)]
        assert rows and all(r.receiver.name == "Priya Raman" for r in rows)
        assert "Priya Raman" in str(section.query_one("#ledger-filters").render())

        await pilot.press("c", "slash", *"Ortega", "enter")  # words in the prospect or notes
        await settle(pilot)
        rows = [Referral.get_by_id(i) for i in row_ids(section)]
        assert rows and all("ortega" in (r.prospect_name + r.notes).lower() for r in rows)
        assert app.focused is section.table


async def test_page_down_and_up_turn_keyset_pages(sample_db):
    group = current_group()
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        section = await open_ledger(pilot)
        size = section.page_size()
        first = first_page(group, LedgerFilter(), limit=size)
        assert row_ids(section) == [r.id for r in first.rows]
        await pilot.press("pagedown")
        await pilot.pause()
        second = page_after(group, LedgerFilter(), first.next_cursor, limit=size)
        assert row_ids(section) == [r.id for r in second.rows]
        assert "page 2" in status_line(section)
        await pilot.press("pageup")
        await pilot.pause()
        assert row_ids(section) == [r.id for r in first.rows]
        # Moving down past the last row turns the page too, and up past the first comes back.
        section.table.move_cursor(row=size - 1)
        await pilot.press("down")
        await pilot.pause()
        assert row_ids(section) == [r.id for r in second.rows] and section.table.cursor_row == 0
        await pilot.press("up")
        await pilot.pause()
        assert row_ids(section)[-1] == first.rows[-1].id and section.table.cursor_row == size - 1
        # The table never holds more than a page.
        assert section.table.row_count == size < Referral.select().count()


async def test_enter_opens_the_history_with_chain_and_events(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        section = await open_ledger(pilot)
        middle = Referral.get(
            (Referral.prospect_name == "Ana & Luis Ortega")
            & Referral.parent.is_null(False)
            & (Referral.status == "won")
        )
        await pilot.press("slash", *"Ortega", "enter")
        await settle(pilot)
        section.table.move_cursor(row=row_ids(section).index(middle.id))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LedgerHistoryScreen)
        chain = str(app.screen.query_one("#history-chain").render())
        assert f"#{middle.parent_id}" in chain and "Root giver" in chain
        shown = app.screen._events(middle)
        assert shown.row_count == len(history(middle)) >= 3
        assert [str(cell) for cell in shown.columns[2].cells] == [e.action for e in history(middle)]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]


async def test_every_ledger_key_is_described_for_help_and_palette(sample_db):
    described = {b.key for b in LedgerSection.commands()}
    for key in (
        "n",
        "a",
        "t",
        "x",
        "slash",
        "f",
        "w",
        "u",
        "enter",
        "pagedown",
        "pageup",
        "left_square_bracket",
        "right_square_bracket",
    ):
        assert key in described


def test_names_and_columns_fit_the_screen():
    from rich.cells import cell_len

    from organizer.tui.ledger.text import clip, column_widths, initials_name, short_name

    assert short_name("Daniel Okafor") == "Daniel O." and short_name("陈静") == "陈静"
    assert short_name("Member 00051") == "Member 00051"
    assert initials_name("Gregory Walsh", 9) == "Grego… W."
    assert cell_len(clip("김지은 김지은 김지은", 7)) <= 7  # wide characters count two cells
    for width in (80, 120):
        # seven columns with a cell of padding each side, and the scrollbar
        assert sum(column_widths(width)) + 2 * 7 + 2 <= width


async def test_the_filter_applies_on_enter_from_any_field(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        section = await open_ledger(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, LedgerFilterForm)
        app.screen.field("month").value = ""
        await pilot.press(*"2026-10", "enter")  # in the first field: applied, as the hint says
        await settle(pilot)
        assert app.screen is app.screen_stack[0]
        rows = [Referral.get_by_id(i) for i in row_ids(section)]
        assert rows and all((r.given_on.year, r.given_on.month) == (2026, 10) for r in rows)
