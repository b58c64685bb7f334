"""The ledger's dialogs: record a referral, advance it, thank, void, and the list's filter.

Each form checks as you type with the same rules the services apply (the services'
ValidationError.fields land under the matching fields), and dismisses with the saved
Referral (or the new filter), or None when cancelled.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from organizer.errors import ValidationError
from organizer.services import ledger
from organizer.services.checks import year_problem
from organizer.services.groups import local_today
from organizer.services.identity import who_am_i
from organizer.services.ledger import find_referral
from organizer.services.ledger_queries import ROLES, LedgerFilter
from organizer.services.meetings import find_meeting, list_meetings, local_date
from organizer.services.money import check_amount, format_money, parse_money
from organizer.services.records import (
    REFERRAL_KINDS,
    REFERRAL_STATUSES,
    Group,
    Member,
    Referral,
)
from organizer.tui.ledger.text import clip
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.member_pick import member_suggester, resolve_member


def _check_date(text: str, field: str, errors: dict[str, str]) -> None:
    from organizer.services.checks import parse_date

    parse_date(text, field, errors)


class RecordReferralForm(FormScreen):
    """`n`: a new referral, open, dated today unless told otherwise."""

    FORM_TITLE = "Record a referral"
    SAVE_LABEL = "Record"
    DRAFT_KIND = "referral"

    def __init__(self, group: Group, now):
        super().__init__()
        self.group, self.now = group, now

    @classmethod
    def from_draft(cls, app, args: dict) -> RecordReferralForm:
        return cls(app.open_group, app.clock())

    def intro(self) -> str:
        return "[dim]Members: type part of a name (→ completes it). Kind: inside = the giver is the customer.[/dim]"

    def build_fields(self) -> list[Field]:
        names = member_suggester(self.group)
        today = local_today(self.group, self.now)
        meetings = [
            m
            for m in reversed(list_meetings(self.group, today - timedelta(days=400), today))
            if m.status in ("scheduled", "held")
        ][:12]
        meeting_choices = [("(none)", "")] + [
            (f"{local_date(m).isoformat()}  {clip(m.title or 'meeting', 40)}", str(m.id)) for m in meetings
        ]
        return [
            Field("giver", "Giver", placeholder="who passed it on", suggester=names),
            Field("receiver", "Receiver", placeholder="who gets the business", suggester=names),
            Field("prospect_name", "Prospect", placeholder="person or business"),
            Field("prospect_contact", "Contact", placeholder="phone, email or 'via …' (optional)"),
            Field(
                "kind",
                "Kind",
                value="outside",
                choices=[("outside (a third party)", "outside"), ("inside (the giver)", "inside")],
            ),
            Field("temperature", "Temperature", value="3", hint="1 (cold) – 5 (hot)"),
            Field("given_on", "Date", value=today.isoformat(), hint="YYYY-MM-DD"),
            Field("meeting", "Meeting", value="", choices=meeting_choices),
            Field("parent", "Came from #", placeholder="an earlier referral's number (optional)"),
            Field("notes", "Notes"),
        ]

    def _values(self, values: dict) -> tuple[dict, dict[str, str]]:
        """The form's text as the service's arguments, with the problems found on the way."""
        errors: dict[str, str] = {}
        args: dict = {
            key: values[key]
            for key in ("prospect_name", "prospect_contact", "kind", "temperature", "given_on", "notes")
        }
        for role in ("giver", "receiver"):
            member, why = resolve_member(self.group, values[role])
            args[role] = member
            if why:
                errors[role] = why
        args["meeting"] = None
        if values["meeting"]:
            args["meeting"] = find_meeting(self.group, int(values["meeting"]))
        args["parent"] = None
        parent = values["parent"].strip()
        if parent:
            found = find_referral(self.group, parent)
            if found is None:
                errors["parent"] = f"no referral #{parent.lstrip('#')}"
            args["parent"] = found
        return args, errors

    def problems(self, values: dict) -> dict[str, str]:
        args, errors = self._values(values)
        _, found = ledger.referral_problems(self.group, args, now=self.now)
        # "choose the giver among the members" says less than what resolving found.
        return {**found, **errors}

    def save(self, values: dict) -> Referral:
        args, errors = self._values(values)
        if errors:
            raise ValidationError(errors)
        return ledger.record_referral(self.group, now=self.now, actor=who_am_i(self.group), **args)


class AdvanceForm(FormScreen):
    """`a`: open → contacted → won (with its value) / lost, on a date."""

    FORM_TITLE = "Move the referral on"
    SAVE_LABEL = "Save"

    def __init__(self, referral: Referral, now):
        super().__init__()
        self.referral, self.now = referral, now
        self.FORM_TITLE = f"Referral #{referral.id}: {clip(referral.prospect_name, 40)}"

    def intro(self) -> str:
        r = self.referral
        return (
            f"{escape(r.giver.name)} → {escape(r.receiver.name)} · now [b]{r.status}[/b] · "
            f"value like {format_money(125050, r.group.currency, locale=r.group.locale)} "
            f"({escape(r.group.currency)}) when won"
        )

    def build_fields(self) -> list[Field]:
        nexts = ledger.NEXT_STATUSES[self.referral.status]
        today = local_today(self.referral.group, self.now)
        return [
            Field("status", "New status", value=nexts[0], choices=[(s, s) for s in nexts]),
            Field("on", "On", value=today.isoformat(), hint="YYYY-MM-DD"),
            Field("value", "Value", placeholder="e.g. 1,250.50 (won only)"),
            Field("reason", "Why (optional)"),
        ]

    def problems(self, values: dict) -> dict[str, str]:
        errors: dict[str, str] = {}
        _check_date(values["on"], "on", errors)
        if values["value"].strip():
            if values["status"] != "won":
                errors["value"] = "only won business has a value"
            else:
                try:
                    currency, locale = self.referral.group.currency, self.referral.group.locale
                    check_amount(parse_money(values["value"], currency, locale=locale), currency)
                except ValidationError as error:
                    errors.update(error.fields)
        return errors

    def save(self, values: dict) -> Referral:
        return ledger.advance(
            self.referral,
            values["status"],
            now=self.now,
            on=values["on"],
            value=values["value"].strip() or None,
            reason=values["reason"],
            actor=who_am_i(self.referral.group),
        )


class ThankForm(FormScreen):
    """`t`: the receiver's thank-you, with a note."""

    SAVE_LABEL = "Record thank-you"

    def __init__(self, referral: Referral, now):
        super().__init__()
        self.referral, self.now = referral, now
        self.FORM_TITLE = f"Thank-you for #{referral.id}"

    def intro(self) -> str:
        r = self.referral
        return f"{escape(r.receiver.name)} thanks {escape(r.giver.name)} for {escape(r.prospect_name)}"

    def build_fields(self) -> list[Field]:
        today = local_today(self.referral.group, self.now)
        return [
            Field("note", "Note", placeholder="what they said (optional)"),
            Field("on", "On", value=today.isoformat(), hint="YYYY-MM-DD"),
        ]

    def problems(self, values: dict) -> dict[str, str]:
        errors: dict[str, str] = {}
        _check_date(values["on"], "on", errors)
        return errors

    def save(self, values: dict) -> Referral:
        return ledger.thank(
            self.referral, now=self.now, on=values["on"], note=values["note"], actor=who_am_i(self.referral.group)
        )


class VoidForm(FormScreen):
    """`x`: void a wrong entry with a reason; the section asks once more before it happens."""

    SAVE_LABEL = "Void"

    def __init__(self, referral: Referral):
        super().__init__()
        self.referral = referral
        self.FORM_TITLE = f"Void referral #{referral.id}"

    def intro(self) -> str:
        r = self.referral
        return (
            f"{escape(r.giver.name)} → {escape(r.receiver.name)}: {escape(r.prospect_name)}\n"
            "[dim]A voided entry stays in the list and its history, marked void, "
            "and leaves every total.[/dim]"
        )

    def build_fields(self) -> list[Field]:
        return [Field("reason", "Reason", placeholder="why it is wrong (required)")]

    def problems(self, values: dict) -> dict[str, str]:
        return {} if values["reason"].strip() else {"reason": "say why the entry is voided"}

    def save(self, values: dict) -> str:
        return values["reason"].strip()


_ANY = ""
MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(text: str) -> date | None:
    """'2026-03' → 2026-03-01; raises ValueError for anything else but blank (None)."""
    if not text.strip():
        return None
    found = MONTH.match(text)
    if not found or not 1 <= int(found[2]) <= 12 or year_problem(int(found[1])):
        raise ValueError(text)
    return date(int(found[1]), int(found[2]), 1)


class LedgerFilterForm(FormScreen):
    """`f`: month, member (as giver, receiver or either), status, kind and words."""

    FORM_TITLE = "Filter the ledger"
    SAVE_LABEL = "Apply"
    HINT = "ctrl+s or enter applies · blank means any · escape cancels"
    ENTER_SAVES = True  # a filter applies on enter from any field, as the hint says

    def __init__(self, group: Group, flt: LedgerFilter, member_name: str):
        super().__init__()
        self.group, self.flt, self.member_name = group, flt, member_name

    def build_fields(self) -> list[Field]:
        flt = self.flt
        return [
            Field(
                "month",
                "Month",
                value=flt.month.strftime("%Y-%m") if flt.month else "",
                placeholder="YYYY-MM (blank: every month)",
            ),
            Field(
                "member",
                "Member",
                value=self.member_name,
                placeholder="a name (blank: everyone)",
                suggester=member_suggester(self.group),
            ),
            Field("role", "as", value=flt.role, choices=[(role, role) for role in ROLES]),
            Field(
                "status",
                "Status",
                value=flt.statuses[0] if len(flt.statuses) == 1 else _ANY,
                choices=[("any", _ANY)] + [(s, s) for s in REFERRAL_STATUSES],
            ),
            Field("kind", "Kind", value=flt.kind or _ANY, choices=[("any", _ANY)] + [(k, k) for k in REFERRAL_KINDS]),
            Field("text", "Words", value=flt.text, placeholder="in the prospect or the notes"),
        ]

    def _member(self, text: str) -> tuple[Member | None, str]:
        if not text.strip():
            return None, ""
        return resolve_member(self.group, text, statuses=())

    def problems(self, values: dict) -> dict[str, str]:
        errors: dict[str, str] = {}
        try:
            parse_month(values["month"])
        except ValueError:
            errors["month"] = f"“{values['month']}” is not a month: use YYYY-MM"
        _, why = self._member(values["member"])
        if why:
            errors["member"] = why
        return errors

    def save(self, values: dict) -> tuple[LedgerFilter, str]:
        member, _ = self._member(values["member"])
        flt = LedgerFilter(
            month=parse_month(values["month"]),
            member_id=member.id if member else None,
            role=values["role"],
            statuses=(values["status"],) if values["status"] else (),
            kind=values["kind"] or None,
            text=values["text"].strip(),
        )
        return flt, member.name if member else ""
