"""One-to-ones: two members meeting to learn each other's business.

A held one-to-one is refused with its reason when it pairs a member with themselves, names
a member of another group, is dated after today (the group's today), or repeats the same
pair on the same day. A planned one (an accepted pairing suggestion) may lie ahead.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime

from peewee import Expression, fn

from organizer.errors import ValidationError
from organizer.models import ONE_TO_ONE_MODES, Group, Member, OneToOne, database
from organizer.rows import row_tuples
from organizer.services.checks import parse_date
from organizer.services.groups import local_today
from organizer.text import one_line, tidy

# What people type for `where` → the stored mode; empty means in person.
WHERE_WORDS = {
    "": "in_person",
    "in-person": "in_person",
    "in_person": "in_person",
    "in person": "in_person",
    "video": "video",
    "phone": "phone",
}
WHERE_HINT = "where is in-person, video or phone"


def mode_of(text: str) -> str | None:
    """The stored mode for a typed `where` (in-person, video, phone; empty = in person), else None."""
    return WHERE_WORDS.get(tidy(text).lower())


def where_text(mode: str) -> str:
    """The mode as the command line writes it: in-person, video, phone."""
    return mode.replace("_", "-")


def find_member(group: Group, text: str) -> tuple[Member | None, str | None]:
    """A member of any status by email (any case) or exact name: (member, None) or (None, why not).

    The one place one-to-ones look members up, so the shared resolver can take its place.
    """
    who = tidy(text)
    if not who:
        return None, "empty: give the member's email or exact name"
    if "@" in who:
        found = list(Member.select().where((Member.group == group) & (fn.LOWER(Member.email) == who.lower())).limit(2))
        return (found[0], None) if len(found) == 1 else (None, f"no member with the email “{who}”")
    found = list(Member.select().where((Member.group == group) & (Member.name == who)).limit(3))
    if len(found) == 1:
        return found[0], None
    if found:
        return None, f"{len(found)} members are called “{who}”: use their email"
    return None, f"no member with the email or name “{who}”"


def one_to_one_problems(
    group: Group,
    member_a: Member | None,
    member_b: Member | None,
    day: date | None,
    *,
    planned: bool = False,
    today: date,
) -> dict[str, str]:
    """The reasons a one-to-one cannot be recorded (empty when it can); reads the database."""
    errors: dict[str, str] = {}
    if day is None:
        errors["met_on"] = "the date is required (YYYY-MM-DD)"
    elif day > today and not planned:
        errors["met_on"] = f"{day.isoformat()} is in the future: record a one-to-one once it has happened"
    if member_a is None or member_b is None:
        return errors
    if member_a.id == member_b.id:
        errors["member_b"] = "a one-to-one takes two different members"
    elif member_a.group_id != group.id or member_b.group_id != group.id:
        errors["member_b"] = "both members belong to this group"
    elif day is not None and same_day(member_a.id, member_b.id, day):
        errors["met_on"] = f"{member_a.name} and {member_b.name} already have a one-to-one on {day.isoformat()}"
    return errors


def _pair(a: int, b: int) -> Expression:
    return ((OneToOne.member_a == a) & (OneToOne.member_b == b)) | ((OneToOne.member_a == b) & (OneToOne.member_b == a))


def same_day(a: int, b: int, day: date) -> bool:
    """Whether the pair already has a held one-to-one on `day` (a plan does not count)."""
    return (
        OneToOne.select(OneToOne.id)
        .where(_pair(a, b) & (OneToOne.met_on == day) & (OneToOne.planned == False))
        .exists()
    )


def record_one_to_one(
    group: Group,
    *,
    member_a: Member,
    member_b: Member,
    met_on: date | str | None,
    mode: str = "in_person",
    notes: str = "",
    now: datetime,
    planned: bool = False,
) -> OneToOne:
    errors: dict[str, str] = {}
    day = parse_date(met_on, "met_on", errors)
    stored = mode_of(mode)
    if stored is None or stored not in ONE_TO_ONE_MODES:
        errors["mode"] = WHERE_HINT
    if "met_on" not in errors:
        errors.update(
            one_to_one_problems(group, member_a, member_b, day, planned=planned, today=local_today(group, now))
        )
    if errors or day is None or stored is None:  # a missing date or mode is in `errors`
        raise ValidationError(errors)
    with database.atomic():
        if not planned:
            # The pairing planned for that month took place: the plan becomes the meeting.
            first = day.replace(day=1)
            plan = OneToOne.get_or_none(
                _pair(member_a.id, member_b.id)
                & (OneToOne.planned == True)
                & OneToOne.met_on.between(first, first.replace(day=monthrange(first.year, first.month)[1]))
            )
            if plan is not None:
                plan.met_on, plan.mode, plan.planned = day, stored, False
                plan.notes = one_line(tidy(notes)) or plan.notes
                plan.save()
                return plan
        return OneToOne.create(
            group=group,
            member_a=member_a,
            member_b=member_b,
            met_on=day,
            mode=stored,
            notes=one_line(tidy(notes)),
            created_at=now,
            planned=planned,
        )


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a `YYYY-MM` month; a ValidationError otherwise."""
    text = tidy(month)
    try:
        year, number = (int(part) for part in text.split("-"))
        if len(text) != 7 or not 1 <= number <= 12:
            raise ValueError
    except ValueError:
        raise ValidationError.single("month", f"“{text}” is not a month: use YYYY-MM") from None
    return date(year, number, 1), date(year, number, monthrange(year, number)[1])


def plan_pairs(group: Group, pairs: list[tuple[int, int]], month: str, *, now: datetime) -> int:
    """Record an accepted pairing: one planned one-to-one per pair, dated the month's first
    day, in one transaction; a pair already planned or held that month is not added twice.
    `pairs` holds member ids of this group."""
    first, last = month_bounds(month)
    ours = {
        member_id
        for (member_id,) in row_tuples(
            Member.select(Member.id).where((Member.group == group) & Member.id.in_([i for pair in pairs for i in pair]))
        )
    }
    if any(a not in ours or b not in ours or a == b for a, b in pairs):
        raise ValidationError.single("pairs", "each pair is two different members of this group")
    added = 0
    with database.atomic():
        for a, b in pairs:
            if OneToOne.select(OneToOne.id).where(_pair(a, b) & OneToOne.met_on.between(first, last)).exists():
                continue
            OneToOne.create(
                group=group,
                member_a=a,
                member_b=b,
                met_on=first,
                mode="in_person",
                notes="planned from the month's pairings",
                created_at=now,
                planned=True,
            )
            added += 1
    return added
