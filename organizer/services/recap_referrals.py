"""The recap's referrals: the month's lines, grouped by giver, the who-referred-whom
matrix, and the chains of referrals that came from an earlier one.

Rows are read raw and the chains climbed by one recursive query (`_chain_root`):
ledger_chains.ancestors reads one referral at a time, which is right for one referral's
history but would be a query per ancestor for a whole month.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from organizer.models import Group, Member, Referral, database
from organizer.recap.model import (
    REFERRAL_LINES_MAX,
    Chain,
    GiverReferrals,
    Matrix,
    ReferralLine,
    one_line,
)
from organizer.rows import as_date, row_tuples
from organizer.services.ledger_reports import matrix
from organizer.text import fold

# A month's referral as the recap lists it, with its parent's, giver's and receiver's ids.
LineRow = tuple[ReferralLine, int | None, int, int]


def referral_lines(group: Group, first: date, last: date) -> list[LineRow]:
    """Every live referral given in the month, oldest first, with its parent's, giver's and
    receiver's ids. Rows are read raw: at 17,000 a month, peewee's row conversion was most
    of the time."""
    giver, receiver = Member.alias(), Member.alias()
    query = (
        Referral.select(
            Referral.id,
            Referral.given_on,
            giver.name,
            receiver.name,
            Referral.prospect_name,
            Referral.temperature,
            Referral.status,
            Referral.parent,
            Referral.giver,
            Referral.receiver,
        )
        .join(giver, on=(Referral.giver == giver.id))
        .switch(Referral)
        .join(receiver, on=(Referral.receiver == receiver.id))
        .where(
            (Referral.group == group)
            & Referral.voided_at.is_null()
            & (Referral.given_on >= first)
            & (Referral.given_on <= last)
        )
        .order_by(Referral.given_on, Referral.id)
    )
    return [
        (
            ReferralLine(rid, as_date(given_on), one_line(g), one_line(r), one_line(prospect), temperature, status),
            parent,
            giver_id,
            receiver_id,
        )
        for rid, given_on, g, r, prospect, temperature, status, parent, giver_id, receiver_id in database.execute(query)
    ]


def by_giver(lines: list[LineRow]) -> tuple[GiverReferrals, ...]:
    """The month's referrals grouped by giver (by name), up to REFERRAL_LINES_MAX lines.

    A month past the cap stops at the end of the last giver who fits, so each giver listed
    is listed whole; only a single giver with more than the cap is cut short.
    """
    groups: dict[str, list[ReferralLine]] = defaultdict(list)
    for line, *_ in lines:
        groups[line.giver].append(line)
    listed: list[GiverReferrals] = []
    room = REFERRAL_LINES_MAX
    for name in sorted(groups, key=lambda n: (fold(n), n)):
        referrals = groups[name]
        if len(referrals) > room:
            if not listed:
                listed.append(GiverReferrals(name, tuple(referrals[:room]), len(referrals)))
            break
        listed.append(GiverReferrals(name, tuple(referrals), len(referrals)))
        room -= len(referrals)
    return tuple(listed)


def month_matrix(group: Group, first: date, last: date) -> Matrix:
    """The month's who-referred-whom matrix (services.ledger_reports, busiest givers and
    receivers first), as plain data indexed by row and column."""
    found = matrix(group, first, last)
    row_of = {member_id: index for index, (member_id, _) in enumerate(found.givers)}
    column_of = {member_id: index for index, (member_id, _) in enumerate(found.receivers)}
    return Matrix(
        givers=tuple(one_line(name) for _, name in found.givers),
        receivers=tuple(one_line(name) for _, name in found.receivers),
        cells={(row_of[g], column_of[r]): n for (g, r), n in found.cells.items()},
        row_totals=tuple(found.row_totals[member_id] for member_id, _ in found.givers),
        column_totals=tuple(found.column_totals[member_id] for member_id, _ in found.receivers),
        total=found.total,
    )


def _names(ids: set[int]) -> dict[int, str]:
    """Member id → name (one line), fetched in chunks that stay under SQLite's variable limit."""
    names: dict[int, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 5000):
        chunk = ordered[start : start + 5000]
        names.update(
            (mid, one_line(name))
            for mid, name in row_tuples(Member.select(Member.id, Member.name).where(Member.id.in_(chunk)))
        )
    return names


def _chain_root(group: Group, first: date, last: date) -> dict[int, tuple[int, int, int | None]]:
    """Every ancestor of the month's referrals: id → (giver, receiver, parent), in one query.

    A recursive CTE climbs from the month's parents to each root (UNION, not UNION ALL,
    so even a cycle in bad data ends).
    """
    month_parents = Referral.select(Referral.parent).where(
        (Referral.group == group)
        & Referral.voided_at.is_null()
        & Referral.parent.is_null(False)
        & (Referral.given_on >= first)
        & (Referral.given_on <= last)
    )
    base = (
        Referral.select(Referral.id, Referral.giver, Referral.receiver, Referral.parent)
        .where(Referral.id.in_(month_parents))
        .cte("ancestors", recursive=True, columns=("id", "giver_id", "receiver_id", "parent_id"))
    )
    earlier = Referral.alias()
    climb = earlier.select(earlier.id, earlier.giver, earlier.receiver, earlier.parent).join(
        base, on=(earlier.id == base.c.parent_id)
    )
    ancestors = base.union(climb)
    query = row_tuples(
        ancestors.select_from(ancestors.c.id, ancestors.c.giver_id, ancestors.c.receiver_id, ancestors.c.parent_id)
    )
    return {rid: (giver_id, receiver_id, parent) for rid, giver_id, receiver_id, parent in query}


def referral_chains(group: Group, first: date, last: date, lines: list[LineRow]) -> tuple[Chain, ...]:
    """Each referral of the month that has a parent, as the people from the root giver on."""
    if not any(parent is not None for _, parent, *_ in lines):
        return ()
    known = _chain_root(group, first, last)
    names = _names({member for giver_id, receiver_id, _ in known.values() for member in (giver_id, receiver_id)})
    chains = []
    for line, parent, *_ in lines:
        if parent is None:
            continue
        path, seen = [], {line.id}
        while parent is not None and parent in known and parent not in seen:  # a cycle stops
            seen.add(parent)
            giver_id, receiver_id, parent_next = known[parent]
            path.append((giver_id, receiver_id))
            parent = parent_next
        path.reverse()
        people = [names[path[0][0]]] + [names[receiver] for _, receiver in path] if path else []
        if not people or people[-1] != line.giver:
            people.append(line.giver)  # a parent received by someone else than this giver
        chains.append(Chain(tuple(people) + (line.receiver,), line.prospect, line.given_on))
    return tuple(chains)
