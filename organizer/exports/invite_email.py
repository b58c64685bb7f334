"""A ready-to-send invitation email (.eml): pure, plain data in, bytes out.

The shape mail clients turn into an invitation with accept / decline buttons (the one
Google and Outlook send): multipart/mixed holding a multipart/alternative of plain text,
HTML and `text/calendar; method=REQUEST` (or CANCEL), then the same .ics as an attachment
for clients that only look there. Built with the standard library's email package;
lines end in CRLF as mail servers expect.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from email import encoders, policy
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from zoneinfo import ZoneInfo

from organizer.exports.ical import EventInfo, GroupInfo, description, one_line
from organizer.wording import MONTH_NAMES, WEEKDAY_NAMES


def invite_email(group: GroupInfo, event: EventInfo, ics: bytes, now: datetime, *, method: str = "REQUEST") -> bytes:
    """The .eml for `ics` (a REQUEST or a CANCEL of `event`), from the group's organizer."""
    cancelled = method == "CANCEL"
    text, page = bodies(group, event, cancelled)

    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(text, "plain", "utf-8"))
    alternative.attach(MIMEText(page, "html", "utf-8"))
    calendar = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    calendar.set_param("method", method)
    alternative.attach(calendar)
    name = "cancel.ics" if cancelled else "invite.ics"
    attachment = MIMEBase("application", "ics", name=name)
    attachment.set_payload(ics)
    encoders.encode_base64(attachment)
    attachment.add_header("Content-Disposition", "attachment", filename=name)

    message = MIMEMultipart("mixed")
    # Headers are built with the compat32 tools on purpose: the newer email policy folds a
    # long To list of non-ASCII names into an encoded word that swallows a comma (so a
    # reader sees one address fewer); pre-encoded names fold safely at the commas.
    message["From"] = _address(group.organizer.name, group.organizer.email)
    recipients = [_address(invitee.name, invitee.email) for invitee in event.attendees]
    message["To"] = ", ".join(recipients) or message["From"]
    # compat32 takes a Header for a value (typeshed says str only): it folds between words.
    message["Subject"] = Header(subject(group, event, cancelled), "utf-8")  # type: ignore[assignment]
    message["Date"] = format_datetime(now)
    # One meeting of a series shares the series' UID: its occurrence keeps the ID its own.
    occurrence = f"{event.recurrence_id.astimezone(UTC):%Y%m%dT%H%M%SZ}." if event.recurrence_id else ""
    message["Message-ID"] = f"<{method.lower()}.{event.sequence}.{occurrence}{_id_safe(event.uid)}>"
    message.attach(alternative)
    message.attach(attachment)
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]  # the compat32 classes repeat it on every part
    return message.as_bytes(policy=policy.compat32.clone(linesep="\r\n"))


def when(event: EventInfo, zone_name: str) -> str:
    """'Tuesday 8 December 2026, 07:30–09:00' in the group's zone (English, whatever the locale)."""
    zone = ZoneInfo(zone_name)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    day = f"{WEEKDAY_NAMES[start.weekday()]} {start.day} {MONTH_NAMES[start.month - 1]} {start.year}"
    if end.date() != start.date():
        return f"{day}, {start:%H:%M} – {end:%Y-%m-%d %H:%M}"
    return f"{day}, {start:%H:%M}–{end:%H:%M}"


def subject(group: GroupInfo, event: EventInfo, cancelled: bool) -> str:
    """'Invitation: TITLE — WHEN' (or 'Cancelled: …'), one line."""
    return f"{'Cancelled' if cancelled else 'Invitation'}: {one_line(event.title)} — {when(event, group.timezone)}"


def bodies(group: GroupInfo, event: EventInfo, cancelled: bool) -> tuple[str, str]:
    """The invitation's (or cancellation's) plain text and HTML."""
    title, place = one_line(event.title), one_line(event.place)
    organizer = one_line(group.organizer.name) or group.organizer.email
    moment = f"{when(event, group.timezone)} ({group.timezone})"
    if cancelled:
        opening = f"{title} on {moment} is cancelled."
        closing = "Your calendar removes it when you open the attached cancellation."
    else:
        opening = f"{organizer} invites you to {title}."
        closing = "Answer from your calendar (accept, maybe or decline): the invitation is attached."
    details = [("When", moment)] + ([("Where", place)] if place else [])
    body = "" if cancelled else description(event, group)

    text_parts = [opening, "\n".join(f"{label}: {value}" for label, value in details)]
    text_parts += [body] if body else []
    text_parts.append(closing)
    text = "\n\n".join(text_parts) + "\n"

    escape = html.escape
    rows = "".join(f"<p><strong>{escape(label)}:</strong> {escape(value)}</p>\n" for label, value in details)
    paragraphs = "".join(
        "<p>" + "<br>\n".join(escape(line) for line in paragraph.split("\n")) + "</p>\n"
        for paragraph in body.split("\n\n")
        if paragraph
    )
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n<body>\n"
        f"<p>{escape(opening)}</p>\n{rows}{paragraphs}<p>{escape(closing)}</p>\n</body></html>\n"
    )
    return text, page


def _address(name: str, email: str) -> str:
    """'Name <address>' with the name RFC 2047-encoded when it is not ASCII."""
    local, _, domain = one_line(email).rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # left as typed: the mail server will say what it thinks of it
    return formataddr((one_line(name), f"{local}@{domain}"), charset="utf-8")


def _id_safe(uid: str) -> str:
    """A UID as the right-hand part of a Message-ID: no spaces, brackets or quotes."""
    local, _, domain = re.sub(r"[^A-Za-z0-9.@_\-+]", "-", uid).rpartition("@")
    return f"{local.replace('@', '-')}@{domain}" if local else f"{domain}@organizer"
