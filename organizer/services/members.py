"""Members: checking, adding, editing, archiving and finding them.

`member_problems` is the one validation, used by the form as you type, by imports row by
row and by `add_member` / `update_member` before they write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import SQL, IntegrityError, ModelSelect, SqliteDatabase, fn

from organizer.errors import NotFound, ValidationError
from organizer.models import MEMBER_STATUSES, Group, Member, database
from organizer.services.checks import email_problem, parse_date, phone_problem, region_for_zone, website_problem
from organizer.text import fold, tidy

TEXT_FIELDS = (
    "name",
    "business",
    "category",
    "email",
    "phone",
    "website",
    "bio",
    "good_referral",
    "notes",
)
MULTI_LINE_FIELDS = ("bio", "good_referral", "notes")
DATE_FIELDS = ("joined_on", "renewal_due")
EDITABLE = TEXT_FIELDS + DATE_FIELDS + ("status", "invited_by")
# Members in these states hold their category's seat.
SEAT_HOLDING = ("active", "on_leave")
STATUS_LABELS = {
    "active": "active",
    "on_leave": "on leave",
    "alumni": "alumni",
    "visitor": "visitor",
    "applicant": "applicant",
}


def phone_region(group: Group) -> str | None:
    """The country a phone number typed without +country code is read in: the group's zone's."""
    return region_for_zone(group.timezone)


def member_problems(
    group: Group, values: dict, existing: Member | None = None, *, lookups: MemberLookups | None = None
) -> tuple[dict, dict[str, str]]:
    """Clean `values` and check them; returns (clean values, {field: message}).

    Only the fields present are checked, except that a new member needs a name. An
    import passes `lookups` answering "who uses this email / holds this category" from
    memory, so checking a row costs no query (the same rules, asked of a dict).
    """
    clean: dict = {}
    errors: dict[str, str] = {}
    for field in TEXT_FIELDS:
        if field in values:
            clean[field] = tidy(values[field], multiline=field in MULTI_LINE_FIELDS)
    if "email" in clean:
        clean["email"] = clean["email"].lower() if clean["email"].isascii() else clean["email"]
    for field in DATE_FIELDS:
        if field in values:
            clean[field] = parse_date(values[field], field, errors)
    if "status" in values:
        clean["status"] = (tidy(values["status"]) or "active").lower().replace(" ", "_")
    if "invited_by" in values:
        clean["invited_by"] = values["invited_by"] or None

    name = clean.get("name", existing.name if existing else "")
    if not name:
        errors["name"] = "a name is required"
    elif len(name) > 200:
        errors["name"] = "a name is at most 200 characters"
    for field, check in (("email", email_problem), ("website", website_problem)):
        if field in clean and (problem := check(clean[field])):
            errors[field] = problem
    if "phone" in clean and (problem := phone_problem(clean["phone"], phone_region(group))):
        errors["phone"] = problem
    if "email" in clean and "email" not in errors and clean["email"]:
        clash = (lookups.email_user if lookups else _same_email)(group, clean["email"], existing)
        if clash:
            errors["email"] = f"{clash.name} already uses {clean['email']}"
    if clean.get("status") and clean["status"] not in MEMBER_STATUSES:
        errors["status"] = "status is one of active, on leave, alumni, visitor, applicant"
    joined = clean.get("joined_on", existing.joined_on if existing else None)
    renewal = clean.get("renewal_due", existing.renewal_due if existing else None)
    if joined and renewal and renewal < joined and "renewal_due" not in errors:
        errors["renewal_due"] = "renewal is due after the join date"
    inviter = clean.get("invited_by")
    if inviter is not None:
        inviter_id = inviter.id if isinstance(inviter, Member) else inviter
        if existing and inviter_id == existing.id:
            errors["invited_by"] = "a member cannot have invited themselves"
        elif isinstance(inviter, Member) and inviter.group_id == group.id:
            pass  # found in this group by the caller
        elif not Member.select().where((Member.id == inviter_id) & (Member.group == group)).exists():
            errors["invited_by"] = "the inviter is not a member of this group"
    if "category" not in errors and "name" not in errors:
        category = clean.get("category", existing.category if existing else "")
        status = clean.get("status") or (existing.status if existing else "active")
        holder = (lookups.category_holder if lookups else category_holder)(group, category, status, existing)
        if holder:
            errors["category"] = f"“{category}” is already held by {holder.name}"
    return clean, errors


@dataclass
class MemberLookups:
    """In-memory answers to member_problems' two questions (see there)."""

    email_user: Callable[[Group, str, Member | None], Member | None]
    category_holder: Callable[[Group, str, str, Member | None], Member | None]


def category_holder(group: Group, category: str, status: str, existing: Member | None = None) -> Member | None:
    """The member who already holds `category`, when the group allows one per category."""
    if group.allow_shared_categories or not category or status not in SEAT_HOLDING:
        return None
    query = Member.select().where(
        (Member.group == group) & (fn.LOWER(Member.category) == category.lower()) & (Member.status.in_(SEAT_HOLDING))
    )
    if existing is not None:
        query = query.where(Member.id != existing.id)
    return query.get_or_none()


def _same_email(group: Group, email: str, existing: Member | None) -> Member | None:
    query = Member.select().where((Member.group == group) & (fn.LOWER(Member.email) == email.lower()))
    if existing is not None:
        query = query.where(Member.id != existing.id)
    return query.get_or_none()


def search_key(member: Member) -> str:
    return fold(" ".join((member.name, member.business, member.category, member.email)))


def add_member(group: Group, *, now: datetime, **values: Any) -> Member:
    """Add a member; raises ValidationError naming every bad field."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown member fields: {', '.join(sorted(unknown))}")
    with _seat_rules(group):
        clean, errors = member_problems(group, {"name": "", **values})
        if errors:
            raise ValidationError(errors)
        clean.setdefault("status", "active")
        member = Member(group=group, created_at=now, updated_at=now, **clean)
        member.search_key = search_key(member)
        member.save()
    return member


def update_member(member: Member, *, now: datetime, **changes: Any) -> Member:
    """Change some of a member's fields; the rest stay as they are."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown member fields: {', '.join(sorted(unknown))}")
    with _seat_rules(member.group):
        clean, errors = member_problems(member.group, changes, existing=member)
        if errors:
            raise ValidationError(errors)
        for field, value in clean.items():
            setattr(member, field, value)
        member.updated_at = now
        member.search_key = search_key(member)
        member.save()
    return member


@contextmanager
def _seat_rules(group: Group) -> Iterator[None]:
    """One write transaction in which the email and category rules are checked, so two
    people adding at once cannot both pass them. On SQLite BEGIN IMMEDIATE already lets
    one writer in at a time; on PostgreSQL, touching the group's row does it per group.
    The unique index on an active member's email is the last word either way."""
    try:
        with database.atomic():
            Group.update(id=Group.id).where(Group.id == group.id).execute()
            yield
    except IntegrityError as error:
        if "email" not in str(error).lower():
            raise
        raise ValidationError.single("email", "another active member of the group already uses this email") from None


def archive_member(member: Member, *, now: datetime, on: date | None = None) -> Member:
    """Make a member alumni. Their referrals, posts and attendance stay as they were."""
    from organizer.services.groups import local_today

    with database.atomic():
        member.status = "alumni"
        member.archived_on = on or local_today(member.group, now)
        member.updated_at = now
        member.save()
    return member


def find_member_by_id(group: Group, member_id: object) -> Member | None:
    """The group's member `member_id` (an id kept in a draft), or None if gone."""
    if not isinstance(member_id, int):
        return None
    return Member.get_or_none((Member.id == member_id) & (Member.group == group))


def get_member(group: Group, member_id: int) -> Member:
    member = Member.get_or_none((Member.id == member_id) & (Member.group == group))
    if member is None:
        raise NotFound(f"no member with id {member_id}")
    return member


def find_member(group: Group, who: str) -> Member:
    """A member by email or name as every entry point finds them (services.resolve);
    NotFound saying why (none: did you mean…; several: who they are)."""
    from organizer.services.resolve import EVERYONE
    from organizer.services.resolve import find_member as resolved

    return resolved(group, who, statuses=EVERYONE)


@dataclass(frozen=True)
class MemberFilter:
    text: str = ""
    statuses: tuple[str, ...] = ("active", "on_leave")
    renewal_by: date | None = None  # only members whose renewal is due by this date (or overdue)


# What a list of members shows: selecting only these keeps a search's sort small.
LIST_FIELDS = (Member.id, Member.name, Member.business, Member.category, Member.status, Member.email)


def search_members(
    group: Group, flt: MemberFilter = MemberFilter(), *, limit: int = 200, offset: int = 0, brief: bool = False
) -> list[Member]:
    """Members matching every word of `flt.text` (folded) in the given statuses, by name.

    `brief` loads only LIST_FIELDS (for lists), not every column.
    """
    return list(_search_query(group, flt, limit=limit, offset=offset, brief=brief))


def _search_query(
    group: Group, flt: MemberFilter, *, limit: int, offset: int = 0, brief: bool = False
) -> ModelSelect[Member]:
    query = _matching(Member.select(*LIST_FIELDS) if brief else Member.select(), group, flt)
    return query.order_by(Member.name, Member.id).limit(limit).offset(offset)


def count_members(group: Group, flt: MemberFilter = MemberFilter(), *, cap: int | None = None) -> int:
    """How many members match; with `cap`, counting stops after cap + 1 (a list shows "cap+")."""
    query = _matching(Member.select(Member.id), group, flt)
    if cap is not None:
        return int(Member.select(fn.COUNT(SQL("*"))).from_(query.limit(cap + 1).alias("capped")).scalar())
    return query.count()


def _matching(query: ModelSelect[Member], group: Group, flt: MemberFilter) -> ModelSelect[Member]:
    """`query` narrowed to the filter: statuses, and every folded word inside search_key.

    search_key is already folded (lower case, no accents), so a case-sensitive match is
    enough: on SQLite GLOB is several times faster than the case-folding LIKE. Ordered by
    name, the search walks the (group, name, id, status, search_key) index and stops at a
    page of matches: ~0.1–1.3 ms a keystroke over 10,000 members, where a scan of the
    table and a sort of what matched took ~3 ms.
    """
    words = fold(flt.text).split()
    glob = isinstance(database.obj, SqliteDatabase)
    query = query.where(Member.group == group.id)
    if flt.statuses:
        query = query.where(Member.status.in_(flt.statuses))
    if flt.renewal_by is not None:
        query = query.where(Member.renewal_due.is_null(False) & (Member.renewal_due <= flt.renewal_by))
    for word in words:
        if glob:
            query = query.where(Member.search_key % f"*{_glob_escape(word)}*")
        else:
            query = query.where(Member.search_key.contains(word))
    return query


def _glob_escape(text: str) -> str:
    """GLOB's wildcards * ? [ taken literally."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in text)


def reload_member(member_id: int) -> Member:
    """A member as stored now (a page reads them again after an edit)."""
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise NotFound(f"no member with id {member_id}")
    return member
