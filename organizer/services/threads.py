"""Discussion threads and their posts: the venue between meetings.

Writing (start, reply, edit, pin, resolve), reading one thread as a conversation, and the
two bridges to the rest of the group: carrying a thread to the next meeting's agenda and
turning an answer to an ask into a referral. Listing and search live in `thread_list`.

Each thread keeps `search_key`, its folded title and post bodies, up to date with every
write here, so search is one indexed-order scan of one column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from peewee import fn

from organizer.errors import NotFound, UserError, ValidationError
from organizer.models import (
    THREAD_KINDS,
    AgendaItem,
    Group,
    Member,
    Post,
    Referral,
    Thread,
    database,
)
from organizer.services import ledger
from organizer.services.checks import as_id
from organizer.services.groups import zone
from organizer.services.meetings import next_meeting
from organizer.text import fold, tidy

# Minutes a carried-over thread gets on the agenda unless the organizer changes it.
CARRIED_MINUTES = 5
# What a person may fill in when an answer becomes a referral; the rest comes from the thread.
REFERRAL_FIELDS = ("prospect_name", "prospect_contact", "kind", "temperature", "given_on", "notes")


def normalize_tags(tags: str | list[str] | tuple[str, ...]) -> str:
    """'Marketing, events ,marketing' → 'events,marketing' (lower case, unique, sorted)."""
    items = tags.split(",") if isinstance(tags, str) else list(tags)
    return ",".join(sorted({tidy(tag).lower() for tag in items if tidy(tag)}))


def search_key(title: str, bodies: Iterable[str]) -> str:
    """What thread search matches: the folded title and every post's body."""
    return fold(" ".join([title, *bodies]))


def start_thread(
    group: Group,
    *,
    author: Member,
    title: str,
    body: str,
    kind: str = "discussion",
    tags: str | list[str] = "",
    pinned: bool = False,
    now: datetime,
) -> Thread:
    """Start a thread with its first post."""
    errors: dict[str, str] = {}
    title, body, kind = tidy(title), tidy(body, multiline=True), tidy(kind).lower()
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
            group=group,
            title=title,
            kind=kind,
            author=author,
            tags=normalize_tags(tags),
            pinned=pinned,
            search_key=search_key(title, [body]),
            created_at=now,
            last_activity_at=now,
        )
        Post.create(thread=thread, author=author, body=body, created_at=now)
    return thread


def add_post(thread: Thread, *, author: Member, body: str, now: datetime) -> Post:
    """Reply to a thread; an empty body or an author from elsewhere writes nothing."""
    body = tidy(body, multiline=True)
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = "the reply is empty"
    if not isinstance(author, Member) or author.group_id != thread.group_id:
        errors["author"] = "the author is not a member of this group"
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        post = Post.create(thread=thread, author=author, body=body, created_at=now)
        # Append in SQL: the caller's Thread object may be older than the row.
        Thread.update(
            last_activity_at=now,
            search_key=Thread.search_key.concat(" " + fold(body)),
        ).where(Thread.id == thread.id).execute()
    thread.last_activity_at = now
    return post


def edit_post(post: Post, *, editor: Member, body: str, now: datetime) -> Post:
    """Change one's own post; records when. Only its author may edit it, and not to nothing.

    An edit is not new activity: the thread keeps its place in the list.
    """
    if not isinstance(editor, Member) or editor.id != post.author_id:
        raise UserError("only the member who wrote a post can edit it")
    body = tidy(body, multiline=True)
    if not body:
        raise ValidationError.single("body", "the post cannot be empty (nothing was changed)")
    if body == post.body:
        return post
    with database.atomic():
        Post.update(body=body, edited_at=now).where(Post.id == post.id).execute()
        _refresh_search_key(post.thread_id)
    post.body, post.edited_at = body, now
    return post


def _refresh_search_key(thread_id: int) -> None:
    title = Thread.select(Thread.title).where(Thread.id == thread_id).scalar()
    bodies = Post.select(Post.body).where(Post.thread == thread_id).order_by(Post.created_at, Post.id)
    key = search_key(title, (post.body for post in bodies))
    Thread.update(search_key=key).where(Thread.id == thread_id).execute()


def set_flags(thread: Thread, *, pinned: bool | None = None, resolved: bool | None = None) -> Thread:
    """Pin or unpin, resolve or reopen a thread (only the flags given change)."""
    changes = {}
    if pinned is not None:
        changes[Thread.pinned] = thread.pinned = bool(pinned)
    if resolved is not None:
        changes[Thread.resolved] = thread.resolved = bool(resolved)
    if changes:
        with database.atomic():
            # Only these columns: a full save() could write back an older search key.
            Thread.update(changes).where(Thread.id == thread.id).execute()
    return thread


def pin(thread: Thread, pinned: bool = True) -> Thread:
    return set_flags(thread, pinned=pinned)


def resolve(thread: Thread, resolved: bool = True) -> Thread:
    return set_flags(thread, resolved=resolved)


def get_thread(group: Group, thread_id: int | str) -> Thread:
    """A thread of this group by id, or NotFound in one line."""
    wanted = as_id(thread_id)
    if wanted is None:
        shown = tidy(thread_id)[:40]
        if re.fullmatch(r"[+-]?\d+", shown):
            raise NotFound(f"no thread with id {shown}")
        raise NotFound(f"“{shown}” is not a thread id (a whole number)")
    thread = Thread.get_or_none((Thread.id == wanted) & (Thread.group == group))
    if thread is None:
        raise NotFound(f"no thread with id {wanted}")
    return thread


def get_post(thread: Thread, post_id: int) -> Post:
    post = Post.get_or_none((Post.id == post_id) & (Post.thread == thread))
    if post is None:
        raise NotFound(f"no post {post_id} in thread {thread.id}")
    return post


def conversation(thread: Thread, *, limit: int | None = None, offset: int = 0) -> list[Post]:
    """The thread's posts oldest first, each with its author loaded (a page if `limit`)."""
    query = (
        Post.select(Post, Member)
        .join(Member, on=(Post.author == Member.id))
        .where(Post.thread == thread)
        .order_by(Post.created_at, Post.id)
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(query)


def post_count(thread: Thread) -> int:
    return Post.select().where(Post.thread == thread).count()


def carry_to_next_meeting(thread: Thread, now: datetime) -> AgendaItem:
    """Put the thread on the next scheduled meeting's agenda (last item) and remember where.

    Carrying again while it is already on that agenda changes nothing and returns the same item.
    """
    meeting = next_meeting(thread.group, now)
    if meeting is None:
        raise UserError("no meeting is scheduled: schedule the next one before carrying a thread over")
    with database.atomic():
        item = AgendaItem.get_or_none((AgendaItem.meeting == meeting) & (AgendaItem.thread == thread))
        if item is None:
            last = AgendaItem.select(fn.MAX(AgendaItem.position)).where(AgendaItem.meeting == meeting).scalar()
            item = AgendaItem.create(
                meeting=meeting,
                position=(last or 0) + 1,
                kind="carried_thread",
                title=thread.title,
                member=thread.author_id,
                thread=thread,
                minutes=CARRIED_MINUTES,
            )
        Thread.update(carried_to=meeting).where(Thread.id == thread.id).execute()
    thread.carried_to = meeting
    return item


def referral_prefill(post: Post, *, asker_gives: bool = False) -> dict:
    """The referral an answer to an ask suggests: the answer's author gives, the ask's receives
    — or, `asker_gives`, the other way (the answer found the asker a customer for once).

    The referral is dated the day the answer was posted (the group's local date); a form may
    change that, the prospect and the rest of REFERRAL_FIELDS.
    """
    thread = post.thread
    giver, receiver = (thread.author, post.author) if asker_gives else (post.author, thread.author)
    return {
        "giver": giver,
        "receiver": receiver,
        "thread": thread,
        "post": post,
        "given_on": post_local_date(post),
        "kind": "outside",
        "temperature": 3,
    }


def referral_from_post(
    post: Post, *, now: datetime, actor: Member | None = None, asker_gives: bool = False, **values: Any
) -> Referral:
    """Record the referral an answer to an ask gave, linked to the thread and the post.

    `values` holds the prospect and anything else of REFERRAL_FIELDS; giver, receiver,
    thread and post always come from the thread: the answer's author gives to the asker,
    or with `asker_gives` the asker gives to the answer's author.
    """
    unknown = set(values) - set(REFERRAL_FIELDS)
    if unknown:
        raise TypeError(f"a referral from a post does not take: {', '.join(sorted(unknown))}")
    thread = post.thread
    if thread.kind != "ask":
        raise UserError(f"only an answer to an ask becomes a referral (this thread is a {thread.kind})")
    if post.author_id == thread.author_id:
        raise UserError("this post is by the member who asked: a referral comes from someone who answered")
    fields = {
        **referral_prefill(post, asker_gives=asker_gives),
        **{key: value for key, value in values.items() if value is not None},
    }
    return ledger.record_referral(thread.group, now=now, actor=actor, **fields)


def thread_referrals(thread: Thread) -> list[Referral]:
    """Referrals that came out of this thread, oldest first, voided ones included (see status)."""
    Giver, Receiver = Member.alias(), Member.alias()
    return list(
        Referral.select(Referral, Giver, Receiver)
        .join(Giver, on=(Referral.giver == Giver.id))
        .switch(Referral)
        .join(Receiver, on=(Referral.receiver == Receiver.id))
        .where(Referral.thread == thread)
        .order_by(Referral.given_on, Referral.id)
    )


def referral_status(referral: Referral) -> str:
    """What to show for a linked referral: its status, or 'void' once voided."""
    return "void" if referral.voided_at is not None else referral.status


def post_local_date(post: Post) -> date:
    created: datetime = post.created_at
    return created.astimezone(zone(post.thread.group)).date()
