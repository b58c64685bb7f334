"""Starting a group in one step: the group and its monthly meeting series, or nothing.

The onboarding form checks every field as it is typed (`onboarding_problems`) and
`start_group` writes the group and its series in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from organizer.errors import ValidationError
from organizer.models import Group, database
from organizer.services.checks import parse_date, timezone_problem
from organizer.services.groups import STARTER_INVITATION, create_group, group_problems, local_today
from organizer.services.meetings import create_series, fill_time_needed
from organizer.services.recurrence import Rule, parse_clock, parse_rule_or_rrule
from organizer.text import tidy

GROUP_FIELDS = ("name", "timezone", "organizer_name", "organizer_email", "currency", "country", "locale")
MEETING_FIELDS = ("rule", "at", "minutes", "starts_on")


def onboarding_problems(values: dict[str, Any], *, now: datetime) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean and check the onboarding fields present in `values`; returns (clean, {field: message})."""
    # Text as typed; the rule, the minutes and the first date become a Rule, an int, a date.
    clean: dict[str, Any] = {field: tidy(values[field]) for field in GROUP_FIELDS + MEETING_FIELDS if field in values}
    if "currency" in clean:
        clean["currency"] = clean["currency"].upper()
    errors = group_problems({k: v for k, v in clean.items() if k in GROUP_FIELDS})
    if "rule" in clean:
        try:
            clean["rule"] = parse_rule_or_rrule(clean["rule"])
        except ValidationError as error:
            errors.update(error.fields)
    if "at" in clean:
        try:
            parse_clock(clean["at"])
        except ValidationError as error:
            errors.update(error.fields)
    if "minutes" in clean:
        text = clean["minutes"]
        if not (text.isascii() and text.isdigit()) or not 15 <= int(text) <= 24 * 60:
            errors["minutes"] = "minutes: a whole number from 15 to 1440, e.g. 90"
        else:
            clean["minutes"] = int(text)
    if "starts_on" in clean:
        clean["starts_on"] = parse_date(clean["starts_on"], "starts_on", errors)
        first = clean["starts_on"]
        rule = clean.get("rule")
        if first and rule and not isinstance(rule, str) and not rule.matches(first):
            errors["starts_on"] = f"{first.isoformat()} is not a {rule.describe()}"
        elif first and "timezone" in clean and not timezone_problem(clean["timezone"]):
            today = now.astimezone(ZoneInfo(clean["timezone"])).date()
            if first < today:
                errors["starts_on"] = "the first meeting is today or later"
    return clean, errors


def first_date(rule: Rule, today: date) -> date:
    """The first date under `rule` on or after `today`."""
    return next(rule.dates(today))


def start_group(values: dict, *, now: datetime) -> Group:
    """Create the group and its meeting series; raises ValidationError naming every bad field."""
    every = {field: values.get(field, "") for field in GROUP_FIELDS + MEETING_FIELDS}
    clean, errors = onboarding_problems(every, now=now)
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        group = create_group(now=now, **{field: clean[field] for field in GROUP_FIELDS}, **STARTER_INVITATION)
        fill_time_needed(group, at=clean["at"], minutes=clean["minutes"])
        starts_on = clean["starts_on"] or first_date(clean["rule"], local_today(group, now))
        create_series(group, rule=clean["rule"], at=clean["at"], minutes=clean["minutes"], starts_on=starts_on, now=now)
    return group
