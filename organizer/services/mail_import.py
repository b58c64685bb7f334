"""`import mail`: replies read back in. A calendar reply sets the member's RSVP (through
`invites.apply_reply`, as `ics-reply` does); a reply to a digest becomes a post in its
thread by the member who sent it. Bounces, auto-replies, unknown senders and messages
already imported (by Message-ID) are skipped, each with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from peewee import fn

from organizer.errors import UserError
from organizer.exports.ical import one_line
from organizer.models import Group, MailReceived, Member, Thread, database
from organizer.rows import row_tuples
from organizer.services import mail_read
from organizer.services.threads import add_post


@dataclass
class MailImportReport:
    rsvps: int = 0
    posts: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (sender, why)


def import_mail(group: Group, source: str | Path, now: datetime) -> MailImportReport:
    """Import an .eml file, an mbox file or a Maildir folder."""
    return import_messages(group, mail_read.read_messages(source), now)


def import_messages(group: Group, messages: Iterable[EmailMessage], now: datetime) -> MailImportReport:
    """Import parsed messages (EmailMessage), from a file or fetched over IMAP."""
    report = MailImportReport()
    seen = {
        ident
        for (ident,) in row_tuples(MailReceived.select(MailReceived.message_id).where(MailReceived.group == group))
    }
    for message in messages:
        address = mail_read.sender(message)
        why = _import_one(group, message, address, seen, report, now)
        if why:
            report.skipped.append((one_line(address), why))
    return report


def _import_one(
    group: Group,
    message: EmailMessage,
    address: str,
    seen: set[str],
    report: MailImportReport,
    now: datetime,
) -> str:
    """Import one message; "" when done, else why it was skipped."""
    automatic = mail_read.why_automatic(message)
    if automatic:
        return automatic
    key = mail_read.message_key(message)
    if key in seen:
        return f"already imported ({one_line(key)})"
    if not address:
        return "it has no sender address"
    member = (
        Member.select()
        .where((Member.group == group) & (fn.LOWER(Member.email) == address) & (Member.status != "alumni"))
        .get_or_none()
    )
    if member is None:
        return f"{address} is not a member's address"
    replies = mail_read.calendar_replies(message)
    if replies:
        return _import_rsvps(group, replies, key, address, seen, report, now)
    thread_id = mail_read.thread_named(message)
    if thread_id is None:
        return "not a calendar reply, and it names no thread (no +thread- address or [#N] in the subject)"
    thread = Thread.get_or_none((Thread.id == thread_id) & (Thread.group == group))
    if thread is None:
        return f"it answers thread {thread_id}, which this group does not have"
    body = mail_read.reply_text(message)
    if not body:
        return "the reply is empty once the quoted text is trimmed"
    files = mail_read.attachments(message)
    if files:
        body += "\n\n*Attached in the email, not kept here: " + ", ".join(one_line(name) for name in files) + "*"
    with database.atomic():
        add_post(thread, author=member, body=body, now=now)
        MailReceived.create(group=group, message_id=key, kind="post", sender=address, received_at=now)
    seen.add(key)
    report.posts += 1
    return ""


def _import_rsvps(
    group: Group,
    replies: list[bytes],
    key: str,
    address: str,
    seen: set[str],
    report: MailImportReport,
    now: datetime,
) -> str:
    from organizer.services.invites import apply_reply

    applied = 0
    try:
        with database.atomic():  # all of a message's answers, or none of them
            for data in replies:
                applied += len(apply_reply(group, data, now))
            MailReceived.create(
                group=group,
                message_id=key,
                kind="rsvp",
                sender=address,
                received_at=now,
            )
    except UserError as error:
        return str(error)
    seen.add(key)
    report.rsvps += applied
    return ""
