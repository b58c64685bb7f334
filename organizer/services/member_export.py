"""The roster as plain records for the CSV and vCard exports (which never see the database)."""

from __future__ import annotations

import uuid
from typing import Sequence

from peewee import JOIN

from organizer.models import Group, Member
from organizer.services.members import STATUS_LABELS


def member_records(group: Group, statuses: Sequence[str] | None = None) -> list[dict[str, str]]:
    """Every member (or those in `statuses`) by name, as dicts of text.

    Keys are the import's columns (so an exported file imports back unchanged) plus a
    stable `uid` for vCard. The inviter is named by email when they have one, else by name.
    """
    inviter = Member.alias()
    query = (
        Member.select(Member, inviter)
        .join(inviter, JOIN.LEFT_OUTER, on=(Member.invited_by == inviter.id), attr="inviter")
        .where(Member.group == group)
        .order_by(Member.name, Member.id)
    )
    if statuses:
        query = query.where(Member.status.in_(list(statuses)))
    records = []
    for member in query:
        invited = getattr(member, "inviter", None)
        records.append({
            "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"organizer:group:{group.id}:member:{member.id}")),
            "name": member.name,
            "business": member.business,
            "category": member.category,
            "email": member.email,
            "phone": member.phone,
            "website": member.website,
            "joined": member.joined_on.isoformat() if member.joined_on else "",
            "renewal_due": member.renewal_due.isoformat() if member.renewal_due else "",
            "status": STATUS_LABELS.get(member.status, member.status),
            "invited_by": (invited.email or invited.name) if invited and invited.id else "",
            "good_referral": member.good_referral,
            "bio": member.bio,
            "notes": member.notes,
        })
    return records
