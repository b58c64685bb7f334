"""Naming a member in a form: completion from the roster, and what a typed name resolves to.

Shared by every form with a member field (the ledger's, the agenda's, a visitor's inviter).
"""

from __future__ import annotations

from textual.suggester import Suggester

from organizer.services import resolve
from organizer.services.members import MemberFilter, search_members
from organizer.services.records import Group, Member
from organizer.text import fold

PICKABLE = resolve.PICKABLE


class MemberSuggester(Suggester):
    """Completes a member's name as stored: "zoe" or "zoë" suggests "Zoë Lefèvre" (case and
    accents aside), and `as_stored` gives the typed beginning the stored name's spelling, so
    the field shows "Zoë Lefèvre", never "zoë Lefèvre"."""

    def __init__(self, names: list[str]):
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = names
        self.folded = [fold(name) for name in names]

    def _match(self, value: str) -> str | None:
        typed = fold(value)
        if not typed:
            return None
        return next(
            (
                name
                for name, key in zip(self.names, self.folded, strict=True)
                if key.startswith(typed) and len(fold(name[: len(value)])) == len(typed)
            ),
            None,
        )

    async def get_suggestion(self, value: str) -> str | None:
        return self._match(value)

    def as_stored(self, value: str) -> str | None:
        """The typed beginning spelled as the matching member's name, if it differs."""
        found = self._match(value)
        if found is None or fold(found[: len(value)]) != fold(value):
            return None
        stored = found[: len(value)]
        return stored if stored != value else None


def member_suggester(group: Group) -> MemberSuggester:
    return MemberSuggester([m.name for m in search_members(group, MemberFilter(statuses=PICKABLE), limit=2000)])


def resolve_member(group: Group, text: str, *, statuses=PICKABLE) -> tuple[Member | None, str]:
    """The member a person typed (a name, part of one, or an email): (member, "") or (None, why).

    The one resolver every entry point uses (services.resolve): several matches are named,
    a typo gets "did you mean …?".
    """
    found = resolve.resolve_member(group, text, statuses=tuple(statuses) or resolve.EVERYONE)
    return found.member, found.problem
