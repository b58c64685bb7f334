"""Reading incoming mail: messages out of an .eml, an mbox or a Maildir, and what a
message is (a calendar reply, a bounce, an auto-reply, a reply to a thread) and says
(the new text with quotes and signature trimmed, its attachments' names).

No database here: `organizer.services.mail_import` decides what to do with a message,
and `ics-reply` uses `calendar_replies` to find the answer inside an .eml.
"""

from __future__ import annotations

import hashlib
import mailbox
import re
from collections.abc import Iterator
from datetime import UTC
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

from organizer.errors import UserError
from organizer.exports.ical import plain_text
from organizer.files import read_input

_CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar")
_THREAD_ADDRESS = re.compile(r"\+thread-(\d+)@", re.IGNORECASE)
_THREAD_TOKEN = re.compile(r"\[#(\d+)\]")
# Where a reply's quoted original starts: Gmail ("On Tue, 8 Dec 2026 at 07:30, Olu <…>
# wrote:", sometimes over two lines), Apple Mail, Outlook ("-----Original Message-----",
# a line of underscores, or a From:/Sent: block) and their translations' common shapes.
_QUOTE_STARTS = (
    re.compile(r"^\s*On\b.{0,200}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Le\b.{0,200}\ba écrit\s*:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Am\b.{0,200}\bschrieb\b.{0,100}:\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*_{10,}\s*$"),
)
_HEADER_BLOCK = re.compile(r"^\s*\*?(From|De|Von)\s*:\*?\s", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"^\s*\*?(Sent|Date|Envoyé|Gesendet|To)\s*:", re.IGNORECASE)
_SIGN_OFFS = re.compile(r"^\s*(Sent from my |Get Outlook for |Envoyé de mon )", re.IGNORECASE)


def read_messages(source: str | Path) -> Iterator[EmailMessage]:
    """Each message of an .eml file, an mbox file or a Maildir folder."""
    path = Path(source).expanduser()
    if path.is_dir():
        if not all((path / sub).is_dir() for sub in ("cur", "new")):
            raise UserError(f"{path} is a folder but not a Maildir (no cur/ and new/)")
        # A Maildir has no order: oldest first by the Date header (replies become posts
        # in the order they were written), the file name breaking ties.
        box = mailbox.Maildir(str(path), factory=None, create=False)
        messages = [(key, parse(box.get_bytes(key))) for key in box.iterkeys()]
        messages.sort(key=lambda item: (_sent_at(item[1]), item[0]))
        for _, message in messages:
            yield message
        return
    try:
        with path.open("rb") as handle:
            start = handle.read(5)
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from None
    if start == b"From ":
        mbox = mailbox.mbox(str(path), create=False)
        try:
            for key in mbox.iterkeys():
                yield parse(mbox.get_bytes(key))
        finally:
            mbox.close()
        return
    yield parse(read_input(path))


def _sent_at(message: EmailMessage) -> float:
    """The Date header as a timestamp (0 when it is missing or unreadable)."""
    try:
        moment = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return 0.0
    return moment.timestamp() if moment.tzinfo else moment.replace(tzinfo=UTC).timestamp()


def parse(data: bytes) -> EmailMessage:
    return message_from_bytes(data, policy=policy.default)


def message_key(message: EmailMessage) -> str:
    """Its Message-ID, or a digest of its bytes when it has none."""
    ident = " ".join(str(message.get("Message-ID", "")).split())
    return ident or "<sha256." + hashlib.sha256(message.as_bytes(policy=policy.compat32)).hexdigest() + ">"


def sender(message: EmailMessage) -> str:
    """The From address, lower case ("" when there is none)."""
    try:
        return parseaddr(str(message.get("From", "")))[1].strip().lower()
    except (TypeError, ValueError):
        return ""


def calendar_replies(message: EmailMessage) -> list[bytes]:
    """Every calendar part (any depth, inline or attached) that is a METHOD:REPLY."""
    found = []
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        name = (part.get_filename() or "").lower()
        if kind not in _CALENDAR_TYPES and not name.endswith(".ics"):
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        if re.search(rb"^METHOD:\s*REPLY\s*$", data, re.IGNORECASE | re.MULTILINE) and data not in found:
            found.append(data)
    return found


def calendar_parts_of(data: bytes) -> list[bytes]:
    """The iCalendar replies in a file: the file itself when it is an .ics, else the
    calendar replies inside the .eml (or each message of an mbox)."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        return [data]
    if data.startswith(b"From "):
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".mbox") as handle:
            handle.write(data)
            handle.flush()
            return [part for message in read_messages(handle.name) for part in calendar_replies(message)]
    if not re.match(rb"[!-9;-~]+:", data):
        return [data]  # neither a calendar nor a message: the iCal reader says what is wrong
    return calendar_replies(parse(data))


def why_automatic(message: EmailMessage) -> str:
    """Why the message is a bounce or an auto-reply, or "" for one a person wrote."""
    report = message.get_content_type() == "multipart/report"
    address = sender(message)
    if (
        report
        or address.startswith(("mailer-daemon@", "postmaster@"))
        or str(message.get("Return-Path", "")).strip() == "<>"
    ):
        return "a bounce (delivery failure report)"
    auto = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return f"an auto-reply (Auto-Submitted: {auto.split(';')[0]})"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"an auto-reply (Precedence: {precedence})"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "an auto-reply (X-Autoreply)"
    return ""


def thread_named(message: EmailMessage) -> int | None:
    """The thread a reply is for: the +thread-N address it went to, else [#N] in its subject."""
    addresses = []
    for header in ("To", "Cc", "Delivered-To", "X-Original-To"):
        try:
            addresses += [address for _, address in getaddresses([str(value) for value in message.get_all(header, [])])]
        except (TypeError, ValueError):
            continue
    for address in addresses:
        match = _THREAD_ADDRESS.search(address)
        if match:
            return int(match.group(1))
    match = _THREAD_TOKEN.search(str(message.get("Subject", "")))
    return int(match.group(1)) if match else None


def attachments(message: EmailMessage) -> list[str]:
    """The names of the files attached (calendar parts aside)."""
    names = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() in _CALENDAR_TYPES:
            continue
        if part.get_content_disposition() == "attachment" or (
            part.get_filename() and part.get_content_maintype() != "text"
        ):
            names.append(" ".join((part.get_filename() or part.get_content_type()).split()))
    return names


def reply_text(message: EmailMessage) -> str:
    """What the sender wrote: the plain-text part (else the HTML as text), without the
    quoted original, the signature and "Sent from my phone" lines."""
    body = message.get_body(("plain", "html"))
    if body is None:
        return ""
    try:
        text = body.get_content()
    except (LookupError, ValueError):  # an unknown charset: read what can be read
        raw = body.get_payload(decode=True)
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""
    if body.get_content_type() == "text/html":
        text = _html_text(text)
    return trim_reply(plain_text(text))


def trim_reply(text: str) -> str:
    lines = text.split("\n")
    kept: list[str] = []
    for number, line in enumerate(lines):
        following = " ".join(lines[number : number + 2])
        if line.rstrip() in ("--", "-- ") or _SIGN_OFFS.match(line):
            break
        if any(pattern.match(line) for pattern in _QUOTE_STARTS):
            break
        if _QUOTE_STARTS[0].match(following) and line.strip().lower().startswith("on "):
            break  # Gmail's "On … wrote:" folded over two lines
        if _HEADER_BLOCK.match(line) and any(
            _HEADER_NEXT.match(next_line) for next_line in lines[number + 1 : number + 4]
        ):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


class _TextOfHtml(HTMLParser):
    """An HTML body's text, quoted parts (blockquote, Gmail's gmail_quote) left out, and
    everything after Outlook's or Thunderbird's marker of the quoted original."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4"})
    # Outlook (divRplyFwdMsg, appendonsend) and Thunderbird (moz-cite-prefix): the original
    # follows the marker, not inside it.
    _ENDS = frozenset({"divrplyfwdmsg", "appendonsend", "moz-cite-prefix"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = ""  # the tag whose content is left out…
        self._depth = 0  # …and how deep in it we are
        self._ended = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping or self._ended:
            self._depth += tag == self._skipping
            return
        named = dict(attrs)
        classes = (named.get("class") or "").lower()
        if (named.get("id") or "").lower() in self._ENDS or self._ENDS & set(classes.split()):
            self._ended = True
            return
        if tag in ("blockquote", "style", "script", "head") or "gmail_quote" in classes:
            self._skipping, self._depth = tag, 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag == self._skipping:
            self._depth -= 1
            if not self._depth:
                self._skipping = ""

    def handle_data(self, data: str) -> None:
        if not self._skipping and not self._ended:
            self.parts.append(data)


def _html_text(page: str) -> str:
    parser = _TextOfHtml()
    parser.feed(page)
    parser.close()
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.parts))
