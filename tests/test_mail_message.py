"""One email to one recipient (exports.mail_message), read back with the stdlib parser:
whatever a name or a subject holds, it stays one header with the text intact, and no
header can be added through it."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header

from hypothesis import given, settings
from hypothesis import strategies as st

from organizer.exports.ical import Person
from organizer.exports.mail_message import (
    NAME_LIMIT,
    Mail,
    header_text,
    message_bytes,
    message_id,
)

WHEN = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
HEADERS = {
    "From",
    "To",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
}


def mail(name: str, subject: str, **more) -> Mail:
    return Mail(
        sender=Person("Olu Organizer", "olu@example.com"),
        to=Person(name, "ana@example.com"),
        subject=subject,
        text="Hello\n",
        html="<p>Hello</p>",
        message_id=message_id("digest:1", "ana@example.com", "example.com"),
        date=WHEN,
        reply_to=Person("Olu", "olu+thread-3@example.com"),
        **more,
    )


@settings(max_examples=150, deadline=None)
@given(name=st.text(max_size=200), subject=st.text(max_size=300))
def test_any_name_and_subject_read_back_as_one_header_each(name, subject):
    data = message_bytes(mail(name, subject))
    message = message_from_bytes(data, policy=policy.default)
    assert set(message.keys()) == HEADERS
    [to] = message["To"].addresses
    assert to.addr_spec == "ana@example.com"
    assert to.display_name == header_text(name)[:NAME_LIMIT]
    # As an RFC 2047 reader (a mail client) sees it: no space lost or added.
    raw = message_from_bytes(data, policy=policy.compat32)["To"].rsplit("<", 1)[0].strip()
    if raw.startswith("=?"):
        assert str(make_header(decode_header(raw))) == header_text(name)[:NAME_LIMIT]
    assert str(message["Subject"]) == header_text(subject)


def test_names_in_every_script_and_an_idn_domain():
    names = [
        "Nguyễn Thị Mai",
        "Δήμητρα Παππά",
        "Ольга Смирнова",
        "محمد علي",
        "陈静",
        "山田太郎",
        "김지은",
    ]
    for name in names:
        data = message_bytes(mail(name, f"Für {name}"))
        assert max(data) < 128  # 7-bit: no SMTPUTF8 or 8BITMIME needed
        message = message_from_bytes(data, policy=policy.default)
        assert message["To"].addresses[0].display_name == name
        assert str(message["Subject"]) == f"Für {name}"
    idn = Mail(
        sender=Person("Zoë", "zoe@café.example"),
        to=Person("A", "a@example.com"),
        subject="s",
        text="t",
        html="h",
        message_id="<x@y>",
        date=WHEN,
    )
    assert (
        message_from_bytes(message_bytes(idn), policy=policy.default)["From"].addresses[0].domain
        == "xn--caf-dma.example"
    )


def test_a_long_name_keeps_its_spaces_for_mail_clients():
    name = "Công ty TNHH Dịch vụ Kế toán Nguyễn Thị Mai và Cộng sự"
    data = message_bytes(mail(name, name))
    raw = message_from_bytes(data, policy=policy.compat32)["To"].rsplit("<", 1)[0]
    assert str(make_header(decode_header(raw))).strip() == name


def test_message_ids_are_stable_and_per_recipient():
    first = message_id("invite:uid-1@x:2", "Ana@Example.com", "example.com")
    assert first == message_id("invite:uid-1@x:2", "ana@example.com", "example.com")
    assert first != message_id("invite:uid-1@x:2", "ben@example.com", "example.com")
    assert first != message_id("invite:uid-1@x:3", "ana@example.com", "example.com")
    assert first.startswith("<invite.") and first.endswith("@example.com>")


def test_an_invite_has_the_calendar_part_and_the_attachment():
    ics = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    message = message_from_bytes(message_bytes(mail("Ana", "Invitation", calendar=ics)), policy=policy.default)
    parts = [(part.get_content_type(), part.get_param("method")) for part in message.walk()]
    assert parts == [
        ("multipart/mixed", None),
        ("multipart/alternative", None),
        ("text/plain", None),
        ("text/html", None),
        ("text/calendar", "REQUEST"),
        ("application/ics", None),
    ]
