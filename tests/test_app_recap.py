"""The Recap section: the month's preview, stepping months, exporting files.

The recap is built in a thread worker; each step waits for the workers, then for the
screen to repaint, before looking.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Static

from organizer.clock import frozen
from organizer.tui.app import make_app
from organizer.tui.help import HelpScreen
from organizer.tui.recap.section import RecapSection, step_month
from organizer.tui.widgets.path_form import PathForm
from tests.conftest import NOW

SIZE = (120, 40)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def preview(app) -> str:
    return str(app.query_one("#recap-text", Static).render())


def status(app) -> str:
    return str(app.query_one("#recap-status", Static).render())


def test_step_month_crosses_years():
    assert step_month(2026, 1, -1) == (2025, 12)
    assert step_month(2026, 12, 1) == (2027, 1)
    assert step_month(2026, 11, -1) == (2026, 10)


async def test_shows_the_current_month_with_who_referred_whom(sample_db):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        assert app.sub_title == "Recap"
        text = preview(app)
        assert "Grand River Business Circle — recap for November 2026" in text
        assert "Who referred whom" in text
        assert "Chloé Tremblay → Daniel Okafor: Bloom Florist (5, open)" in text
        assert "Fatima Al-Sayed → 김지은: The Nguyen family (4, contacted)" in text
        assert status(app).startswith("November 2026 · ")


async def test_brackets_step_through_months(sample_db):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "recap for October 2026" in preview(app)
        section = app.query_one(RecapSection)
        assert (section.year, section.month) == (2026, 10)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert "recap for December 2026" in preview(app)


async def test_a_month_without_referrals_yet_opens_on_the_previous_one(sample_db):
    early_december = NOW.replace(month=12, day=2)
    app = make_app(frozen(early_december), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        assert "recap for November 2026" in preview(app)


async def export(pilot, key: str, path: Path) -> None:
    await pilot.press(key)
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, PathForm)
    form.field("path").value = str(path)
    await pilot.press("enter")
    await settle(pilot)


async def test_exports_pdf_and_markdown_to_the_chosen_files(sample_db, tmp_path, documents_folder):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PathForm)
        assert form.field("path").value == str(documents_folder / "recap-2026-11.pdf")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PathForm)

        pdf, md = tmp_path / "out" / "november.pdf", tmp_path / "out" / "november.md"
        pdf.parent.mkdir()
        await export(pilot, "p", pdf)
        await export(pilot, "m", md)
        assert pdf.read_bytes().startswith(b"%PDF")
        assert "Chloé Tremblay → Daniel Okafor" in md.read_text("utf-8")
        assert md.read_text("utf-8").startswith("# Grand River Business Circle")
        assert os.stat(pdf).st_mode & 0o777 == 0o600
        messages = [n.message for n in app._notifications]
        assert any(str(pdf) in m for m in messages) and any(str(md) in m for m in messages)
        await pilot.press("h")  # the next export starts in the folder used last
        await pilot.pause()
        assert app.screen.field("path").value == str(tmp_path / "out" / "recap-2026-11.html")


async def test_export_refuses_a_missing_folder(sample_db, tmp_path):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await export(pilot, "h", tmp_path / "nowhere" / "x.html")
        assert isinstance(app.screen, PathForm)
        assert "there is no folder" in app.screen.field("path").message
        assert not (tmp_path / "nowhere").exists()


async def test_export_keys_are_in_help(sample_db):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {b.description for b in RecapSection.commands()}
        assert {
            "Previous month",
            "Next month",
            "Export Markdown",
            "Export HTML",
            "Export PDF",
            "Export text",
        } <= described


async def test_a_letter_no_font_draws_is_named_in_the_app(sample_db, tmp_path):
    from organizer.models import Member

    Member.update(name="Linear B 𐀀").where(Member.name == "Chloé Tremblay").execute()
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await export(pilot, "p", tmp_path / "november.pdf")
        assert (tmp_path / "november.pdf").read_bytes().startswith(b"%PDF")
        warned = [n for n in app._notifications if "U+10000" in n.message]
        assert warned and warned[0].severity == "warning" and "Linear B 𐀀" in warned[0].message
