"""Email from the app (command palette): send to the members, and read replies back in.

- `MailKindForm` asks what to send (the next meeting's invite, the digest, the nudges);
- `MailPreview` builds the messages in a thread worker, then shows how many members get it (and how many already have it, opted out or
  were nudged this week) and the first message as they will read it, before anything
  leaves; `s` (or the button) sends in a thread worker with a progress bar, then shows
  the same `sent:` / `skipped (already sent):` / `failed:` lines as `organizer send`;
- `MailImportForm` asks for an .eml, an mbox or a Maildir folder and `MailImportReport`
  shows what `organizer import mail` prints.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

from organizer.errors import UserError
from organizer.services.workers import in_worker
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen
from organizer.tui.widgets.paths import as_path
from organizer.tui.widgets.shell import OnShell

if TYPE_CHECKING:  # the services themselves are imported when used: the app starts faster
    from organizer.services.mail_builder import SendPlan
    from organizer.services.mail_settings import SmtpSettings

KINDS = [
    ("The next meeting's invitation (with its calendar invite)", "invite"),
    ("The digest: threads with new posts since the last one", "digest"),
    ("Nudges: thank-yous owed and referrals waiting", "thanks"),
    ("Nudges: renewals due within 30 days", "renewals"),
]

_BOX_CSS = """
{name} {{ align: center middle; }}
{name} #mail-box {{
    width: 100; max-width: 100%; height: auto; max-height: 100%;
    border: round $accent; border-title-style: bold; border-subtitle-color: $text-muted;
    background: $surface; padding: 0 1;
}}
{name} #mail-scroll {{ height: auto; max-height: 1fr; }}
{name} #mail-summary {{ text-style: bold; margin: 1 0; }}
{name} #mail-problems {{ color: $error; }}
{name} #mail-preview {{ color: $text-muted; border: tall $panel; padding: 0 1; }}
{name} Horizontal {{ height: auto; align-horizontal: right; margin: 1 0 0 0; }}
{name} Button {{ margin: 0 0 0 2; }}
"""


class MailKindForm(FormScreen):
    """What to send; dismisses with the kind."""

    FORM_TITLE = "Email the members"
    SAVE_LABEL = "Preview"
    HINT = "ctrl+s previews (nothing is sent yet) · escape cancels"
    HELP_TITLE = "Email the members"

    def intro(self) -> str:
        return (
            "[dim]One message per member. The next screen shows who gets it and the first "
            "message before anything is sent.[/dim]"
        )

    def build_fields(self) -> list[Field]:
        return [Field("kind", "Send", value="invite", choices=KINDS)]

    def problems(self, values: dict) -> dict[str, str]:
        return {}

    def save(self, values: dict) -> str:
        return values["kind"]


class MailPreview(OnShell, ModalScreen[None]):
    """The recipients' count and the first message; sends on `s`, then shows the counts."""

    HELP_TITLE = "Email preview"
    DEFAULT_CSS = _BOX_CSS.format(name="MailPreview")
    BINDINGS = [
        Binding("s", "send", "Send the messages"),
        Binding("escape", "close", "Close without sending", key_display="esc"),
        Binding("f1", "app.help", "Help", key_display="F1", show=False),
    ]

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind
        self.plan: SendPlan | None = None
        self.settings: SmtpSettings | None = None
        self.problem = ""
        self.report = None
        self.sending = False

    def compose(self) -> ComposeResult:
        with Vertical(id="mail-box") as box:
            box.border_title = Text({value: label for label, value in KINDS}.get(self.kind, self.kind))
            box.border_subtitle = "s sends · esc closes · ↑ ↓ scroll"
            with VerticalScroll(id="mail-scroll"):
                yield Static(Text("Preparing the messages…"), id="mail-summary")
                yield Static("", id="mail-problems")
                yield Static("", id="mail-preview")
            yield ProgressBar(show_eta=False, id="mail-bar")
            with Horizontal():
                yield Button("Send", id="mail-send", variant="primary", disabled=True)
                yield Button("Close", id="mail-close")

    def on_mount(self) -> None:
        self.query_one("#mail-bar", ProgressBar).display = False
        self.query_one("#mail-preview", Static).display = False
        self.query_one("#mail-scroll", VerticalScroll).focus()
        self.prepare()

    @work(thread=True, exclusive=True, group="mail-prepare")
    def prepare(self) -> None:
        """Build every message (a moment for a big group) off the screen's thread."""
        from organizer.services.mail_plans import plan_send
        from organizer.services.mail_settings import load_settings

        app = self.app
        problems, settings, plan = [], None, None
        try:
            settings = load_settings()
        except UserError as error:
            problems.append(str(error))
        try:
            plan = in_worker(plan_send, app.open_group, self.kind, app.clock(), settings=settings)
        except UserError as error:
            problems.append(str(error))
        app.call_from_thread(self.show_plan, settings, plan, "\n".join(problems))

    def show_plan(self, settings, plan, problem: str) -> None:
        self.settings, self.plan, self.problem = settings, plan, problem
        count = len(plan.outgoing) if plan else 0
        self.query_one("#mail-summary", Static).update(Text(self.summary()))
        self.query_one("#mail-problems", Static).update(Text(problem))
        if plan and plan.outgoing:
            preview = self.query_one("#mail-preview", Static)
            preview.update(Text(plan.preview.rstrip()))
            preview.display = True
        button = self.query_one("#mail-send", Button)
        button.label = f"Send {count} message{'s' * (count != 1)}"
        button.disabled = not self.can_send()

    def can_send(self) -> bool:
        return bool(self.plan and self.plan.outgoing and self.settings and not self.problem)

    def summary(self) -> str:
        if self.plan is None:
            return "Nothing to send."
        plan = self.plan
        lines = [f"{len(plan.outgoing)} member{'s' * (len(plan.outgoing) != 1)} would get this message."]
        left = [
            (plan.already_sent, "already sent"),
            (plan.opted_out, "opted out"),
            (plan.too_soon, "nudged recently"),
        ]
        lines += [f"Skipped: {n} {why}." for n, why in left if n]
        if plan.outgoing:
            lines.append("The first message:")
        return "\n".join(lines)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "mail-send":
            self.action_send()
        else:
            self.action_close()

    def action_send(self) -> None:
        plan, settings = self.plan, self.settings
        if self.sending or self.report is not None or not self.can_send() or plan is None or settings is None:
            return
        self.sending = True
        self.query_one("#mail-send", Button).disabled = True
        bar = self.query_one("#mail-bar", ProgressBar)
        bar.display = True
        bar.update(total=len(plan.outgoing), progress=0)
        self.run_send(plan, settings)

    @work(thread=True, exclusive=True, group="mail-send")
    def run_send(self, plan: SendPlan, settings: SmtpSettings) -> None:
        from organizer.services.mail_send import SmtpTransport, deliver

        app = self.app

        def progress(done: int, total: int) -> None:
            app.call_from_thread(self.show_progress, done)

        try:
            report = in_worker(
                deliver,
                app.open_group,
                plan,
                SmtpTransport(settings),
                settings=settings,
                clock=app.clock,
                progress=progress,
            )
            app.call_from_thread(self.finish, report, "")
        except UserError as error:
            app.call_from_thread(self.finish, None, str(error))

    def show_progress(self, done: int) -> None:
        self.query_one("#mail-bar", ProgressBar).update(progress=done)

    def finish(self, report, problem: str) -> None:
        self.sending = False
        self.report = report
        summary = self.query_one("#mail-summary", Static)
        if report is None:
            summary.update(Text(f"Stopped: {problem}\nRun the same send again to send what is missing."))
            return
        lines = [
            f"sent: {report.sent}",
            f"skipped (already sent): {report.already_sent}",
            f"failed: {report.failed}",
        ]
        lines += [f"not sent to {email}: {why}" for email, why in report.failures]
        summary.update(Text("\n".join(lines)))
        self.query_one("#mail-close", Button).focus()

    def action_close(self) -> None:
        if self.sending:
            self.app.notify(
                "Sending… the messages sent so far are logged; wait for the end.",
                timeout=3,
            )
            return
        self.dismiss(None)


class MailImportForm(FormScreen):
    """Which mailbox; dismisses with its Path."""

    FORM_TITLE = "Import mail replies"
    SAVE_LABEL = "Import"
    HINT = "ctrl+s imports · escape cancels"
    HELP_TITLE = "Import mail"

    def intro(self) -> str:
        return (
            "[dim]An .eml file, an mbox file or a Maildir folder. Calendar answers set RSVPs; "
            "replies to a digest become posts. Mail already imported is skipped.[/dim]"
        )

    def build_fields(self) -> list[Field]:
        return [
            Field(
                "path",
                "Mail",
                value=f"{Path.cwd()}{os.sep}",
                hint="a file or a Maildir folder",
            )
        ]

    def problems(self, values: dict) -> dict[str, str]:
        text = values["path"].strip()
        if not text:
            return {"path": "name a file or a folder"}
        if not as_path(text).exists():
            return {"path": f"there is no file or folder {as_path(text)}"}
        return {}

    def save(self, values: dict) -> Path:
        return as_path(values["path"])


class MailImportReport(OnShell, ModalScreen[bool]):
    """Imports in a worker, then shows the counts and each skipped message; dismisses with
    whether anything was imported."""

    HELP_TITLE = "Mail import"
    DEFAULT_CSS = _BOX_CSS.format(name="MailImportReport")
    BINDINGS = [Binding("escape,enter", "close", "Close the report", key_display="esc")]

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.imported = False
        self.done = False

    def compose(self) -> ComposeResult:
        with Vertical(id="mail-box") as box:
            box.border_title = Text(f"Import mail · {self.path.name}")
            box.border_subtitle = "esc closes · ↑ ↓ scroll"
            with VerticalScroll(id="mail-scroll"):
                yield Static(Text("Reading the mail…"), id="mail-summary")
                yield Static("", id="mail-problems")

    def on_mount(self) -> None:
        self.run_import()

    @work(thread=True, exclusive=True, group="mail-import")
    def run_import(self) -> None:
        from organizer.services.mail_import import import_mail

        app = self.app
        try:
            report = in_worker(import_mail, app.open_group, self.path, app.clock())
            app.call_from_thread(self.finish, report, "")
        except UserError as error:
            app.call_from_thread(self.finish, None, str(error))

    def finish(self, report, problem: str) -> None:
        self.done = True
        summary = self.query_one("#mail-summary", Static)
        if report is None:
            summary.update(Text(f"Nothing was imported: {problem}"))
            return
        self.imported = bool(report.rsvps or report.posts)
        summary.update(
            Text(f"imported: {report.rsvps} rsvps\nimported: {report.posts} posts\nskipped: {len(report.skipped)}")
        )
        lines = [f"skipped a message from {sender or 'no sender'}: {why}" for sender, why in report.skipped]
        self.query_one("#mail-problems", Static).update(Text("\n".join(lines)))

    def action_close(self) -> None:
        if self.done:
            self.dismiss(self.imported)


def start_send(app) -> None:
    def chosen(kind: str | None) -> None:
        if kind:
            app.push_screen(MailPreview(kind))

    app.push_screen(MailKindForm(), chosen)


def start_import(app) -> None:
    def chosen(path: Path | None) -> None:
        if path is not None:
            app.push_screen(MailImportReport(path))

    app.push_screen(MailImportForm(), chosen)
