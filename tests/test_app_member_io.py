"""Members in and out from the app: import with a progress bar and a report, export to CSV or vCard.

The import runs in a thread worker; each step waits for the workers, then for the screen
to repaint, before looking.
"""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

import vobject
from textual.widgets import ProgressBar, Static

from organizer.clock import frozen
from organizer.models import Member
from organizer.tui.app import make_app
from organizer.tui.help import HelpScreen
from organizer.tui.members.export import MemberExportForm
from organizer.tui.members.import_file import MemberImportForm, MemberImportProgress, MemberImportReport
from organizer.tui.members.section import MembersSection
from tests.conftest import NOW

SIZE = (120, 40)

# Two new members, one sample member updated by email (a new phone), and a column the
# import does not know.
GOOD = """name,business,category,email,phone,Favourite Colour
Ana Souza,Souza Bakery,Baker,ana@souza.example,+1 519 555 0001,red
Ben Carter,Carter Law,Business lawyer,ben@carter.example,519-555-0002,blue
Daniel Okafor,Okafor & Associates CPA,Accountant,daniel@okaforcpa.ca,(519) 555-0199,green
"""

# Line 3 has a bad date; the other two rows are fine.
ONE_BAD = """name,business,category,email,Join Date
Ana Souza,Souza Bakery,Baker,ana@souza.example,2024-01-09
Bad Date,Dates Ltd,Florist,date@dates.example,03/10/2026
Ben Carter,Carter Law,Business lawyer,ben@carter.example,2025-02-11
"""


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def report_text(app) -> str:
    screen = app.screen
    assert isinstance(screen, MemberImportReport)
    return "\n".join(str(static.render()) for static in screen.query(Static))


def listed_names(app) -> set[str]:
    table = app.query_one(MembersSection).table
    return {str(table.get_row_at(index)[0]) for index in range(table.row_count)}


def member_names() -> set[str]:
    return {member.name for member in Member.select()}


async def import_file(pilot, path: Path, mode: str = "all") -> None:
    await pilot.press("2", "i")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, MemberImportForm)
    form.field("path").value = str(path)
    form.field("mode").value = mode
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_a_good_file_is_imported_with_the_report_the_cli_prints(sample_db, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    before = member_names()
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await import_file(pilot, path)

        text = report_text(app)
        assert "Import report · roster.csv" in app.screen.query_one("#report-box").border_title
        assert "Imported 3 of 3 rows." in text
        assert "added: 2\nupdated: 1\nunchanged: 0\ninvalid: 0" in text
        assert "warning: column “Favourite Colour” is not a member field; it was ignored" in text
        assert member_names() == before | {"Ana Souza", "Ben Carter"}
        assert Member.get(Member.email == "daniel@okaforcpa.ca").phone == "(519) 555-0199"

        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert {"Ana Souza", "Ben Carter"} <= listed_names(app)


async def test_the_progress_bar_follows_the_service(sample_db, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        screen = MemberImportProgress(app.group, path, "check")
        seen = []

        def show_progress(done: int, total: int) -> None:
            MemberImportProgress.show_progress(screen, done, total)
            bar = screen.query_one(ProgressBar)
            seen.append((bar.progress, bar.total, str(screen.query_one("#import-rows", Static).render())))

        screen.show_progress = show_progress
        app.push_screen(screen)
        await settle(pilot)
        assert seen == [(1, 3, "1 of 3 rows"), (2, 3, "2 of 3 rows"), (3, 3, "3 of 3 rows")]


async def test_all_or_nothing_with_a_bad_row_imports_nothing_and_names_the_line(sample_db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(ONE_BAD, encoding="utf-8")
    before = member_names()
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await import_file(pilot, path)

        text = report_text(app)
        assert text.startswith("Nothing was imported: 1 of 3 rows are invalid")
        assert "line 3 (Bad Date), column Join Date: “03/10/2026” is not a date" in text
        assert "added:" not in text  # as the command line: no counts for an import refused
        assert member_names() == before


async def test_skip_invalid_imports_the_good_rows(sample_db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(ONE_BAD, encoding="utf-8")
    before = member_names()
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await import_file(pilot, path, "skip")

        text = report_text(app)
        assert "Imported 2 of 3 rows, 1 invalid row skipped." in text
        assert "added: 2\nupdated: 0\nunchanged: 0\ninvalid: 1" in text
        assert "line 3 (Bad Date), column Join Date:" in text
        assert member_names() == before | {"Ana Souza", "Ben Carter"}
        await pilot.press("enter")
        await pilot.pause()
        assert {"Ana Souza", "Ben Carter"} <= listed_names(app)


async def test_a_dry_run_writes_nothing(sample_db, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    before = member_names()
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await import_file(pilot, path, "check")

        text = report_text(app)
        assert text.startswith("Check only: nothing was written.")
        assert "added: 2\nupdated: 1" in text
        assert member_names() == before
        assert Member.get(Member.email == "daniel@okaforcpa.ca").phone == "(519) 555-0101"


async def test_a_file_that_cannot_be_read_says_why_on_the_report(sample_db, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("Company,Email\nSouza Bakery,ana@souza.example\n", encoding="utf-8")
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await import_file(pilot, path)
        assert report_text(app).startswith("Nothing was imported: line 1: no name column")

        await pilot.press("escape")
        path.write_bytes("name\nAna\n".encode("utf-16")[:-1])  # a UTF-16 file cut short
        await import_file(pilot, path)
        assert "starts as UTF-16 text but byte 18 cannot be read" in report_text(app)


async def test_the_import_form_wants_an_existing_file(sample_db, tmp_path):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await import_file(pilot, tmp_path / "missing.csv")
        form = app.screen
        assert isinstance(form, MemberImportForm)
        assert form.field("path").message == f"there is no file {tmp_path / 'missing.csv'}"
        form.field("path").value = str(tmp_path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.field("path").message == "that is a folder: name a file in it"


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


async def export_to(pilot, path: Path | None, who: str | None = None) -> MemberExportForm:
    await pilot.press("2", "x")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, MemberExportForm)
    form.prefilled = form.field("path").value
    if path is not None:
        form.field("path").value = str(path)
    if who is not None:
        form.field("who").value = who
    await pilot.press("ctrl+s")
    await settle(pilot)
    return form


async def test_export_csv_prefilled_with_todays_name(sample_db, documents_folder):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        form = await export_to(pilot, None)  # in the documents folder, not where the app started
        assert form.prefilled == str(documents_folder / "members-2026-11-20.csv")
        assert app.screen is app.screen_stack[0]

        written = documents_folder / "members-2026-11-20.csv"
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        rows = read_csv(written)
        assert len(rows) == Member.select().count() == 30
        assert {"Zoë Lefèvre", "Ольга Смирнова", "陈静", "Patricia Gomez"} <= {row["name"] for row in rows}
        messages = [n.message for n in app._notifications]
        assert f"Exported 30 members to {written} (CSV)." in messages


async def test_export_vcard_of_one_status(sample_db, tmp_path):
    path = tmp_path / "visitors.vcf"
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await export_to(pilot, path, "visitor")

        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        cards = list(vobject.readComponents(path.read_text("utf-8")))
        assert sorted(card.fn.value for card in cards) == ["Rebecca Stone", "Samuel Osei", "佐藤 健"]
        assert f"Exported 3 members to {path} (vCard)." in [n.message for n in app._notifications]


async def test_export_refuses_a_wrong_suffix_or_a_missing_folder_under_the_field(sample_db, tmp_path):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        form = await export_to(pilot, tmp_path / "roster.ods")
        assert app.screen is form
        assert form.field("path").message == "the file name must end in .csv, .xlsx or .vcf"

        form.field("path").value = str(tmp_path / "nowhere" / "roster.csv")
        await pilot.pause()
        assert form.field("path").message == f"there is no folder {tmp_path / 'nowhere'}"
        assert not list(tmp_path.glob("roster*")) and not list(tmp_path.glob(".*partial"))


async def test_import_and_export_are_in_help_and_the_palette(sample_db):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-text", Static).render())
        assert "i          Import members" in help_text
        assert "x          Export members" in help_text
        await pilot.press("escape")
        await pilot.pause()

        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Members: import members from a file" in titles
        assert "Members: export members (CSV, spreadsheet, vCard)" in titles
        footer_keys = {b.key for b in MembersSection.BINDINGS if b.show}
        assert not {"i", "x"} & footer_keys
