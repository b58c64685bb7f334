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
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import ContentSwitcher, Footer, Header

from organizer.clock import Clock, system_now
from organizer.services.errors import UserError
from organizer.services.groups import (
    find_group,
    get_setting,
    last_group,
    list_groups,
    remember_group,
    set_setting,
)
from organizer.services.records import Group
from organizer.tui.help import HelpScreen, key_label
from organizer.tui.palette import palette_title
from organizer.tui.sections import SECTIONS, SectionEntry, entry
from organizer.tui.widgets.choice import Choice
from organizer.tui.widgets.section import Section

if TYPE_CHECKING:  # imported when the app watches for changes (not in headless tests)
    from organizer.services.changes import ChangeWatch

WARM_UP_DELAY = 0.3  # seconds after the first screen before the other sections are built
LIVE_INTERVAL = 2.0  # seconds between looks for other people's changes


class NoGroupOpen(RuntimeError):
    """A screen asked for the open group before one was created or loaded (a bug)."""


class ShellScreen(Screen):
    """The screen under every other: the sections. No auto-focus, which would pick the first
    focusable widget of any section, shown or hidden; the shown section chooses instead."""

    AUTO_FOCUS = ""


class OrganizerApp(App):
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

    def __init__(self, clock: Clock = system_now, *, steady: bool = False):
        super().__init__()
        self.clock = clock
        self.group: Group | None = None
        # Steady: no animation and no blinking cursor, for snapshots and screenshots.
        self.steady = steady
        if steady:
            self.animation_level = "none"
        # Milliseconds from a search keystroke to the repainted list (see MembersSection).
        self._mounting: dict[str, AwaitMount] = {}  # sections being built: id → their AwaitMount
        # Tests and snapshots run headless and build each section when they visit it.
        self.warm_up_headless = False
        self.signals_handled: list[int] = []  # signals that end the app cleanly (see on_mount)
        # ... and are not asked who is at the keyboard (the organizer's member is assumed),
        # nor refreshed by other people's changes unless a test asks for it.
        self.ask_who_headless = False
        self.live_headless = False
        self.live_interval = LIVE_INTERVAL
        self.change_watch: ChangeWatch | None = None

    @property
    def open_group(self) -> Group:
        """The group being worked on, for the sections, pages and forms: they exist only
        while a group is open, so for them it is never missing."""
        if self.group is None:
            raise NoGroupOpen("no group is open: sections, pages and forms need one")
        return self.group

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
        if not self.is_headless or self.live_headless:
            from organizer.services.changes import ChangeWatch

            self.change_watch = ChangeWatch()
            self.set_interval(self.live_interval, self.check_changes)
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

    def load_group(self) -> None:
        """Read the group (again) and put its name in the header: the one this person last
        worked on in this database, else the first."""
        self.group = last_group()
        self.title = self.group.name if self.group else "Organizer"
        self.sub_title = ""

    async def switch_group(self, group_id: int) -> None:
        """Open another group of this database: every section is built again for it."""
        if self.group is not None and group_id == self.group.id:
            return
        if self.screen is not self.screen_stack[0]:
            self.notify("Close this page first, then switch groups.", severity="warning")
            return
        try:
            group = find_group(str(group_id))
        except UserError as error:
            self.notify(str(error), severity="error")
            return
        remember_group(group)
        self.group = group
        self.title = group.name
        switcher = self.query_one("#sections", ContentSwitcher)
        for pending in list(self._mounting.values()):
            await pending
        self._mounting.clear()
        await switcher.remove_children()
        await self.action_show_section(SECTIONS[0].SECTION_ID)
        self.set_timer(WARM_UP_DELAY, self._warm_up)
        self.notify(f"Now in {group.name}.", timeout=3)
        self.ask_who_once()

    def ask_who_once(self) -> None:
        """The first time this person opens this group, ask who they are (posts, corrections
        and the ledger's history record them); kept in their own settings."""
        from organizer.services import identity

        if self.group is None or identity.chosen(self.group) or (self.is_headless and not self.ask_who_headless):
            return
        from organizer.tui.threads.forms import WhoAmIForm

        group, guess = self.group, identity.who_am_i(self.group)
        self.push_screen(WhoAmIForm(group, guess), partial(self._who_answered, group, guess))

    def _who_answered(self, group: Group, guess, member) -> None:
        from organizer.services import identity

        if member is None and guess is not None:  # not now: the guess stands, and is not asked again
            identity.set_me(group, guess)
        if member is not None:
            self.notify(f"You are {member.name} in {group.name}.", timeout=3)

    def action_switch_group(self) -> None:
        """Choose the group to work on (the palette, the header, ctrl+g)."""
        from organizer.tui.group_switcher import GroupSwitcher

        if self.group is None or self.screen is not self.screen_stack[0]:
            return
        self.push_screen(GroupSwitcher(list_groups(), self.group.id), self._group_chosen)

    async def _group_chosen(self, group_id: int | None) -> None:
        if group_id is not None:
            await self.switch_group(group_id)

    def on_click(self, event: events.Click) -> None:
        # The header's title is the group's name: a click there switches groups. (Its icon
        # opens the palette and keeps the click to itself.)
        header = self.query(Header).first(Header) if self.query(Header) else None
        if header is not None and event.widget is not None and header in event.widget.ancestors_with_self:
            self.action_switch_group()

    def check_changes(self) -> None:
        """Someone else changed the data: show it on the section in view, keeping its place,
        its cursor and what is typed in its search (each section's refresh_data does).
        Hidden sections refresh when shown; a form or page on top is left alone."""
        if self.change_watch is None or not self.change_watch.changed() or self.group is None:
            return
        try:
            self.group = find_group(str(self.group.id))  # renamed, or its settings changed
        except UserError:
            return
        self.title = self.group.name
        if self.screen is self.screen_stack[0]:
            self.current_section.refresh_data()

    def show_onboarding(self) -> None:
        """An empty database: create the group (or load the sample) first."""
        from organizer.tui.onboarding import OnboardingScreen

        self.push_screen(OnboardingScreen(), self._group_created)

    async def _group_created(self, group: Group | None) -> None:
        self.load_group()
        if not self.is_headless or self.live_headless:
            from organizer.services.changes import ChangeWatch

            self.change_watch = ChangeWatch()
            self.set_interval(self.live_interval, self.check_changes)
        if self.group is None:
            self.show_onboarding()
            return
        self.notify(f"Welcome to {self.group.name}.", timeout=4)
        await self.action_show_section(SECTIONS[0].SECTION_ID)
        self.current_section.refresh_data()
        self.set_timer(WARM_UP_DELAY, self._warm_up)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity="information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: the names and words of users in it are never markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """ctrl+c, typed by habit to quit: say how, in plain words (our notifications are not markup)."""
        self.notify("Press ctrl+q to quit.", title="Do you want to quit?")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.steady and hasattr(event.widget, "cursor_blink"):  # an Input, a TextArea
            event.widget.cursor_blink = False

    def _remember_theme(self, theme) -> None:
        set_setting(None, "theme", theme.name)

    # -- sections -------------------------------------------------------------------------

    @property
    def current_section(self) -> Section:
        switcher = self.query_one("#sections", ContentSwitcher)
        return switcher.query_one(f"#{switcher.current}", Section)

    async def _section(self, item: SectionEntry) -> Section:
        """The section, built (imported and mounted) if this is its first time."""
        switcher = self.query_one("#sections", ContentSwitcher)
        found = switcher.query_children(f"#{item.SECTION_ID}")
        if found:
            return found.first(Section)
        pending = self._mounting.get(item.SECTION_ID)
        if pending is None:
            section = item.load()(id=item.SECTION_ID)
            section.display = False  # the switcher shows it when it becomes current, not before
            pending = self._mounting[item.SECTION_ID] = switcher.mount(section)
        await pending
        self._mounting.pop(item.SECTION_ID, None)
        return switcher.query_children(f"#{item.SECTION_ID}").first(Section)

    async def _warm_up(self) -> None:
        """Build the next section not built yet, then the next, a screen refresh apart."""
        if self.group is None or (self.is_headless and not self.warm_up_headless):
            return
        switcher = self.query_one("#sections", ContentSwitcher)
        for item in SECTIONS:
            if not switcher.query_children(f"#{item.SECTION_ID}") and item.SECTION_ID not in self._mounting:
                await self._section(item)
                self.call_after_refresh(self._warm_up)
                return

    def _section_keys_work(self) -> bool:
        """On the sections, and on pages to read (SECTION_KEYS) opened from them; not in a
        form, a dialog or meeting mode, where a digit typed stays there."""
        return all(getattr(screen, "SECTION_KEYS", False) for screen in self.screen_stack[1:])

    async def on_key(self, event: events.Key) -> None:
        """A section key no one took on a page (SECTION_KEYS): leave the page for the section."""
        if (
            self.group is None
            or self.screen is self.screen_stack[0]
            or not self._section_keys_work()
            or event.key not in {section.KEY for section in SECTIONS}
        ):
            return
        event.stop()
        while self.screen is not self.screen_stack[0]:
            await self.pop_screen()  # pages only (see _section_keys_work): nothing to keep
        await self.action_show_section(entry_by_key(event.key).SECTION_ID)

    async def action_show_section(self, section_id: str, focus_later: bool = False) -> None:
        # Not before there is a group, nor under a form or dialog (a digit typed there stays there).
        if self.group is None or self.screen is not self.screen_stack[0]:
            return
        section = await self._section(entry(section_id))
        self.query_one("#sections", ContentSwitcher).current = section_id
        self.sub_title = section.TITLE
        if focus_later:
            # At start-up: the first frame first; the focus (and the footer's keys) right after.
            self.call_after_refresh(self._focus_if_shown, section)
            return
        section.focus_default()
        # Keys must never go to a widget of the section just hidden. (One focus change,
        # not two: each one recomposes the footer.)
        focused = self.screen.focused
        if focused is not None and section not in focused.ancestors_with_self:
            self.screen.set_focus(None)

    def _focus_if_shown(self, section: Section) -> None:
        """Focus `section` unless another section (or a dialog) was opened meanwhile."""
        if self.screen is self.screen_stack[0] and self.current_section is section and self.focused is None:
            section.focus_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The section keys only work on the sections themselves: off the footer elsewhere.
        # Off the footer on pages too (no room at 80 columns); see on_key.
        return not (action == "show_section" and self.screen is not self.screen_stack[0])

    async def run_section_action(self, section_id: str, action: str) -> None:
        """Show a section, then run one of its actions (for the palette)."""
        await self.action_show_section(section_id)
        self.call_after_refresh(self.current_section.run_section_action, action)

    # -- nothing typed is lost -----------------------------------------------------------

    def unsaved_work(self) -> list[tuple[Screen, str]]:
        """What quitting now would lose, screen by screen, the top one first."""
        found: list[tuple[Screen, str]] = []
        for screen in reversed(self.screen_stack):
            telling = getattr(screen, "unsaved_work", None)
            if telling is not None:
                found.extend((screen, line) for line in telling())
        return found

    def save_drafts(self) -> None:
        """Write every open screen's draft now (a signal is about to end the app)."""
        for screen in self.screen_stack:
            keep = getattr(screen, "save_draft", None)
            if keep is not None:
                try:
                    keep()
                except Exception:  # one screen failing must not stop the others' drafts
                    continue

    async def action_quit(self) -> None:
        """Quit; with unsaved work, ask first: save it, discard it, or stay."""
        unsaved = self.unsaved_work()
        if not unsaved:
            self.exit()
            return
        if isinstance(self.screen, Choice):
            return

        def answered(answer: str | None) -> None:
            screens = list(dict.fromkeys(screen for screen, _ in unsaved))
            if answer == "save":
                for screen in screens:
                    problem = screen.save_unsaved()  # type: ignore[attr-defined]
                    if problem:
                        self.notify(f"Not quitting — {problem}", severity="error", timeout=8)
                        return
                self.exit()
            elif answer == "discard":
                for screen in screens:
                    screen.discard_unsaved()  # type: ignore[attr-defined]
                self.exit()

        lines = [line for _, line in unsaved]
        self.push_screen(
            Choice(
                "Quit with unsaved work?",
                lines,
                [
                    ("save", "Save and quit", "s"),
                    ("discard", "Discard and quit", "d"),
                    ("stay", "Stay", "escape"),
                ],
            ),
            answered,
        )

    def offer_recovered(self) -> None:
        """After a crash: say what was recovered and offer it back into the same screens."""
        from organizer.tui import drafts

        if self.group is None:
            return
        found = drafts.recoverable(self)
        if not found:
            return

        def answered(answer: str | None) -> None:
            if answer == "restore":
                for title in drafts.restore(self, found):
                    self.notify(f"{title}: what it belonged to is gone; the draft was dropped.", severity="warning")
            elif answer == "discard":
                drafts.discard(self, found)

        self.push_screen(
            Choice(
                "Recovered from the last session",
                [drafts.describe(draft) for draft in found],
                [("restore", "Restore", "r"), ("discard", "Discard", "d"), ("later", "Later", "escape")],
                cancel="later",
            ),
            answered,
        )

    def after_restored(self, _result=None) -> None:
        """A restored screen closed: the section under it shows what it saved."""
        if self.screen is self.screen_stack[0] and self.group is not None:
            self.current_section.refresh_data()

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
        groups.append(("Everywhere", (_section_keys() if self._section_keys_work() else []) + everywhere))
        self.push_screen(HelpScreen(groups))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
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


def entry_by_key(key: str) -> SectionEntry:
    return next(section for section in SECTIONS if key == section.KEY)


def _section_keys() -> list[Binding]:
    return [Binding(section.KEY, "", f"Go to {section.TITLE}") for section in SECTIONS]


def make_app(clock: Clock = system_now, *, steady: bool = False) -> OrganizerApp:
    """The one way to build the app (the database must already be open).

    `steady` turns off animation and the cursor's blink, so a snapshot is the same every time.
    """
    return OrganizerApp(clock=clock, steady=steady)
