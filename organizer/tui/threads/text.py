"""How threads read on screen: markers and a post's byline."""

from __future__ import annotations

from organizer.services.records import Group, Post, Thread
from organizer.tui.widgets.format import local_time
from organizer.tui.widgets.markup import escape

# One glyph each, so the list's marker column stays three cells wide.
PINNED, RESOLVED, CARRIED = "▲", "✓", "→"
LEGEND = f"{PINNED} pinned {RESOLVED} resolved {CARRIED} on an agenda"


def markers(thread: Thread) -> str:
    return "".join(
        (
            PINNED if thread.pinned else " ",
            RESOLVED if thread.resolved else " ",
            CARRIED if thread.carried_to_id else " ",
        )
    )


def byline(group: Group, post: Post) -> str:
    """Markup: '[b]Name[/b]  Wed 18 Nov 2026, 09:30  (edited …)'."""
    text = f"[b]{escape(post.author.name)}[/b]  [dim]{local_time(group, post.created_at)}"
    if post.edited_at is not None:
        text += f"  · edited {local_time(group, post.edited_at)}"
    return text + "[/dim]"
