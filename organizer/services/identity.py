"""Who am I: the member using the app on this database, who writes posts and records changes.

Chosen once per database and group (the Setting "me"); until someone chooses, it is the
member whose email is the group's organizer email, since the organizer usually runs the app.
"""

from __future__ import annotations

from peewee import fn

from organizer.models import Group, Member
from organizer.services.checks import as_id
from organizer.services.errors import ValidationError
from organizer.services.groups import get_setting, set_setting

SETTING_KEY = "me"


def who_am_i(group: Group) -> Member | None:
    """The chosen member, else the organizer's member, else None (a group with no such member)."""
    chosen = get_setting(group, SETTING_KEY)
    if as_id(chosen):
        member = Member.get_or_none((Member.id == as_id(chosen)) & (Member.group == group))
        if member is not None:
            return member
    email = (group.organizer_email or "").strip().lower()
    if not email:
        return None
    return (
        Member.select()
        .where((Member.group == group) & (fn.LOWER(Member.email) == email))
        .order_by(Member.id)
        .first()
    )


def set_me(group: Group, member: Member) -> Member:
    """Remember `member` as the one using the app on this database."""
    if not isinstance(member, Member) or member.group_id != group.id:
        raise ValidationError.single("me", "choose a member of this group")
    set_setting(group, SETTING_KEY, str(member.id))
    return member
