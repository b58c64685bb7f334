"""The meetings' forms: a meeting's fields, a one-off meeting, a move, and the group's
defaults for the five invitation fields; with what every meetings form shares (a
service's field messages mapped to the form's, the date-and-time text).

The monthly series has its own module (series_form), as do the forms of the night:
an agenda item, one member's RSVP and attendance, a visitor at the door (night_forms).
Each checks as you type with the service's own rules (services.meetings, agenda,
attendance, series_changes) and dismisses with what it saved, or None when cancelled.
"""

from __future__ import annotations

from datetime import datetime

from organizer.errors import ValidationError
from organizer.services import meetings
from organizer.services.groups import local_today, zone
from organizer.services.meeting_list import running_series
from organizer.services.records import (
    Group,
    Meeting,
)
from organizer.services.recurrence import parse_local
from organizer.tui.meetings.text import when
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen
from organizer.tui.widgets.format import local_time

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


def problems_of(error: ValidationError | None, **renamed: str) -> dict[str, str]:
    """A service's field messages, with its field names mapped to the form's."""
    if error is None:
        return {}
    return {renamed.get(name, name): message for name, message in error.fields.items()}


def checked(call, *args, **kwargs):
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
            "[dim]After a new title, place or length, send the invite again (i): calendars "
            "that have it update it.[/dim]"
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
        starts, error = checked(parse_local, values["starts"], zone(self.group), "starts")
        return starts, problems_of(error)

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
        self.replacing: meetings.InTheWay | None = None  # the meeting to cancel, once agreed

    def intro(self) -> str:
        return "[dim]Only this meeting moves; send the invite again (i) and calendars move it too.[/dim]"

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
        _, error = checked(parse_local, values["starts"], zone(self.meeting.group), "starts")
        errors = problems_of(error)
        meetings.minutes_problem(values["minutes"], errors)
        return errors

    def ask_first(self, values: dict) -> str | None:
        group = self.meeting.group
        starts = parse_local(values["starts"], zone(group), "starts")
        questions = []
        if starts != self.meeting.starts_at and starts < self.app.clock():
            questions.append(f"Move the meeting into the past, to {local_time(group, starts)}?")
        # One meeting a date: a meeting already there is cancelled for this one, if agreed.
        # A held one cannot be: the save says so.
        clash = meetings.in_the_way(group, starts, moving=self.meeting)
        self.replacing = clash if clash is not None and not clash.held else None
        if self.replacing is not None:
            questions.append(f"{self.replacing.describe()}: cancel it and move this one there?")
        return " ".join(questions) or None

    def save(self, values: dict) -> Meeting | meetings.Rescheduled:
        """The moved meeting; or, when it took another's date, both (see services.meetings)."""
        starts = parse_local(values["starts"], zone(self.meeting.group), "starts")
        now, place, minutes = self.app.clock(), values["place"], values["minutes"]
        if self.replacing is None:
            return meetings.reschedule(self.meeting, now=now, starts_at=starts, place=place, minutes=minutes)
        return meetings.reschedule_replacing(
            self.meeting, self.replacing, now=now, starts_at=starts, place=place, minutes=minutes
        )


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
