"""One-to-ones: two members meeting to learn each other's business."""

from __future__ import annotations

from datetime import date, datetime

from organizer.models import ONE_TO_ONE_MODES, Group, Member, OneToOne, database
from organizer.services.checks import parse_date
from organizer.services.errors import ValidationError
from organizer.services.text import tidy


def record_one_to_one(
    group: Group, *, member_a: Member, member_b: Member, met_on: date | str,
    mode: str = "in_person", notes: str = "", now: datetime,
) -> OneToOne:
    errors: dict[str, str] = {}
    day = parse_date(met_on, "met_on", errors)
    if day is None and "met_on" not in errors:
        errors["met_on"] = "the date is required"
    if member_a.id == member_b.id:
        errors["member_b"] = "a one-to-one takes two different members"
    if member_a.group_id != group.id or member_b.group_id != group.id:
        errors["member_b"] = "both members belong to this group"
    if mode not in ONE_TO_ONE_MODES:
        errors["mode"] = "where is one of in_person, video, phone"
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        return OneToOne.create(
            group=group, member_a=member_a, member_b=member_b, met_on=day, mode=mode,
            notes=tidy(notes), created_at=now,
        )
