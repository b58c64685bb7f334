"""The few reads the dashboard needs that no other service has: RSVP counts, active threads.

Kept small on purpose: the thread listings proper live in services/threads.py.
"""

from __future__ import annotations

from peewee import fn

from organizer.models import RSVP_STATES, Attendance, Group, Meeting, Thread


def rsvp_counts(meeting: Meeting) -> dict[str, int]:
    """How many attendees are at each RSVP state (every state present, zeros included)."""
    counts = dict.fromkeys(RSVP_STATES, 0)
    for row in (
        Attendance.select(Attendance.rsvp, fn.COUNT(Attendance.id).alias("n"))
        .where(Attendance.meeting == meeting)
        .group_by(Attendance.rsvp)
    ):
        counts[row.rsvp] = row.n
    return counts


def active_threads(group: Group, *, limit: int = 5) -> list[Thread]:
    """Unresolved threads, most recent activity first."""
    return list(
        Thread.select()
        .where((Thread.group == group) & (Thread.resolved == False))  # noqa: E712 (SQL, not Python)
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(limit)
    )
