"""The referral ledger (referrals and their append-only history) and one-to-ones."""

from __future__ import annotations

from peewee import (
    BigIntegerField,
    BooleanField,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from organizer.models_base import BaseModel, UTCDateTimeField
from organizer.models_meetings import Meeting, Post, Thread
from organizer.models_people import Group, Member


class Referral(BaseModel):
    group = ForeignKeyField(Group, backref="referrals")
    giver = ForeignKeyField(Member, backref="referrals_given")
    receiver = ForeignKeyField(Member, backref="referrals_received")
    prospect_name = TextField()
    prospect_contact = TextField(default="")
    kind = TextField(default="outside")  # one of REFERRAL_KINDS
    temperature = IntegerField(default=3)  # 1 (cold) – 5 (hot)
    given_on = DateField()
    meeting = ForeignKeyField(Meeting, null=True, backref="referrals")
    thread = ForeignKeyField(Thread, null=True, backref="referrals")
    post = ForeignKeyField(Post, null=True, backref="referrals")
    parent = ForeignKeyField("self", null=True, backref="children")
    status = TextField(default="open")  # one of REFERRAL_STATUSES
    contacted_on = DateField(null=True)
    closed_on = DateField(null=True)  # the date it was won or lost
    value_minor = BigIntegerField(null=True)  # closed business, integer minor units (64-bit everywhere)
    thanked_on = DateField(null=True)
    thank_note = TextField(default="")
    notes = TextField(default="")
    voided_at = UTCDateTimeField(null=True)
    void_reason = TextField(default="")
    created_at = UTCDateTimeField()

    class Meta:
        indexes = (
            (("group", "given_on", "id"), False),
            (("giver", "given_on"), False),
            (("receiver", "given_on"), False),
            (("group", "status", "given_on"), False),
            # Business closed in a month, and thank-yous owed oldest first (the dashboard).
            (("group", "status", "closed_on"), False),
            (("parent",), False),
        )


# Give/get of a whole group: per member on each side, the group's rows in member order with
# everything summed, so the database reads the index alone (schema version 10).
for _side in (Referral.giver, Referral.receiver):
    Referral.add_index(
        Referral.group,
        _side,
        Referral.voided_at,
        Referral.given_on,
        Referral.status,
        Referral.value_minor,
        name=f"referral_{_side.column_name}_totals",
    )
del _side


class LedgerEvent(BaseModel):
    """Append-only history of a referral: created, status, value, thanked, voided, edited."""

    referral = ForeignKeyField(Referral, backref="events")
    at = UTCDateTimeField()
    actor = ForeignKeyField(Member, null=True)
    action = TextField()
    detail = TextField(default="")  # human-readable: "open → won, 1,250.50"
    reason = TextField(default="")

    class Meta:
        indexes = ((("referral", "at"), False),)


class OneToOne(BaseModel):
    group = ForeignKeyField(Group, backref="one_to_ones")
    member_a = ForeignKeyField(Member, backref="one_to_ones_a")
    member_b = ForeignKeyField(Member, backref="one_to_ones_b")
    met_on = DateField()
    mode = TextField(default="in_person")  # one of ONE_TO_ONE_MODES
    notes = TextField(default="")
    created_at = UTCDateTimeField()
    planned = BooleanField(default=False)  # suggested by a pairing, not yet held (version 7)

    class Meta:
        indexes = ((("member_a", "met_on"), False), (("member_b", "met_on"), False))
