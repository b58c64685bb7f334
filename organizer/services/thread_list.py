"""Listing threads: latest activity first with pinned ones on top, filters, search, paging.

Search folds the query like `text.fold` folds each thread's `search_key` (title and post
bodies), so "cafe" finds "Café" and "ΚΑΦΕ" finds "καφέ"; every word must appear somewhere in
the thread. Lists are read a page at a time (LIMIT / OFFSET) in the order of the index
(group, pinned, last_activity_at), so a page stays cheap at thousands of threads.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import Value, fn

from organizer.models import THREAD_KINDS, Group, Member, Post, Thread
from organizer.services.errors import ValidationError
from organizer.services.text import fold, tidy

PAGE_SIZE = 50


@dataclass(frozen=True)
class ThreadFilter:
    """What the list shows: a kind, a tag, only unresolved threads, words to search for."""

    kind: str = ""
    tag: str = ""
    unresolved: bool = False
    text: str = ""


def _filtered(group: Group, flt: ThreadFilter):
    query = Thread.select().where(Thread.group == group)
    kind = tidy(flt.kind).lower()
    if kind:
        if kind not in THREAD_KINDS:
            raise ValidationError.single("kind", "kind is one of " + ", ".join(THREAD_KINDS))
        query = query.where(Thread.kind == kind)
    tag = tidy(flt.tag).lower()
    if tag:
        # Tags are stored "a,b,c": wrap both in commas so "event" does not match "events".
        query = query.where(Value(",").concat(Thread.tags).concat(",").contains(f",{tag},"))
    if flt.unresolved:
        query = query.where(Thread.resolved == False)  # noqa: E712 - SQL, not Python
    for word in fold(flt.text).split():
        query = query.where(Thread.search_key.contains(word))
    return query


def list_threads(
    group: Group, flt: ThreadFilter = ThreadFilter(), *, limit: int = PAGE_SIZE, offset: int = 0,
) -> list[Thread]:
    """One page of threads: pinned first, then by latest activity (newest first).

    Each thread comes with its `author` loaded and a `post_count` attribute.
    """
    # A correlated count per row of the page: LIMIT rows, each an index range on (thread, created_at).
    post_count = Post.select(fn.COUNT(Post.id)).where(Post.thread == Thread.id).alias("post_count")
    query = (
        _filtered(group, flt)
        .select_extend(Member, post_count)
        .join(Member, on=(Thread.author == Member.id))
        .order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(query)


def count_threads(group: Group, flt: ThreadFilter = ThreadFilter()) -> int:
    return _filtered(group, flt).count()


def all_tags(group: Group) -> list[str]:
    """Every tag in use in the group, sorted (for a filter's choices)."""
    tags: set[str] = set()
    for row in Thread.select(Thread.tags).where((Thread.group == group) & (Thread.tags != "")).distinct():
        tags.update(tag for tag in row.tags.split(",") if tag)
    return sorted(tags)
