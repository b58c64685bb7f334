"""Counts of what a database holds, for `organizer stats` and checks."""

from __future__ import annotations

from typing import TypeVar

from peewee import ModelSelect

from organizer.models import PROSPECT_STATUSES, BaseModel, Group, Meeting, Member, OneToOne, Post, Referral, Thread

M = TypeVar("M", bound=BaseModel)

STAT_NAMES = (
    "groups",
    "members",
    "visitors",
    "meetings",
    "referrals",
    "threads",
    "posts",
    "one_to_ones",
)


def stats(group: Group | None = None) -> dict[str, int]:
    """Counts for one group, or for the whole database when `group` is None.

    `members` counts everyone on the roster who is not a visitor (alumni included);
    `visitors` counts the visitors.
    """

    def scoped(query: ModelSelect[M], model: type[Member | Meeting | Referral | Thread | OneToOne]) -> ModelSelect[M]:
        return query.where(model.group == group) if group is not None else query

    members = scoped(Member.select(), Member)
    return {
        "groups": 1 if group is not None else Group.select().count(),
        "members": members.where(Member.status.not_in(PROSPECT_STATUSES)).count(),
        "visitors": scoped(Member.select(), Member).where(Member.status == "visitor").count(),
        "meetings": scoped(Meeting.select(), Meeting).count(),
        "referrals": scoped(Referral.select(), Referral).count(),
        "threads": scoped(Thread.select(), Thread).count(),
        "posts": scoped(Post.select().join(Thread), Thread).count(),
        "one_to_ones": scoped(OneToOne.select(), OneToOne).count(),
    }
