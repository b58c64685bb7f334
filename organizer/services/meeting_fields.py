"""A meeting's fields: the five invitation fields (their labels, the group's defaults, the
wording of "time needed"), what may be edited and the checks on it, and new UIDs.

Every material change raises the meeting's SEQUENCE, so calendars replace the old
invite: its time (start or length), place, title and status. The five invitation fields
and the notes are not material (no SEQUENCE change).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from organizer.errors import ValidationError
from organizer.models import (
    Group,
    Meeting,
    Member,
    database,
)
from organizer.services.recurrence import parse_clock
from organizer.text import tidy

INVITATION_FIELDS = ("intent", "benefit", "topics", "time_needed", "opt_out")
# How forms, invites and the recap name the five fields.
INVITATION_LABELS = {
    "intent": "What it is for",
    "benefit": "What you get from it",
    "topics": "What we will discuss",
    "time_needed": "Time needed",
    "opt_out": "Can't make it?",
}
# What `update_meeting` may change; the first three are material (they raise SEQUENCE).
MATERIAL_FIELDS = ("title", "place", "minutes")
EDITABLE = MATERIAL_FIELDS + INVITATION_FIELDS + ("notes",)
# Meetings that happen (or happened): the others are skipped or cancelled.
LIVE_STATUSES = ("scheduled", "held")
MIN_MINUTES, MAX_MINUTES = 15, 24 * 60


def new_uid() -> str:
    import uuid  # with `platform` behind it: not needed until something is created

    return f"{uuid.uuid4()}@organizer"


def invitation_defaults(group: Group) -> dict[str, str]:
    """The five invitation fields as the group fills them in by default."""
    return {
        "intent": group.default_intent,
        "benefit": group.default_benefit,
        "topics": group.default_topics,
        "time_needed": group.default_time_needed,
        "opt_out": group.default_out,
    }


DEFAULT_FIELDS = {
    "intent": "default_intent",
    "benefit": "default_benefit",
    "topics": "default_topics",
    "time_needed": "default_time_needed",
    "opt_out": "default_out",
}


def update_invitation_defaults(group: Group, *, now: datetime, **fields: str) -> int:
    """Change the group's defaults for the five invitation fields.

    Scheduled meetings still ahead that kept the old default of a field take the new one
    (what a meeting was given of its own stays); returns how many meetings changed.
    """
    unknown = set(fields) - set(INVITATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown invitation fields: {', '.join(sorted(unknown))}")
    clean, errors = meeting_problems(fields)
    if errors:
        raise ValidationError(errors)
    old = invitation_defaults(group)
    changed: set[int] = set()
    with database.atomic():
        for field, value in clean.items():
            if value == old[field]:
                continue
            column = getattr(Meeting, field)
            ahead = Meeting.select(Meeting.id).where(
                (Meeting.group == group)
                & (Meeting.status == "scheduled")
                & (Meeting.starts_at >= now)
                & (column == old[field])
            )
            ids = [row.id for row in ahead]
            if ids:
                Meeting.update({column: value, Meeting.updated_at: now}).where(Meeting.id.in_(ids)).execute()
                changed.update(ids)
            setattr(group, DEFAULT_FIELDS[field], value)
        group.save()
    return len(changed)


def fill_time_needed(group: Group, *, at: str, minutes: int) -> None:
    """Word the group's default "time needed" from its first series, if it says nothing yet."""
    if group.default_time_needed:
        return
    start = datetime.combine(date(2000, 1, 1), parse_clock(at))
    end = start + timedelta(minutes=minutes)
    group.default_time_needed = f"{minutes} minutes, {start:%H:%M}–{end:%H:%M}."
    group.save()


_CLOCK = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")


def fit_time_needed(text: str, *, was: datetime, was_minutes: int, now_at: datetime, minutes: int) -> str:
    """ "Time needed" worded for a meeting at `was` (local) for `was_minutes`, reworded for
    one at `now_at` for `minutes`: the end becomes the new end, every other clock time moves
    with the start ("breakfast from 07:15" an hour later too), and "90 minutes" the length.
    Text that names no time or length stays as written."""
    if not text or (was == now_at and was_minutes == minutes):
        return text
    shift = now_at - was
    old_end = (was + timedelta(minutes=was_minutes)).strftime("%H:%M")
    new_end = (now_at + timedelta(minutes=minutes)).strftime("%H:%M")

    def moved(match: re.Match) -> str:
        clock = f"{int(match[1]):02d}:{match[2]}"
        if clock == old_end:
            return new_end
        moment = datetime.combine(was.date(), time(int(match[1]), int(match[2]))) + shift
        return moment.strftime("%H:%M")

    text = _CLOCK.sub(moved, text)
    return re.sub(rf"\b{was_minutes} minutes\b", f"{minutes} minutes", text)


def unlabelled(name: str, value: str) -> str:
    """An invitation field's text under its label, without the label said again: "Can't make
    it? No reply needed" under "Can't make it?" reads "No reply needed"."""
    label = INVITATION_LABELS[name]
    if value.casefold().startswith(label.casefold()):
        return value[len(label) :].lstrip(" :—-–").strip() or value
    return value


def invitation_gaps(meeting: Meeting) -> list[str]:
    """The invitation fields this meeting leaves unsaid, by their labels."""
    return [INVITATION_LABELS[field] for field in INVITATION_FIELDS if not getattr(meeting, field).strip()]


def invitee_count(group: Group) -> int:
    """Whom an invite goes to: active members with an email."""
    return Member.select().where((Member.group == group) & (Member.status == "active") & (Member.email != "")).count()


def minutes_problem(minutes: object, errors: dict[str, str], field: str = "minutes") -> int | None:
    """A meeting's length in whole minutes, or a message in `errors`."""
    try:
        value = int(str(minutes).strip())
    except ValueError:
        errors[field] = "the length is a whole number of minutes"
        return None
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        errors[field] = "a meeting lasts between 15 minutes and 24 hours"
        return None
    return value


def meeting_problems(values: dict) -> tuple[dict, dict[str, str]]:
    """Clean and check a meeting's editable fields; returns (clean values, {field: message})."""
    clean: dict = {}
    errors: dict[str, str] = {}
    for field in EDITABLE:
        if field in values and field != "minutes":
            clean[field] = tidy(values[field])
    if "title" in clean and not clean["title"]:
        errors["title"] = "a meeting needs a title"
    elif len(clean.get("title", "")) > 200:
        errors["title"] = "a title is at most 200 characters"
    for field in ("place",) + INVITATION_FIELDS:
        if len(clean.get(field, "")) > 2000:
            errors[field] = "at most 2,000 characters"
    if "minutes" in values:
        clean["minutes"] = minutes_problem(values["minutes"], errors)
    return clean, errors
