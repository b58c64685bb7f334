"""Who has met whom one-to-one: each active member's gaps and the group's coverage.

Only held one-to-ones count (a planned one is a promise, not a meeting). "Active" is the
status active: members on leave, alumni and visitors are left out of the gaps, though
their history stays in the table. "In the last 12 months" means after the same day a
year before today. Everything here reads one grouped query of the one-to-one table and
the active members, then counts in Python: ~ms at 60 members, well under a second at 1,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from peewee import fn

from organizer.models import Group, Member, OneToOne, database
from organizer.rows import as_date
from organizer.services.groups import local_today
from organizer.text import fold


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    category: str
    business: str
    email: str
    phone: str
    good_referral: str


class Meetings(NamedTuple):
    """A pair's held one-to-ones: the first and the last day they met (a tuple: thousands are made)."""

    first: date
    last: date


@dataclass
class History:
    """The active members (in name order) and every pair's first and last one-to-one."""

    today: date
    people: list[Person]
    pairs: dict[tuple[int, int], Meetings]  # (smaller id, larger id)

    def met(self, a: int, b: int) -> Meetings | None:
        return self.pairs.get((a, b) if a < b else (b, a))


@dataclass(frozen=True)
class Gap:
    member_id: int
    name: str
    met: int  # other active members met at least once, ever
    not_met: int  # other active members never met
    not_met_12m: int  # other active members not met in the last 12 months (never met included)


@dataclass(frozen=True)
class Coverage:
    """Pairs of active members who have met, out of all pairs, today and a year ago."""

    pairs: int
    met: int
    met_year_ago: int

    @property
    def percent(self) -> float:
        return 100 * self.met / self.pairs if self.pairs else 0.0

    @property
    def percent_year_ago(self) -> float:
        return 100 * self.met_year_ago / self.pairs if self.pairs else 0.0


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier, clamped to the end of a shorter month."""
    from calendar import monthrange

    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def active_people(group: Group) -> list[Person]:
    query = Member.select(
        Member.id,
        Member.name,
        Member.category,
        Member.business,
        Member.email,
        Member.phone,
        Member.good_referral,
    ).where((Member.group == group) & (Member.status == "active"))
    people = [Person(*row) for row in database.execute(query)]
    people.sort(key=lambda person: (fold(person.name), person.name, person.id))
    return people


def history(group: Group, *, now: datetime) -> History:
    """The active members and each pair's held one-to-ones up to today (one grouped query)."""
    today = local_today(group, now)
    people = active_people(group)
    query = (
        OneToOne.select(
            OneToOne.member_a,
            OneToOne.member_b,
            fn.MIN(OneToOne.met_on),
            fn.MAX(OneToOne.met_on),
        )
        .where((OneToOne.group == group) & (OneToOne.planned == False) & (OneToOne.met_on <= today))
        .group_by(OneToOne.member_a, OneToOne.member_b)
    )
    pairs: dict[tuple[int, int], Meetings] = {}
    days: dict[object, date] = {}  # a few thousand distinct days among tens of thousands of rows
    for a, b, first, last in database.execute(query):
        key = (a, b) if a < b else (b, a)
        first = days.get(first) or days.setdefault(first, as_date(first))
        last = days.get(last) or days.setdefault(last, as_date(last))
        seen = pairs.get(key)
        if seen is not None:  # the same pair recorded the other way round
            first, last = min(first, seen.first), max(last, seen.last)
        pairs[key] = Meetings(first, last)
    return History(today, people, pairs)


def _met_by_member(data: History) -> dict[int, dict[int, Meetings]]:
    """For each active member, the active members they have met and when."""
    active = {person.id for person in data.people}
    met: dict[int, dict[int, Meetings]] = {person_id: {} for person_id in active}
    for (a, b), meetings in data.pairs.items():
        if a in active and b in active:
            met[a][b] = meetings
            met[b][a] = meetings
    return met


def gaps(group: Group, *, now: datetime, data: History | None = None) -> list[Gap]:
    """One row per active member, in name order (see `Gap`)."""
    data = data or history(group, now=now)
    since = year_before(data.today)
    others = len(data.people) - 1
    met = _met_by_member(data)
    rows = []
    for person in data.people:
        mine = met[person.id]
        recent = sum(1 for meetings in mine.values() if meetings.last > since)
        rows.append(Gap(person.id, person.name, len(mine), others - len(mine), others - recent))
    return rows


def never_met(group: Group, member: Member, *, now: datetime) -> list[str]:
    """Names of the active members `member` has never met one-to-one, sorted by name."""
    data = history(group, now=now)
    return [person.name for person in data.people if person.id != member.id and data.met(person.id, member.id) is None]


@dataclass(frozen=True)
class MemberGaps:
    never_met: list[str]
    not_met_12m: list[str]  # met before, but not in the last 12 months
    active: bool


def member_gaps(group: Group, member: Member, *, now: datetime) -> MemberGaps:
    """For a member's page: whom they have never met, and whom not for a year."""
    data = history(group, now=now)
    since = year_before(data.today)
    never, stale = [], []
    for person in data.people:
        if person.id == member.id:
            continue
        meetings = data.met(person.id, member.id)
        if meetings is None:
            never.append(person.name)
        elif meetings.last <= since:
            stale.append(person.name)
    return MemberGaps(never, stale, member.status == "active")


def coverage(group: Group, *, now: datetime, data: History | None = None) -> Coverage:
    """Pairs of (today's) active members who have met, now and as things stood a year ago."""
    data = data or history(group, now=now)
    since = year_before(data.today)
    count = len(data.people)
    met = _met_by_member(data)
    now_met = sum(len(others) for others in met.values()) // 2
    year_ago = sum(1 for others in met.values() for meetings in others.values() if meetings.first <= since) // 2
    return Coverage(count * (count - 1) // 2, now_met, year_ago)


def month_one_to_ones(group: Group, first: date, last: date) -> int:
    """Held one-to-ones dated in [first, last] (for the recap)."""
    return (
        OneToOne.select()
        .where((OneToOne.group == group) & (OneToOne.planned == False) & OneToOne.met_on.between(first, last))
        .count()
    )


def recap_figures(group: Group, first: date, last: date, *, now: datetime) -> tuple[int, float, float]:
    """For the recap: held one-to-ones in [first, last], and the share of pairs of active
    members who have met (percent), as of today and a year before."""
    cover = coverage(group, now=now)
    return month_one_to_ones(group, first, last), cover.percent, cover.percent_year_ago


@dataclass(frozen=True)
class Cell:
    """One square of the who-met-whom matrix: months since the pair last met (None: never)."""

    months: int | None


def matrix(group: Group, *, now: datetime, limit: int = 40) -> tuple[list[Person], list[list[Cell]]]:
    """The first `limit` active members (name order) and, for each pair, months since they met."""
    data = history(group, now=now)
    people = data.people[:limit]
    rows = []
    for a in people:
        row = []
        for b in people:
            meetings = None if a.id == b.id else data.met(a.id, b.id)
            row.append(Cell(None if meetings is None else _months(meetings.last, data.today)))
        rows.append(row)
    return people, rows


def _months(then: date, today: date) -> int:
    return max(
        0,
        (today.year - then.year) * 12 + today.month - then.month - (today.day < then.day),
    )
