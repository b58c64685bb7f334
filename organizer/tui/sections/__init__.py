"""The app's sections, in the order of their number keys.

Each entry is a Section subclass, which names its own number key (KEY).
"""

from __future__ import annotations

from organizer.tui.sections.base import Section
from organizer.tui.sections.dashboard import DashboardSection
from organizer.tui.sections.members import MembersSection
from organizer.tui.sections.ledger import LedgerSection
from organizer.tui.sections.meetings import MeetingsSection
from organizer.tui.sections.recap import RecapSection
from organizer.tui.sections.threads import ThreadsSection

SECTIONS: list[type[Section]] = [
    DashboardSection,
    MembersSection,
    MeetingsSection,
    ThreadsSection,
    LedgerSection,
    RecapSection,
]
