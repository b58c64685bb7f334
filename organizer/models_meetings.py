"""Meetings and what is said around them: series, meetings, attendance and its
corrections, discussion threads and their posts, and each meeting's agenda."""

from __future__ import annotations

from peewee import (
    BooleanField,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from organizer.models_base import BaseModel, UTCDateTimeField
from organizer.models_people import Group, Member


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
