"""A real SMTP server in the test process (aiosmtpd on 127.0.0.1, a free port) that keeps
what it accepts and answers as a test tells it to (a 4xx, then a 250; a 5xx)."""

from __future__ import annotations

import socket
import ssl
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Recorder:
    """aiosmtpd's handler: accepted messages, and scripted answers per recipient."""

    def __init__(self):
        self.accepted: list[tuple[str, list[str], bytes]] = []
        self.answers: dict[str, list[str]] = {}  # recipient → answers to give first, in order

    async def handle_DATA(self, server, session, envelope):
        for recipient in envelope.rcpt_tos:
            queue = self.answers.get(recipient.lower())
            if queue:
                return queue.pop(0)
        self.accepted.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(data, policy=policy.default) for _, _, data in self.accepted]

    def recipients(self) -> list[str]:
        return [recipient for _, recipients, _ in self.accepted for recipient in recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self):
        self.recorder = Recorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Self:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


# A self-signed certificate for 127.0.0.1 made for these tests only (openssl req -x509,
# prime256v1, 100 years): the key protects nothing.
CERT = Path(__file__).parent / "fixtures" / "mail" / "test-smtp-cert.pem"
KEY = Path(__file__).parent / "fixtures" / "mail" / "test-smtp-key.pem"


class TlsSmtpServer(SmtpServer):
    """The same server, speaking STARTTLS (and requiring it) or implicit TLS."""

    def __init__(self, *, implicit: bool = False, login: tuple[str, str] | None = None):
        self.recorder = Recorder()
        self.port = free_port()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(CERT, KEY)
        if implicit:
            self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port, ssl_context=context)
        else:
            self.controller = Controller(
                self.recorder,
                hostname="127.0.0.1",
                port=self.port,
                tls_context=context,
                require_starttls=True,
                authenticator=_Accounts(login) if login else None,
                auth_required=bool(login),
            )


class _Accounts:
    """aiosmtpd's authenticator: one account; remembers every password it was offered."""

    def __init__(self, login: tuple[str, str]):
        self.login, self.offered = login, []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        user, password = auth_data.login.decode(), auth_data.password.decode()
        self.offered.append(password)
        return AuthResult(success=(user, password) == self.login, handled=False)
