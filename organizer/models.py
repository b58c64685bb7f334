"""The peewee models: the group's data, nothing else.

Every row belongs to a Group. Rules (validation, transactions, history) live in
`organizer.services`; this module only says what is stored and how it is indexed.

Times are stored as UTC text (`UTCDateTimeField`) and come back timezone-aware; dates
(a member's join date, a referral's date) are plain calendar dates in the group's zone.
Money is integer minor units of the group's currency.

The models live in modules by domain (models_base, models_people, models_meetings,
models_ledger, models_mail); this module names them all, so `from organizer.models
import X` is the one way in, and says which tables make the schema at which version.
"""

from __future__ import annotations

from peewee import IntegerField

from organizer.models_base import (
    AGENDA_KINDS,
    MEETING_STATUSES,
    MEMBER_STATUSES,
    ONE_TO_ONE_MODES,
    PRESENCE_STATES,
    PROSPECT_STATUSES,
    RECAP_AMOUNTS,
    REFERRAL_KINDS,
    REFERRAL_STATUSES,
    RSVP_STATES,
    THREAD_KINDS,
    BaseModel,
    UTCDateTimeField,
    database,
)
from organizer.models_ledger import LedgerEvent, OneToOne, Referral
from organizer.models_mail import MailReceived, SendLog
from organizer.models_meetings import AgendaItem, Attendance, AttendanceCorrection, Meeting, MeetingSeries, Post, Thread
from organizer.models_people import Draft, Group, Member, MemberEvent, Setting

SCHEMA_VERSION = 10


class SchemaInfo(BaseModel):
    """One row: the schema version this database is at."""

    version = IntegerField()


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

__all__ = [
    "AGENDA_KINDS",
    "ALL_MODELS",
    "MEETING_STATUSES",
    "MEMBER_STATUSES",
    "ONE_TO_ONE_MODES",
    "PRESENCE_STATES",
    "PROSPECT_STATUSES",
    "RECAP_AMOUNTS",
    "REFERRAL_KINDS",
    "REFERRAL_STATUSES",
    "RSVP_STATES",
    "SCHEMA_VERSION",
    "THREAD_KINDS",
    "AgendaItem",
    "Attendance",
    "AttendanceCorrection",
    "BaseModel",
    "Draft",
    "Group",
    "LedgerEvent",
    "MailReceived",
    "Meeting",
    "MeetingSeries",
    "Member",
    "MemberEvent",
    "OneToOne",
    "Post",
    "Referral",
    "SchemaInfo",
    "SendLog",
    "Setting",
    "Thread",
    "UTCDateTimeField",
    "database",
]
