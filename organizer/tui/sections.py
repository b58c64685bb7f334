"""The app's sections, in the order of their number keys, each loaded when first needed.

An entry names a section (id, title, number key) and where its class lives; the class is
imported, and the section built, when it is first shown (or soon after the first screen
is painted), so the app starts with the dashboard alone. A test checks that each entry
agrees with its class.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from organizer.tui.widgets.section import Section


@dataclass(frozen=True)
class SectionEntry:
    SECTION_ID: str
    TITLE: str
    KEY: str
    module: str
    class_name: str

    def load(self) -> type[Section]:
        return getattr(import_module(self.module), self.class_name)


SECTIONS: list[SectionEntry] = [
    SectionEntry("dashboard", "Dashboard", "1", "organizer.tui.dashboard.section", "DashboardSection"),
    SectionEntry("members", "Members", "2", "organizer.tui.members.section", "MembersSection"),
    SectionEntry("meetings", "Meetings", "3", "organizer.tui.meetings.section", "MeetingsSection"),
    SectionEntry("threads", "Threads", "4", "organizer.tui.threads.section", "ThreadsSection"),
    SectionEntry("ledger", "Ledger", "5", "organizer.tui.ledger.section", "LedgerSection"),
    SectionEntry("recap", "Recap", "6", "organizer.tui.recap.section", "RecapSection"),
]


def entry(section_id: str) -> SectionEntry:
    return next(item for item in SECTIONS if section_id == item.SECTION_ID)
