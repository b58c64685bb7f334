"""Where to write a file: one path, prefilled, checked as you type; dismisses with the Path.

    self.app.push_screen(PathForm("Export the series", "series.ics"), self._write)

The checks are tui.paths' (the folder must exist, the path is not a folder); `suffixes`,
when given, are the endings allowed (e.g. (".ics", ".eml")). A file that exists already
is replaced only after a yes. What is written there is the caller's business (through
files.write_private: atomic, readable by the owner only).
"""

from __future__ import annotations

from pathlib import Path

from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.export_folder import remember_folder
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen
from organizer.tui.widgets.paths import as_path, file_to_write_problem


class PathForm(FormScreen):
    """Ask for the file to write."""

    SAVE_LABEL = "Export"
    HINT = "enter or ctrl+s exports · escape cancels"
    HELP_TITLE = "Export"

    def __init__(
        self,
        title: str,
        path: str | Path,
        *,
        hint: str = "written private (only you can read it)",
        suffixes: tuple[str, ...] = (),
        intro: str = "",
    ):
        super().__init__()
        self.FORM_TITLE = title
        self.path, self.hint, self.suffixes, self.intro_text = str(path), hint, suffixes, intro
        self.confirmed: Path | None = None  # the existing file the user agreed to replace

    def intro(self) -> str:
        return self.intro_text

    def build_fields(self) -> list[Field]:
        return [Field("path", "File", value=self.path, hint=self.hint)]

    def problems(self, values: dict) -> dict[str, str]:
        problem = file_to_write_problem(values["path"])
        if problem is None and self.suffixes and as_path(values["path"]).suffix.lower() not in self.suffixes:
            problem = "the file name ends in " + " or ".join(self.suffixes)
        return {"path": problem} if problem else {}

    def action_save(self) -> None:
        path = as_path(self.values()["path"])
        if self.check(everything=True) or not path.is_file() or path == self.confirmed:
            super().action_save()
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self.confirmed = path
                super(PathForm, self).action_save()

        self.app.push_screen(
            Confirm(f"Replace {path.name}?", "Replace", "Keep it", detail=f"{path} exists; exporting writes over it."),
            answered,
        )

    def save(self, values: dict) -> Path:
        path = as_path(values["path"])
        remember_folder(path)  # the next export starts there
        return path
