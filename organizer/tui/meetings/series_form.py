"""The monthly series form (`s` in Meetings): its rule, time and place, checked as you type,
with what a schedule did told in one sentence (`describe_change`)."""

from __future__ import annotations

from organizer.errors import ValidationError
from organizer.services import meetings
from organizer.services.checks import parse_date
from organizer.services.countries import country_label, country_problem, parse_country
from organizer.services.groups import local_today, update_group
from organizer.services.holidays import rule_holidays
from organizer.services.meeting_list import running_series
from organizer.services.records import (
    Group,
)
from organizer.services.recurrence import RULE_HINT, parse_clock, parse_rule_or_rrule
from organizer.services.series_changes import SeriesChange, schedule
from organizer.tui.meetings.forms import checked, problems_of
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen


class SeriesForm(FormScreen):
    """`a`: the series from a date on (the first one, or a change of rule, time or place).

    Before saving, the rule's field names the public holidays its meetings would fall on
    in the coming year (the country is the group's, set here too)."""

    FORM_TITLE = "The meeting series"
    HELP_TITLE = "Series"
    SAVE_LABEL = "Schedule"

    def __init__(self, group: Group):
        super().__init__()
        self.group = group

    def intro(self) -> str:
        return (
            "[dim]From the date on, this replaces the running series: stored meetings move to the "
            "nearest date under the new rule and keep their invites; held ones never change.[/dim]"
        )

    def build_fields(self) -> list[Field]:
        group = self.group
        today = local_today(group, self.app.clock())
        running = running_series(group, today)
        current = running[-1] if running else None
        rule = meetings.series_rule(current).words() if current else "2nd tuesday"
        return [
            Field("rule", "Meets on the", value=rule, hint=RULE_HINT),
            Field("at", "At", value=current.start_time if current else "07:30", hint="local time, HH:MM"),
            Field("minutes", "Minutes", value=str(current.minutes if current else 90)),
            Field("starts_on", "From", value=today.isoformat(), hint="YYYY-MM-DD: the change applies from here"),
            Field("ends_on", "Until", value="", placeholder="YYYY-MM-DD (blank: open-ended)"),
            Field("place", "Place", value=current.place if current else group.default_place),
            Field("title", "Title", value=current.title if current else f"{group.name} monthly meeting"),
            Field(
                "country",
                "Holidays of",
                value=country_label(group.country, group.subdivision),
                placeholder="e.g. DE-BY, CA-ON, US (blank: none)",
            ),
        ]

    def check(self, *, everything: bool = False) -> dict[str, str]:
        errors = super().check(everything=everything)
        self._flag_holidays(self.values(), errors)
        return errors

    def _flag_holidays(self, values: dict, errors: dict[str, str]) -> None:
        """Name the holidays the rule's meetings would fall on, under the rule's field."""
        field = self.field("rule")
        flagged: list[tuple] = []
        if not {"rule", "starts_on", "ends_on", "country"} & set(errors):
            rule, _ = checked(parse_rule_or_rrule, values["rule"])
            starts_on = parse_date(values["starts_on"], "starts_on", {})
            country, subdivision = parse_country(values["country"])
            if rule is not None and starts_on is not None:
                ends_on = parse_date(values["ends_on"], "ends_on", {})
                flagged = rule_holidays(country, subdivision, rule, starts_on, ends_on)
        if flagged:
            days = ", ".join(f"{day:%d %b %Y} {name}" for day, name in flagged[:3])
            more = f" and {len(flagged) - 3} more" if len(flagged) > 3 else ""
            field.hint = f"⚑ on a public holiday: {days}{more} (skip or move them once saved)"
        else:
            field.hint = RULE_HINT
        field.show(field.message or None)

    def _args(self, values: dict) -> tuple[dict, dict[str, str]]:
        errors: dict[str, str] = {}
        rule, error = checked(parse_rule_or_rrule, values["rule"])
        errors.update(problems_of(error))
        if problem := country_problem(values.get("country", "")):
            errors["country"] = problem
        _, error = checked(parse_clock, values["at"])
        errors.update(problems_of(error))
        minutes = meetings.minutes_problem(values["minutes"], errors)
        starts_on = parse_date(values["starts_on"], "starts_on", errors)
        if starts_on is None and "starts_on" not in errors:
            errors["starts_on"] = "give the first date: YYYY-MM-DD"
        ends_on = parse_date(values["ends_on"], "ends_on", errors)
        if starts_on and ends_on and ends_on < starts_on:
            errors["ends_on"] = "the series ends after it starts"
        args = dict(
            rule=rule,
            at=values["at"],
            minutes=minutes,
            starts_on=starts_on,
            ends_on=ends_on,
            place=values["place"],
            title=values["title"],
        )
        return args, errors

    def problems(self, values: dict) -> dict[str, str]:
        return self._args(values)[1]

    def save(self, values: dict) -> SeriesChange:
        args, errors = self._args(values)
        if errors:
            raise ValidationError(errors)
        if values["country"] != country_label(self.group.country, self.group.subdivision):
            update_group(self.group, country=values["country"])
        try:
            return schedule(self.group, now=self.app.clock(), **args)
        except ValidationError as error:
            raise ValidationError(problems_of(error, until="ends_on")) from None


def describe_change(change: SeriesChange) -> str:
    """What a schedule did, in one sentence for a notification."""
    rule = meetings.series_rule(change.series).describe()
    text = f"{rule} at {change.series.start_time} from {change.series.starts_on.isoformat()}"
    if change.ended:
        return f"{text}: {change.summary()}."
    return f"{text}: {change.created} meetings stored."
