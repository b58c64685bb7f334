"""`organizer import mail`: replies read back from .eml, mbox and Maildir fixtures shaped
like Gmail's and Outlook's. Calendar answers become RSVPs, digest replies become posts
(quoted text and signatures trimmed), bounces, auto-replies and strangers are reported,
and importing the same mail twice imports nothing new."""

from __future__ import annotations

import base64
import mailbox
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar, Event, vCalAddress

from organizer.cli import main
from organizer.models import Attendance, MailReceived, Member, Post
from organizer.services import mail_read
from organizer.services.mail_import import import_mail
from organizer.services.meetings import next_meeting
from tests.conftest import NOW

FIXTURES = Path(__file__).parent / "fixtures" / "mail"


def calendar_reply(uid: str, email: str, partstat: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REPLY")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime(2026, 11, 21, 11, 0, tzinfo=UTC))
    event.add("sequence", 0)
    attendee = vCalAddress(f"mailto:{email}")
    attendee.params["PARTSTAT"] = partstat
    event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return calendar.to_ical()


def gmail_accept(uid: str) -> bytes:
    """Gmail's shape: the answer only as an attached invite.ics (application/ics)."""
    ics = base64.encodebytes(calendar_reply(uid, "zoe@lefevre.design", "TENTATIVE")).decode()
    return (
        "From: =?UTF-8?Q?Zo=C3=AB_Lef=C3=A8vre?= <zoe@lefevre.design>\r\nTo: daniel@okaforcpa.ca\r\n"
        "Subject: Tentatively accepted\r\nMessage-ID: <gmail.accept.1@mail.gmail.com>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="M"\r\n\r\n--M\r\nContent-Type: text/plain\r\n\r\nMaybe.\r\n'
        '--M\r\nContent-Type: application/ics; name="invite.ics"\r\nContent-Disposition: attachment; '
        f'filename="invite.ics"\r\nContent-Transfer-Encoding: base64\r\n\r\n{ics}\r\n--M--\r\n'
    ).encode()


def mailbox_messages(uid: str) -> list[bytes]:
    outlook = (FIXTURES / "outlook_accept.eml").read_text(encoding="utf-8")
    ics = base64.encodebytes(calendar_reply(uid, "mai@maitranslate.ca", "ACCEPTED")).decode()
    names = [
        "gmail_reply",
        "outlook_reply",
        "bounce",
        "out_of_office",
        "bulk",
        "stranger",
    ]
    return [outlook.replace("@CALENDAR_BASE64@", ics).encode(), gmail_accept(uid)] + [
        (FIXTURES / f"{name}.eml").read_bytes() for name in names
    ]


def write_mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(str(path))
    for data in messages:
        box.add(data)
    box.close()
    return path


def write_maildir(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.Maildir(str(path))
    for data in messages:
        box.add(data)
    return path


def rsvp(meeting, email: str) -> str | None:
    row = Attendance.get_or_none(
        (Attendance.meeting == meeting) & (Attendance.member == Member.get(Member.email == email))
    )
    return row.rsvp if row else None


@pytest.mark.parametrize("shape", ["mbox", "maildir"])
def test_a_mailbox_of_replies(sample_group, tmp_path, shape):
    meeting = next_meeting(sample_group, NOW)
    messages = mailbox_messages(meeting.uid)
    source = (
        write_mbox(tmp_path / "replies.mbox", messages)
        if shape == "mbox"
        else write_maildir(tmp_path / "Maildir", messages)
    )
    posts_before = Post.select().count()
    report = import_mail(sample_group, source, NOW)
    assert (report.rsvps, report.posts) == (2, 2)
    assert rsvp(meeting, "mai@maitranslate.ca") == "accepted"
    assert rsvp(meeting, "zoe@lefevre.design") == "tentative"
    new = list(Post.select().order_by(Post.id.desc()).limit(2))[::-1]
    assert Post.select().count() == posts_before + 2
    brian, priya = new  # in the order they were written (Date), whatever the mailbox's order
    assert brian.author.email == "brian@leeinspections.ca" and brian.thread_id == 9
    assert brian.body.startswith("Thursday the 10th works for me — I can bring the music.")
    assert "wrote" not in brian.body and "Shall we" not in brian.body
    assert "speaker.jpg" in brian.body  # listed, not stored
    assert priya.author.email == "priya@ramanrealty.ca" and priya.thread_id == 9
    assert priya.body == "Evening is best à mon avis, partners included.\n\nPriya"
    reasons = dict(report.skipped)
    assert set(reasons) == {
        "mailer-daemon@okaforcpa.ca",
        "tom@kowalskiroofing.ca",
        "sarah@mitchellfamilylaw.ca",
        "someone@elsewhere.example",
    }
    assert reasons["mailer-daemon@okaforcpa.ca"].startswith("a bounce")
    assert reasons["tom@kowalskiroofing.ca"] == "an auto-reply (Auto-Submitted: auto-replied)"
    assert reasons["sarah@mitchellfamilylaw.ca"] == "an auto-reply (Precedence: bulk)"
    assert "not a member" in reasons["someone@elsewhere.example"]

    again = import_mail(sample_group, source, NOW)
    assert (again.rsvps, again.posts) == (0, 0)
    assert Post.select().count() == posts_before + 2 and MailReceived.select().count() == 4
    assert sum(why.startswith("already imported") for _, why in again.skipped) == 4


def test_one_eml_from_the_command_line(sample_template, tmp_path, monkeypatch, capsys):
    path = tmp_path / "cli.db"
    shutil.copy(sample_template, path)
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: NOW)
    for name, expected in (
        ("gmail_reply", "imported: 0 rsvps\nimported: 1 posts\nskipped: 0\n"),
        ("stranger", "imported: 0 rsvps\nimported: 0 posts\nskipped: 1\n"),
    ):
        assert main(["--db", str(path), "import", "mail", str(FIXTURES / f"{name}.eml")]) == 0
        out, err = capsys.readouterr()
        assert out == expected
    assert err == (
        "organizer: skipped a message from someone@elsewhere.example: "
        "someone@elsewhere.example is not a member's address\n"
    )
    assert main(["--db", str(path), "import", "mail", str(tmp_path / "missing.mbox")]) == 1
    assert capsys.readouterr().err.startswith("organizer: cannot read")


def test_ics_reply_takes_the_eml_a_reply_arrives_in(sample_template, tmp_path, monkeypatch, capsys):
    path = tmp_path / "cli.db"
    shutil.copy(sample_template, path)
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: NOW)
    main(["--db", str(path), "stats"])
    meeting = next_meeting(Member.get().group, NOW)
    eml = tmp_path / "accept.eml"
    eml.write_bytes(mailbox_messages(meeting.uid)[0])
    capsys.readouterr()
    assert main(["--db", str(path), "ics-reply", str(eml)]) == 0
    assert capsys.readouterr().out.endswith("Nguyễn Thị Mai  accepted\n")
    box = write_mbox(tmp_path / "one.mbox", [gmail_accept(meeting.uid)])
    assert main(["--db", str(path), "ics-reply", str(box)]) == 0
    assert "Zoë Lefèvre  tentative" in capsys.readouterr().out
    assert main(["--db", str(path), "ics-reply", str(FIXTURES / "stranger.eml")]) == 1
    assert "holds no calendar reply" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, kept",
    [
        (
            "Yes!\n\nOn Mon, 7 Dec 2026 at 10:00, Olu <olu@example.com> wrote:\n> old",
            "Yes!",
        ),
        ("Yes!\n-- \nOlu Organizer\n555-0100", "Yes!"),
        ("Yes!\n\nSent from my iPhone", "Yes!"),
        ("Yes!\n\n-----Original Message-----\nFrom: x", "Yes!"),
        ("Yes!\nFrom: Daniel\nSent: Monday\nTo: me", "Yes!"),
        ("Line one\n> quoted\nLine two", "Line one\nLine two"),
    ],
)
def test_trim_reply(text, kept):
    assert mail_read.trim_reply(text) == kept


def test_html_only_reply_drops_the_quote():
    message = mail_read.parse(
        b"From: a@b.c\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<div>New <b>text</b><br>here</div><blockquote><div>old<br>stuff</div></blockquote><p>after</p>"
    )
    assert mail_read.reply_text(message) == "New text\nhere\nafter"


def test_hostile_mail_is_cleaned_or_reported(sample_group, tmp_path):
    escape = (
        b"From: Brian Lee <brian@leeinspections.ca>\r\nTo: daniel+thread-9@okaforcpa.ca\r\n"
        b"Subject: Re: [#9]\r\nMessage-ID: <hostile.1@x>\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
        b"Fine \x1b[2J\x1b]0;owned\x07by me\r\n"
    )
    garbage = bytes(range(256)) * 4
    report = import_mail(sample_group, write_maildir(tmp_path / "Maildir", [escape, garbage, b""]), NOW)
    assert report.posts == 1
    body = Post.select().order_by(Post.id.desc()).first().body
    assert "\x1b" not in body and "\x07" not in body and body.startswith("Fine ")
    assert [why for _, why in report.skipped] == ["it has no sender address"] * 2
    for sender, _ in report.skipped:
        assert sender.isprintable()


def test_outlook_html_only_reply_stops_at_its_marker():
    message = mail_read.parse(
        b"From: a@b.c\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b'<html><body><div>See you <i>there</i>.</div><div id="appendonsend"></div><hr>'
        b'<div id="divRplyFwdMsg"><b>From:</b> Daniel</div><div>Shall we meet?</div></body></html>'
    )
    assert mail_read.reply_text(message) == "See you there."
