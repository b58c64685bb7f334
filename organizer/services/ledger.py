"""The referral ledger: record a referral and follow its life, never deleting anything.

Every change writes a LedgerEvent in the same transaction as the change itself. A wrong
entry is voided with a reason: it stays in lists and history and leaves every total.

What a change is checked against first (the fields, what really changed, which entries
count) is in ledger_checks; its public names are importable from here as they were.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from peewee import JOIN

from organizer.errors import NotFound, UserError, ValidationError
from organizer.models import (
    REFERRAL_STATUSES,
    Group,
    LedgerEvent,
    Member,
    Referral,
    database,
)
from organizer.services.checks import as_id, parse_date
from organizer.services.groups import local_today
from organizer.services.ledger_checks import (
    EDITABLE,
    before_after,
    checked_changes,
    live,
    referral_problems,
    refuse_if_void,
)
from organizer.services.money import amount_text, check_amount, parse_money
from organizer.text import tidy

# Where a referral may go next from each status.
NEXT_STATUSES = {
    "open": ("contacted", "won", "lost"),
    "contacted": ("won", "lost"),
    "won": (),
    "lost": (),
}


def get_referral(group: Group, referral_id: int) -> Referral:
    referral = Referral.get_or_none((Referral.id == referral_id) & (Referral.group == group))
    if referral is None:
        raise NotFound(f"no referral with id {referral_id}")
    return referral


def record_referral(group: Group, *, now: datetime, actor: Member | None = None, **values: Any) -> Referral:
    """Record a new (open) referral and its 'created' event."""
    clean, errors = referral_problems(group, values, now=now)
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        referral = Referral.create(group=group, created_at=now, **clean)
        _event(
            referral,
            "created",
            now=now,
            actor=actor,
            detail=f"{clean['giver'].name} → {clean['receiver'].name}: {clean['prospect_name']}",
        )
    return referral


def edit_referral(
    referral: Referral, *, now: datetime, actor: Member | None = None, reason: str = "", **changes: Any
) -> Referral:
    """Correct a referral's fields; an 'edited' event records each old → new value and why.

    Only the fields in EDITABLE; a won referral's value is corrected with `correct_value`.
    Nothing changes (and no event is written) when every value is the same as before.
    """
    current, changed = checked_changes(referral, changes, now=now)
    if not changed:
        return referral
    with database.atomic():
        for field, value in changed.items():
            setattr(referral, field, value)
        referral.save()
        _event(referral, "edited", now=now, actor=actor, detail=before_after(current, changed), reason=tidy(reason))
    return referral


# What `correct` may change: the fields people get wrong when they record a referral.
CORRECTABLE = ("prospect_name", "prospect_contact", "receiver", "temperature", "given_on", "kind", "parent")


class _Keep(Enum):
    """`correct(value=...)` not given: the value stays."""

    KEEP = "keep"


_KEEP = _Keep.KEEP


def correct(
    referral: Referral,
    *,
    reason: str,
    now: datetime,
    actor: Member | None = None,
    value: str | int | _Keep | None = _KEEP,
    **changes: Any,
) -> Referral:
    """Correct a referral: one 'corrected' event with who, when, why and each before → after.

    Totals, the recap, the matrix and exports read the corrected fields; the event keeps
    the original values readable in the history. `value` is minor units, what a person
    typed in the group's notation, or None to clear it. A voided referral is not corrected
    (void is for "this never happened"); a correction that changes nothing is refused.
    """
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise TypeError(f"not correctable: {', '.join(sorted(unknown))}")
    reason = tidy(reason)
    if not reason:
        raise ValidationError.single("reason", "say why the referral is corrected")
    refuse_if_void(referral)
    group = referral.group
    errors: dict[str, str] = {}
    try:
        current, changed = checked_changes(referral, changes, now=now)
        changed = {field: changed[field] for field in CORRECTABLE if field in changed}  # one order in history
    except ValidationError as error:
        errors.update(error.fields)
        current, changed = {}, {}
    new_value = referral.value_minor
    if not isinstance(value, _Keep):
        try:
            new_value = _minor(value, group)
        except ValidationError as error:
            errors.update(error.fields)
    if errors:
        raise ValidationError(errors)
    detail = before_after(current, changed)
    if new_value != referral.value_minor:
        value_change = f"value: {_amount(referral.value_minor, group)} → {_amount(new_value, group)}"
        detail = f"{detail}; {value_change}" if detail else value_change
    if not detail:
        raise UserError(f"nothing to correct: referral {referral.id} already has those values")
    with database.atomic():
        for field, new in changed.items():
            setattr(referral, field, new)
        referral.value_minor = new_value
        referral.save()
        _event(referral, "corrected", now=now, actor=actor, detail=detail, reason=reason)
    return referral


def _minor(value: str | int | None, group: Group) -> int | None:
    """A value as typed (in the group's notation) or in minor units → minor units, None for none."""
    if value is None or (isinstance(value, str) and tidy(value).lower() in ("", "none")):
        return None
    minor = value if isinstance(value, int) else parse_money(str(value), group.currency, locale=group.locale)
    if minor < 0:
        raise ValidationError.single("value", "a value cannot be negative")
    return minor


def correct_value(
    referral: Referral,
    value: str | int | None,
    *,
    now: datetime,
    actor: Member | None = None,
    reason: str = "",
) -> Referral:
    """Correct the closed value of a won referral (a 'value' event keeps the old one)."""
    refuse_if_void(referral)
    group = referral.group
    if referral.status != "won":
        raise ValidationError.single("value", "only won business has a value")
    minor = None
    if value not in (None, ""):
        minor = value if isinstance(value, int) else parse_money(str(value), group.currency, locale=group.locale)
        if minor < 0:
            raise ValidationError.single("value", "a value cannot be negative")
        check_amount(minor, group.currency)
    if minor == referral.value_minor:
        return referral
    with database.atomic():
        old = referral.value_minor
        referral.value_minor = minor
        referral.save()
        detail = f"value: {_amount(old, group)} → {_amount(minor, group)}"
        _event(referral, "value", now=now, actor=actor, detail=detail, reason=tidy(reason))
    return referral


def _amount(minor: int | None, group: Group) -> str:
    return "none" if minor is None else amount_text(minor, group.currency, group.locale)


def advance(
    referral: Referral,
    status: str,
    *,
    now: datetime,
    on: date | str | None = None,
    value: str | int | None = None,
    actor: Member | None = None,
    reason: str = "",
) -> Referral:
    """Move a referral on: open → contacted → won / lost. Won may carry the closed value.

    `value` is minor units (int) or what a person typed ("1,250.50").
    """
    refuse_if_void(referral)
    group = referral.group
    if status not in REFERRAL_STATUSES:
        raise ValidationError.single("status", "status is one of " + ", ".join(REFERRAL_STATUSES))
    if status not in NEXT_STATUSES[referral.status]:
        raise ValidationError.single("status", f"a referral that is {referral.status} cannot become {status}")
    errors: dict[str, str] = {}
    day = parse_date(on, "on", errors) or local_today(group, now)
    if not errors and day < referral.given_on:
        errors["on"] = f"the date is before the referral was given ({referral.given_on.isoformat()})"
    if not errors and day > local_today(group, now):
        errors["on"] = "the date cannot be in the future"
    minor = None
    if value not in (None, ""):
        if status != "won":
            errors["value"] = "only won business has a value"
        else:
            try:
                minor = (
                    value if isinstance(value, int) else parse_money(str(value), group.currency, locale=group.locale)
                )
                check_amount(minor, group.currency)
            except ValidationError as error:
                errors.update(error.fields)
            if minor is not None and minor < 0:
                errors["value"] = "a value cannot be negative"
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        old = referral.status
        referral.status = status
        if status == "contacted":
            referral.contacted_on = day
        else:
            referral.closed_on = day
        if minor is not None:  # else a value given earlier (on the capture line) stays
            referral.value_minor = minor
        referral.save()
        detail = f"{old} → {status} on {day.isoformat()}"
        if minor is not None:
            detail += f", {_amount(minor, group)}"
        _event(referral, "status", now=now, actor=actor, detail=detail, reason=reason)
    return referral


def thank(
    referral: Referral,
    *,
    now: datetime,
    on: date | str | None = None,
    note: str = "",
    actor: Member | None = None,
) -> Referral:
    """Record the receiver's thank-you for a referral."""
    refuse_if_void(referral)
    errors: dict[str, str] = {}
    day = parse_date(on, "on", errors) or local_today(referral.group, now)
    if errors:
        raise ValidationError(errors)
    if referral.thanked_on is not None:
        raise UserError(f"the thank-you for this referral was recorded on {referral.thanked_on.isoformat()}")
    with database.atomic():
        referral.thanked_on = day
        referral.thank_note = tidy(note)
        referral.save()
        _event(referral, "thanked", now=now, actor=actor, detail=tidy(note))
    return referral


def void(referral: Referral, *, reason: str, now: datetime, actor: Member | None = None) -> Referral:
    """Void a wrong entry: it stays visible, marked void, and leaves every total."""
    reason = tidy(reason)
    if not reason:
        raise ValidationError.single("reason", "say why the entry is voided")
    refuse_if_void(referral)
    with database.atomic():
        referral.voided_at = now
        referral.void_reason = reason
        referral.save()
        _event(referral, "voided", now=now, actor=actor, reason=reason)
    return referral


def _event(
    referral: Referral, action: str, *, now: datetime, actor: Member | None, detail: str = "", reason: str = ""
) -> LedgerEvent:
    return LedgerEvent.create(referral=referral, at=now, actor=actor, action=action, detail=detail, reason=reason)


def history(referral: Referral) -> list[LedgerEvent]:
    """Every event of a referral, oldest first, each with its actor (or None) loaded."""
    return list(
        LedgerEvent.select(LedgerEvent, Member)
        .join(Member, JOIN.LEFT_OUTER, on=(LedgerEvent.actor == Member.id))
        .where(LedgerEvent.referral == referral)
        .order_by(LedgerEvent.at, LedgerEvent.id)
    )


def find_referral(group: Group, text: str) -> Referral | None:
    """The group's referral named by `text` ("157" or "#157"), or None."""
    number = as_id(text.strip().lstrip("#"))  # None past 64 bits or for a non-ASCII digit
    if number is None:
        return None
    return Referral.get_or_none((Referral.id == number) & (Referral.group == group))


__all__ = [
    "CORRECTABLE",
    "EDITABLE",
    "NEXT_STATUSES",
    "advance",
    "correct",
    "correct_value",
    "edit_referral",
    "find_referral",
    "get_referral",
    "history",
    "live",
    "record_referral",
    "referral_problems",
    "thank",
    "void",
]
