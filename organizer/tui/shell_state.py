"""The app's state, as every part of the shell sees it, and its error boundary.

The shell (tui/app.py) is built in layers, one module each: this state, the sections
(shell_sections), the groups (shell_groups), keeping what is typed (shell_work), then the
app itself with its layout, help and palette. The state holds the clock, the open group
(`open_group`, the one typed way for screens to get it) and how to notify; and the doors
through which a person's actions pass, each guarded (see widgets/boundary.py): every key
binding (`run_action`), every screen's answer to its caller (`push_screen`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, overload

from textual.actions import ActionParseResult
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen, ScreenResultCallbackType, ScreenResultType
from textual.widget import AwaitMount

from organizer.clock import Clock, system_now
from organizer.services.records import Group
from organizer.tui.widgets.boundary import Guarded, guarded_call, report

if TYPE_CHECKING:  # imported when the app watches for changes (not in headless tests)
    from organizer.services.changes import ChangeWatch

LIVE_INTERVAL = 2.0  # seconds between looks for other people's changes


class NoGroupOpen(RuntimeError):
    """A screen asked for the open group before one was created or loaded (a bug)."""


class ShellState(Guarded, App):
    """What the app holds, and its guarded doors."""

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

    # -- the error boundary's doors (widgets/boundary.py) -----------------------------------

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every key binding comes here (and the palette's keys of a page): an error in its
        action is told in one line, and the app goes on."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            report(self, error)
            return True

    @overload
    def push_screen(
        self,
        screen: Screen[ScreenResultType] | str,
        callback: ScreenResultCallbackType[ScreenResultType] | None = None,
        wait_for_dismiss: Literal[False] = False,
        *,
        mode: str | None = None,
    ) -> AwaitMount: ...

    @overload
    def push_screen(
        self,
        screen: Screen[ScreenResultType] | str,
        callback: ScreenResultCallbackType[ScreenResultType] | None = None,
        wait_for_dismiss: Literal[True] = True,
        *,
        mode: str | None = None,
    ) -> asyncio.Future[ScreenResultType]: ...

    def push_screen(
        self,
        screen: Screen[ScreenResultType] | str,
        callback: ScreenResultCallbackType[ScreenResultType] | None = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> AwaitMount | asyncio.Future[ScreenResultType]:
        """A screen's answer runs its caller's callback: guarded the same way."""
        if callback is not None:
            callback = guarded_call(self, callback)
        if wait_for_dismiss:
            return super().push_screen(screen, callback, True, mode=mode)
        return super().push_screen(screen, callback, False, mode=mode)
