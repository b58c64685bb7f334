"""A modal form that checks as you type and never loses what was typed by accident.

Subclass `FormScreen`, then give it:

    FORM_TITLE = "New member"
    def build_fields(self) -> list[Field]: ...          # the fields, in order
    def problems(self, values: dict) -> dict[str, str]: # {field name: message}, checked per keystroke
    def save(self, values: dict): ...                   # write; raise ValidationError / UserError

`values` maps each Field's name to its text. A field's message shows under it once it has
been edited (as you type) and for every field when saving. Save (ctrl+s, or the button,
or enter in the last field) is refused while anything is invalid, with the reason in the
status line; escape asks before throwing away typed changes. The screen dismisses with
what `save` returned, or None when cancelled.

A form that names a `DRAFT_KIND` (and its `draft_args`, the JSON that reopens it; see
organizer/tui/drafts.py) keeps what is typed as a draft half a second after the last
keystroke, so a crash loses nothing; saving or cancelling clears the draft. Every form
tells the app what it holds unsaved (`unsaved_work`), so quitting can ask first.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from organizer import failures
from organizer.errors import StorageProblem, UserError, ValidationError
from organizer.services import drafts
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.shell import OnShell


class FormScreen(OnShell, ModalScreen):
    """The base of every add / edit form."""

    FORM_TITLE = "Form"
    SAVE_LABEL = "Save"
    HINT = "ctrl+s saves · escape cancels"
    ENTER_SAVES = False  # enter in a text field: the next field, or save from the last
    CANCELLABLE = True
    DRAFT_KIND = ""  # set (with `draft_args`) by forms whose typing is kept as a draft
    DRAFT_DELAY = 0.5  # seconds after the last keystroke before the draft is written
    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
    }
    FormScreen #form-box {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    FormScreen #form-fields {
        height: auto;
        max-height: 70vh;  /* room for the status line and buttons at 80×24 */
    }
    FormScreen #form-status {
        height: auto;
        margin: 1 0 0 0;
        color: $text-muted;
    }
    FormScreen #form-status.-refused {
        color: $error;
    }
    FormScreen #form-buttons {
        height: auto;
        align-horizontal: right;
    }
    FormScreen #form-buttons Button {
        margin: 0 0 0 2;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
        # A modal screen hides the app's keys: help is bound again here.
        Binding("f1", "app.help", "Help", key_display="F1"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.touched: set[str] = set()
        self.restore_values: dict[str, str] = {}  # a recovered draft, filled in on mount
        self._draft_timer: Timer | None = None

    # -- to override --------------------------------------------------------------------

    def build_fields(self) -> list[Field]:
        return []

    def problems(self, values: dict) -> dict[str, str]:
        return {}

    def save(self, values: dict):
        return values

    def intro(self) -> str:
        """A line above the fields (markup allowed); empty for none."""
        return ""

    def draft_args(self) -> dict:
        """What reopens this form after a crash (ids, JSON); see organizer/tui/drafts.py."""
        return {}

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box") as box:
            box.border_title = escape(self.FORM_TITLE)
            if text := self.intro():
                yield Static(text, id="form-intro")
            with VerticalScroll(id="form-fields"):
                yield from self.build_fields()
            yield Static(self.HINT, id="form-status")
            with Horizontal(id="form-buttons"):
                if self.CANCELLABLE:
                    yield Button("Cancel", id="form-cancel", compact=True)
                yield Button(f"{self.SAVE_LABEL} (ctrl+s)", id="form-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        fields = self.fields
        for field in fields:
            if field.field_name in self.restore_values:
                field.value = self.restore_values[field.field_name]
                self.touched.add(field.field_name)
        if self.restore_values:
            self.call_after_refresh(self.check)
        if fields:
            fields[0].focus()

    # -- state --------------------------------------------------------------------------

    @property
    def fields(self) -> list[Field]:
        return list(self.query(Field))

    def field(self, name: str) -> Field:
        return self.query_one(f"#field-{name}", Field)

    def values(self) -> dict[str, str]:
        return {field.field_name: field.value for field in self.fields}

    @property
    def dirty(self) -> bool:
        return any(field.changed for field in self.fields)

    def check(self, *, everything: bool = False) -> dict[str, str]:
        """Run `problems` and show each message under its field (edited fields only, unless `everything`)."""
        errors = self.problems(self.values())
        for field in self.fields:
            shown = everything or field.field_name in self.touched
            field.show(errors.get(field.field_name) if shown else None)
        return errors

    def set_status(self, text: str, *, refused: bool = False) -> None:
        status = self.query_one("#form-status", Static)
        status.update(escape(text))
        status.set_class(refused, "-refused")

    # -- events -------------------------------------------------------------------------

    def on_field_edited(self, event: Field.Edited) -> None:
        self.touched.add(event.field.field_name)
        self._draft_soon()
        errors = self.check()
        if not errors:
            self.set_status(self.HINT)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = self.fields
        names = [field.field_name for field in fields]
        current = event.input.id.removeprefix("input-") if event.input.id else ""
        if not self.ENTER_SAVES and current in names and names.index(current) < len(names) - 1:
            fields[names.index(current) + 1].focus()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    # -- actions ------------------------------------------------------------------------

    # A busy database (another Organizer writing): the save is tried again this many times,
    # BUSY_PAUSE seconds apart, each try waiting about a second for the lock, the screen
    # answering in between and the form saying so; then it gives up, the text kept.
    BUSY_TRIES = 10
    BUSY_PAUSE = 0.5
    busy_tries = 0

    def ask_first(self, values: dict) -> str | None:
        """A question to ask before saving these values (a move into the past…), or None."""
        return None

    def action_save(self) -> None:
        errors = self.check(everything=True)
        if errors:
            self.refuse(errors)
            return
        question = self.ask_first(self.values())
        if question:

            def answered(yes: bool | None) -> None:
                if yes:
                    self.save_unsaved()

            self.app.push_screen(Confirm(question, self.SAVE_LABEL, "Not yet"), answered)
            return
        self.save_unsaved()

    def save_unsaved(self) -> str | None:
        """Save and close; or show why not, and return that reason."""
        errors = self.check(everything=True)
        if errors:
            return self.refuse(errors)
        try:
            result = self.save(self.values())
        except ValidationError as error:
            for field in self.fields:
                field.show(error.fields.get(field.field_name))
            return self.refuse(error.fields)
        except StorageProblem as error:  # busy, read-only, full: nothing written, nothing lost
            if error.busy and self.busy_tries < self.BUSY_TRIES:
                self.busy_tries += 1
                self.set_status(f"Waiting: {error} (try {self.busy_tries} of {self.BUSY_TRIES})…", refused=True)
                self.set_timer(self.BUSY_PAUSE, self.save_unsaved)
                return f"{self.FORM_TITLE}: {error}"
            self.busy_tries = 0
            self.set_status(f"Not saved: {error}", refused=True)
            self.app.notify(f"Not saved: {error}", severity="error")
            return f"{self.FORM_TITLE}: {error}"
        except UserError as error:
            self.set_status(f"Not saved: {error}", refused=True)
            return f"{self.FORM_TITLE}: {error}"
        except Exception as error:  # a bug: say so and keep everything typed; the log has the rest
            line = failures.one_line(error)  # once: each call writes a crash log
            self.set_status(f"Not saved: {line}", refused=True)
            return f"{self.FORM_TITLE}: {line}"
        self.busy_tries = 0
        self.discard_unsaved()
        self.dismiss(result)
        return None

    def refuse(self, errors: dict[str, str]) -> str:
        """Show why the form is not saved (focusing the first wrong field); return the reason."""
        labels = {field.field_name: field.label for field in self.fields}
        first = next(iter(errors))
        count = len(errors)
        reason = f"{labels.get(first, first)}: {errors[first]}"
        more = f" (and {count - 1} more)" if count > 1 else ""
        self.set_status(f"Not saved — {reason}{more}", refused=True)
        if first in labels:
            self.field(first).focus()
        return f"{self.FORM_TITLE}: {reason}{more}"

    def action_cancel(self) -> None:
        if not self.dirty:
            self.discard_unsaved()
            self.dismiss(None)
            return

        def answered(throw_away: bool | None) -> None:
            if throw_away:
                self.discard_unsaved()
                self.dismiss(None)

        self.app.push_screen(
            Confirm(
                "Throw away your changes?",
                "Throw away",
                "Keep editing",
                detail="What you typed in this form will be lost.",
            ),
            answered,
        )

    # -- unsaved work and drafts ----------------------------------------------------------

    def unsaved_work(self) -> list[str]:
        """What quitting now would lose: this form, if anything in it was changed."""
        if not self.is_mounted or not self.dirty:
            return []
        changed = [field for field in self.fields if field.changed and field.value.strip()]
        shown = ", ".join(f"{field.label} “{field.value.strip()[:30]}”" for field in changed[:2])
        more = f" and {len(changed) - 2} more" if len(changed) > 2 else ""
        return [f"{self.FORM_TITLE}: {shown}{more}" if shown else f"{self.FORM_TITLE}: fields cleared"]

    @property
    def draft_key(self) -> str:
        args = self.draft_args()
        return self.DRAFT_KIND + "".join(f":{name}={args[name]}" for name in sorted(args))

    def _draft_soon(self) -> None:
        if not self.DRAFT_KIND or getattr(self.app, "group", None) is None:
            return
        # Debounced: a new keystroke puts the write off again (one-shot timers end when fired).
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(self.DRAFT_DELAY, self.save_draft)

    def save_draft(self) -> None:
        """Write what is typed as this form's draft (or clear it when nothing is changed)."""
        group = getattr(self.app, "group", None)
        if not self.DRAFT_KIND or group is None or not self.is_mounted:
            return
        try:
            if self.dirty:
                drafts.save_draft(
                    group,
                    self.draft_key,
                    self.FORM_TITLE,
                    {
                        "form": self.DRAFT_KIND,
                        "args": self.draft_args(),
                        # The fields changed, in the form's order (JSON objects get sorted).
                        "values": [[f.field_name, f.value] for f in self.fields if f.changed],
                    },
                    now=self.app.clock(),
                )
            else:
                drafts.clear_draft(group, self.draft_key)
        except UserError:  # busy or read-only: the text is still in the form; keep it later
            self._draft_timer = self.set_timer(self.DRAFT_DELAY * 4, self.save_draft)

    def discard_unsaved(self) -> None:
        """Forget this form's draft (saved, or thrown away on purpose)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        group = getattr(self.app, "group", None)
        if self.DRAFT_KIND and group is not None:
            drafts.clear_draft(group, self.draft_key)
