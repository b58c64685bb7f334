"""`fetch-mail`: the replies in the organizer's mailbox over IMAP, for `import mail`.

Reads the `[imap]` settings' folder read-only (messages stay unread and where they are),
the messages of the last DAYS days; importing is idempotent by Message-ID, so fetching the
same days again imports nothing new. TLS checks the server's certificate against the
system's trust store, as sending does.
"""

from __future__ import annotations

import imaplib
import ssl
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage

from organizer.errors import UserError
from organizer.services.mail_read import parse
from organizer.services.mail_settings import ImapSettings

_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def fetch_messages(settings: ImapSettings, now: datetime, *, days: int = 30) -> Iterator[EmailMessage]:
    """Each message of the folder received since `days` days before `now`."""
    where = f"the IMAP server {settings.host}:{settings.port}"
    try:
        imap = _connect(settings)
    except ssl.SSLCertVerificationError as error:
        raise UserError(
            f"{where} has a certificate this system does not trust ({error.verify_message}); "
            "SSL_CERT_FILE can name its CA"
        ) from None
    except (OSError, imaplib.IMAP4.error) as error:
        raise UserError(f"cannot reach {where}: {getattr(error, 'strerror', None) or error}") from None
    try:
        try:
            if settings.user:
                imap.login(settings.user, settings.password)
        except imaplib.IMAP4.error as error:
            raise UserError(f"{where} refused the login for {settings.user}: {_text(error)}") from None
        status, _ = imap.select(_quoted(settings.folder), readonly=True)
        if status != "OK":
            raise UserError(f"{where} has no folder {settings.folder}")
        since = (now - timedelta(days=days)).date()
        status, found = imap.search(None, "SINCE", f"{since.day}-{_MONTHS[since.month - 1]}-{since.year}")
        if status != "OK" or not found or not found[0]:
            return
        for number in found[0].split():
            status, data = imap.fetch(number, "(BODY.PEEK[])")  # PEEK: left unread
            for item in data if status == "OK" else []:
                if isinstance(item, tuple) and isinstance(item[1], bytes):
                    yield parse(item[1])
    except (OSError, imaplib.IMAP4.abort) as error:
        raise UserError(f"{where} dropped the connection: {_text(error)}") from None
    finally:
        try:
            imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def _connect(settings: ImapSettings) -> imaplib.IMAP4:
    context = ssl.create_default_context()
    if settings.security == "tls":
        return imaplib.IMAP4_SSL(settings.host, settings.port, ssl_context=context, timeout=30)
    imap = imaplib.IMAP4(settings.host, settings.port, timeout=30)
    if settings.security == "starttls":
        imap.starttls(ssl_context=context)
    return imap


def _quoted(folder: str) -> str:
    """A folder name as an IMAP quoted string (spaces and quotes allowed, no line breaks)."""
    clean = " ".join(folder.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{clean}"'


def _text(error: Exception) -> str:
    text = str(error.args[0] if error.args else error)
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return " ".join(text.split())
