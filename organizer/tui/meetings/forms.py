"""The meetings' forms: a meeting's fields, a one-off meeting, a move, the monthly series,
an agenda item, one member's RSVP and attendance, a visitor at the door, and the group's
defaults for the five invitation fields.

Each checks as you type with the service's own rules (services.meetings, agenda,
attendance, series_changes) and dismisses with what it saved, or None when cancelled.
"""

from __future__ import annotations

from datetime import datetime

from organizer.services import agenda, attendance, meetings
from organizer.services.checks import parse_date
from organizer.services.countries import country_label, country_problem, parse_country
from organizer.services.errors import ValidationError
from organizer.services.groups import local_today, update_group, zone
from organizer.services.holidays import rule_holidays
from organizer.services.meeting_list import running_series
from organizer.services.members import member_problems
from organizer.services.records import (
    PRESENCE_STATES,
    RSVP_STATES,
    AgendaItem,
    Group,
    Meeting,
    Member,
)
from organizer.services.recurrence import RULE_HINT, parse_clock, parse_local, parse_rule_or_rrule
from organizer.services.series_changes import SeriesChange, schedule
from organizer.tui.meetings.text import PRESENCE_LABELS, RSVP_LABELS, when
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen
from organizer.tui.widgets.format import local_time
from organizer.tui.widgets.member_pick import member_suggester, resolve_member

# The invitation's own words (meetings.INVITATION_LABELS) are too long for a form's labels.
LABELS = {
    "intent": "What it is for",
    "benefit": "What you get",
    "topics": "Topics",
    "time_needed": "Time needed",
    "opt_out": "Can't make it?",
}
INVITATION_HINTS = {
    "intent": "why we meet",
    "benefit": "what the invitee gets from coming",
    "topics": "what will be discussed",
    "time_needed": "e.g. 90 minutes, 07:30–09:00",
    "opt_out": "a guilt-free way not to come",
}


def _problems_of(error: ValidationError | None, **renamed: str) -> dict[str, str]:
    """A service's field messages, with its field names mapped to the form's."""
    if error is None:
        return {}
    return {renamed.get(name, name): message for name, message in error.fields.items()}


def _checked(call, *args, **kwargs):
    """(result, None), or (None, the ValidationError) when the input is refused."""
    try:
        return call(*args, **kwargs), None
    except ValidationError as error:
        return None, error


def local_text(group: Group, moment: datetime) -> str:
    """'2026-12-08 07:30', the form the date-and-time fields take."""
    return f"{moment.astimezone(zone(group)):%Y-%m-%d %H:%M}"


def invitation_fields(values: dict[str, str]) -> list[Field]:
    return [
        Field(name, LABELS[name], value=values.get(name, ""), hint=INVITATION_HINTS[name])
        for name in meetings.INVITATION_FIELDS
    ]


class MeetingForm(FormScreen):
    """`e`: a meeting's title, place, length, the five invitation fields and notes."""

    HELP_TITLE = "Meeting form"
    DRAFT_KIND = "meeting_form"  # not "meeting": meeting mode keeps its drafts under "meeting:"

    def __init__(self, meeting: Meeting):
        super().__init__()
        self.meeting = meeting
        self.FORM_TITLE = f"Edit the meeting of {when(meeting.group, meeting)}"

    def draft_args(self) -> dict:
        return {"meeting": self.meeting.id}

    @classmethod
    def from_draft(cls, app, args: dict) -> MeetingForm | None:
        meeting = meetings.find_meeting(app.open_group, args.get("meeting"))
        return cls(meeting) if meeting is not None else None

    def intro(self) -> str:
        return (
            "[dim]A new title, place or length raises the invite's SEQUENCE: send the invite "
            "again (i) and calendars update it.[/dim]"
        )

    def build_fields(self) -> list[Field]:
        m = self.meeting
        return [
            Field("title", "Title", value=m.title),
            Field("place", "Place", value=m.place),
            Field("minutes", "Minutes", value=str(m.minutes), hint="the meeting's length"),
            *invitation_fields({name: getattr(m, name) for name in meetings.INVITATION_FIELDS}),
            Field("notes", "Notes", value=m.notes, hint="for the organizer; not in the invite"),
        ]

    def problems(self, values: dict) -> dict[str, str]:
        return meetings.meeting_problems(values)[1]

    def save(self, values: dict) -> Meeting:
        return meetings.update_meeting(self.meeting, now=self.app.clock(), **values)


class NewMeetingForm(FormScreen):
    """`n`: a one-off meeting (a social, an extra session), outside the monthly series."""

    FORM_TITLE = "New one-off meeting"
    HELP_TITLE = "New meeting"
    DRAFT_KIND = "new_meeting"

    @classmethod
    def from_draft(cls, app, args: dict) -> NewMeetingForm:
        return cls(app.open_group)

    def __init__(self, group: Group):
        super().__init__()
        self.group = group

    def build_fields(self) -> list[Field]:
        group = self.group
        series = running_series(group, local_today(group, self.app.clock()))
        minutes = series[-1].minutes if series else 90
        return [
            Field("starts", "Starts", placeholder="YYYY-MM-DD HH:MM", hint=f"local time ({group.timezone})"),
            Field("minutes", "Minutes", value=str(minutes)),
            Field("title", "Title", placeholder=f"{group.name} meeting"),
            Field("place", "Place", value=group.default_place),
            *invitation_fields(meetings.invitation_defaults(group)),
        ]

    def _start(self, values: dict) -> tuple[datetime | None, dict[str, str]]:
        if not values["starts"].strip():
            return None, {"starts": "give the date and time: YYYY-MM-DD HH:MM"}
        starts, error = _checked(parse_local, values["starts"], zone(self.group), "starts")
        return starts, _problems_of(error)

    def problems(self, values: dict) -> dict[str, str]:
        _, errors = self._start(values)
        found = meetings.meeting_problems({k: v for k, v in values.items() if k != "title"})[1]
        return {**found, **errors}

    def save(self, values: dict) -> Meeting:
        starts, errors = self._start(values)
        if errors or starts is None:  # no time without its error (see _start)
            raise ValidationError(errors)
        fields = {name: values[name] for name in meetings.INVITATION_FIELDS}
        return meetings.create_meeting(
            self.group,
            starts_at=starts,
            minutes=values["minutes"],
            title=values["title"],
            place=values["place"],
            now=self.app.clock(),
            **fields,
        )


class RescheduleForm(FormScreen):
    """`r`: move one meeting (date and time, place, length); the series stays where it is."""

    HELP_TITLE = "Reschedule"
    SAVE_LABEL = "Move"

    def __init__(self, meeting: Meeting):
        super().__init__()
        self.meeting = meeting
        self.FORM_TITLE = f"Reschedule the meeting of {when(meeting.group, meeting)}"

    def intro(self) -> str:
        return "[dim]Only this meeting moves; its SEQUENCE rises, so send the invite again (i).[/dim]"

    def build_fields(self) -> list[Field]:
        m = self.meeting
        return [
            Field(
                "starts",
                "Starts",
                value=local_text(m.group, m.starts_at),
                hint=f"YYYY-MM-DD HH:MM, local time ({m.group.timezone})",
            ),
            Field("place", "Place", value=m.place),
            Field("minutes", "Minutes", value=str(m.minutes)),
        ]

    def problems(self, values: dict) -> dict[str, str]:
        _, error = _checked(parse_local, values["starts"], zone(self.meeting.group), "starts")
        errors = _problems_of(error)
        meetings.minutes_problem(values["minutes"], errors)
        return errors

    def ask_first(self, values: dict) -> str | None:
        starts = parse_local(values["starts"], zone(self.meeting.group), "starts")
        if starts != self.meeting.starts_at and starts < self.app.clock():
            return f"Move the meeting into the past, to {local_time(self.meeting.group, starts)}?"
        return None

    def save(self, values: dict) -> Meeting:
        starts = parse_local(values["starts"], zone(self.meeting.group), "starts")
        return meetings.reschedule(
            self.meeting, now=self.app.clock(), starts_at=starts, place=values["place"], minutes=values["minutes"]
        )


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
            rule, _ = _checked(parse_rule_or_rrule, values["rule"])
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
        rule, error = _checked(parse_rule_or_rrule, values["rule"])
        errors.update(_problems_of(error))
        if problem := country_problem(values.get("country", "")):
            errors["country"] = problem
        _, error = _checked(parse_clock, values["at"])
        errors.update(_problems_of(error))
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
            raise ValidationError(_problems_of(error, until="ends_on")) from None


KIND_CHOICES = [(label, kind) for kind, label in agenda.KIND_LABELS.items()]


class AgendaItemForm(FormScreen):
    """`a` on the agenda adds an item; enter on an item edits it."""

    HELP_TITLE = "Agenda item"

    def __init__(self, meeting: Meeting, item: AgendaItem | None = None):
        super().__init__()
        self.meeting, self.item = meeting, item
        self.FORM_TITLE = "Edit the agenda item" if item else "Add to the agenda"

    def build_fields(self) -> list[Field]:
        item = self.item
        member = item.member if item and item.member_id else None
        return [
            Field("kind", "Kind", value=item.kind if item else "other", choices=KIND_CHOICES),
            Field("title", "Title", value=item.title if item else "", placeholder="blank: named for its kind"),
            Field("minutes", "Minutes", value=str(item.minutes) if item else "10"),
            Field(
                "member",
                "Member",
                value=member.name if member else "",
                placeholder="who leads it (optional)",
                suggester=member_suggester(self.meeting.group),
            ),
        ]

    def _args(self, values: dict) -> tuple[dict, dict[str, str]]:
        args = {key: values[key] for key in ("kind", "title", "minutes")}
        errors: dict[str, str] = {}
        args["member"] = None
        if values["member"].strip():
            args["member"], why = resolve_member(self.meeting.group, values["member"])
            if why:
                errors["member"] = why
        if self.item is not None and not values["title"].strip():
            args["title"] = agenda.KIND_LABELS.get(values["kind"], "")
        return args, errors

    def problems(self, values: dict) -> dict[str, str]:
        args, errors = self._args(values)
        found = agenda.item_problems({k: v for k, v in args.items() if k != "member"})[1]
        return {**found, **errors}

    def save(self, values: dict) -> AgendaItem:
        args, errors = self._args(values)
        if errors:
            raise ValidationError(errors)
        if self.item is None:
            return agenda.add_item(self.meeting, **args)
        return agenda.update_item(self.item, **args)


NOT_RECORDED = "-"
PRESENCE_CHOICES = [(PRESENCE_LABELS[None], NOT_RECORDED)] + [(PRESENCE_LABELS[p], p) for p in PRESENCE_STATES]
RSVP_CHOICES = [(RSVP_LABELS[r], r) for r in RSVP_STATES]


class AttendanceForm(FormScreen):
    """enter on the roster: one member's RSVP and how they attended (a substitute by name)."""

    HELP_TITLE = "Attendance"

    def __init__(self, meeting: Meeting, line: attendance.RosterLine, actor: Member | None):
        super().__init__()
        self.meeting, self.line, self.actor = meeting, line, actor
        self.FORM_TITLE = f"{line.member.name} at the meeting of {when(meeting.group, meeting)}"

    def intro(self) -> str:
        if self.meeting.status == "held":
            return "[b]This meeting was held:[/b] a change of attendance is kept as a correction, with the reason."
        return ""

    def build_fields(self) -> list[Field]:
        row = self.line.attendance
        fields = [
            Field("rsvp", "RSVP", value=self.line.rsvp, choices=RSVP_CHOICES),
            Field("presence", "Attendance", value=self.line.presence or NOT_RECORDED, choices=PRESENCE_CHOICES),
            Field(
                "substitute_name",
                "Substitute",
                value=row.substitute_name if row else "",
                placeholder="who came instead (substitute only)",
            ),
        ]
        if self.meeting.status == "held":
            fields.append(Field("reason", "Why", placeholder="e.g. forgot to check in"))
        return fields

    def _presence(self, values: dict) -> tuple[str | None, str]:
        presence = None if values["presence"] == NOT_RECORDED else values["presence"]
        return presence, values["substitute_name"].strip() if presence == "substitute" else ""

    def _presence_changes(self, values: dict) -> bool:
        presence, with_name = self._presence(values)
        row = self.line.attendance
        return presence != self.line.presence or (row is not None and with_name != row.substitute_name)

    def problems(self, values: dict) -> dict[str, str]:
        errors = {}
        if values["presence"] == "substitute" and not values["substitute_name"].strip():
            errors["substitute_name"] = "name the substitute who came instead"
        if self.meeting.status == "held" and self._presence_changes(values) and not values.get("reason", "").strip():
            errors["reason"] = "say why the record of a held meeting changes"
        return errors

    def save(self, values: dict) -> attendance.RosterLine:
        now, member = self.app.clock(), self.line.member
        presence, with_name = self._presence(values)
        meetings.answer_and_attend(
            self.meeting,
            member,
            now=now,
            rsvp=values["rsvp"] if values["rsvp"] != self.line.rsvp else None,
            presence=(presence, with_name) if self._presence_changes(values) else None,
            actor=self.actor,
            reason=values.get("reason", ""),
        )
        return self.line


class VisitorForm(FormScreen):
    """`v`: a visitor at the door, with who invited them; they are checked in at once."""

    FORM_TITLE = "A visitor at the door"
    HELP_TITLE = "Visitor"
    SAVE_LABEL = "Check in"
    DRAFT_KIND = "visitor"

    def __init__(self, meeting: Meeting):
        super().__init__()
        self.meeting = meeting

    def draft_args(self) -> dict:
        return {"meeting": self.meeting.id}

    @classmethod
    def from_draft(cls, app, args: dict) -> VisitorForm | None:
        meeting = meetings.find_meeting(app.open_group, args.get("meeting"))
        return cls(meeting) if meeting is not None and meeting.status == "scheduled" else None

    def intro(self) -> str:
        return "[dim]They join the roster as a visitor; who invited them shows in the recap.[/dim]"

    def build_fields(self) -> list[Field]:
        return [
            Field("name", "Name", placeholder="first and last name"),
            Field(
                "invited_by",
                "Invited by",
                placeholder="a member's name (→ completes)",
                suggester=member_suggester(self.meeting.group),
            ),
            Field("business", "Business"),
            Field("email", "Email", placeholder="for next month's invite (optional)"),
            Field("phone", "Phone"),
        ]

    def _args(self, values: dict) -> tuple[dict, dict[str, str]]:
        args = {key: values[key] for key in ("name", "business", "email", "phone")}
        errors: dict[str, str] = {}
        args["invited_by"] = None
        if values["invited_by"].strip():
            args["invited_by"], why = resolve_member(self.meeting.group, values["invited_by"])
            if why:
                errors["invited_by"] = why
        return args, errors

    def problems(self, values: dict) -> dict[str, str]:
        args, errors = self._args(values)
        found = member_problems(self.meeting.group, {**args, "status": "visitor"})[1]
        return {**found, **errors}

    def save(self, values: dict) -> Member:
        args, errors = self._args(values)
        if errors:
            raise ValidationError(errors)
        return attendance.add_visitor(self.meeting, now=self.app.clock(), **args).member


class InvitationDefaultsForm(FormScreen):
    """`d`: what every new meeting's five invitation fields say unless changed for that meeting."""

    FORM_TITLE = "What every invitation says"
    HELP_TITLE = "Invitation defaults"

    def __init__(self, group: Group):
        super().__init__()
        self.group = group

    def intro(self) -> str:
        return (
            "[dim]Every invite states its intent, what the invitee gets, the topics, the time it "
            "takes and a guilt-free out. Upcoming meetings that still say the old text take the new.[/dim]"
        )

    def build_fields(self) -> list[Field]:
        return invitation_fields(meetings.invitation_defaults(self.group))

    def problems(self, values: dict) -> dict[str, str]:
        return meetings.meeting_problems(values)[1]

    def save(self, values: dict) -> int:
        return meetings.update_invitation_defaults(self.group, now=self.app.clock(), **values)


def describe_change(change: SeriesChange) -> str:
    """What a schedule did, in one sentence for a notification."""
    rule = meetings.series_rule(change.series).describe()
    text = f"{rule} at {change.series.start_time} from {change.series.starts_on.isoformat()}"
    if change.ended:
        return f"{text}: {change.summary()}."
    return f"{text}: {change.created} meetings stored."
