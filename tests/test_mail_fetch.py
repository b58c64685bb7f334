"""`organizer fetch-mail` against a real IMAP server (pymap, in memory, on 127.0.0.1 with
STARTTLS and a test-only certificate): replies imported as `import mail` does, the folder
left read-only, a second fetch imports nothing new, a refused login is one line."""

from __future__ import annotations

import imaplib
import shutil
import socket
import ssl
import subprocess
import sys
import time

import pytest

from organizer.cli import main
from tests.conftest import NOW
from tests.mail_support import CERT, KEY, free_port
from tests.test_mail_import import FIXTURES

USER, PASSWORD = "daniel", "imap secret"


@pytest.fixture
def imap_server():
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pymap.main import main; sys.exit(main())",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--cert",
            str(CERT),
            "--key",
            str(KEY),
            "dict",
            "--demo-user",
            USER,
            "--demo-password",
            PASSWORD,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _until_listening(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _until_listening(port: int, process: subprocess.Popen) -> None:
    """Readiness, not timing: connect until the server accepts (it takes a moment to start)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("pymap did not start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("pymap never listened")


def deliver(port: int, messages: list[bytes]) -> None:
    imap = imaplib.IMAP4("127.0.0.1", port)
    imap.starttls(ssl_context=ssl.create_default_context(cafile=str(CERT)))
    imap.login(USER, PASSWORD)
    for data in messages:
        imap.append("INBOX", None, None, data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    imap.logout()


def unseen(port: int) -> int:
    imap = imaplib.IMAP4("127.0.0.1", port)
    imap.starttls(ssl_context=ssl.create_default_context(cafile=str(CERT)))
    imap.login(USER, PASSWORD)
    imap.select("INBOX", readonly=True)
    _, found = imap.search(None, "UNSEEN")
    imap.logout()
    return len(found[0].split())


@pytest.fixture
def cli(sample_template, tmp_path, monkeypatch, imap_server):
    path = tmp_path / "cli.db"
    shutil.copy(sample_template, path)
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: NOW)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("SSL_CERT_FILE", str(CERT))
    monkeypatch.setenv("ORGANIZER_IMAP_HOST", "127.0.0.1")
    monkeypatch.setenv("ORGANIZER_IMAP_PORT", str(imap_server))
    monkeypatch.setenv("ORGANIZER_IMAP_SECURITY", "starttls")
    monkeypatch.setenv("ORGANIZER_IMAP_USER", USER)
    monkeypatch.setenv("ORGANIZER_IMAP_PASSWORD", PASSWORD)
    return lambda *args: main(["--db", str(path), *args])


def test_fetch_mail_imports_the_replies_once(cli, imap_server, capsys):
    deliver(
        imap_server,
        [
            (FIXTURES / name).read_bytes()
            for name in (
                "gmail_reply.eml",
                "outlook_reply.eml",
                "bounce.eml",
                "stranger.eml",
            )
        ],
    )
    assert cli("fetch-mail", "--days", "3650") == 0
    out, err = capsys.readouterr()
    assert out == "imported: 0 rsvps\nimported: 2 posts\nskipped: 2\n"
    assert "a bounce" in err and "someone@elsewhere.example" in err and err.count("\n") == 2
    assert unseen(imap_server) == 4  # read-only: the organizer's mail client still shows them new
    assert cli("fetch-mail", "--days", "3650") == 0
    out, _ = capsys.readouterr()
    assert out == "imported: 0 rsvps\nimported: 0 posts\nskipped: 4\n"


def test_a_refused_login_is_one_line_without_the_password(cli, monkeypatch, capsys):
    monkeypatch.setenv("ORGANIZER_IMAP_PASSWORD", "wrong battery")
    assert cli("fetch-mail") == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "refused the login for daniel" in err
    assert "wrong battery" not in err


def test_no_imap_host_is_one_line(cli, monkeypatch, capsys):
    monkeypatch.delenv("ORGANIZER_IMAP_HOST")
    assert cli("fetch-mail") == 1
    assert "no IMAP server" in capsys.readouterr().err
