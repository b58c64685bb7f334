"""The app's sections, in the order of their number keys.

Each entry is a Section subclass; a section not built yet is a `not_built(...)` placeholder
that says so plainly. A new section replaces its placeholder here and nowhere else.
"""

from __future__ import annotations

from organizer.tui.sections.base import Section, not_built
from organizer.tui.sections.dashboard import DashboardSection
from organizer.tui.sections.members import MembersSection
from organizer.tui.sections.ledger import LedgerSection
from organizer.tui.sections.recap import RecapSection
from organizer.tui.sections.threads import ThreadsSection

SECTIONS: list[type[Section]] = [
    DashboardSection,
    MembersSection,
    not_built("meetings", "Meetings", "3"),
    ThreadsSection,
    LedgerSection,
    RecapSection,
]
