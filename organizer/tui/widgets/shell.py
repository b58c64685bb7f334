"""The app as screens and sections see it, for the type checker.

Textual types `self.app` as any App; ours carries the group, the clock and more. A class
that mixes in `OnShell` (first, before its Textual base) sees `self.app` as the Organizer
app when checked, through Textual's own `getters.app`; at run time the mixin adds nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the app imports every screen: a run-time import would be a cycle
    from textual import getters
    from textual.message_pump import MessagePump

    from organizer.tui.app import OrganizerApp

    _Base = MessagePump
else:
    _Base = object


class OnShell(_Base):
    if TYPE_CHECKING:
        app = getters.app(OrganizerApp)
