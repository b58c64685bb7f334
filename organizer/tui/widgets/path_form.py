"""Where to write a file: one path, prefilled, checked as you type; dismisses with the Path.

    self.app.push_screen(PathForm("Export the series", "series.ics"), self._write)

The folder must exist and the path must not be a folder; `suffixes`, when given, are the
endings allowed (e.g. (".ics", ".eml")). What is written there is the caller's business
(through files.write_private: atomic, readable by the owner only).
"""

from __future__ import annotations

from pathlib import Path

from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen


class PathForm(FormScreen):
    """Ask for the file to write."""

    SAVE_LABEL = "Export"
    HINT = "enter or ctrl+s exports · escape cancels"
    HELP_TITLE = "Export"

    def __init__(self, title: str, path: str | Path, *, hint: str = "written private (only you can read it)",
                 suffixes: tuple[str, ...] = (), intro: str = ""):
        super().__init__()
        self.FORM_TITLE = title
        self.path, self.hint, self.suffixes, self.intro_text = str(path), hint, suffixes, intro

    def intro(self) -> str:
        return self.intro_text

    def build_fields(self) -> list[Field]:
        return [Field("path", "File", value=self.path, hint=self.hint)]

    def problems(self, values: dict) -> dict[str, str]:
        text = values["path"].strip()
        if not text:
            return {"path": "name a file"}
        path = Path(text).expanduser()
        if path.is_dir():
            return {"path": "that is a folder: name a file in it"}
        if not path.parent.is_dir():
            return {"path": f"there is no folder {path.parent}"}
        if self.suffixes and path.suffix.lower() not in self.suffixes:
            return {"path": "the file name ends in " + " or ".join(self.suffixes)}
        return {}

    def save(self, values: dict) -> Path:
        return Path(values["path"].strip()).expanduser()
