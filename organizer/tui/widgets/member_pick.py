"""Naming a member in a form: completion from the roster, and what a typed name resolves to.

Shared by every form with a member field (the ledger's, the agenda's, a visitor's inviter).
"""

from __future__ import annotations

from textual.suggester import SuggestFromList

from organizer.services import resolve
from organizer.services.members import MemberFilter, search_members
from organizer.services.records import Group, Member

PICKABLE = resolve.PICKABLE


def member_suggester(group: Group) -> SuggestFromList:
    names = [m.name for m in search_members(group, MemberFilter(statuses=PICKABLE), limit=2000)]
    return SuggestFromList(names, case_sensitive=False)


def resolve_member(group: Group, text: str, *, statuses=PICKABLE) -> tuple[Member | None, str]:
    """The member a person typed (a name, part of one, or an email): (member, "") or (None, why).

    The one resolver every entry point uses (services.resolve): several matches are named,
    a typo gets "did you mean …?".
    """
    found = resolve.resolve_member(group, text, statuses=tuple(statuses) or resolve.EVERYONE)
    return found.member, found.problem
