"""The shell's groups: the one opened at start (or created by onboarding), switching to
another, asking once who is at the keyboard, and showing other people's changes."""

from __future__ import annotations

from functools import partial

from textual import events
from textual.widgets import ContentSwitcher, Header

from organizer.errors import UserError
from organizer.services.groups import (
    find_group,
    last_group,
    list_groups,
    remember_group,
)
from organizer.services.records import Group
from organizer.tui.sections import SECTIONS
from organizer.tui.shell_sections import WARM_UP_DELAY, ShellSections
from organizer.tui.widgets.boundary import guarded_call
from organizer.tui.widgets.live import LivePage


class ShellGroups(ShellSections):
    """Which group the app works on."""

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

    def watch_changes(self) -> None:
        """Look for other people's changes every `live_interval` seconds (once started, on)."""
        if self.change_watch is not None or (self.is_headless and not self.live_headless):
            return
        from organizer.services.changes import ChangeWatch

        self.change_watch = ChangeWatch()
        self.set_interval(self.live_interval, guarded_call(self, self.check_changes))

    def check_changes(self) -> None:
        """Someone else changed the data: show it on the section in view and on every page
        open above it (LivePage), each keeping its place, its cursor and what is typed in its
        search. Hidden sections refresh when shown; forms are left alone."""
        if self.change_watch is None or not self.change_watch.changed() or self.group is None:
            return
        try:
            self.group = find_group(str(self.group.id))  # renamed, or its settings changed
        except UserError:
            return
        self.title = self.group.name
        self.current_section.refresh_data()  # also under a page or a form: it keeps its place
        for screen in self.screen_stack[1:]:
            if isinstance(screen, LivePage):
                screen.refresh_data()

    def show_onboarding(self) -> None:
        """An empty database: create the group (or load the sample) first."""
        from organizer.tui.onboarding import OnboardingScreen

        self.push_screen(OnboardingScreen(), self._group_created)

    async def _group_created(self, group: Group | None) -> None:
        self.load_group()
        self.watch_changes()
        if self.group is None:
            self.show_onboarding()
            return
        self.notify(f"Welcome to {self.group.name}.", timeout=4)
        await self.action_show_section(SECTIONS[0].SECTION_ID)
        self.current_section.refresh_data()
        self.set_timer(WARM_UP_DELAY, self._warm_up)
