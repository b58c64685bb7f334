"""The ledger's checks, before anything is written: what a referral's fields may be, what a
change really changes (and its before → after for the history), and which entries count.

services.ledger writes; it asks here first.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from peewee import ModelSelect

from organizer.errors import UserError, ValidationError
from organizer.models import (
    REFERRAL_KINDS,
    BaseModel,
    Group,
    Meeting,
    Member,
    Post,
    Referral,
    Thread,
)
from organizer.services.checks import parse_date
from organizer.services.groups import local_today
from organizer.services.ledger_chains import descendants
from organizer.services.money import check_amount
from organizer.text import tidy


def referral_problems(group: Group, values: dict[str, Any], *, now: datetime) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean and check a new referral's fields; returns (clean values, {field: message})."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    giver, receiver = values.get("giver"), values.get("receiver")
    for field, member in (("giver", giver), ("receiver", receiver)):
        if not isinstance(member, Member):
            errors[field] = f"choose the {field} among the members"
        elif member.group_id != group.id:
            errors[field] = f"the {field} is not a member of this group"
    both = "giver" not in errors and "receiver" not in errors  # then both are Members of the group
    if both and isinstance(giver, Member) and isinstance(receiver, Member) and giver.id == receiver.id:
        errors["receiver"] = "a member cannot refer business to themselves"
    clean["giver"], clean["receiver"] = giver, receiver
    clean["prospect_name"] = tidy(values.get("prospect_name"))
    if not clean["prospect_name"]:
        errors["prospect_name"] = "name the prospect (a person or a business)"
    clean["prospect_contact"] = tidy(values.get("prospect_contact"))
    clean["kind"] = tidy(values.get("kind") or "outside").lower()
    if clean["kind"] not in REFERRAL_KINDS:
        errors["kind"] = "kind is inside (the giver is the customer) or outside (a third party)"
    temperature = values.get("temperature", 3)
    try:
        clean["temperature"] = int(str(temperature).strip())
        if not 1 <= clean["temperature"] <= 5:
            raise ValueError
    except ValueError:
        errors["temperature"] = "temperature is a whole number from 1 (cold) to 5 (hot)"
    given_on = parse_date(values.get("given_on"), "given_on", errors)
    if given_on is None and "given_on" not in errors:
        given_on = local_today(group, now)
    if given_on and given_on > local_today(group, now):
        errors["given_on"] = "a referral cannot be dated in the future"
    clean["given_on"] = given_on
    for field, model in (("meeting", Meeting), ("thread", Thread), ("post", Post), ("parent", Referral)):
        linked = values.get(field)
        if linked is not None and not isinstance(linked, model):
            errors[field] = f"the {field} is not known"
        clean[field] = linked
    parent = clean.get("parent")
    if isinstance(parent, Referral) and parent.group_id != group.id:
        errors["parent"] = "the earlier referral belongs to another group"
    elif isinstance(parent, Referral) and given_on and "given_on" not in errors and given_on < parent.given_on:
        # A chain runs forward in time: business cannot come from a referral not yet given.
        errors["given_on"] = (
            f"a referral cannot be dated before the one it came from "
            f"(#{parent.id}, given on {parent.given_on.isoformat()})"
        )
    clean["notes"] = tidy(values.get("notes"), multiline=True)
    # The business's value, known early (on the capture line) or when it is won.
    value = values.get("value_minor")
    if value is not None and (not isinstance(value, int) or value < 0):
        errors["value"] = "a value is a positive amount"
    elif value is not None:
        try:
            check_amount(value, group.currency)
        except ValidationError as error:
            errors.update(error.fields)
    clean["value_minor"] = value
    return clean, errors


# What `edit_referral` may change; status, value and the thank-you have their own verbs.
EDITABLE = (
    "giver",
    "receiver",
    "prospect_name",
    "prospect_contact",
    "kind",
    "temperature",
    "given_on",
    "meeting",
    "thread",
    "post",
    "parent",
    "notes",
)


def before_after(current: dict[str, Any], changed: dict[str, Any]) -> str:
    """'prospect_name: Old → New; temperature: 3 → 5': what a correction keeps of the original."""
    return "; ".join(f"{field}: {_shown(current[field])} → {_shown(value)}" for field, value in changed.items())


def checked_changes(
    referral: Referral, changes: dict[str, Any], *, now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(every field's current value, the fields `changes` really changes); ValidationError if wrong."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown referral fields: {', '.join(sorted(unknown))}")
    refuse_if_void(referral)
    current = {field: getattr(referral, field) for field in EDITABLE}
    clean, errors = referral_problems(referral.group, {**current, **changes}, now=now)
    clean = {field: clean[field] for field in changes}
    if "given_on" in errors and not {"given_on", "parent"} & set(changes):
        del errors["given_on"]  # an older entry's date is not this change's problem
    parent = clean.get("parent")
    if (
        "parent" in clean
        and "parent" not in errors
        and parent is not None
        and (parent.id == referral.id or parent.id in {r.id for r in _descendants(referral)})
    ):
        errors["parent"] = "a referral cannot come from itself or from one that came from it"
    for field in ("contacted_on", "closed_on", "thanked_on"):
        day = getattr(referral, field)
        given = clean.get("given_on")
        if "given_on" not in errors and given and day and given > day:
            errors["given_on"] = f"the referral was already {field.removesuffix('_on')} on {day.isoformat()}"
    given = clean.get("given_on")
    if given and "given_on" not in errors and given != current["given_on"]:
        early = live(Referral.select().where((Referral.parent == referral) & (Referral.given_on < given)))
        child = early.order_by(Referral.given_on).first()
        if child is not None:
            errors["given_on"] = (
                f"#{child.id} came from this referral and was given on {child.given_on.isoformat()}, before that date"
            )
    if errors:
        raise ValidationError(errors)
    changed = {field: value for field, value in clean.items() if _key(value) != _key(current[field])}
    return current, changed


def _key(value: object) -> object:
    """What an edit compares: a linked row by its id, anything else as it is."""
    return value.id if isinstance(value, BaseModel) else value


def _shown(value: object) -> str:
    """A value as the history shows it: a member by name, a linked row by id, '' as (none)."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, Member):
        return value.name
    if isinstance(value, BaseModel):
        return f"#{value.id}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _descendants(referral: Referral) -> list[Referral]:
    return [row for _, row in descendants(referral)]


def refuse_if_void(referral: Referral) -> None:
    if referral.voided_at is not None:
        raise UserError(f"referral {referral.id} was voided: {referral.void_reason}")


def live(query: ModelSelect[Referral]) -> ModelSelect[Referral]:
    """Restrict a Referral query to entries that count (not voided)."""
    return query.where(Referral.voided_at.is_null())
