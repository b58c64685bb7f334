"""The peewee models: the group's data, nothing else.

Every row belongs to a Group. Rules (validation, transactions, history) live in
`organizer.services`; this module only says what is stored and how it is indexed.

Times are stored as UTC text (`UTCDateTimeField`) and come back timezone-aware; dates
(a member's join date, a referral's date) are plain calendar dates in the group's zone.
Money is integer minor units of the group's currency.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    DatabaseProxy,
    DateField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()

SCHEMA_VERSION = 10

MEMBER_STATUSES = ("active", "on_leave", "alumni", "visitor", "applicant")
PROSPECT_STATUSES = ("visitor", "applicant")  # on the way in: visited, then applied
RSVP_STATES = ("needs_action", "accepted", "tentative", "declined")
PRESENCE_STATES = ("present", "absent", "late", "medical", "substitute")
MEETING_STATUSES = ("scheduled", "held", "skipped", "cancelled")
AGENDA_KINDS = (
    "open_networking",
    "education",
    "sixty_second_round",
    "spotlight",
    "referral_round",
    "carried_thread",
    "other",
)
THREAD_KINDS = ("discussion", "ask", "offer", "announcement")
REFERRAL_KINDS = ("inside", "outside")
REFERRAL_STATUSES = ("open", "contacted", "won", "lost")
ONE_TO_ONE_MODES = ("in_person", "video", "phone")
RECAP_AMOUNTS = ("show", "bucket", "hide")

_UTC_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


class UTCDateTimeField(TextField):
    """An aware datetime stored as sortable UTC text ('YYYY-MM-DD HH:MM:SS.ffffff').

    Naive datetimes are refused: a time without a zone is a bug waiting for daylight saving.
    """

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if value.tzinfo is None:
            raise ValueError(f"{self.name}: a naive datetime cannot be stored")
        return value.astimezone(UTC).strftime(_UTC_FORMAT)

    def python_value(self, value):
        if value is None or isinstance(value, datetime):
            return value
        return datetime.strptime(value, _UTC_FORMAT).replace(tzinfo=UTC)


class BaseModel(Model):
    id = AutoField()

    class Meta:
        database = database
        legacy_table_names = False

    if TYPE_CHECKING:
        # peewee adds a row's `<foreign key>_id` values and its backrefs (`group.members`)
        # when each model class is made, where a type checker cannot see them.
        def __getattr__(self, name: str) -> Any: ...


class SchemaInfo(BaseModel):
    """One row: the schema version this database is at."""

    version = IntegerField()


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


class MeetingSeries(BaseModel):
    """A rule (an RFC 5545 RRULE, `rrule`) at a local time, from a start to an optional end.

    `ordinal` and `weekday` are the rule of schema version 3 and older (the nth weekday of
    the month); version 4 converted them into `rrule`, and they are kept filled for a
    one-a-month rule (0 otherwise) so the columns stay as they were.
    """

    group = ForeignKeyField(Group, backref="series")
    ordinal = IntegerField(default=0)
    weekday = IntegerField(default=0)
    start_time = TextField()  # "HH:MM", local to the group's zone
    minutes = IntegerField()
    starts_on = DateField()
    ends_on = DateField(null=True)
    place = TextField(default="")
    title = TextField(default="")
    uid = TextField(unique=True)
    sequence = IntegerField(default=0)
    created_at = UTCDateTimeField()
    rrule = TextField(default="")  # e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TH


class Meeting(BaseModel):
    group = ForeignKeyField(Group, backref="meetings")
    series = ForeignKeyField(MeetingSeries, null=True, backref="meetings")
    # For a series occurrence: its date under the rule (the iCal RECURRENCE-ID), even if moved.
    occurrence_date = DateField(null=True)
    starts_at = UTCDateTimeField()
    minutes = IntegerField()
    place = TextField(default="")
    title = TextField(default="")
    intent = TextField(default="")
    benefit = TextField(default="")
    topics = TextField(default="")
    time_needed = TextField(default="")
    opt_out = TextField(default="")  # "the out": a guilt-free way not to come
    status = TextField(default="scheduled")  # one of MEETING_STATUSES
    uid = TextField(unique=True)
    sequence = IntegerField(default=0)
    notes = TextField(default="")
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()

    class Meta:
        indexes = (
            (("group", "starts_at"), False),
            (("series", "occurrence_date"), True),
        )


class Attendance(BaseModel):
    meeting = ForeignKeyField(Meeting, backref="attendance")
    member = ForeignKeyField(Member, backref="attendance")
    rsvp = TextField(default="needs_action")  # one of RSVP_STATES
    presence = TextField(null=True)  # one of PRESENCE_STATES, None until the day
    substitute_name = TextField(default="")
    updated_at = UTCDateTimeField()

    class Meta:
        indexes = ((("meeting", "member"), True), (("member", "meeting"), False))


class AttendanceCorrection(BaseModel):
    """A change to a held meeting's attendance: what it was, what it became, who and why."""

    attendance = ForeignKeyField(Attendance, backref="corrections")
    at = UTCDateTimeField()
    actor = ForeignKeyField(Member, null=True)
    old_presence = TextField(null=True)
    new_presence = TextField(null=True)
    reason = TextField(default="")


class Thread(BaseModel):
    group = ForeignKeyField(Group, backref="threads")
    title = TextField()
    kind = TextField(default="discussion")  # one of THREAD_KINDS
    author = ForeignKeyField(Member, backref="threads")
    tags = TextField(default="")  # comma-separated, lower case
    pinned = BooleanField(default=False)
    resolved = BooleanField(default=False)
    carried_to = ForeignKeyField(Meeting, null=True, backref="carried_threads")
    created_at = UTCDateTimeField()
    last_activity_at = UTCDateTimeField()
    # The folded title and every post's body: what thread search matches (services.thread_list).
    # Last on purpose: SQLite then reads the other columns without walking its overflow pages.
    search_key = TextField(default="")

    class Meta:
        indexes = ((("group", "pinned", "last_activity_at"), False),)


class Post(BaseModel):
    thread = ForeignKeyField(Thread, backref="posts")
    author = ForeignKeyField(Member, backref="posts")
    body = TextField()  # Markdown
    created_at = UTCDateTimeField()
    edited_at = UTCDateTimeField(null=True)

    class Meta:
        indexes = ((("thread", "created_at"), False),)


class AgendaItem(BaseModel):
    meeting = ForeignKeyField(Meeting, backref="agenda")
    position = IntegerField()
    kind = TextField(default="other")  # one of AGENDA_KINDS
    title = TextField(default="")
    member = ForeignKeyField(Member, null=True)
    thread = ForeignKeyField(Thread, null=True, backref="agenda_items")
    minutes = IntegerField(default=0)

    class Meta:
        indexes = ((("meeting", "position"), False),)


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


ALL_MODELS = (
    SchemaInfo,
    Group,
    Setting,
    Member,
    MeetingSeries,
    Meeting,
    Attendance,
    AttendanceCorrection,
    Thread,
    Post,
    AgendaItem,
    Referral,
    LedgerEvent,
    OneToOne,
    SendLog,
    MailReceived,
    MemberEvent,
    Draft,
)
