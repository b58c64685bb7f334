"""The Organizer app (the shell) and its factory, shared by the command line and every test.

The shell holds the numbered sections in a ContentSwitcher, the header with the group's
name, the footer, F1 help and the command palette. Sections call services; the shell only
switches between them and routes the keys everybody shares.

It starts with the dashboard alone: each other section is imported and built when first
shown, or, one at a time, once the first screen is on (`WARM_UP_DELAY`), so the first
screen comes quickly and later sections open at once.

Nothing typed is lost: every screen that holds unsaved work says so (`unsaved_work`), and
quitting asks first (save / discard / stay). Drafts are written as one types; SIGTERM and
SIGHUP write them once more (`save_drafts`) before the app exits, and the next start offers
back what a crash left (organizer/tui/drafts.py).

The app is built in layers, one module each: its state and error boundary (shell_state),
the sections (shell_sections), the groups (shell_groups) and keeping what is typed
(shell_work); this module lays them out, starts and ends the app, and gives help and the
command palette.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header

from organizer.clock import Clock, system_now
from organizer.services.groups import (
    get_setting,
    list_groups,
    set_setting,
)
from organizer.tui.help import HelpScreen, key_label
from organizer.tui.palette import palette_title
from organizer.tui.sections import SECTIONS
from organizer.tui.shell_sections import WARM_UP_DELAY, section_keys
from organizer.tui.shell_state import LIVE_INTERVAL, NoGroupOpen
from organizer.tui.shell_work import ShellWork
from organizer.tui.widgets.boundary import guarded_call

__all__ = ["LIVE_INTERVAL", "WARM_UP_DELAY", "NoGroupOpen", "OrganizerApp", "ShellScreen", "make_app"]


class ShellScreen(Screen):
    """The screen under every other: the sections. No auto-focus, which would pick the first
    focusable widget of any section, shown or hidden; the shown section chooses instead."""

    AUTO_FOCUS = ""


class OrganizerApp(ShellWork):
    """The terminal home of the group."""

    CSS_PATH = "app.tcss"
    TITLE = "Organizer"
    BINDINGS = [
        # The footer shows one "1–6 Sections" key for all six; help lists each of them.
        *(
            Binding(
                section.KEY,
                f"show_section('{section.SECTION_ID}')",
                "Sections",
                show=index == 0,
                key_display=f"{SECTIONS[0].KEY}–{SECTIONS[-1].KEY}",
            )
            for index, section in enumerate(SECTIONS)
        ),
        Binding("f1,question_mark", "help", "Help", key_display="F1"),
        Binding("ctrl+g", "switch_group", "Switch group", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def get_default_screen(self) -> Screen:
        return ShellScreen(id="_default")

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        first = SECTIONS[0]
        with ContentSwitcher(initial=first.SECTION_ID, id="sections"):
            yield first.load()(id=first.SECTION_ID)
        yield Footer()

    async def on_mount(self) -> None:
        self._exit_on_signals()
        saved = get_setting(None, "theme")
        if saved and saved in self.available_themes:
            self.theme = saved
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.load_group()
        self.watch_changes()
        if self.group is None:
            self.show_onboarding()
        else:
            await self.action_show_section(SECTIONS[0].SECTION_ID, focus_later=True)
            self.set_timer(WARM_UP_DELAY, self._warm_up)
            self.call_after_refresh(self.ask_who_once)
            self.call_after_refresh(self.offer_recovered)

    def _exit_on_signals(self) -> None:
        """SIGTERM, SIGHUP (the terminal closed) and SIGINT end the app the way ctrl+q does,
        so Textual puts the terminal back (cooked mode, mouse off, main screen). Python's
        default would end the process at once and leave the terminal raw."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, self.exit_on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # not the main thread, or a platform without them
            self.signals_handled.append(signum)

    def on_unmount(self) -> None:
        if self.change_watch is not None:
            self.change_watch.close()
        import asyncio

        loop = asyncio.get_running_loop()
        for signum in self.signals_handled:  # the loop may outlive the app (tests)
            loop.remove_signal_handler(signum)
        self.signals_handled.clear()

    def exit_on_signal(self, signum: int) -> None:
        """Keep every draft, then leave as for ctrl+q; the exit status says which signal
        (128 + its number)."""
        self.save_drafts()
        self.exit(return_code=128 + signum)

    def action_help_quit(self) -> None:
        """ctrl+c, typed by habit to quit: say how, in plain words (our notifications are not markup)."""
        self.notify("Press ctrl+q to quit.", title="Do you want to quit?")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.steady and hasattr(event.widget, "cursor_blink"):  # an Input, a TextArea
            event.widget.cursor_blink = False

    def _remember_theme(self, theme) -> None:
        set_setting(None, "theme", theme.name)

    # -- help and palette -----------------------------------------------------------------

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        groups = []
        on_a_section = self.screen is self.screen_stack[0]
        if not on_a_section:
            title = getattr(self.screen, "HELP_TITLE", self.screen.__class__.__name__)
            groups.append((title, _described(self.screen.BINDINGS)))
        elif self.group is not None:
            groups.append((self.current_section.TITLE, self.current_section.commands()))
        everywhere = [b for b in _described(self.BINDINGS) if not b.action.startswith("show_section")]
        everywhere.append(Binding("ctrl+p", "command_palette", "Command palette: every action by name"))
        # The number keys work on the sections and their pages (escape first from a form).
        groups.append(("Everywhere", (section_keys() if self._section_keys_work() else []) + everywhere))
        self.push_screen(HelpScreen(groups))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands, each guarded (widgets/boundary.py): one that fails is told
        in one line, and the app goes on."""
        for command in self._commands(screen):
            yield SystemCommand(command.title, command.help, guarded_call(self, command.callback), command.discover)

    def _commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.group is None:
            return
        if screen is not self.screen_stack[0]:
            # A page of its own (a meeting, a thread, a member): its keys, by name.
            title = getattr(screen, "HELP_TITLE", "")
            for binding in _described(screen.BINDINGS):
                if binding.action not in ("back", "app.help"):
                    yield SystemCommand(
                        palette_title(title, binding),
                        f"key {key_label(binding.key)}",
                        partial(screen.run_action, binding.action),
                    )
            return
        yield SystemCommand("Email the members…", "invites, the digest, nudges: a preview first", self.action_send_mail)
        yield SystemCommand(
            "Import mail replies…", "RSVPs and posts from an .eml, mbox or Maildir", self.action_import_mail
        )
        for line in list_groups():
            if line.id != self.group.id:
                yield SystemCommand(
                    f"Switch group: {line.name}",
                    f"{line.active_members} active members · ctrl+g",
                    partial(self.switch_group, line.id),
                )
        for section in SECTIONS:
            yield SystemCommand(
                f"Go to {section.TITLE}",
                f"Section {section.KEY}",
                partial(self.action_show_section, section.SECTION_ID),
            )
            # The footer's actions first: among equal matches the palette keeps this order.
            for binding in sorted(section.load().commands(), key=lambda binding: not binding.show):
                yield SystemCommand(
                    palette_title(section.TITLE, binding),
                    f"key {key_label(binding.key)}",
                    partial(self.run_section_action, section.SECTION_ID, binding.action),
                )

    def action_send_mail(self) -> None:
        from organizer.tui.mail.screens import start_send

        start_send(self)

    def action_import_mail(self) -> None:
        from organizer.tui.mail.screens import start_import

        start_import(self)


def _described(bindings) -> list[Binding]:
    return [b for b in bindings if isinstance(b, Binding) and b.description and b.action]


def make_app(clock: Clock = system_now, *, steady: bool = False) -> OrganizerApp:
    """The one way to build the app (the database must already be open).

    `steady` turns off animation and the cursor's blink, so a snapshot is the same every time.
    """
    return OrganizerApp(clock=clock, steady=steady)
