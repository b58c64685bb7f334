"""Who am I: the member at the keyboard, who writes posts and is recorded in the ledger's
history and attendance corrections.

Several people share one database, so this belongs to each person, not to the database:
it is kept in the person's own settings (organizer.personal), per database and group. Until
someone chooses, it is the member whose email is the group's organizer email, since the
organizer usually runs the app. The command line names the person with `--as EMAIL`.
"""

from __future__ import annotations

from peewee import fn

from organizer import personal
from organizer.errors import ValidationError
from organizer.models import Group, Member
from organizer.services.checks import as_id
from organizer.services.members import find_member


def _key(group: Group) -> str:
    return f"me:{group.id}"


def chosen(group: Group) -> bool:
    """Whether this person has said who they are in this group (the app asks once)."""
    return bool(personal.recall(_key(group)))


def who_am_i(group: Group) -> Member | None:
    """This person's chosen member, else the organizer's member, else None (a group with no
    such member)."""
    remembered = as_id(personal.recall(_key(group)))
    if remembered:
        member = Member.get_or_none((Member.id == remembered) & (Member.group == group))
        if member is not None:
            return member
    email = (group.organizer_email or "").strip().lower()
    if not email:
        return None
    return (
        Member.select()
        .where((Member.group == group) & (fn.LOWER(Member.email) == email))
        .order_by(Member.id)
        .get_or_none()
    )


def set_me(group: Group, member: Member) -> Member:
    """Remember `member` as the one this person is, in this database's `group`."""
    if not isinstance(member, Member) or member.group_id != group.id:
        raise ValidationError.single("me", "choose a member of this group")
    personal.remember(_key(group), str(member.id))
    return member


def acting_as(group: Group, who: str | None) -> Member | None:
    """The member a command acts as: `--as EMAIL_OR_NAME` if given (NotFound if nobody is),
    else this person's chosen member or the organizer's (`who_am_i`)."""
    if who:
        return find_member(group, who)
    return who_am_i(group)
