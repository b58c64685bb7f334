"""`e` on a referral: correct what was recorded wrongly, with a reason.

The form starts with the referral's values; only what the person changes is sent to
`ledger.correct`, which keeps the original in a 'corrected' event (before → after, who,
when, why). Void stays for a referral that never happened.
"""

from __future__ import annotations

from organizer.errors import NotFound, ValidationError
from organizer.services import ledger
from organizer.services.identity import who_am_i
from organizer.services.ledger import find_referral
from organizer.services.money import format_money, parse_money
from organizer.services.records import REFERRAL_KINDS, Referral
from organizer.tui.ledger.text import clip
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.member_pick import member_suggester, resolve_member


class CorrectForm(FormScreen):
    """Prospect, contact, receiver, temperature, value, date, kind and parent; a reason is required."""

    SAVE_LABEL = "Correct"
    DRAFT_KIND = "correction"

    def __init__(self, referral: Referral, now):
        super().__init__()
        self.referral, self.now = referral, now
        self.FORM_TITLE = f"Correct referral #{referral.id}: {clip(referral.prospect_name, 40)}"

    def draft_args(self) -> dict:
        return {"referral": self.referral.id}

    @classmethod
    def from_draft(cls, app, args: dict) -> CorrectForm | None:
        referral = find_referral(app.open_group, str(args.get("referral", "")))
        return cls(referral, app.clock()) if referral is not None and referral.voided_at is None else None

    def intro(self) -> str:
        r = self.referral
        return (
            f"{escape(r.giver.name)} → {escape(r.receiver.name)} · {r.status}\n"
            "[dim]The history keeps the values before the correction and your reason. "
            "A referral that never happened is voided (x) instead.[/dim]"
        )

    def _value_text(self) -> str:
        r, group = self.referral, self.referral.group
        return "" if r.value_minor is None else format_money(r.value_minor, group.currency, locale=group.locale)

    def build_fields(self) -> list[Field]:
        r = self.referral
        group = r.group
        return [
            Field("prospect_name", "Prospect", value=r.prospect_name),
            Field("prospect_contact", "Contact", value=r.prospect_contact),
            Field(
                "receiver",
                "Receiver",
                value=r.receiver.name,
                suggester=member_suggester(group),
            ),
            Field(
                "temperature",
                "Temperature",
                value=str(r.temperature),
                hint="1 (cold) – 5 (hot)",
            ),
            Field(
                "value",
                "Value",
                value=self._value_text(),
                hint=group.currency,
                placeholder="blank: no value",
            ),
            Field("given_on", "Date", value=r.given_on.isoformat(), hint="YYYY-MM-DD"),
            Field(
                "kind",
                "Kind",
                value=r.kind,
                choices=[(kind, kind) for kind in REFERRAL_KINDS],
            ),
            Field(
                "parent",
                "Came from #",
                value=str(r.parent_id or ""),
                placeholder="blank: none",
            ),
            Field("reason", "Reason", placeholder="why it is corrected (required)"),
        ]

    def _changes(self, values: dict) -> tuple[dict, dict[str, str]]:
        """What differs from the referral, as `ledger.correct` takes it, and what cannot be read."""
        r = self.referral
        errors: dict[str, str] = {}
        changes: dict = {}
        for name in ("prospect_name", "prospect_contact", "kind"):
            if values[name].strip() != getattr(r, name):
                changes[name] = values[name]
        if values["temperature"].strip() != str(r.temperature):
            changes["temperature"] = values["temperature"]
        if values["given_on"].strip() != r.given_on.isoformat():
            changes["given_on"] = values["given_on"]
        if values["receiver"].strip() != r.receiver.name:
            member, why = resolve_member(r.group, values["receiver"])
            if member is None:
                errors["receiver"] = why
            else:
                changes["receiver"] = member
        parent = values["parent"].strip().lstrip("#")
        if parent != str(r.parent_id or ""):
            if not parent:
                changes["parent"] = None
            elif not parent.isdigit():
                errors["parent"] = "the number of an earlier referral, or blank"
            else:
                try:
                    changes["parent"] = ledger.get_referral(r.group, int(parent))
                except NotFound as error:
                    errors["parent"] = str(error)
        if values["value"].strip() != self._value_text():
            changes["value"] = values["value"].strip() or None
            if changes["value"]:
                try:
                    parse_money(changes["value"], r.group.currency, locale=r.group.locale)
                except ValidationError as error:
                    errors.update(error.fields)
        return changes, errors

    def problems(self, values: dict) -> dict[str, str]:
        _, errors = self._changes(values)
        if not values["reason"].strip():
            errors["reason"] = "say why the referral is corrected"
        return errors

    def save(self, values: dict) -> Referral:
        changes, errors = self._changes(values)
        if errors:
            raise ValidationError(errors)
        return ledger.correct(
            self.referral,
            reason=values["reason"],
            now=self.now,
            actor=who_am_i(self.referral.group),
            **changes,
        )
