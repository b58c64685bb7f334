"""The group: creating it, finding the one to work on, and its settings."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from organizer.models import RECAP_AMOUNTS, Group, Setting, database
from organizer.services.checks import as_id, currency_problem, email_problem, timezone_problem
from organizer.services.countries import country_problem, parse_country
from organizer.services.errors import NotFound, UserError, ValidationError
from organizer.services.money import default_locale, locale_problem
from organizer.services.text import tidy

# What a new group's invitations say until the organizer words them (Meetings, d): every
# invitation states what it is for, what the invitee gets, the topics and a guilt-free out.
STARTER_INVITATION = {
    "default_intent": "Pass qualified referrals and get to know one another's businesses, so each of us "
                      "can send the right people to the right member.",
    "default_benefit": "Introductions to customers you could not reach alone, and local owners who will "
                       "answer your questions honestly.",
    "default_topics": "Open networking; a member's education moment; the 60-second round; referrals and "
                      "thank-yous.",
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
    **settings,
) -> Group:
    """Create a group after checking every field; raises ValidationError listing each problem."""
    values = checked_group_values(name=name, timezone=timezone, organizer_name=organizer_name,
                                  organizer_email=organizer_email, currency=currency, **settings)
    with database.atomic():
        return Group.create(created_at=now, **values)


def checked_group_values(
    *, name: str, timezone: str, organizer_name: str, organizer_email: str, currency: str = "CAD",
    **settings,
) -> dict:
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


def update_group(group: Group, **changes) -> Group:
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


def current_group(selector: str | None = None) -> Group:
    """The group to work on: by id or exact name, else the first one created."""
    query = Group.select().order_by(Group.id)
    if selector:
        if selector.isdigit():
            wanted = as_id(selector)
            found = query.where(Group.id == wanted).first() if wanted else None
        else:
            found = query.where(Group.name == selector).first()
        if found is None:
            raise NotFound(f"no group called “{selector}” in this database")
        return found
    found = query.first()
    if found is None:
        raise UserError("this database has no group yet: run `organizer init` or `organizer load-sample`")
    return found


def zone(group: Group) -> ZoneInfo:
    return ZoneInfo(group.timezone)


def local_today(group: Group, now: datetime):
    """Today's date where the group meets."""
    return now.astimezone(zone(group)).date()


def get_setting(group: Group | None, key: str, default: str = "") -> str:
    row = Setting.get_or_none((Setting.group == group) & (Setting.key == key))
    return row.value if row else default


def set_setting(group: Group | None, key: str, value: str) -> None:
    with database.atomic():
        updated = (
            Setting.update(value=value)
            .where((Setting.group == group) & (Setting.key == key))
            .execute()
        )
        if not updated:
            Setting.create(group=group, key=key, value=value)
