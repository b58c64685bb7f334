"""The records services hand to the screens, and the choices they accept.

Screens name these types (a `Member`, a `Meeting`) and offer these choices (statuses,
kinds); they never query or save them: every read and write goes through a service
function. tests/test_architecture.py holds the app to that.
"""

from organizer.models import (
    MEMBER_STATUSES,
    PRESENCE_STATES,
    REFERRAL_KINDS,
    REFERRAL_STATUSES,
    RSVP_STATES,
    THREAD_KINDS,
    AgendaItem,
    Attendance,
    Group,
    Meeting,
    Member,
    Post,
    Referral,
    Thread,
)

__all__ = [
    "MEMBER_STATUSES",
    "PRESENCE_STATES",
    "REFERRAL_KINDS",
    "REFERRAL_STATUSES",
    "RSVP_STATES",
    "THREAD_KINDS",
    "AgendaItem",
    "Attendance",
    "Group",
    "Meeting",
    "Member",
    "Post",
    "Referral",
    "Thread",
]
