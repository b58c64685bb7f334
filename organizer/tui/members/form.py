"""Add or edit a member in a modal form that checks every field as it is typed.

The checks are services.members.member_problems (the same the imports use); "invited by"
takes a member's name or email and is resolved with services.members.find_member.
Dismisses with the saved Member, or None when cancelled.
"""

from __future__ import annotations

from organizer.errors import NotFound, ValidationError
from organizer.services.groups import local_today
from organizer.services.members import (
    STATUS_LABELS,
    add_member,
    find_member,
    find_member_by_id,
    member_problems,
    update_member,
)
from organizer.services.records import MEMBER_STATUSES, Group, Member
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen

STATUS_CHOICES = [(STATUS_LABELS[status], status) for status in MEMBER_STATUSES]


class MemberForm(FormScreen):
    """`MemberForm(group)` adds a member; `MemberForm(group, member)` edits one."""

    HELP_TITLE = "Member form"
    DRAFT_KIND = "member"

    def __init__(self, group: Group, member: Member | None = None):
        self.group, self.member = group, member
        self.FORM_TITLE = f"Edit {member.name}" if member else "New member"
        super().__init__()

    def draft_args(self) -> dict:
        return {"member": self.member.id if self.member else None}

    @classmethod
    def from_draft(cls, app, args: dict) -> MemberForm | None:
        group = app.open_group
        member = find_member_by_id(group, args.get("member"))
        return None if args.get("member") and member is None else cls(group, member)

    def build_fields(self) -> list[Field]:
        m = self.member
        today = local_today(self.group, self.app.clock())
        inviter = m.invited_by if m and m.invited_by_id else None
        return [
            Field("name", "Name", value=m.name if m else "", placeholder="first and last name"),
            Field("business", "Business", value=m.business if m else ""),
            Field(
                "category",
                "Category",
                value=m.category if m else "",
                hint="one active member per category" if not self.group.allow_shared_categories else "",
            ),
            Field("email", "Email", value=m.email if m else "", placeholder="name@example.com"),
            Field("phone", "Phone", value=m.phone if m else ""),
            Field("website", "Website", value=m.website if m else "", placeholder="example.com"),
            Field("status", "Status", value=m.status if m else "active", choices=STATUS_CHOICES),
            Field("joined_on", "Joined", value=_iso(m.joined_on) if m else today.isoformat(), hint="YYYY-MM-DD"),
            Field("renewal_due", "Renewal due", value=_iso(m.renewal_due) if m else "", hint="YYYY-MM-DD"),
            Field(
                "invited_by",
                "Invited by",
                value=(inviter.email or inviter.name) if inviter else "",
                placeholder="a member's email or name",
            ),
            Field(
                "good_referral",
                "Good referral",
                value=m.good_referral if m else "",
                placeholder="a good referral for me is…",
            ),
            Field("bio", "Bio", value=m.bio if m else ""),
            Field("notes", "Notes", value=m.notes if m else ""),
        ]

    def _resolve(self, values: dict) -> tuple[dict, dict[str, str]]:
        """The form's text with "invited by" turned into a member (or its message)."""
        values, errors = dict(values), {}
        who = values.get("invited_by", "").strip()
        values["invited_by"] = None
        if who:
            try:
                values["invited_by"] = find_member(self.group, who)
            except NotFound as error:
                errors["invited_by"] = str(error)
        return values, errors

    def problems(self, values: dict) -> dict[str, str]:
        values, errors = self._resolve(values)
        _, found = member_problems(self.group, values, existing=self.member)
        return {**found, **errors}

    def save(self, values: dict) -> Member:
        values, errors = self._resolve(values)
        if errors:
            raise ValidationError(errors)
        now = self.app.clock()
        if self.member is None:
            return add_member(self.group, now=now, **values)
        return update_member(self.member, now=now, **values)


def _iso(day) -> str:
    return day.isoformat() if day else ""
