"""The forms of the night: an agenda item, one member's RSVP and attendance (a substitute
by name), and a visitor at the door, checked in as they are added."""

from __future__ import annotations

from organizer.errors import ValidationError
from organizer.services import agenda, attendance, meetings
from organizer.services.members import member_problems
from organizer.services.records import (
    PRESENCE_STATES,
    RSVP_STATES,
    AgendaItem,
    Meeting,
    Member,
)
from organizer.tui.meetings.text import PRESENCE_LABELS, RSVP_LABELS, when
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen
from organizer.tui.widgets.member_pick import member_suggester, resolve_member

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
