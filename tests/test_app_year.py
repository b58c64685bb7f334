"""The year in the app: holidays flagged in the series form and the meetings list, the
renewals view and filter, the visitor pipeline from the Members section.

The sample group is frozen at NOW (2026-11-20, Kitchener, Ontario).
"""

from __future__ import annotations

from datetime import date, timedelta

from organizer.clock import frozen
from organizer.models import Group, Member, MemberEvent
from organizer.services import attendance
from organizer.services.meetings import occurrence
from organizer.tui.app import make_app
from organizer.tui.meetings.series_form import SeriesForm
from organizer.tui.members.section import FILTERS
from organizer.tui.members.year import RenewalsScreen, VisitorsScreen
from tests.conftest import NOW


async def set_field(pilot, form, name: str, text: str) -> None:
    field = form.field(name)
    field.value = text
    field.focus()
    await pilot.pause()


def rows(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def test_the_series_form_flags_holidays_before_saving_and_the_list_after(sample_db, sample_group):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SeriesForm)
        await set_field(pilot, form, "rule", "every friday")
        await set_field(pilot, form, "starts_on", "2026-12-01")
        await set_field(pilot, form, "country", "ca-on")
        # 25 December 2026 and 1 January 2027 are Fridays.
        hint = form.field("rule").hint
        assert hint.startswith("⚑ on a public holiday: 25 Dec 2026 ") and "01 Jan 2027" in hint
        await set_field(pilot, form, "country", "CA-XX")
        assert "CA has no subdivision XX" in form.field("country").message
        await set_field(pilot, form, "country", "CA-ON")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SeriesForm)
        group = Group.get_by_id(sample_group.id)
        assert (group.country, group.subdivision) == ("CA", "ON")
        section = app.current_section
        titles = {cells[0]: cells[3] for cells in rows(section.table)}
        christmas = next(title for day, title in titles.items() if day.startswith("Fri 25 Dec 2026"))
        assert christmas.startswith("⚑ ") and "·" in christmas
        assert not next(title for day, title in titles.items() if day.startswith("Fri 11 Dec 2026")).startswith("⚑")


async def test_renewals_view_renews_with_one_key_and_records_it(sample_db, sample_group):
    today = date(2026, 11, 20)
    member = Member.get((Member.group == sample_group) & (Member.status == "active"))
    member.renewal_due = today - timedelta(days=3)
    member.save()
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RenewalsScreen)
        table = screen.query_one("#renewals-table")
        listed = rows(table)
        dues = [row[0] for row in listed]
        assert dues == sorted(dues)  # soonest (most overdue) first
        mine = [row[2] for row in listed].index(member.name)
        assert listed[mine][:3] == [
            member.renewal_due.isoformat(),
            "3 days overdue",
            member.name,
        ]
        table.move_cursor(row=mine)
        await pilot.press("r")
        await pilot.pause()
        assert Member.get_by_id(member.id).renewal_due == date(2027, 11, 17)
        event = MemberEvent.get(MemberEvent.member == member.id)
        assert event.action == "renewed" and "was 2026-11-17" in event.detail
        assert member.name not in [cells[2] for cells in rows(table)]
        await pilot.press("escape")
        await pilot.pause()
        # The member's page shows the renewal in their history.
        from organizer.tui.members.detail import MemberDetailScreen

        detail = MemberDetailScreen(Member.get_by_id(member.id))
        app.push_screen(detail)
        await pilot.pause()
        shown = " ".join(str(detail.query_one("#detail-membership").render()).split())
        assert "renewed: renewal due 2027-11-17 (was 2026-11-17)" in shown
        await pilot.press("escape")
        await pilot.pause()
        # The Members filter shows the renewals due within 30 days.
        index = next(i for i, entry in enumerate(FILTERS) if len(entry) > 2)
        section = app.current_section
        section.filter_index = index
        section.refresh_data()
        await pilot.pause()
        due = Member.select().where(
            (Member.group == sample_group)
            & Member.status.in_(("active", "on_leave"))
            & (Member.renewal_due <= today + timedelta(days=30))
        )
        assert sorted(str(section.table.get_row_at(i)[0]) for i in range(section.table.row_count)) == sorted(
            m.name for m in due
        )


async def test_the_visitors_view_follows_up_and_converts_keeping_the_visits(sample_db, sample_group):
    host = Member.get((Member.group == sample_group) & (Member.status == "active"))
    held = occurrence(sample_group, date(2026, 11, 10))
    attendance.add_visitor(held, name="Walk In", invited_by=host, now=NOW - timedelta(days=10))
    visitor = Member.get(Member.name == "Walk In")
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, VisitorsScreen)
        owed = rows(screen.query_one("#owed-table"))
        assert ["2026-11-10", "10", "Walk In", "visitor", host.name] in [row[:5] for row in owed]
        table = screen.query_one("#owed-table")
        table.move_cursor(row=[row[2] for row in owed].index("Walk In"))
        await pilot.press("c")
        await pilot.pause()
        assert "Walk In" not in [row[2] for row in rows(screen.query_one("#owed-table"))]
        prospects = screen.query_one("#prospects-table")
        prospects.focus()
        prospects.move_cursor(row=[row[0] for row in rows(prospects)].index("Walk In"))
        await pilot.press("y")
        await pilot.pause()
        assert Member.get_by_id(visitor.id).status == "applicant"
        prospects.move_cursor(row=[row[0] for row in rows(prospects)].index("Walk In"))
        await pilot.press("j")
        await pilot.pause()
    joined = Member.get_by_id(visitor.id)
    # The dashboard's next-meeting panel ends with the year's figures.
    from organizer.tui.dashboard.panels import year_lines

    lines = " ".join(year_lines(sample_group, NOW))
    assert "visitors this year, 1 joined" in lines and f"brought by[/dim] {host.name} 1" in lines
    assert (joined.status, joined.joined_on, joined.invited_by_id) == (
        "active",
        date(2026, 11, 20),
        host.id,
    )
    assert joined.attendance.count() == 1
