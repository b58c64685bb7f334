"""The one read the dashboard needs that no other service has: active threads.

Kept small on purpose: the thread listings proper live in services/threads.py.
"""

from __future__ import annotations

from organizer.models import Group, Thread


def active_threads(group: Group, *, limit: int = 5) -> list[Thread]:
    """Unresolved threads, most recent activity first."""
    return list(
        Thread.select()
        .where((Thread.group == group) & (Thread.resolved == False))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(limit)
    )
