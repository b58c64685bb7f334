"""Suggested one-to-one pairings for a month: an optimal matching, not a greedy one.

Goals, in strict order (each weighs more than everything below it can add up to):
1. as many pairs who have never met as possible;
2. no pair that met in the `avoid_months` months before the month, when avoidable;
3. pairs who have not met for longest;
4. pairs whose categories often refer business to each other in the ledger.
Each pair's weight encodes that order as one integer and networkx's max_weight_matching
(exact on integers) finds the best matching. A complete graph of 1,000 members is half a
million edges, too many for the blossom algorithm in Python, so the graph offered to it
keeps each member's `k` best partners; the answer is accepted only when the never-met
count is provably the best (every pair never met, or every never-met pair was offered),
else `k` doubles, up to the whole graph. Node and edge order are fixed (names, ids), so the
same data gives the same pairs.

An odd count leaves one member out, named plainly; with `trio=True` they join the pair
that suits them best, as a second row sharing a member.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import networkx as nx
from peewee import fn

from organizer.models import Group, Member, Referral, database
from organizer.services.one_to_ones import month_bounds
from organizer.services.relationships import History, Person, history, months_before

MAX_AGE = 3650  # days: a pair unmet for ten years or never met weighs the same on goal 3
MAX_AFFINITY = 999
FIRST_K = 2
BLOCK = 16  # members per block when a large group is matched block by block

Weight = Callable[[int, int], int]  # how good pairing member i with member j is


@dataclass(frozen=True)
class Pair:
    a: Person
    b: Person
    last_met: date | None
    recent: bool  # met within the months to avoid

    @property
    def never_met(self) -> bool:
        return self.last_met is None


@dataclass
class Suggestion:
    month: str
    avoid_months: int
    pairs: list[Pair] = field(default_factory=list)
    left_out: Person | None = None  # odd count, no trio
    trio_with: Person | None = None  # odd count, trio: the member added to a pair

    @property
    def never_met(self) -> int:
        return sum(1 for pair in self.pairs if pair.never_met)

    def notice(self) -> str:
        """What an odd count did, in one plain line (empty when the count was even)."""
        if self.left_out is not None:
            return (
                f"odd number of active members: {self.left_out.name} has no partner this month "
                "(use --trio to add them to a pair)"
            )
        if self.trio_with is not None:
            return f"odd number of active members: {self.trio_with.name} joins a pair as a trio (two rows)"
        return ""


def category_affinity(group: Group) -> dict[tuple[str, str], int]:
    """Referrals (not voided) between two categories, either way round, keyed by sorted pair."""
    giver, receiver = Member.alias("giver"), Member.alias("receiver")
    query = (
        Referral.select(giver.category, receiver.category, fn.COUNT(Referral.id))
        .join_from(Referral, giver, on=(Referral.giver == giver.id))
        .join_from(Referral, receiver, on=(Referral.receiver == receiver.id))
        .where((Referral.group == group) & Referral.voided_at.is_null())
        .group_by(giver.category, receiver.category)
    )
    counts: dict[tuple[str, str], int] = {}
    for a, b, count in database.execute(query):
        if a and b:
            key = (a, b) if a <= b else (b, a)
            counts[key] = counts.get(key, 0) + count
    return counts


def suggest(
    group: Group,
    month: str,
    *,
    now: datetime,
    avoid_months: int = 6,
    trio: bool = False,
    data: History | None = None,
) -> Suggestion:
    """This month's suggested pairs of active members (see the module's docstring)."""
    first, _ = month_bounds(month)
    data = data or history(group, now=now)
    affinity = category_affinity(group)
    people = data.people
    count = len(people)
    suggestion = Suggestion(month, avoid_months)
    if count < 2:
        if people:
            suggestion.left_out = people[0]
        return suggestion
    avoid_from = months_before(first, avoid_months)
    slots = count // 2
    step1 = (MAX_AFFINITY + 1) * (slots + 1)
    step2 = step1 * (MAX_AGE + 1) * (slots + 1)
    step3 = step2 * 2 * (slots + 1)

    def weight(i: int, j: int) -> int:
        a, b = people[i], people[j]
        meetings = data.met(a.id, b.id)
        key = (a.category, b.category) if a.category <= b.category else (b.category, a.category)
        near = min(affinity.get(key, 0), MAX_AFFINITY)
        if meetings is None:
            return step3 + step2 + step1 * MAX_AGE + near
        age = min(max((first - meetings.last).days, 0), MAX_AGE)
        return (step2 if meetings.last < avoid_from else 0) + step1 * age + near

    met_with: list[set[int]] = [set() for _ in people]
    index = {person.id: i for i, person in enumerate(people)}
    for a, b in data.pairs:
        if a in index and b in index:
            met_with[index[a]].add(index[b])
            met_with[index[b]].add(index[a])
    most_never = max(count - 1 - len(met) for met in met_with)
    k = FIRST_K
    matched = _by_blocks(count, weight) if count > 2 * BLOCK else []
    if matched:
        _complete(matched, count, weight)
        if sum(1 for i, j in matched if j not in met_with[i]) < slots:
            matched = []  # not provably the best: match the whole group
    while not matched:
        matched = _match(_candidates(people, met_with, affinity, k, weight), weight)
        _complete(matched, count, weight)
        never = sum(1 for i, j in matched if j not in met_with[i])
        if never == slots or k >= most_never or k >= count - 1:
            break
        matched = []
        k *= 2
    loose = sorted(set(range(count)) - {i for pair in matched for i in pair})
    rows = [tuple(sorted(pair)) for pair in matched]
    if loose and trio:
        z = loose[0]
        # The pair member who suits the one left over best (then the first such pair).
        best = max((weight(z, i), -n, i) for n, pair in enumerate(rows) for i in pair)
        rows.append((min(best[2], z), max(best[2], z)))
        suggestion.trio_with = people[z]
    elif loose:
        suggestion.left_out = people[loose[0]]
    for i, j in sorted(rows):
        meetings = data.met(people[i].id, people[j].id)
        last = meetings.last if meetings else None
        suggestion.pairs.append(Pair(people[i], people[j], last, last is not None and last >= avoid_from))
    return suggestion


def _candidates(
    people: list[Person], met_with: list[set[int]], affinity: dict[tuple[str, str], int], k: int, weight: Weight
) -> set[tuple[int, int]]:
    """About `k` good partners per member, as edges (i < j): never-met members from the
    categories theirs refers with most (half of them), then never-met members along a fixed
    shuffled ring of the group, so that partners spread over everyone (a sparse graph whose
    edges all lead to a few popular members has no large matching); met members by weight
    only when too few are left."""
    count = len(people)
    if k >= count - 1:
        return {(i, j) for i in range(count) for j in range(i + 1, count)}
    by_category: dict[str, list[int]] = {}
    for i, person in enumerate(people):
        by_category.setdefault(person.category, []).append(i)
    near: dict[str, list[tuple[int, str]]] = {}
    for (x, y), n in affinity.items():
        near.setdefault(x, []).append((-n, y))
        if x != y:
            near.setdefault(y, []).append((-n, x))
    ring = _ring(count)
    place = {node: position for position, node in enumerate(ring)}
    edges: set[tuple[int, int]] = set()
    for i, person in enumerate(people):
        mine = met_with[i]
        chosen: list[int] = []
        for _, category in sorted(near.get(person.category, [])):
            members = by_category.get(category, [])
            start = i % len(members) if members else 0
            for j in members[start:] + members[:start]:
                if len(chosen) >= k // 2:
                    break
                if j != i and j not in mine and j not in chosen:
                    chosen.append(j)
            if len(chosen) >= k // 2:
                break
        wanted = len(chosen) + k
        step = 1
        while len(chosen) < wanted and step < count:
            j = ring[(place[i] + step) % count]
            step += 1
            if j not in mine and j not in chosen:
                chosen.append(j)
        if len(chosen) < k:
            met = sorted(mine, key=lambda j: (-weight(i, j), j))
            chosen.extend(met[: k - len(chosen)])
        edges.update((min(i, j), max(i, j)) for j in chosen)
    return edges


def _ring(count: int) -> list[int]:
    """The group in a fixed shuffled order (seeded: the same group gives the same ring)."""
    ring = list(range(count))
    random.Random(count).shuffle(ring)
    return ring


def _by_blocks(count: int, weight: Weight) -> list[tuple[int, int]]:
    """A large group matched in blocks of BLOCK members along the ring, each block exactly
    (every pair inside it weighed): blossom time grows much faster than the group, blocks
    linearly. Used when it pairs everyone with a never-met partner, which no matching beats."""
    ring = _ring(count)
    matched: list[tuple[int, int]] = []
    for start in range(0, count, BLOCK):
        block = sorted(ring[start : start + BLOCK])
        edges = {(i, j) for n, i in enumerate(block) for j in block[n + 1 :]}
        matched += _match(edges, weight)
    return sorted(matched)


def _match(edges: set[tuple[int, int]], weight: Weight) -> list[tuple[int, int]]:
    graph: nx.Graph[int] = nx.Graph()
    graph.add_weighted_edges_from((i, j, weight(i, j)) for i, j in sorted(edges))
    return sorted((min(pair), max(pair)) for pair in nx.max_weight_matching(graph))


def _complete(matched: list[tuple[int, int]], count: int, weight: Weight) -> None:
    """Pair members the sparse graph left unmatched with each other, best weight first."""
    loose = sorted(set(range(count)) - {i for pair in matched for i in pair})
    while len(loose) >= 2:
        i = loose.pop(0)
        j = max(loose, key=lambda other: (weight(i, other), -other))
        loose.remove(j)
        matched.append((i, j))
