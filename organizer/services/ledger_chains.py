"""Chains in the ledger: a referral that came out of an earlier one names it as `parent`.

One referral's history is read a referral at a time (a chain is a few long); the recap
climbs a whole month's chains in one query instead (services.recap_referrals).
"""

from __future__ import annotations

from organizer.models import Member, Referral


def ancestors(referral: Referral) -> list[Referral]:
    """The referrals this one came from, the root first and its parent last."""
    chain: list[Referral] = []
    seen = {referral.id}
    parent_id = referral.parent_id
    while parent_id is not None and parent_id not in seen:
        parent = Referral.get_by_id(parent_id)
        chain.append(parent)
        seen.add(parent_id)
        parent_id = parent.parent_id
    chain.reverse()
    return chain


def descendants(referral: Referral) -> list[tuple[int, Referral]]:
    """Every referral that came (directly or not) from this one, as (depth, referral),
    depth-first in the order they were given, so a screen can indent them as a tree."""
    found: list[tuple[int, Referral]] = []
    seen = {referral.id}

    def walk(parent_id: int, depth: int) -> None:
        children = Referral.select().where(Referral.parent == parent_id).order_by(Referral.given_on, Referral.id)
        for child in children:
            if child.id in seen:
                continue
            seen.add(child.id)
            found.append((depth, child))
            walk(child.id, depth + 1)

    walk(referral.id, 1)
    return found


def chain_root(referral: Referral) -> Referral:
    """The first referral of the chain this one belongs to (itself when it has no parent)."""
    earlier = ancestors(referral)
    return earlier[0] if earlier else referral


def root_giver(referral: Referral) -> Member:
    """The member whose referral started the chain."""
    return chain_root(referral).giver
