"""How the app names a meeting's states for people: status, RSVP, attendance, one line per meeting.

Plain functions and tables (Rich markup, user text escaped), shared by the Meetings section,
the meeting's page, meeting mode and a member's page.
"""

from __future__ import annotations

from datetime import timedelta

from organizer.services.groups import zone
from organizer.services.records import Group, Meeting

STATUS_MARKS = {
    "scheduled": "scheduled",
    "held": "[green]held[/]",
    "skipped": "[dim]skipped[/dim]",
    "cancelled": "[red]cancelled[/]",
}
RSVP_LABELS = {
    "needs_action": "no answer",
    "accepted": "coming",
    "tentative": "maybe",
    "declined": "not coming",
}
PRESENCE_LABELS = {
    None: "not recorded",
    "present": "present",
    "late": "late",
    "medical": "medical",
    "substitute": "sent a substitute",
    "absent": "absent",
}
PRESENCE_MARKS = {
    "present": "[green]●[/] present",
    "late": "[yellow]●[/] late",
    "substitute": "[cyan]●[/] sent a substitute",
    "medical": "[dim]○ medical[/dim]",
    "absent": "[red]○[/] absent",
    None: "[dim]· not recorded[/dim]",
}


def when(group: Group, meeting: Meeting) -> str:
    """'Tue 8 Dec 2026, 07:30–09:00' in the group's zone."""
    tz = zone(group)
    start = meeting.starts_at.astimezone(tz)
    end = (meeting.starts_at + timedelta(minutes=meeting.minutes)).astimezone(tz)
    day = f"{start:%a} {start.day} {start:%b %Y}"
    if end.date() != start.date():
        return f"{day}, {start:%H:%M} – {end:%a} {end:%H:%M}"
    return f"{day}, {start:%H:%M}–{end:%H:%M}"


def presence_text(presence: str | None, substitute_name: str = "") -> str:
    """Attendance in words, with the substitute's name when one came."""
    if presence == "substitute" and substitute_name:
        return f"substitute: {substitute_name}"
    return PRESENCE_LABELS.get(presence, presence or "")
