"""6 Recap: one month's recap previewed as the plain-text recap, and exported to a file.

The month shown first is the current one in the group's zone, or the previous month when
the current one has no referrals yet (early in a month the recap worth reading is last
month's). `[` and `]` step a month back and forth. The recap is built in a thread worker
(a month of a big group must never block the keys) with "building…" shown meanwhile.

Exports (Markdown, HTML, PDF, text) ask for a path prefilled as recap-YYYY-MM.EXT in the
current folder, then render and write the file in a worker too, private and atomic
(files.write_private), and say which file was written and any PDF font warnings.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import get_current_worker

from organizer.errors import UserError
from organizer.files import write_private
from organizer.recap import formats as recap_formats
from organizer.recap.model import Recap
from organizer.services.groups import local_today
from organizer.services.recap import build_recap, default_paper
from organizer.services.records import Group
from organizer.services.workers import in_worker
from organizer.tui.widgets.export_folder import export_path
from organizer.tui.widgets.path_form import PathForm
from organizer.tui.widgets.section import Section
from organizer.wording import MONTH_NAMES

FORMAT_NAMES = {"md": "Markdown", "html": "HTML", "pdf": "PDF", "txt": "plain text"}


def step_month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def default_filename(year: int, month: int, fmt: str) -> str:
    return f"recap-{year:04d}-{month:02d}.{fmt}"


def _recap_to_show(group: Group, year: int | None, month: int | None, now: datetime) -> Recap:
    """The month asked for; with none, this month, or last month while this one has no referral yet."""
    if month is None or year is None:
        today = local_today(group, now)
        recap = build_recap(group, today.year, today.month, now=now)
        if recap.referrals_given:
            return recap
        year, month = step_month(today.year, today.month, -1)
    return build_recap(group, year, month, now=now)


class RecapSection(Section):
    SECTION_ID, TITLE, KEY = "recap", "Recap", "6"
    DEFAULT_CSS = """
    RecapSection #recap-status { padding: 0 1; height: 1; color: $text-muted; }
    RecapSection #recap-scroll { height: 1fr; padding: 0 1; overflow-x: auto; }
    RecapSection #recap-text { width: auto; text-wrap: nowrap; }
    """
    BINDINGS = [
        # The status line shows "[ ]"; the footer keeps its room for the exports and F1.
        Binding("left_square_bracket", "step(-1)", "Previous month", key_display="[", show=False),
        Binding("right_square_bracket", "step(1)", "Next month", key_display="]", show=False),
        Binding("m", "export('md')", "Export Markdown"),
        Binding("h", "export('html')", "Export HTML"),
        Binding("p", "export('pdf')", "Export PDF"),
        Binding("t", "export('txt')", "Export text"),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.year: int | None = None
        self.month: int | None = None
        self.recap: Recap | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="recap-status")
        with VerticalScroll(id="recap-scroll"):
            yield Static("", id="recap-text")

    def focus_default(self) -> None:
        self.query_one("#recap-scroll", VerticalScroll).focus()

    # -- building -------------------------------------------------------------------------

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}" if self.month else ""

    def refresh_data(self) -> None:
        """Build (again) the month shown; the first time, choose the month."""
        if self.app.group is None:
            return
        self.build(self.year, self.month)

    def action_step(self, step: int) -> None:
        if self.year is None or self.month is None:
            return
        self.build(*step_month(self.year, self.month, step))

    def build(self, year: int | None, month: int | None) -> None:
        self.recap = None
        if month is not None:
            self.year, self.month = year, month
        self._set_status(f"{self.label or 'This month'} · building…")
        self._build(year, month)

    @work(thread=True, exclusive=True, group="recap-build", exit_on_error=False)
    def _build(self, year: int | None, month: int | None) -> None:
        group, now = self.app.open_group, self.app.clock()
        worker = get_current_worker()
        recap = in_worker(_recap_to_show, group, year, month, now)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, recap)

    def _show(self, recap: Recap) -> None:
        self.recap = recap
        self.year, self.month = recap.year, recap.month
        self.query_one("#recap-text", Static).update(Text(recap_formats.preview(recap)))
        self.query_one("#recap-scroll", VerticalScroll).scroll_home(animate=False)
        self._set_status(f"{self.label} · [ ] other months · m h p t export (Markdown, HTML, PDF, text)")

    def _set_status(self, text: str) -> None:
        self.query_one("#recap-status", Static).update(Text(text))

    # -- exporting ------------------------------------------------------------------------

    def action_export(self, fmt: str) -> None:
        recap = self.recap
        if recap is None:
            self.notify("The recap is still being built; export it in a moment.", severity="warning")
            return
        path = str(export_path(default_filename(recap.year, recap.month, fmt)))
        title = f"Export the {self.label} recap as {FORMAT_NAMES[fmt]}"

        def chosen(target: Path | None) -> None:
            if target:
                self._export(recap, fmt, target)

        self.app.push_screen(PathForm(title, path), chosen)

    @work(thread=True, group="recap-export", exit_on_error=False)
    def _export(self, recap: Recap, fmt: str, path: Path) -> None:
        paper = default_paper(self.app.open_group)
        try:
            data, warnings = recap_formats.render(recap, fmt, paper=paper)
            written = write_private(path, data)  # names people and their business: 0600
        except UserError as error:
            self.app.call_from_thread(self.notify, f"Not exported: {error}", severity="error")
            return
        message = f"Wrote {written} ({FORMAT_NAMES[fmt]}, {len(data):,} bytes)."
        if warnings:
            message += "\n" + "\n".join(f"Warning: {warning}" for warning in warnings)
        self.app.call_from_thread(
            self.notify,
            message,
            title="Recap exported",
            severity="warning" if warnings else "information",
            timeout=10 if warnings else 6,
        )
