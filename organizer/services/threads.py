"""Discussion threads and their posts: the venue between meetings."""

from __future__ import annotations

from datetime import datetime

from organizer.models import THREAD_KINDS, Group, Member, Post, Thread, database
from organizer.services.errors import ValidationError
from organizer.services.text import tidy


def normalize_tags(tags: str | list[str] | tuple[str, ...]) -> str:
    """'Marketing, events ,marketing' → 'events,marketing' (lower case, unique, sorted)."""
    items = tags.split(",") if isinstance(tags, str) else list(tags)
    return ",".join(sorted({tidy(tag).lower() for tag in items if tidy(tag)}))


def start_thread(
    group: Group, *, author: Member, title: str, body: str, kind: str = "discussion",
    tags: str | list[str] = "", pinned: bool = False, now: datetime,
) -> Thread:
    """Start a thread with its first post."""
    errors: dict[str, str] = {}
    title, body, kind = tidy(title), (body or "").strip(), tidy(kind).lower()
    if not title:
        errors["title"] = "a thread needs a title"
    if not body:
        errors["body"] = "write something: the first post is empty"
    if kind not in THREAD_KINDS:
        errors["kind"] = "kind is one of " + ", ".join(THREAD_KINDS)
    if not isinstance(author, Member) or author.group_id != group.id:
        errors["author"] = "the author is not a member of this group"
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        thread = Thread.create(
            group=group, title=title, kind=kind, author=author, tags=normalize_tags(tags),
            pinned=pinned, created_at=now, last_activity_at=now,
        )
        Post.create(thread=thread, author=author, body=body, created_at=now)
    return thread


def add_post(thread: Thread, *, author: Member, body: str, now: datetime) -> Post:
    """Reply to a thread; an empty body or an author from elsewhere writes nothing."""
    body = (body or "").strip()
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = "the reply is empty"
    if not isinstance(author, Member) or author.group_id != thread.group_id:
        errors["author"] = "the author is not a member of this group"
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        post = Post.create(thread=thread, author=author, body=body, created_at=now)
        Thread.update(last_activity_at=now).where(Thread.id == thread.id).execute()
    thread.last_activity_at = now
    return post


def set_flags(thread: Thread, *, pinned: bool | None = None, resolved: bool | None = None) -> Thread:
    """Pin or unpin, resolve or reopen a thread."""
    with database.atomic():
        if pinned is not None:
            thread.pinned = pinned
        if resolved is not None:
            thread.resolved = resolved
        thread.save()
    return thread
