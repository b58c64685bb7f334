"""Membership renewals: who is due (or overdue), renewing one, and the month's figures.

A member's `renewal_due` is the date their membership runs to. Renewing moves it one
year on (from the current due date, so a member who renews early loses nothing; from
today when none was set) and writes a `renewed` event into the member's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import ModelSelect

from organizer.errors import ValidationError
from organizer.models import Group, Member, MemberEvent, database
from organizer.services.groups import local_today

RENEWING = ("active", "on_leave")  # who renews: alumni and visitors do not
WINDOWS = (30, 60, 90)  # the renewals view's groups, in days ahead
DEFAULT_WITHIN = 30
MAX_WITHIN = 3660


def _due(group: Group, today: date, within: int) -> ModelSelect[Member]:
    """Active and on-leave members whose renewal is overdue or due within `within` days."""
    if not isinstance(within, int) or not 0 <= within <= MAX_WITHIN:
        raise ValidationError.single("within", f"the number of days is a whole number from 0 to {MAX_WITHIN}")
    return Member.select().where(
        (Member.group == group)
        & Member.status.in_(RENEWING)
        & Member.renewal_due.is_null(False)
        & (Member.renewal_due <= today + timedelta(days=within))
    )


def renewals_due(group: Group, today: date, within: int = DEFAULT_WITHIN) -> list[Member]:
    """Those members (see `_due`), soonest first (then by name)."""
    return list(_due(group, today, within).order_by(Member.renewal_due, Member.name, Member.id))


@dataclass(frozen=True)
class RenewalGroup:
    label: str  # "overdue", "within 30 days"…
    members: tuple[Member, ...]


def renewal_groups(group: Group, today: date) -> list[RenewalGroup]:
    """The renewals view: overdue, then due within 30, 60 and 90 days (each member once)."""
    due = renewals_due(group, today, WINDOWS[-1])
    # Every one has a renewal date (`_due`); the checks say so to the type checker.
    groups = [RenewalGroup("overdue", tuple(m for m in due if m.renewal_due is not None and m.renewal_due < today))]
    low = today
    for days in WINDOWS:
        high = today + timedelta(days=days)
        groups.append(
            RenewalGroup(
                f"due within {days} days",
                tuple(m for m in due if m.renewal_due is not None and low <= m.renewal_due <= high),
            )
        )
        low = high + timedelta(days=1)
    return groups


def due_soon_count(group: Group, today: date, within: int = DEFAULT_WITHIN) -> int:
    """How many renewals are overdue or due within `within` days (the dashboard's line)."""
    return _due(group, today, within).count()


def one_year_on(day: date) -> date:
    """The same day next year (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def renew(member: Member, *, now: datetime, until: date | None = None) -> Member:
    """Renew a membership: a new due date (one year on by default), recorded in its history."""
    today = local_today(member.group, now)
    old = member.renewal_due
    new = until or one_year_on(old or today)
    if old is not None and new <= old:
        raise ValidationError.single("renewal_due", f"the new due date is after {old.isoformat()}")
    with database.atomic():
        member.renewal_due = new
        member.updated_at = now
        member.save()
        was = f" (was {old.isoformat()})" if old else ""
        MemberEvent.create(
            member=member,
            at=now,
            action="renewed",
            detail=f"renewal due {new.isoformat()}{was}",
        )
    return member


def member_history(member: Member) -> list[MemberEvent]:
    """The member's events, oldest first."""
    return list(MemberEvent.select().where(MemberEvent.member == member).order_by(MemberEvent.at, MemberEvent.id))


@dataclass(frozen=True)
class MonthRenewals:
    outstanding: int  # renewals falling due in the month and not renewed yet
    renewed: int  # renewals recorded in the month


def month_renewals(group: Group, first: date, last: date, start: datetime, end: datetime) -> MonthRenewals:
    """The recap's line: renewals still due in [first, last], renewals recorded in [start, end)."""
    outstanding = (
        Member.select()
        .where(
            (Member.group == group)
            & Member.status.in_(RENEWING)
            & (Member.renewal_due >= first)
            & (Member.renewal_due <= last)
        )
        .count()
    )
    renewed = (
        MemberEvent.select()
        .join(Member)
        .where(
            (Member.group == group)
            & (MemberEvent.action == "renewed")
            & (MemberEvent.at >= start)
            & (MemberEvent.at < end)
        )
        .count()
    )
    return MonthRenewals(outstanding, renewed)
