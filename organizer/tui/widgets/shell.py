"""The app as screens and sections see it, for the type checker; and the error boundary.

Textual types `self.app` as any App; ours carries the group, the clock and more. A class
that mixes in `OnShell` (first, before its Textual base) sees `self.app` as the Organizer
app when checked, through Textual's own `getters.app`. At run time the mixin brings
`Guarded` (widgets/boundary.py): the class's `on_*` and `action_*` methods are guarded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from organizer.tui.widgets.boundary import Guarded

if TYPE_CHECKING:  # the app imports every screen: a run-time import would be a cycle
    from textual import getters
    from textual.message_pump import MessagePump

    from organizer.tui.app import OrganizerApp

    _Base = MessagePump
else:
    _Base = object


class OnShell(Guarded, _Base):
    if TYPE_CHECKING:
        app = getters.app(OrganizerApp)
