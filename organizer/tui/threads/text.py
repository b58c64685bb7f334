"""How threads read on screen: local times, markers, a post's byline.

Times are stored in UTC and shown in the group's zone, the way members live them.
"""

from __future__ import annotations

from datetime import datetime

from organizer.services.groups import zone
from organizer.services.records import Group, Post, Thread
from organizer.tui.widgets.markup import escape

# One glyph each, so the list's marker column stays three cells wide.
PINNED, RESOLVED, CARRIED = "▲", "✓", "→"
LEGEND = f"{PINNED} pinned {RESOLVED} resolved {CARRIED} on an agenda"


def local(group: Group, moment: datetime) -> datetime:
    return moment.astimezone(zone(group))


def short_time(group: Group, moment: datetime) -> str:
    """'2026-11-18 09:30' in the group's zone (list columns)."""
    return local(group, moment).strftime("%Y-%m-%d %H:%M")


def long_time(group: Group, moment: datetime) -> str:
    """'Wed 18 Nov 2026, 09:30' in the group's zone (a post's byline)."""
    when = local(group, moment)
    return f"{when:%a} {when.day} {when:%b %Y, %H:%M}"


def long_date(group: Group, moment: datetime) -> str:
    when = local(group, moment)
    return f"{when:%A} {when.day} {when:%B %Y}"


def markers(thread: Thread) -> str:
    return "".join((
        PINNED if thread.pinned else " ",
        RESOLVED if thread.resolved else " ",
        CARRIED if thread.carried_to_id else " ",
    ))


def byline(group: Group, post: Post) -> str:
    """Markup: '[b]Name[/b]  Wed 18 Nov 2026, 09:30  (edited …)'."""
    text = f"[b]{escape(post.author.name)}[/b]  [dim]{long_time(group, post.created_at)}"
    if post.edited_at is not None:
        text += f"  · edited {long_time(group, post.edited_at)}"
    return text + "[/dim]"
