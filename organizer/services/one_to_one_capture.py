"""The one-line one-to-one of meeting mode and the member page: `ana + ben: coffee tuesday`.

    A + B[: WORDS]

- A and B are members, found as the referral capture finds them (folded names, whole words,
  starts of words, or an email).
- WORDS may name the day: `today`, `yesterday`, a weekday (`tuesday`, `tue`, the latest
  such day up to today, optionally after `last`) or a date `YYYY-MM-DD`; without one, today.
- WORDS may name where: `video` (or zoom, teams, meet), `phone` (or call), `in-person`;
  without one, in person. Whatever is left is the note ("coffee").

`preview_one_to_one` never raises (problems are in `errors`); `record_previewed` saves a
clean preview through services.one_to_ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from organizer.errors import ValidationError
from organizer.models import Group, Member, OneToOne
from organizer.services import one_to_ones
from organizer.services.capture import resolve_member
from organizer.services.checks import parse_date
from organizer.services.groups import local_today
from organizer.text import fold, tidy

FORMAT_HINT = "write it as: ana + ben: coffee tuesday"
_WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_WHERE = {
    "video": "video",
    "zoom": "video",
    "teams": "video",
    "meet": "video",
    "phone": "phone",
    "call": "phone",
    "in-person": "in_person",
    "in_person": "in_person",
}
_PLUS = re.compile(r"\s*\+\s*")


@dataclass
class OneToOnePreview:
    text: str
    member_a: Member | None = None
    member_b: Member | None = None
    met_on: date | None = None
    mode: str = "in_person"
    notes: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def describe(self) -> str:
        a = self.member_a.name if self.member_a else "?"
        b = self.member_b.name if self.member_b else "?"
        day = self.met_on.isoformat() if self.met_on else "?"
        notes = f": {self.notes}" if self.notes else ""
        return f"one-to-one {a} + {b}, {day}, {one_to_ones.where_text(self.mode)}{notes}"


def looks_like_one_to_one(text: str) -> bool:
    """Whether a capture line is a one-to-one (`a + b…`) rather than a referral (`a > b: …`)."""
    head = text.partition(":")[0]
    return "+" in head and not re.search(r"->|→|>", head)


def _day(word: str, today: date) -> date | None:
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    for number, name in enumerate(_WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return today - timedelta(days=(today.weekday() - number) % 7)
    return None


def preview_one_to_one(group: Group, text: str, *, now: datetime) -> OneToOnePreview:
    """Parse a one-to-one line; never raises."""
    preview = OneToOnePreview(text=text)
    today = local_today(group, now)
    head, _, rest = tidy(text).partition(":")
    names = _PLUS.split(head.strip())
    if len(names) != 2 or not all(name.strip() for name in names):
        preview.errors["line"] = FORMAT_HINT
        return preview
    for attribute, query in (("member_a", names[0]), ("member_b", names[1])):
        member, problem, _ = resolve_member(group, query)
        setattr(preview, attribute, member)
        if problem:
            preview.errors[attribute] = problem
    notes: list[str] = []
    words = rest.split()
    for index, word in enumerate(words):
        folded = fold(word).strip(",.;")
        if folded == "last" and index + 1 < len(words) and _day(fold(words[index + 1]).strip(",.;"), today):
            continue
        day = _day(folded, today)
        if day is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", folded):
            day = parse_date(folded, "met_on", preview.errors)
            if day is None:
                continue
        if day is not None:
            preview.met_on = day
        elif folded in _WHERE:
            preview.mode = _WHERE[folded]
        else:
            notes.append(word)
    if rest and re.search(r"\bin person\b", fold(rest)):
        preview.mode = "in_person"
        notes = " ".join(notes).replace("in person", "").split()
    preview.notes = " ".join(notes).strip(" ,")
    preview.met_on = preview.met_on or today
    if preview.ok:
        preview.errors.update(
            one_to_ones.one_to_one_problems(group, preview.member_a, preview.member_b, preview.met_on, today=today)
        )
    return preview


def record_previewed(group: Group, preview: OneToOnePreview, *, now: datetime) -> OneToOne:
    """Save a clean preview; a ValidationError when it has problems."""
    if not preview.ok or preview.member_a is None or preview.member_b is None:
        raise ValidationError(preview.errors or {"line": FORMAT_HINT})
    return one_to_ones.record_one_to_one(
        group,
        member_a=preview.member_a,
        member_b=preview.member_b,
        met_on=preview.met_on,
        mode=preview.mode,
        notes=preview.notes,
        now=now,
    )
