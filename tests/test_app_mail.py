"""Email from the app: the preview (count and first message) before anything leaves, the
send with the CLI's counts, and mail replies imported with the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from organizer.clock import frozen
from organizer.models import Post
from organizer.tui.app import make_app
from organizer.tui.mail.screens import (
    MailImportForm,
    MailImportReport,
    MailKindForm,
    MailPreview,
)
from tests.conftest import NOW
from tests.mail_support import SmtpServer

SIZE = (120, 40)
FIXTURES = Path(__file__).parent / "fixtures" / "mail"


@pytest.fixture
def server(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    with SmtpServer() as running:
        monkeypatch.setenv("ORGANIZER_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ORGANIZER_SMTP_PORT", str(running.port))
        monkeypatch.setenv("ORGANIZER_SMTP_SECURITY", "none")
        yield running


def text_of(screen) -> str:
    return "\n".join(str(static.render()) for static in screen.query(Static))


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_send_shows_a_preview_then_sends_on_s(sample_db, server):
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Email the members…" in titles and "Import mail replies…" in titles
        app.action_send_mail()
        await pilot.pause()
        assert isinstance(app.screen, MailKindForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MailPreview)
        text = text_of(app.screen)
        count = len(app.screen.plan.outgoing)
        assert f"{count} members would get this message." in text
        assert "Subject: Invitation: Grand River Business Circle" in text and "To: " in text
        assert server.recorder.accepted == []  # nothing left before the yes
        await pilot.press("s")
        await settle(pilot)
        assert f"sent: {count}\nskipped (already sent): 0\nfailed: 0" in text_of(app.screen)
        assert len(server.recorder.accepted) == count
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]


async def test_without_smtp_settings_the_preview_cannot_send(sample_db, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ORGANIZER_SMTP_HOST", raising=False)
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(MailPreview("digest"))
        await settle(pilot)
        assert "no SMTP server" in text_of(app.screen)
        assert app.screen.query_one("#mail-send").disabled
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.report is None


async def test_import_mail_from_the_app(sample_db):
    before = Post.select().count()
    app = make_app(frozen(NOW), steady=True)
    async with app.run_test(size=SIZE) as pilot:
        app.action_import_mail()
        await pilot.pause()
        assert isinstance(app.screen, MailImportForm)
        app.push_screen(MailImportReport(FIXTURES / "gmail_reply.eml"))
        await settle(pilot)
        text = text_of(app.screen)
        assert "imported: 0 rsvps\nimported: 1 posts\nskipped: 0" in text
        assert Post.select().count() == before + 1
