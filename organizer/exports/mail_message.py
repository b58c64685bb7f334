"""One email to one recipient, as bytes: pure, plain data in, bytes out.

Every message `organizer send` writes is built here: plain text and HTML as a
multipart/alternative, plus a `text/calendar; method=…` part (and the same .ics as an
attachment) for invites and cancellations. Headers go through the standard library's
header registry (policy.SMTP): names in any script are RFC 2047-encoded words, the
address's domain is IDNA, lines end in CRLF. Every header value is cleaned to one line
of text first, so a name or a title holding a line break can never add a header.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from organizer.exports.ical import Person, one_line, plain_text

# CRLF, and 7-bit bodies (quoted-printable or base64): no SMTPUTF8 or 8BITMIME needed.
# Header lines up to SMTP's 998: folding a non-ASCII name in an address header, the stdlib
# puts a space of the name between two encoded words, where RFC 2047 readers drop it
# ("Nguyễn Thị" arrives as "NguyễnThị"); a name of NAME_LIMIT characters never folds.
_POLICY = policy.SMTP.clone(cte_type="7bit", max_line_length=998)
NAME_LIMIT = 120


@dataclass(frozen=True)
class Mail:
    sender: Person  # From
    to: Person
    subject: str
    text: str
    html: str
    message_id: str  # with its angle brackets
    date: datetime
    reply_to: Person | None = None
    calendar: bytes | None = None  # an .ics for invites and cancellations
    method: str = "REQUEST"
    auto: bool = False  # a digest or a nudge: tells auto-responders not to answer


def message_id(key: str, recipient: str, domain: str) -> str:
    """A stable Message-ID for one send to one recipient: the same on every run (and in a
    dry run), so a message resent after an interruption is recognisably the same one."""
    digest = hashlib.sha256(f"{key}\n{recipient.strip().lower()}".encode()).hexdigest()[:24]
    kind = re.sub(r"[^a-z0-9]", "", key.split(":", 1)[0].lower()) or "mail"
    host = re.sub(r"[^A-Za-z0-9.\-]", "", _ascii_domain(domain)) or "organizer.invalid"
    return f"<{kind}.{digest}@{host}>"


def address(person: Person) -> Address:
    """A header address: the name cleaned to one line, the domain IDNA-encoded.

    ValueError for an address that is not one (no @, or whitespace and brackets in it).
    """
    email = one_line(person.email).strip()
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain or re.search(r"[\s<>,;\"()\[\]\\]", email):
        raise ValueError(f"“{email}” is not an email address")
    return Address(
        display_name=header_text(person.name)[:NAME_LIMIT],
        username=local,
        domain=_ascii_domain(domain),
    )


def message_bytes(mail: Mail) -> bytes:
    """The message as bytes ready for SMTP (CRLF line ends, 7-bit or encoded headers)."""
    message = EmailMessage(policy=_POLICY)
    message["From"] = address(mail.sender)
    message["To"] = address(mail.to)
    if mail.reply_to is not None:
        message["Reply-To"] = address(mail.reply_to)
    message["Subject"] = header_text(mail.subject)
    message["Date"] = format_datetime(mail.date)
    message["Message-ID"] = one_line(mail.message_id)
    if mail.auto:
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to it
    message.set_content(_body_text(mail.text))
    message.add_alternative(plain_text(mail.html), subtype="html")
    if mail.calendar is not None:
        method = mail.method.upper()
        message.add_alternative(mail.calendar.decode("utf-8"), subtype="calendar", params={"method": method})
        name = "cancel.ics" if method == "CANCEL" else "invite.ics"
        message.add_attachment(mail.calendar, maintype="application", subtype="ics", filename=name)
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]  # only the top of the message says it
    return message.as_bytes()


def header_text(value: str) -> str:
    """A name or a subject as a header holds it: one line, control characters dropped,
    every run of whitespace (tabs included) one space."""
    return " ".join(one_line(value).split())


def _body_text(text: str) -> str:
    body = plain_text(text)
    return body if body.endswith("\n") else body + "\n"


def _ascii_domain(domain: str) -> str:
    try:
        return domain.strip().encode("idna").decode("ascii")
    except UnicodeError:
        return domain.strip()  # left as typed: the mail server will say what it thinks of it
