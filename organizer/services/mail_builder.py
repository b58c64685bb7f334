"""One send as built messages: what a plan holds (`SendPlan` of `Outgoing` messages) and
the builder that leaves out who already has the send, opted out, or was nudged too recently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from peewee import ModelSelect

from organizer.errors import UserError
from organizer.exports.ical import Person
from organizer.exports.mail_message import Mail, message_bytes, message_id
from organizer.models import Group, Member, SendLog
from organizer.rows import row_tuples
from organizer.services.mail_opt_out import NUDGES, OPT_OUT_KINDS, cap_days, opted_out
from organizer.services.mail_settings import SmtpSettings


@dataclass(frozen=True)
class Outgoing:
    kind: str
    send_key: str
    member_id: int | None
    name: str
    email: str
    subject: str
    message_id: str
    data: bytes


@dataclass
class SendPlan:
    kind: str
    outgoing: list[Outgoing]
    already_sent: int = 0
    opted_out: int = 0
    too_soon: int = 0
    # Written when a real run finishes (the digest's "until"): (setting key, value).
    on_done: tuple[str, str] | None = None
    # Recipients whose address is not one (no message could be written): (email, why).
    unaddressable: list[tuple[str, str]] = field(default_factory=list)

    @property
    def preview(self) -> str:
        """The first message as a person reads it: headers and its plain text."""
        if not self.outgoing:
            return ""
        from email import message_from_bytes, policy

        message = message_from_bytes(self.outgoing[0].data, policy=policy.default)
        body = message.get_body(("plain",))
        lines = [f"{name}: {message[name]}" for name in ("From", "To", "Reply-To", "Subject") if message[name]]
        return "\n".join(lines) + "\n\n" + (body.get_content() if body is not None else "")


def _sender(group: Group, settings: SmtpSettings) -> tuple[Person, Person | None]:
    """From (the organizer, at the sending account's address when one is set) and Reply-To."""
    if not group.organizer_email:
        raise UserError("the group has no organizer email: mail needs a From address")
    organizer = Person(group.organizer_name, group.organizer_email)
    if settings.sender and settings.sender.lower() != group.organizer_email.lower():
        return Person(group.organizer_name, settings.sender), organizer
    return organizer, None


def _domain(group: Group) -> str:
    return group.organizer_email.rpartition("@")[2] or "organizer.invalid"


class Builder:
    """Collects one send's messages, leaving out who already has it, opted out, or was
    nudged too recently."""

    def __init__(
        self,
        group: Group,
        kind: str,
        now: datetime,
        settings: SmtpSettings,
        key: str,
        min_days: int | None = None,
    ):
        self.group, self.kind, self.now, self.key = group, kind, now, key
        self.sender, self.reply_to = _sender(group, settings)
        self.plan = SendPlan(kind, [])
        self._sent = {
            email.lower()
            for (email,) in row_tuples(
                SendLog.select(SendLog.email).where(
                    (SendLog.group == group) & (SendLog.send_key == key) & (SendLog.result == "sent")
                )
            )
        }
        self._recent: set[str] = set()
        if kind in NUDGES:
            days = cap_days(group) if min_days is None else min_days
            cutoff = now - timedelta(days=days)
            self._recent = {
                email.lower()
                for (email,) in row_tuples(
                    SendLog.select(SendLog.email).where(
                        (SendLog.group == group)
                        & (SendLog.kind == kind)
                        & (SendLog.result == "sent")
                        & (SendLog.sent_at > cutoff)
                        & (SendLog.send_key != key)
                    )
                )
            }
        self._opted_out = opted_out(group, kind) if kind in OPT_OUT_KINDS else set()

    def wants(self, member_id: int | None, email: str) -> bool:
        """Whether this recipient gets the message (and counts why not)."""
        if email.strip().lower() in self._sent:
            self.plan.already_sent += 1
            return False
        if member_id in self._opted_out:
            self.plan.opted_out += 1
            return False
        if email.strip().lower() in self._recent:
            self.plan.too_soon += 1
            return False
        return True

    def add(
        self,
        member_id: int | None,
        name: str,
        email: str,
        subject: str,
        text: str,
        page: str,
        *,
        reply_to: Person | None = None,
        calendar: bytes | None = None,
        method: str = "REQUEST",
    ) -> None:
        ident = message_id(self.key, email, _domain(self.group))
        mail = Mail(
            sender=self.sender,
            to=Person(name, email),
            subject=subject,
            text=text,
            html=page,
            message_id=ident,
            date=self.now,
            reply_to=reply_to or self.reply_to,
            calendar=calendar,
            method=method,
            auto=self.kind not in ("invite", "cancel"),
        )
        try:
            data = message_bytes(mail)
        except ValueError as error:  # an address that is not one: reported, never sent
            self.plan.unaddressable.append((email, str(error)))
            return
        self.plan.outgoing.append(
            Outgoing(
                self.kind,
                self.key,
                member_id,
                name,
                email.strip(),
                subject,
                ident,
                data,
            )
        )


def recipients(group: Group, statuses: Iterable[str] = ("active",)) -> ModelSelect[Member]:
    return (
        Member.select()
        .where((Member.group == group) & Member.status.in_(list(statuses)) & (Member.email != ""))
        .order_by(Member.name, Member.id)
    )
