"""The shell's sections: built when first shown (or warmed up one at a time), shown by their
number keys, and their actions run for the palette."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import ContentSwitcher

from organizer.tui.sections import SECTIONS, SectionEntry, entry
from organizer.tui.shell_state import ShellState
from organizer.tui.widgets.section import Section

WARM_UP_DELAY = 0.3  # seconds after the first screen before the other sections are built


class ShellSections(ShellState):
    """The numbered sections in the shell's ContentSwitcher."""

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


def entry_by_key(key: str) -> SectionEntry:
    return next(section for section in SECTIONS if key == section.KEY)


def section_keys() -> list[Binding]:
    return [Binding(section.KEY, "", f"Go to {section.TITLE}") for section in SECTIONS]
