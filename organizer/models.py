"""The peewee models: the group's data, nothing else.

Every row belongs to a Group. Rules (validation, transactions, history) live in
`organizer.services`; this module only says what is stored and how it is indexed.

Times are stored as UTC text (`UTCDateTimeField`) and come back timezone-aware; dates
(a member's join date, a referral's date) are plain calendar dates in the group's zone.
Money is integer minor units of the group's currency.
"""

from __future__ import annotations

from datetime import datetime, timezone

from peewee import (
    BooleanField,
    DatabaseProxy,
    DateField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()

SCHEMA_VERSION = 4

MEMBER_STATUSES = ("active", "on_leave", "alumni", "visitor")
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
        return value.astimezone(timezone.utc).strftime(_UTC_FORMAT)

    def python_value(self, value):
        if value is None or isinstance(value, datetime):
            return value
        return datetime.strptime(value, _UTC_FORMAT).replace(tzinfo=timezone.utc)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaInfo(BaseModel):
    """One row: the schema version this database is at."""

    version = IntegerField()


class Group(BaseModel):
    name = TextField()
    timezone = TextField()  # IANA name, e.g. America/Toronto
    currency = TextField(default="CAD")  # ISO 4217
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
    """A monthly rule: the `ordinal` (1–4, or -1 for last) `weekday` (0 = Monday) at a local time."""

    group = ForeignKeyField(Group, backref="series")
    ordinal = IntegerField()
    weekday = IntegerField()
    start_time = TextField()  # "HH:MM", local to the group's zone
    minutes = IntegerField()
    starts_on = DateField()
    ends_on = DateField(null=True)
    place = TextField(default="")
    title = TextField(default="")
    uid = TextField(unique=True)
    sequence = IntegerField(default=0)
    created_at = UTCDateTimeField()


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
    value_minor = IntegerField(null=True)  # closed business, integer minor units
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

    class Meta:
        indexes = ((("member_a", "met_on"), False), (("member_b", "met_on"), False))


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
    Draft,
)
