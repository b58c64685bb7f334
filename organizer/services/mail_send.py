"""Sending a planned send (`organizer.services.mail_plans`) with a send log.

`deliver` sends each message through a transport (SMTP, or a test's stand-in) and writes
one SendLog row per message in its own short transaction, right after the server accepted
or refused it: an interrupted run leaves a log that the next run reads to send only what
is missing. Temporary refusals (4xx, a dropped connection) are retried with a doubling
delay; permanent ones (5xx) are logged as failed and reported. `write_dry_run` writes the
messages as .eml files instead.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from organizer.errors import UserError
from organizer.files import write_private
from organizer.models import Group, SendLog, database
from organizer.services.groups import set_setting
from organizer.services.mail_builder import Outgoing, SendPlan
from organizer.services.mail_settings import SmtpSettings

RETRIES = 3  # after the first try, for a temporary (4xx) refusal or a dropped connection


@dataclass
class SendReport:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (email, the server's answer)
    opted_out: int = 0
    too_soon: int = 0


# -- sending -------------------------------------------------------------------------------


class Transport(Protocol):
    """What `deliver` sends through: SmtpTransport, or a test's stand-in."""

    def send(self, sender: str, recipient: str, data: bytes) -> None: ...
    def close(self) -> None: ...


class SmtpTransport:
    """One SMTP connection, opened on first use and again after the server drops it.
    Certificates are checked against the system's trust store (SSL_CERT_FILE works)."""

    def __init__(self, settings: SmtpSettings, *, timeout: float = 30):
        self.settings, self.timeout = settings, timeout
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        context = ssl.create_default_context()
        if settings.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=self.timeout)
            if settings.security == "starttls":
                smtp.starttls(context=context)
        if settings.user:
            smtp.login(settings.user, settings.password)
        return smtp

    def send(self, sender: str, recipient: str, data: bytes) -> None:
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except smtplib.SMTPResponseException as error:
                if 400 <= error.smtp_code < 500:
                    raise  # busy: the caller retries
                where = f"the SMTP server {self.settings.host}:{self.settings.port}"
                answer = f"{error.smtp_code} {_text(error.smtp_error)}"
                if isinstance(error, smtplib.SMTPAuthenticationError):
                    raise UserError(f"{where} refused the login for {self.settings.user}: {answer}") from None
                raise UserError(f"{where} refused us: {answer}") from None
            except smtplib.SMTPNotSupportedError as error:
                raise UserError(
                    f"the SMTP server {self.settings.host}:{self.settings.port} cannot do that: {error}"
                ) from None
            except ssl.SSLCertVerificationError as error:
                raise UserError(
                    f"the SMTP server {self.settings.host}:{self.settings.port} has a certificate this "
                    f"system does not trust ({error.verify_message}); SSL_CERT_FILE can name its CA"
                ) from None
            except (OSError, smtplib.SMTPException) as error:
                raise UserError(
                    f"cannot reach the SMTP server {self.settings.host}:{self.settings.port}: "
                    f"{getattr(error, 'strerror', None) or error}"
                ) from None
        try:
            self._smtp.sendmail(sender, [recipient], data)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None


def deliver(
    group: Group,
    plan: SendPlan,
    transport: Transport,
    *,
    settings: SmtpSettings,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int], None] | None = None,
) -> SendReport:
    """Send every message of `plan`, logging each; temporary refusals are retried with a
    doubling delay, permanent ones (5xx) logged as failed and reported."""
    report = SendReport(
        already_sent=plan.already_sent,
        opted_out=plan.opted_out,
        too_soon=plan.too_soon,
        failed=len(plan.unaddressable),
        failures=list(plan.unaddressable),
    )
    envelope_from = settings.sender or group.organizer_email
    gap = 60.0 / settings.rate if settings.rate else 0.0
    try:
        for number, item in enumerate(plan.outgoing):
            if number and gap:
                sleep(gap)
            problem = _send_one(transport, envelope_from, item, settings.retry_delay, sleep)
            _log(group, item, clock(), problem)
            if problem is None:
                report.sent += 1
            else:
                report.failed += 1
                report.failures.append((item.email, problem))
            if progress is not None:
                progress(number + 1, len(plan.outgoing))
    finally:
        transport.close()
    if plan.on_done is not None:
        set_setting(group, *plan.on_done)
    return report


def _send_one(
    transport: Transport, sender: str, item: Outgoing, delay: float, sleep: Callable[[float], None]
) -> str | None:
    """None when the server took the message, else its answer (one line)."""
    code: int
    answer: bytes | str
    for attempt in range(RETRIES + 1):
        try:
            transport.send(sender, item.email, item.data)
            return None
        except smtplib.SMTPRecipientsRefused as error:
            code, answer = next(iter(error.recipients.values()), (550, b"refused"))
        except smtplib.SMTPResponseException as error:
            code, answer = error.smtp_code, error.smtp_error
        except (smtplib.SMTPException, OSError) as error:
            code, answer = 421, str(error).encode()  # a dropped connection: try again
        problem = f"{code} {_text(answer)}"
        if code in (530, 534, 535):
            raise UserError(f"the SMTP server refused the login: {problem}")
        if not 400 <= code < 500 or attempt == RETRIES:
            return problem
        sleep(delay * 2**attempt)
    return None  # pragma: no cover - the loop always returns


def _log(group: Group, item: Outgoing, at: datetime, problem: str | None) -> None:
    values = {
        "kind": item.kind,
        "member": item.member_id,
        "subject": item.subject,
        "message_id": item.message_id,
        "sent_at": at,
        "result": "sent" if problem is None else "failed",
        "detail": problem or "",
    }
    with database.atomic():
        updated = (
            SendLog.update(**values)
            .where((SendLog.group == group) & (SendLog.send_key == item.send_key) & (SendLog.email == item.email))
            .execute()
        )
        if not updated:
            SendLog.create(group=group, send_key=item.send_key, email=item.email, **values)


def write_dry_run(plan: SendPlan, out: str | Path) -> list[Path]:
    """Each message as OUT/NNN-kind-recipient.eml, or all in one mbox when OUT ends in
    .mbox (0600); the send log is not touched."""
    import re

    out = Path(out).expanduser()
    if out.suffix.lower() == ".mbox":
        return [write_private(out, b"".join(_mbox_entry(item) for item in plan.outgoing))]
    if not out.is_dir():
        if out.exists() or not out.parent.is_dir():
            raise UserError(f"there is no folder {out}" if not out.exists() else f"{out} is not a folder")
        out.mkdir(mode=0o700)  # a new folder of messages to members: private, as the files in it
    paths = []
    for number, item in enumerate(plan.outgoing, 1):
        safe = re.sub(r"[^A-Za-z0-9.@_+-]", "_", item.email)[:80]
        paths.append(write_private(out / f"{number:03d}-{item.kind}-{safe}.eml", item.data))
    return paths


def _mbox_entry(item: Outgoing) -> bytes:
    """One message in mboxrd form: a From_ line, LF line ends, body lines that start with
    "From " (after any ">") quoted with one more ">"."""
    import re

    body = item.data.replace(b"\r\n", b"\n")
    body = re.sub(rb"(?m)^(>*From )", rb">\1", body)
    return b"From organizer Thu Jan  1 00:00:00 1970\n" + body.rstrip(b"\n") + b"\n\n"


def _text(answer: bytes | str) -> str:
    """A server's answer as one line of text."""
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return " ".join(text.split())
