"""Import members (Members section, `i`): a CSV file, a progress bar, then the report.

Three screens, one after the other (`start_import` chains them):

- `MemberImportForm`: the file (it must exist) and the mode, as the command line's flags:
  all or nothing (the default), skip invalid rows (--skip-invalid), check only (--dry-run);
- `MemberImportProgress`: runs services.member_import in a thread worker, its progress
  callback moving a ProgressBar;
- `MemberImportReport`: what `organizer import members` prints, in the same words (the
  report's own count and problem lines), under one line that says plainly whether anything
  was written. A file that cannot be read at all (empty, no name column, …) gets that
  message on the same screen instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from organizer import failures
from organizer.errors import UserError
from organizer.services.records import Group
from organizer.services.workers import in_worker
from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen
from organizer.tui.widgets.paths import as_path, file_to_read_problem
from organizer.tui.widgets.shell import OnShell

if TYPE_CHECKING:  # the import code loads when an import runs (tests/test_import_budget.py)
    from organizer.services.member_import import ImportReport

MODES = [
    ("All or nothing: one bad row and nothing is imported", "all"),
    ("Skip invalid rows: import the others", "skip"),
    ("Check only (dry run): write nothing", "check"),
]


@dataclass
class ImportOutcome:
    """What came of one import: a report, or why the file could not be read at all."""

    path: Path
    report: ImportReport | None = None
    error: str = ""


class MemberImportForm(FormScreen):
    """Which file, and how; dismisses with (file, mode)."""

    FORM_TITLE = "Import members"
    SAVE_LABEL = "Import"
    HINT = "ctrl+s imports · escape cancels"
    HELP_TITLE = "Import members"

    def intro(self) -> str:
        return (
            "[dim]A CSV file from a spreadsheet (comma, semicolon or tab). A row updates the "
            "member with the same email, else the same name and business; empty cells change "
            "nothing.[/dim]"
        )

    def build_fields(self) -> list[Field]:
        return [
            Field("path", "File", value=f"{Path.cwd()}{os.sep}", hint="a .csv file; ~ is your home folder"),
            Field("mode", "Mode", value="all", choices=MODES),
        ]

    def problems(self, values: dict) -> dict[str, str]:
        problem = file_to_read_problem(values["path"])
        return {"path": problem} if problem else {}

    def save(self, values: dict) -> tuple[Path, str]:
        return as_path(values["path"]), values["mode"]


class MemberImportProgress(OnShell, ModalScreen[ImportOutcome]):
    """The import running in a worker, with a progress bar; dismisses with the outcome."""

    HELP_TITLE = "Importing members"
    DEFAULT_CSS = """
    MemberImportProgress { align: center middle; }
    MemberImportProgress #import-box {
        width: 64; max-width: 100%; height: auto;
        border: round $accent; border-title-style: bold; background: $surface; padding: 1 2;
    }
    MemberImportProgress #import-rows { color: $text-muted; margin: 1 0 0 0; }
    """

    def __init__(self, group: Group, path: Path, mode: str):
        super().__init__()
        self.group, self.path, self.mode = group, path, mode
        self.outcome: ImportOutcome | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box") as box:
            box.border_title = Text(f"Importing {self.path.name}")
            yield ProgressBar(show_eta=False, id="import-bar")
            yield Static("Reading the file…", id="import-rows")

    def on_mount(self) -> None:
        self.run_import()

    @work(thread=True, exclusive=True, group="member-import")
    def run_import(self) -> None:
        from organizer.services.member_import import import_members

        app = self.app

        def progress(done: int, total: int) -> None:
            app.call_from_thread(self.show_progress, done, total)

        try:
            report = in_worker(
                import_members,
                self.group,
                self.path,
                dry_run=self.mode == "check",
                skip_invalid=self.mode == "skip",
                now=app.clock(),
                progress=progress,
            )
            outcome = ImportOutcome(self.path, report=report)
        except UserError as error:  # a busy or full database too
            outcome = ImportOutcome(self.path, error=str(error))
        except Exception as error:  # a bug: one line (a crash log has the rest), never a crashed app
            outcome = ImportOutcome(self.path, error=failures.one_line(error))
        app.call_from_thread(self.finish, outcome)

    def finish(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome
        if self.is_active:
            self.dismiss(outcome)
        # else the palette (ctrl+p) is open over this screen: dismiss when it closes.

    def on_screen_resume(self) -> None:
        if self.outcome is not None:
            self.dismiss(self.outcome)

    def show_progress(self, done: int, total: int) -> None:
        self.query_one("#import-bar", ProgressBar).update(total=total, progress=done)
        self.query_one("#import-rows", Static).update(f"{done:,} of {total:,} rows")


class MemberImportReport(Guarded, ModalScreen[None]):
    """The import's report: whether anything was written, the counts, warnings and bad rows."""

    HELP_TITLE = "Import report"
    BINDINGS = [
        Binding("escape,enter", "close", "Close the report", key_display="esc"),
        Binding("f1", "app.help", "Help", key_display="F1"),
    ]
    DEFAULT_CSS = """
    MemberImportReport { align: center middle; }
    MemberImportReport #report-box {
        width: 110; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; border-title-style: bold; border-subtitle-color: $text-muted;
        background: $surface; padding: 0 1;
    }
    MemberImportReport #report-scroll { height: auto; max-height: 1fr; }
    MemberImportReport #report-scroll > Static { margin: 1 0 0 0; }
    MemberImportReport #report-scroll > Static:last-of-type { margin: 1 0; }
    MemberImportReport #report-outcome { text-style: bold; }
    MemberImportReport #report-outcome.-written { color: $success; }
    MemberImportReport #report-outcome.-nothing { color: $warning; }
    MemberImportReport #report-warnings { color: $warning; }
    MemberImportReport #report-problems { color: $error; }
    """

    def __init__(self, outcome: ImportOutcome):
        super().__init__()
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        report = self.outcome.report
        with Vertical(id="report-box") as box:
            box.border_title = Text(f"Import report · {self.outcome.path.name}")
            # In the border, so it stays in sight however long the report is.
            box.border_subtitle = "esc closes · ↑ ↓ PgUp PgDn scroll"
            with VerticalScroll(id="report-scroll"):
                yield Static(
                    Text(self.outcome_line()),
                    id="report-outcome",
                    classes="-written" if report and report.written else "-nothing",
                )
                if report is not None:
                    # The lines `organizer import members` prints, word for word.
                    if not refused(report):  # refused, the command line prints no counts either
                        yield Static(Text("\n".join(report.count_lines())), id="report-counts")
                    if report.warnings:
                        yield Static(Text("\n".join(f"warning: {w}" for w in report.warnings)), id="report-warnings")
                    if report.problems:
                        yield Static(Text("\n".join(report.problem_lines())), id="report-problems")

    def on_mount(self) -> None:
        self.query_one("#report-scroll", VerticalScroll).focus()

    def outcome_line(self) -> str:
        """One sentence: was anything written, and if not, why."""
        report = self.outcome.report
        if report is None:
            return f"Nothing was imported: {self.outcome.error}"
        if refused(report):
            opening = "Check only: nothing would be" if report.dry_run else "Nothing was"
            return (
                f"{opening} imported: {report.invalid} of {report.rows} rows are invalid "
                "(fix them, or import again with “skip invalid rows” to import the others)."
            )
        if report.dry_run:
            return "Check only: nothing was written. A real import would do this:"
        skipped = (
            f", {report.invalid} invalid row{'' if report.invalid == 1 else 's'} skipped" if report.invalid else ""
        )
        return f"Imported {report.rows - report.invalid} of {report.rows} rows{skipped}."

    def action_close(self) -> None:
        self.dismiss(None)


def refused(report: ImportReport) -> bool:
    """All or nothing with a bad row: nothing is (or would be) imported."""
    return bool(report.problems) and not report.skip_invalid


def start_import(app, imported: Callable[[], None]) -> None:
    """Ask for the file and mode, run the import, show its report; `imported()` after a write."""

    def chosen(choice: tuple[Path, str] | None) -> None:
        if choice is not None:
            app.push_screen(MemberImportProgress(app.open_group, *choice), finished)

    def finished(outcome: ImportOutcome) -> None:
        if outcome.report is not None and outcome.report.written:
            imported()
        app.push_screen(MemberImportReport(outcome))

    app.push_screen(MemberImportForm(), chosen)
