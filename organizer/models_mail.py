"""Mail kept track of: what was sent to whom, and which received messages were imported."""

from __future__ import annotations

from peewee import (
    ForeignKeyField,
    TextField,
)

from organizer.models_base import BaseModel, UTCDateTimeField
from organizer.models_people import Group, Member


class SendLog(BaseModel):
    """One message to one recipient: what `organizer send` has sent (or failed to), so a
    re-run sends only what is missing. `send_key` names the send (an invite's UID and
    SEQUENCE, a digest's start, a nudge's day); (group, send_key, email) is unique."""

    group = ForeignKeyField(Group, backref="send_log", on_delete="CASCADE")
    kind = TextField()  # invite, cancel, digest, renewals, thanks, pairings
    send_key = TextField()
    member = ForeignKeyField(Member, null=True, backref="send_log")
    email = TextField()
    subject = TextField(default="")
    message_id = TextField()
    sent_at = UTCDateTimeField()
    result = TextField(default="sent")  # sent or failed
    detail = TextField(default="")  # the server's answer to a failure

    class Meta:
        indexes = ((("group", "send_key", "email"), True), (("group", "kind", "sent_at"), False))


class MailReceived(BaseModel):
    """A message `organizer import mail` has read, by Message-ID: importing the same
    mailbox twice imports nothing new."""

    group = ForeignKeyField(Group, backref="mail_received", on_delete="CASCADE")
    message_id = TextField()
    kind = TextField()  # rsvp or post
    sender = TextField(default="")
    received_at = UTCDateTimeField()

    class Meta:
        indexes = ((("group", "message_id"), True),)
