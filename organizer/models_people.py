"""The group and its people: the group's settings, members, their history, and unsaved drafts."""

from __future__ import annotations

from peewee import (
    BooleanField,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from organizer.models_base import BaseModel, UTCDateTimeField


class Group(BaseModel):
    name = TextField()
    timezone = TextField()  # IANA name, e.g. America/Toronto
    currency = TextField(default="CAD")  # ISO 4217
    locale = TextField(default="")  # how amounts are written ("de_DE": 1.250,50); "" not known
    organizer_name = TextField(default="")
    organizer_email = TextField(default="")
    default_place = TextField(default="")
    recap_amounts = TextField(default="show")  # one of RECAP_AMOUNTS
    fiscal_year_start = IntegerField(default=1)  # month 1–12
    allow_shared_categories = BooleanField(default=False)
    followup_days = IntegerField(default=30)
    reminder_minutes = IntegerField(default=1440)  # the invite's VALARM
    # Defaults for the five invitation fields of every new meeting.
    default_intent = TextField(default="")
    default_benefit = TextField(default="")
    default_topics = TextField(default="")
    default_time_needed = TextField(default="")
    default_out = TextField(default="")
    created_at = UTCDateTimeField()
    # Public holidays (the `holidays` library): ISO 3166 country and optional subdivision.
    country = TextField(default="")  # e.g. DE
    subdivision = TextField(default="")  # e.g. BY (for DE-BY)


class Setting(BaseModel):
    """Per-database choices that are not the group's data: who is using the app, the theme."""

    group = ForeignKeyField(Group, backref="settings", null=True, on_delete="CASCADE")
    key = TextField()
    value = TextField(default="")

    class Meta:
        indexes = ((("group", "key"), True),)


class Member(BaseModel):
    group = ForeignKeyField(Group, backref="members")
    name = TextField()
    business = TextField(default="")
    category = TextField(default="")
    email = TextField(default="")
    phone = TextField(default="")
    website = TextField(default="")
    joined_on = DateField(null=True)
    renewal_due = DateField(null=True)
    status = TextField(default="active")  # one of MEMBER_STATUSES
    invited_by = ForeignKeyField("self", null=True, backref="invitees")
    bio = TextField(default="")
    good_referral = TextField(default="")  # "a good referral for me is…"
    notes = TextField(default="")
    archived_on = DateField(null=True)
    contacted_on = DateField(null=True)  # a visitor's or applicant's last follow-up
    # Case- and accent-folded name, business, category and email: what search matches.
    search_key = TextField(default="")
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()

    class Meta:
        indexes = (
            (("group", "status", "name"), False),
            (("group", "category"), False),
            (("group", "email"), False),
            # Search walks a group's members in name order through this index alone,
            # matching search_key and status in it, and stops at a page of matches: no
            # table scan, no sort (services.members.search_members).
            (("group", "name", "id", "status", "search_key"), False),
        )


class MemberEvent(BaseModel):
    """A member's history beyond their row: renewed, became an applicant, joined…"""

    member = ForeignKeyField(Member, backref="events", on_delete="CASCADE")
    at = UTCDateTimeField()
    action = TextField()  # renewed, status, contacted
    detail = TextField(default="")  # human-readable: "renewal due 2027-03-01 (was 2026-03-01)"

    class Meta:
        indexes = ((("member", "at"), False),)


class Draft(BaseModel):
    """What was typed and not saved yet (a form, meeting mode's lines and place), kept so
    that a crash loses nothing; one per group and key, gone once saved or discarded."""

    group = ForeignKeyField(Group, backref="drafts", on_delete="CASCADE")
    key = TextField()  # which form or screen: "member:new", "meeting:12"
    title = TextField(default="")  # what the next start names: "New member"
    data = TextField(default="{}")  # JSON
    updated_at = UTCDateTimeField()

    class Meta:
        indexes = ((("group", "key"), True),)
