"""Export members (Members section, `x`): the roster to a CSV or vCard file.

One form: the file, prefilled as members-YYYY-MM-DD.csv in the current folder (a .vcf
name gives vCard), and which members, as `organizer export members --status` chooses
them. The file is written by the service the command line uses (private, atomic), on
saving; the roster of a group is small enough that this needs no worker.
"""

from __future__ import annotations

from pathlib import Path

from organizer.services.groups import local_today
from organizer.services.member_export import (
    EXPORT_FORMATS,
    WRONG_SUFFIX,
    export_members,
)
from organizer.services.records import Group
from organizer.tui.members.filters import FILTERS
from organizer.tui.widgets.export_folder import export_path, remember_folder
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen
from organizer.tui.widgets.paths import as_path, file_to_write_problem

# The list's filters as (label, statuses joined by commas), everyone ("") first: the
# command line's default.
WHO = sorted(
    ((label, ",".join(statuses)) for label, statuses, *window in FILTERS if not window),
    key=lambda choice: choice[1] != "",
)
KIND_NAMES = {"csv": "CSV", "vcard": "vCard"}


def default_filename(group: Group, now) -> str:
    return f"members-{local_today(group, now).isoformat()}.csv"


class MemberExportForm(FormScreen):
    """Where to write the roster and whom it holds; dismisses with (file, kind, count)."""

    FORM_TITLE = "Export members"
    SAVE_LABEL = "Export"
    HINT = "ctrl+s exports · escape cancels"
    HELP_TITLE = "Export members"

    def __init__(self, group: Group, path: str):
        super().__init__()
        self.group = group
        self.path = path

    def intro(self) -> str:
        return "[dim].xlsx for a spreadsheet, .csv for other tools (both import back as they are), .vcf for contacts.[/dim]"

    def build_fields(self) -> list[Field]:
        return [
            Field("path", "File", value=self.path, hint="written private (only you can read it)"),
            Field("who", "Members", value="", choices=WHO),
        ]

    def problems(self, values: dict) -> dict[str, str]:
        problem = file_to_write_problem(values["path"])
        if problem is None and as_path(values["path"]).suffix.lower() not in EXPORT_FORMATS:
            problem = WRONG_SUFFIX
        return {"path": problem} if problem else {}

    def save(self, values: dict) -> tuple[Path, str, int]:
        path = as_path(values["path"])
        statuses = [status for status in values["who"].split(",") if status]
        written, count = export_members(self.group, path, statuses)  # a UserError shows in the form
        remember_folder(written)
        return written, KIND_NAMES[EXPORT_FORMATS[path.suffix.lower()]], count


def start_export(app) -> None:
    """Ask for the file, write it, and say what was written."""
    path = str(export_path(default_filename(app.open_group, app.clock())))

    def exported(result: tuple[Path, str, int] | None) -> None:
        if result is None:
            return
        written, kind, count = result
        app.notify(
            f"Exported {count} member{'' if count == 1 else 's'} to {written} ({kind}).",
            title="Members exported",
            timeout=6,
        )

    app.push_screen(MemberExportForm(app.open_group, path), exported)
