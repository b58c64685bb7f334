"""The Threads forms: a new thread, a reply or an edit of one's post, a referral from a post,
and who am I. Each is a FormScreen: the service checks the input on save, and its
ValidationError's messages show under their fields; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.binding import Binding

from organizer.errors import NotFound, ValidationError
from organizer.services import threads
from organizer.services.identity import set_me
from organizer.services.members import find_member, find_member_by_id
from organizer.services.records import (
    REFERRAL_KINDS,
    THREAD_KINDS,
    Group,
    Member,
    Post,
    Referral,
    Thread,
)
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.text_field import TextField

MARKDOWN_HINT = "Markdown: *emphasis*, **bold**, - lists, [links](https://…)"


def _posting_as(me: Member) -> str:
    return f"posting as [b]{escape(me.name)}[/b]"


class NewThreadForm(FormScreen):
    """Start a thread: title, kind, tags, and the first post."""

    FORM_TITLE = "New thread"
    SAVE_LABEL = "Post"
    HELP_TITLE = "New thread"
    BINDINGS = [Binding("ctrl+s", "save", "Post")]
    DRAFT_KIND = "thread"

    def __init__(self, group: Group, me: Member, now: Callable[[], datetime]):
        super().__init__()
        self.group, self.me, self.now = group, me, now

    def draft_args(self) -> dict:
        return {"as": self.me.id}

    @classmethod
    def from_draft(cls, app, args: dict) -> NewThreadForm | None:
        me = find_member_by_id(app.open_group, args.get("as"))
        return cls(app.open_group, me, app.clock) if me is not None else None

    def intro(self) -> str:
        return _posting_as(self.me)

    def build_fields(self) -> list[Field]:
        return [
            Field("title", "Title", placeholder="e.g. Ask: a sign maker for a shop front?"),
            Field("kind", "Kind", value="discussion", choices=[(kind, kind) for kind in THREAD_KINDS]),
            Field("tags", "Tags", placeholder="events, referral", hint="comma separated"),
            TextField("body", "First post", hint=MARKDOWN_HINT),
        ]

    def save(self, values: dict) -> Thread:
        return threads.start_thread(self.group, author=self.me, now=self.now(), **values)


class PostEditor(FormScreen):
    """A reply to a thread, or a new text for one's own post."""

    SAVE_LABEL = "Send"
    HELP_TITLE = "Reply"
    BINDINGS = [Binding("ctrl+s", "save", "Send")]

    def __init__(self, thread: Thread, me: Member, now: Callable[[], datetime], post: Post | None = None):
        super().__init__()
        self.thread, self.me, self.now, self.post = thread, me, now, post
        self.FORM_TITLE = f"Edit your post in “{thread.title}”" if post else f"Reply to “{thread.title}”"
        self.HINT = "ctrl+s sends · escape cancels"

    DRAFT_KIND = "post"

    def draft_args(self) -> dict:
        return {"thread": self.thread.id, "as": self.me.id, "post": self.post.id if self.post else None}

    @classmethod
    def from_draft(cls, app, args: dict) -> PostEditor | None:
        me = find_member_by_id(app.open_group, args.get("as"))
        try:
            thread = threads.get_thread(app.open_group, args.get("thread", ""))
            post = threads.get_post(thread, args["post"]) if args.get("post") else None
        except NotFound:
            return None
        return cls(thread, me, app.clock, post) if me is not None else None

    def intro(self) -> str:
        return _posting_as(self.me)

    def build_fields(self) -> list[Field]:
        return [
            TextField(
                "body",
                "Your post" if self.post else "Your reply",
                value=self.post.body if self.post else "",
                hint=MARKDOWN_HINT,
            )
        ]

    def save(self, values: dict) -> Post:
        if self.post is not None:
            return threads.edit_post(self.post, editor=self.me, body=values["body"], now=self.now())
        return threads.add_post(self.thread, author=self.me, body=values["body"], now=self.now())


class ReferralForm(FormScreen):
    """An answer to an ask becomes a referral: its author gives and the ask's author
    receives, or the other way round (Direction)."""

    FORM_TITLE = "Turn this answer into a referral"
    SAVE_LABEL = "Record"
    HELP_TITLE = "Referral from a post"
    BINDINGS = [Binding("ctrl+s", "save", "Record")]

    def __init__(self, post: Post, me: Member, now: Callable[[], datetime]):
        super().__init__()
        self.post, self.me, self.now = post, me, now
        self.prefill = threads.referral_prefill(post)

    def intro(self) -> str:
        return f"Linked to “{escape(self.prefill['thread'].title)}”"

    def build_fields(self) -> list[Field]:
        giver, receiver = self.prefill["giver"].name, self.prefill["receiver"].name
        return [
            Field(
                "direction",
                "Direction",
                value="answer_gives",
                choices=[
                    (f"{giver} gives → {receiver} receives", "answer_gives"),
                    (f"{receiver} gives → {giver} receives", "asker_gives"),
                ],
                hint="who passed the business to whom",
            ),
            Field("prospect_name", "Prospect", placeholder="a person or a business", hint="required"),
            Field("prospect_contact", "Contact", placeholder="phone or email"),
            Field(
                "kind",
                "Kind",
                value=self.prefill["kind"],
                choices=[(kind, kind) for kind in REFERRAL_KINDS],
                hint="outside: a third party is the customer · inside: the giver is",
            ),
            Field(
                "temperature",
                "Temperature",
                value=str(self.prefill["temperature"]),
                choices=[(str(t), str(t)) for t in range(1, 6)],
                hint="1 cold … 5 hot",
            ),
            Field("given_on", "Given on", value=self.prefill["given_on"].isoformat(), hint="YYYY-MM-DD"),
            Field("notes", "Notes"),
        ]

    def save(self, values: dict) -> Referral:
        asker_gives = values.pop("direction") == "asker_gives"
        return threads.referral_from_post(self.post, now=self.now(), actor=self.me, asker_gives=asker_gives, **values)


class WhoAmIForm(FormScreen):
    """Choose the member you are in this group (posts and changes are recorded as them); kept
    in your own settings, so each person sharing the database chooses for themselves."""

    FORM_TITLE = "Who am I?"
    SAVE_LABEL = "Choose"
    HELP_TITLE = "Who am I"
    BINDINGS = [Binding("ctrl+s", "save", "Choose")]

    def __init__(self, group: Group, me: Member | None):
        super().__init__()
        self.group, self.me = group, me

    def intro(self) -> str:
        now = f"now: [b]{escape(self.me.name)}[/b]" if self.me else "no member is chosen yet"
        return f"Threads write as this member ({now})."

    def build_fields(self) -> list[Field]:
        return [
            Field("me", "Email or name", value=self.me.email if self.me else "", hint="your email, or your exact name")
        ]

    def save(self, values: dict) -> Member:
        try:
            member = find_member(self.group, values["me"])
        except NotFound as error:
            raise ValidationError.single("me", str(error)) from None
        return set_me(self.group, member)
