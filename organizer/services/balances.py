"""Give/get balances, month totals and the follow-up queues, over live (unvoided) referrals.

These are the numbers the dashboard, the member detail, the recap and `organizer balance`
share; each is one aggregate query, so they stay fast at 200,000 referrals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from peewee import SQL, Case, Field, ModelSelect, fn

from organizer.models import Group, Member, Referral, database
from organizer.services.groups import local_today
from organizer.services.money_sum import joined, overflow_safe, split_sum


class Balance(NamedTuple):
    """One member's give/get. A named tuple, not a frozen dataclass: the whole group's
    give/get makes 10,000 of them, and a frozen dataclass costs four times as much each."""

    member_id: int
    name: str
    given: int = 0
    received: int = 0
    value_given: int = 0  # minor units of won business the member passed on
    value_received: int = 0  # minor units of won business the member closed

    @property
    def net(self) -> int:
        return self.given - self.received


def _live(group: Group | None, start: date | None, end: date | None) -> ModelSelect[Referral]:
    """Unvoided referrals given in [start, end], of `group` (None: the caller narrows them)."""
    query = Referral.select().where(Referral.voided_at.is_null())
    if group is not None:
        query = query.where(Referral.group == group)
    if start is not None:
        query = query.where(Referral.given_on >= start)
    if end is not None:
        query = query.where(Referral.given_on <= end)
    return query


def _won_value(split: bool = True) -> tuple:
    """The won value's two halves (money_sum): a total no stored value can overflow."""
    # Only won rows reach the arithmetic (an aggregate FILTER, on SQLite and PostgreSQL).
    return split_sum(Referral.value_minor, "value", where=Referral.status == "won", split=split)


def give_get(
    group: Group,
    start: date | None = None,
    end: date | None = None,
    *,
    member_ids: list[int] | None = None,
    include_idle: bool = True,
) -> list[Balance]:
    """Given / received counts and won values per member for referrals given in [start, end].

    Members with no referrals appear with zeros when `include_idle` (visitors excepted).
    Ordered by referrals given, most first, then name.
    """
    given = _per_member(Referral.giver, group, start, end, member_ids)
    received = _per_member(Referral.receiver, group, start, end, member_ids)
    people = Member.select(Member.id, Member.name, Member.status).where(Member.group == group)
    if member_ids is not None:
        people = people.where(Member.id.in_(member_ids))
    # Raw rows (ids, text): at 10,000 members, building a Member per row, or even peewee's
    # conversion of each tuple, cost more than the query. Sorted as plain tuples (the
    # position keeps the order of equal keys, as a stable sort would), then made Balances.
    ordered = []
    for position, (member_id, name, status) in enumerate(database.execute(people)):
        n_given, value_given = given.get(member_id, _NONE)
        n_received, value_received = received.get(member_id, _NONE)
        if not (n_given or n_received) and (not include_idle or status == "visitor"):
            continue
        ordered.append((-n_given, -value_given, name, position, member_id, n_received, value_received))
    ordered.sort()
    return [
        # _make: the named tuple built straight from a tuple (half the cost of Balance(...))
        Balance._make((member_id, name, -minus_given, n_received, -minus_value, value_received))
        for minus_given, minus_value, name, _, member_id, n_received, value_received in ordered
    ]


_NONE = (0, 0)  # no referrals on that side


def _per_member(
    side: Field, group: Group, start: date | None, end: date | None, member_ids: list[int] | None
) -> dict[int, tuple[int, int]]:
    """{member id: (referrals, won value)} with the member on `side` (giver or receiver).

    For some members, the side's (member, given_on) index finds just their rows; the group
    is left out because their referrals are in their group anyway, and naming it lets
    SQLite pick the group's index and read all 200,000. For all members the query groups
    by the side's column over the group's covering index (group, side, voided, given_on,
    status, value: migration 10), which hands the rows over already grouped: no table
    read, no sort.
    """
    if member_ids is not None:
        query = _live(None, start, end).where(side.in_(member_ids))
    else:
        query = _live(group, start, end)

    def run(split: bool) -> dict[int, tuple[int, int]]:
        rows = query.select(side.alias("member_id"), fn.COUNT(SQL("*")).alias("n"), *_won_value(split))
        # Raw rows: integers that need no conversion (peewee's was half the time at 10,000 members).
        return {member_id: (n, joined(high, low)) for member_id, n, high, low in database.execute(rows.group_by(side))}

    return overflow_safe(run)


def member_balance(member: Member, start: date | None = None, end: date | None = None) -> Balance:
    found = give_get(member.group, start, end, member_ids=[member.id])
    return found[0] if found else Balance(member.id, member.name)


@dataclass(frozen=True)
class Totals:
    referrals: int
    won: int
    won_value: int  # minor units


def totals(group: Group, start: date | None = None, end: date | None = None) -> Totals:
    """Referrals given in [start, end], how many were won, and the won value."""
    query = _live(group, start, end).select(
        fn.COUNT(Referral.id),
        fn.SUM(Case(None, [(Referral.status == "won", 1)], 0)),
        *_won_value(),
    )
    n, won, high, low = database.execute(query).fetchone()  # a raw row: counts, the value's halves
    return Totals(n or 0, won or 0, joined(high, low))


def closed_totals(group: Group, start: date, end: date) -> Totals:
    """Business closed (won) in [start, end], whenever the referral was given."""
    query = Referral.select(fn.COUNT(Referral.id), *split_sum(fn.COALESCE(Referral.value_minor, 0), "value")).where(
        (Referral.group == group)
        & Referral.voided_at.is_null()
        & (Referral.status == "won")
        & (Referral.closed_on >= start)
        & (Referral.closed_on <= end)
    )
    n, high, low = database.execute(query).fetchone()  # a raw row: (count, the value's halves)
    return Totals(n or 0, n or 0, joined(high, low))


def month_bounds(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def open_too_long(group: Group, now: datetime, days: int | None = None, *, limit: int | None = None) -> list[Referral]:
    """Open or contacted referrals given more than `days` (the group's setting) ago, oldest first."""
    days = group.followup_days if days is None else days
    cutoff = local_today(group, now) - timedelta(days=days)
    query = (
        _live(group, None, None)
        .where(Referral.status.in_(("open", "contacted")) & (Referral.given_on < cutoff))
        .order_by(Referral.given_on, Referral.id)
    )
    return list(query.limit(limit)) if limit else list(query)


def thanks_owed(group: Group, *, limit: int | None = None) -> list[Referral]:
    """Won referrals whose receiver has not recorded a thank-you yet, oldest first."""
    query = (
        _live(group, None, None)
        .where((Referral.status == "won") & Referral.thanked_on.is_null())
        .order_by(Referral.closed_on, Referral.id)
    )
    return list(query.limit(limit)) if limit else list(query)
