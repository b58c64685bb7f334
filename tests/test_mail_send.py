"""Email out, against a real SMTP server on 127.0.0.1: one message per member, the right
parts, names intact in every script, never twice, resumed after an interruption, a 4xx
retried, a 5xx recorded."""

from __future__ import annotations

from dataclasses import replace

import pytest

from organizer.models import Member, SendLog
from organizer.services import mail_opt_out, mail_plans, mail_send
from organizer.services.mail_builder import recipients
from organizer.services.mail_settings import SmtpSettings
from organizer.services.threads import add_post, get_thread
from tests.conftest import NOW
from tests.mail_support import SmtpServer


@pytest.fixture
def server():
    with SmtpServer() as running:
        yield running


@pytest.fixture
def settings(server) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=server.port, security="none", retry_delay=2.0)


def invitees(group) -> dict[str, str]:
    rows = Member.select(Member.email, Member.name).where(
        (Member.group == group) & (Member.status == "active") & (Member.email != "")
    )
    return {email.lower(): name for email, name in rows.tuples()}


def send(group, kind, settings, *, sleeps=None, transport=None, **options):
    plan = mail_plans.plan_send(group, kind, NOW, settings=settings, **options)
    return mail_send.deliver(
        group,
        plan,
        transport or mail_send.SmtpTransport(settings),
        settings=settings,
        clock=lambda: NOW,
        sleep=(sleeps.append if sleeps is not None else lambda _: None),
    )


def test_an_invite_goes_once_to_each_member_with_its_parts_and_names_intact(sample_group, server, settings):
    expected = invitees(sample_group)
    report = send(sample_group, "invite", settings, meeting="next")
    assert (report.sent, report.already_sent, report.failed) == (len(expected), 0, 0)
    messages = server.recorder.messages()
    assert sorted(server.recorder.recipients()) == sorted(expected)  # one each, envelope included
    names = {}
    for message in messages:
        to = message["To"].addresses
        assert len(to) == 1  # never the whole roster on one To: line
        names[to[0].addr_spec.lower()] = to[0].display_name
        assert message["From"].addresses[0].addr_spec == "daniel@okaforcpa.ca"
        assert message["From"].addresses[0].display_name == "Daniel Okafor"
        types = [part.get_content_type() for part in message.walk()]
        assert {"text/plain", "text/html", "text/calendar"} <= set(types)
        calendar = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
        assert calendar.get_param("method") == "REQUEST"
        ics = calendar.get_content()
        assert ics.count("ATTENDEE") == 1 and to[0].addr_spec.lower() in ics.lower().replace("\r\n ", "")
        assert message["Message-ID"].startswith("<invite.")
    assert names == expected  # Korean, Chinese, Arabic, Vietnamese… decoded back as typed
    assert any(ord(ch) > 0x3000 for name in names.values() for ch in name)
    assert len({message["Message-ID"] for message in messages}) == len(messages)


def test_a_second_run_sends_nothing(sample_group, server, settings):
    first = send(sample_group, "invite", settings, meeting="next")
    second = send(sample_group, "invite", settings, meeting="next")
    assert second.sent == 0 and second.already_sent == first.sent and second.failed == 0
    assert len(server.recorder.accepted) == first.sent


class Interrupted(Exception):
    pass


class DiesAfter:
    """The real transport, until the power goes out after `count` messages."""

    def __init__(self, settings, count):
        self.inner, self.left = mail_send.SmtpTransport(settings), count

    def send(self, *args):
        if not self.left:
            raise Interrupted
        self.left -= 1
        self.inner.send(*args)

    def close(self):
        self.inner.close()


def test_an_interrupted_run_resumes_without_duplicates(sample_group, server, settings):
    expected = invitees(sample_group)
    with pytest.raises(Interrupted):
        send(
            sample_group,
            "invite",
            settings,
            meeting="next",
            transport=DiesAfter(settings, 3),
        )
    assert SendLog.select().count() == 3 and len(server.recorder.accepted) == 3
    report = send(sample_group, "invite", settings, meeting="next")
    assert (report.sent, report.already_sent) == (len(expected) - 3, 3)
    assert sorted(server.recorder.recipients()) == sorted(expected)
    # Resumed messages keep their Message-ID: a dry run names the same ones.
    ids = {message["Message-ID"] for message in server.recorder.messages()}
    assert SendLog.select().where(SendLog.message_id.in_(list(ids))).count() == len(expected)


def test_a_temporary_refusal_is_retried_with_backoff(sample_group, server, settings):
    victim = min(invitees(sample_group))
    server.recorder.answers[victim] = [
        "451 4.3.0 mailbox busy, try later",
        "421 4.7.0 slow down",
    ]
    sleeps: list[float] = []
    report = send(sample_group, "invite", settings, meeting="next", sleeps=sleeps)
    assert report.failed == 0 and victim in server.recorder.recipients()
    assert sleeps == [2.0, 4.0]  # the retry delay, doubled
    assert SendLog.get(SendLog.email**victim).result == "sent"


def test_a_permanent_refusal_is_recorded_and_reported(sample_group, server, settings):
    victim = sorted(invitees(sample_group))[1]
    server.recorder.answers[victim] = ["550 5.1.1 no such user"]
    report = send(sample_group, "invite", settings, meeting="next")
    assert report.failed == 1 and report.failures[0][0].lower() == victim
    assert "550" in report.failures[0][1]
    row = SendLog.get(SendLog.email**victim)
    assert row.result == "failed" and "no such user" in row.detail
    assert victim not in server.recorder.recipients()
    # A later run tries the failed one again, and only it.
    again = send(sample_group, "invite", settings, meeting="next")
    assert (again.sent, again.failed) == (1, 0)


def test_rate_limit_waits_between_messages(sample_group, server, settings):
    sleeps: list[float] = []
    report = send(sample_group, "renewals", replace(settings, rate=30), sleeps=sleeps)
    assert report.sent >= 2 and sleeps == [2.0] * (report.sent - 1)


def test_digest_has_new_posts_reply_addresses_and_moves_on(sample_group, server, settings):
    from email.utils import parseaddr

    report = send(sample_group, "digest", settings)
    assert report.sent == len(invitees(sample_group))
    message = server.recorder.messages()[0]
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    assert "Reply to this email to post" in text and "+thread-" in text
    assert "mailto:daniel+thread-" in page and "<blockquote>" in page
    assert message["Auto-Submitted"] == "auto-generated"
    # The next digest starts where this one ended: nothing new, nothing sent.
    assert send(sample_group, "digest", settings).sent == 0
    # A new post makes a digest of that one thread, whose reply address carries it.
    thread = get_thread(sample_group, 9)
    add_post(
        thread,
        author=Member.get(Member.email == "brian@leeinspections.ca"),
        body="**Bold** idea: <script>alert(1)</script>",
        now=NOW.replace(hour=15),
    )
    later = NOW.replace(hour=16)
    plan = mail_plans.plan_send(sample_group, "digest", later, settings=settings)
    one = mail_send.deliver(
        sample_group,
        plan,
        mail_send.SmtpTransport(settings),
        settings=settings,
        clock=lambda: later,
        sleep=lambda _: None,
    )
    assert one.sent == report.sent
    latest = server.recorder.messages()[-1]
    assert parseaddr(str(latest["Reply-To"]))[1] == "daniel+thread-9@okaforcpa.ca"
    html = latest.get_body(("html",)).get_content()
    assert "<strong>Bold</strong>" in html and "<script>" not in html


def test_nudges_respect_opt_out_and_the_weekly_cap(sample_group, server, settings):
    plan = mail_plans.plan_send(sample_group, "thanks", NOW, settings=settings)
    assert plan.outgoing
    first = Member.get(Member.id == plan.outgoing[0].member_id)
    mail_opt_out.set_opt_out(first, ["thanks"])
    report = send(sample_group, "thanks", settings)
    assert report.opted_out == 1 and first.email.lower() not in server.recorder.recipients()
    assert report.sent == len(plan.outgoing) - 1
    # Two days later: everyone nudged this week is left alone.
    later = NOW.replace(day=22)
    again = mail_plans.plan_send(sample_group, "thanks", later, settings=settings)
    assert again.outgoing == [] and again.too_soon == report.sent


def test_header_injection_is_impossible(group, server, settings, now):
    from organizer.services.members import add_member

    add_member(
        group,
        now=now,
        name="Eve\r\nBcc: all@example.com",
        email="eve@example.com",
        renewal_due=now.date(),
    )
    report = send(group, "renewals", settings)
    assert report.sent == 1
    message = server.recorder.messages()[0]
    assert message["Bcc"] is None and server.recorder.recipients() == ["eve@example.com"]
    assert message["To"].addresses[0].display_name == "Eve Bcc: all@example.com"


def test_a_cancellation_goes_with_method_cancel(sample_group, server, settings):
    from organizer.services.meetings import cancel_meeting, next_meeting

    meeting = next_meeting(sample_group, NOW)
    day = mail_plans.zone(sample_group) and meeting.starts_at.astimezone(mail_plans.zone(sample_group)).date()
    with pytest.raises(mail_plans.UserError, match="not cancelled"):
        mail_plans.plan_send(sample_group, "cancel", NOW, settings=settings, day=day.isoformat())
    cancel_meeting(meeting, now=NOW)
    report = send(sample_group, "cancel", settings, day=day.isoformat())
    assert report.sent == len(invitees(sample_group))
    calendar = next(part for part in server.recorder.messages()[0].walk() if part.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "CANCEL"


def test_pairings_mail_each_member_their_partner(sample_group, server, settings):
    from organizer.services.pairings import suggest

    pairs = suggest(sample_group, "2026-12", now=NOW).pairs
    wanted = {p.a.id for p in pairs} | {p.b.id for p in pairs}
    report = send(sample_group, "pairings", settings, month="2026-12")
    assert report.sent == len([m for m in recipients(sample_group) if m.id in wanted]) > 0
    first = pairs[0]
    a = Member.get_by_id(first.a.id)
    message = next(m for m in server.recorder.messages() if m["To"].addresses[0].addr_spec == a.email)
    assert first.b.name in message.get_body(("plain",)).get_content()
    assert send(sample_group, "pairings", settings, month="2026-12").already_sent == report.sent
    with pytest.raises(mail_plans.ValidationError):
        mail_plans.plan_send(sample_group, "pairings", NOW, settings=settings, month="December")


def test_an_address_that_is_not_one_fails_alone(group, server, settings, now):
    from organizer.services.members import add_member

    add_member(group, now=now, name="Ana", email="ana@example.com", renewal_due=now.date())
    bad = add_member(group, now=now, name="Bo", email="bo@example.com", renewal_due=now.date())
    Member.update(email="bo at example.com").where(Member.id == bad.id).execute()  # as an old import left it
    report = send(group, "renewals", settings)
    assert (report.sent, report.failed) == (1, 1)
    assert report.failures[0][0] == "bo at example.com" and "not an email address" in report.failures[0][1]
    assert server.recorder.recipients() == ["ana@example.com"]


def test_a_dry_run_into_an_mbox(sample_group, tmp_path, settings):
    import mailbox

    plan = mail_plans.plan_send(sample_group, "invite", NOW, settings=settings, meeting="next")
    [path] = mail_send.write_dry_run(plan, tmp_path / "invites.mbox")
    assert path.stat().st_mode & 0o777 == 0o600
    box = mailbox.mbox(str(path))
    assert [message["Message-ID"] for message in box] == [item.message_id for item in plan.outgoing]
    assert SendLog.select().count() == 0


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "tls"])
def test_tls_checks_the_certificate_against_the_system_trust_store(group, now, monkeypatch, implicit):
    from organizer.services.members import add_member
    from tests.mail_support import CERT, TlsSmtpServer

    add_member(group, now=now, name="Ana", email="ana@example.com", renewal_due=now.date())
    with TlsSmtpServer(implicit=implicit) as server:
        settings = SmtpSettings(
            host="127.0.0.1",
            port=server.port,
            security="tls" if implicit else "starttls",
        )
        monkeypatch.setenv("SSL_CERT_FILE", str(CERT.parent / "missing.pem"))
        with pytest.raises(mail_plans.UserError, match="certificate this system does not trust"):
            send(group, "renewals", settings)
        assert SendLog.select().count() == 0 and server.recorder.accepted == []
        monkeypatch.setenv("SSL_CERT_FILE", str(CERT))  # the system's trust store, as openssl reads it
        report = send(group, "renewals", settings)
        assert report.sent == 1 and server.recorder.recipients() == ["ana@example.com"]


def test_an_invite_to_a_cancelled_meeting_points_to_its_cancellation(sample_group, settings):
    from organizer.services.meetings import cancel_meeting, next_meeting

    meeting = next_meeting(sample_group, NOW)
    cancel_meeting(meeting, now=NOW)
    day = meeting.starts_at.astimezone(mail_plans.zone(sample_group)).date().isoformat()
    with pytest.raises(
        mail_plans.UserError,
        match=f"send its cancellation with `organizer send cancel {day}`",
    ):
        mail_plans.plan_send(sample_group, "invite", NOW, settings=settings, meeting=day)
