"""The group: creating it, finding the one to work on, and its settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from peewee import fn

from organizer import personal
from organizer.errors import NotFound, UserError, ValidationError
from organizer.models import RECAP_AMOUNTS, Group, Member, Setting, database
from organizer.services.checks import as_id, currency_problem, email_problem, timezone_problem
from organizer.services.countries import country_problem, parse_country
from organizer.services.group_names import name_problem
from organizer.services.money import default_locale, locale_problem
from organizer.text import one_line, tidy

# What a new group's invitations say until the organizer words them (Meetings, d): every
# invitation states what it is for, what the invitee gets, the topics and a guilt-free out.
STARTER_INVITATION = {
    "default_intent": "Pass qualified referrals and get to know one another's businesses, so each of us "
    "can send the right people to the right member.",
    "default_benefit": "Introductions to customers you could not reach alone, and local owners who will "
    "answer your questions honestly.",
    "default_topics": "Open networking; a member's education moment; the 60-second round; referrals and thank-yous.",
    "default_out": "Can't make it? No reply needed and no hard feelings: send a substitute if you like, "
    "or see you next month.",
}


def create_group(
    *,
    name: str,
    timezone: str,
    organizer_name: str,
    organizer_email: str,
    currency: str = "CAD",
    now: datetime,
    **settings: Any,
) -> Group:
    """Create a group after checking every field; raises ValidationError listing each problem."""
    values = checked_group_values(
        name=name,
        timezone=timezone,
        organizer_name=organizer_name,
        organizer_email=organizer_email,
        currency=currency,
        **settings,
    )
    with database.atomic():
        return Group.create(created_at=now, **values)


def checked_group_values(
    *,
    name: str,
    timezone: str,
    organizer_name: str,
    organizer_email: str,
    currency: str = "CAD",
    **settings: Any,
) -> dict[str, Any]:
    """The new group's fields, tidied; ValidationError listing each problem. Needs no database,
    so `organizer init` with a typo refuses before it creates a file."""
    values = {
        "name": tidy(name),
        "timezone": tidy(timezone),
        "organizer_name": tidy(organizer_name),
        "organizer_email": tidy(organizer_email),
        "currency": tidy(currency).upper(),
        **{key: tidy(value) if isinstance(value, str) else value for key, value in settings.items()},
    }
    # Amounts are read and written the way the group's country does unless it says otherwise.
    values["locale"] = (values.get("locale") or default_locale(values["timezone"])).replace("-", "_")
    errors = group_problems(values)
    if errors:
        raise ValidationError(errors)
    _split_country(values)
    return values


def _split_country(values: dict) -> None:
    """A `country` given as 'DE-BY' is stored as country DE and subdivision BY."""
    if "country" in values:
        values["country"], values["subdivision"] = parse_country(values["country"])


def group_problems(values: dict) -> dict[str, str]:
    """Messages for the group fields present in `values` (used by forms as you type)."""
    errors: dict[str, str] = {}
    if "name" in values and not values["name"]:
        errors["name"] = "the group needs a name"
    if "timezone" in values and (problem := timezone_problem(values["timezone"])):
        errors["timezone"] = problem
    if "organizer_name" in values and not values["organizer_name"]:
        errors["organizer_name"] = "the organizer's name is required"
    if "organizer_email" in values:
        if not values["organizer_email"]:
            errors["organizer_email"] = "the organizer's email is required (invites come from it)"
        elif problem := email_problem(values["organizer_email"]):
            errors["organizer_email"] = problem
    if "currency" in values and (problem := currency_problem(values["currency"])):
        errors["currency"] = problem
    if "country" in values and (problem := country_problem(values["country"])):
        errors["country"] = problem
    if "locale" in values and (problem := locale_problem(values["locale"])):
        errors["locale"] = problem
    if values.get("recap_amounts", "show") not in RECAP_AMOUNTS:
        errors["recap_amounts"] = "recap amounts are one of " + ", ".join(RECAP_AMOUNTS)
    return errors


def update_group(group: Group, **changes: Any) -> Group:
    values = {key: tidy(value) if isinstance(value, str) else value for key, value in changes.items()}
    if "currency" in values:
        values["currency"] = values["currency"].upper()
    errors = group_problems(values)
    if errors:
        raise ValidationError(errors)
    _split_country(values)
    with database.atomic():
        for key, value in values.items():
            setattr(group, key, value)
        group.save()
    return group


def has_group() -> bool:
    return Group.select().exists()


def find_group(selector: str) -> Group:
    """The group with this id or exact name; NotFound names the groups there are."""
    text = tidy(selector)
    query = Group.select().order_by(Group.id)
    found = query.where(Group.id == as_id(text)).get_or_none() if as_id(text) else None
    if found is None:
        found = query.where(Group.name == text).get_or_none()
    if found is None:
        raise NotFound(f"no group called “{one_line(text)}” in this database ({groups_named()})")
    return found


def current_group(selector: str | None = None) -> Group:
    """The group to work on: by id or exact name; with none given, the only one there is.

    A database holding several groups needs the choice made (`--group`, the app's group
    switcher): guessing would show one group's data under another's name.
    """
    if selector:
        return find_group(selector)
    first_two = list(Group.select().order_by(Group.id).limit(2))
    if not first_two:
        raise UserError("this database has no group yet: run `organizer init` or `organizer load-sample`")
    if len(first_two) > 1:
        raise UserError(f"this database holds several groups; choose one with --group NAME_OR_ID ({groups_named()})")
    return first_two[0]


def first_group() -> Group | None:
    """The group created first (the app opens it when a person has not chosen one)."""
    return Group.select().order_by(Group.id).get_or_none()


def last_group() -> Group | None:
    """The group this person last worked on in this database (their own settings), else the
    first one; None in an empty database."""
    remembered = personal.recall("group")
    if remembered.isdigit():
        found = Group.get_or_none(Group.id == int(remembered))
        if found is not None:
            return found
    return first_group()


def remember_group(group: Group) -> None:
    """Keep `group` as the one this person opens next time (in their own settings)."""
    personal.remember("group", str(group.id))


def groups_named(limit: int = 10) -> str:
    """ "groups: 1 Lakeside, 2 Grand River…" for a message, at most `limit` of them."""
    rows = list(Group.select(Group.id, Group.name).order_by(Group.id).limit(limit + 1))
    named = ", ".join(f"{row.id} {one_line(row.name)}" for row in rows[:limit])
    more = f", and {Group.select().count() - limit} more (organizer groups)" if len(rows) > limit else ""
    return f"groups: {named}{more}" if rows else "no groups yet"


@dataclass(frozen=True)
class GroupLine:
    id: int
    name: str
    active_members: int


def list_groups() -> list[GroupLine]:
    """Every group in id order with its count of active members (`organizer groups`, the
    app's group switcher)."""
    active = (
        Member.select(Member.group, fn.COUNT(Member.id).alias("n"))
        .where(Member.status == "active")
        .group_by(Member.group)
    )
    counts = {row.group_id: row.n for row in active}
    return [
        GroupLine(row.id, row.name, counts.get(row.id, 0))
        for row in Group.select(Group.id, Group.name).order_by(Group.id)
    ]


def add_group(*, now: datetime, country: str = "", **fields: Any) -> Group:
    """Another group in a database that may hold some already (`organizer group add`; `init`
    is the first group's shortcut). Its invitations start worded like every new group's; its
    name must differ from every other group's, since `--group NAME` finds groups by name."""
    values = checked_group_values(**fields)
    country = tidy(country).upper()
    if country and (len(country) != 2 or not country.isascii() or not country.isalpha()):
        raise ValidationError.single("country", f"“{one_line(country)}” is not a two-letter country code (ISO 3166)")
    with database.atomic():
        if problem := name_problem(values["name"]):
            raise ValidationError.single("name", problem)
        extra = {"country": country} if country and hasattr(Group, "country") else {}
        group = Group.create(created_at=now, **STARTER_INVITATION, **values, **extra)
        if country and not extra:  # no country column yet: kept as the group's setting
            Setting.create(group=group, key="country", value=country)
    return group


def zone(group: Group) -> ZoneInfo:
    return ZoneInfo(group.timezone)


def local_today(group: Group, now: datetime) -> date:
    """Today's date where the group meets."""
    return now.astimezone(zone(group)).date()


def get_setting(group: Group | None, key: str, default: str = "") -> str:
    row = Setting.get_or_none((Setting.group == group) & (Setting.key == key))
    return row.value if row else default


def set_setting(group: Group | None, key: str, value: str) -> None:
    with database.atomic():
        updated = Setting.update(value=value).where((Setting.group == group) & (Setting.key == key)).execute()
        if not updated:
            Setting.create(group=group, key=key, value=value)
