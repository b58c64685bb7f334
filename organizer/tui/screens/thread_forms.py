"""The Threads forms: a new thread, a reply or an edit of one's post, a referral from a post.

Each is a ThreadForm: the service checks the input, and its ValidationError's messages show
under their fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterable

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, Select, TextArea

from organizer.models import REFERRAL_KINDS, THREAD_KINDS, Group, Member, Post, Referral, Thread
from organizer.services import threads
from organizer.services.errors import NotFound, ValidationError
from organizer.services.identity import set_me
from organizer.services.members import find_member
from organizer.tui.screens.thread_form import ThreadForm, field, text_of
from organizer.tui.text import escape


def _editor(text: str = "") -> TextArea:
    # No Markdown highlighting: it needs tree-sitter grammars, and plain text reads fine.
    return TextArea(text, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")


def _posting_as(me: Member) -> str:
    return f"posting as [b]{escape(me.name)}[/b]"


class NewThreadForm(ThreadForm):
    """Start a thread: title, kind, tags, and the first post."""

    FORM_TITLE = "New thread"
    SAVE_LABEL = "Post"
    BINDINGS = [Binding("ctrl+s", "save", "Post")]

    def __init__(self, group: Group, me: Member, now: Callable[[], datetime]):
        super().__init__()
        self.group, self.me, self.now = group, me, now

    def subtitle(self) -> str:
        return _posting_as(self.me) + "  ·  the body is Markdown: *emphasis*, **bold**, - lists, \\[links](https://…)"

    def fields(self) -> Iterable[Widget]:
        yield field("title", "Title", Input(placeholder="e.g. Ask: a sign maker for a shop front?"))
        yield field("kind", "Kind", Select([(kind, kind) for kind in THREAD_KINDS],
                                           value="discussion", allow_blank=False))
        yield field("tags", "Tags (comma separated)", Input(placeholder="events, referral"))
        yield field("body", "First post", _editor())

    def values(self) -> dict:
        return {name: text_of(self.query_one(f"#field-{name}")) for name in ("title", "kind", "tags", "body")}

    def save(self, values: dict) -> Thread:
        return threads.start_thread(self.group, author=self.me, now=self.now(), **values)


class PostEditor(ThreadForm):
    """A reply to a thread, or a new text for one's own post."""

    SAVE_LABEL = "Send"
    BINDINGS = [Binding("ctrl+s", "save", "Send")]

    def __init__(self, thread: Thread, me: Member, now: Callable[[], datetime], post: Post | None = None):
        super().__init__()
        self.thread, self.me, self.now, self.post = thread, me, now, post
        self.FORM_TITLE = (f"Edit your post in “{thread.title}”" if post else f"Reply to “{thread.title}”")

    def subtitle(self) -> str:
        return _posting_as(self.me) + "  ·  Markdown: *emphasis*, **bold**, - lists, \\[links](https://…)"

    def fields(self) -> Iterable[Widget]:
        yield field("body", "Your post" if self.post else "Your reply", _editor(self.post.body if self.post else ""))

    def values(self) -> dict:
        return {"body": text_of(self.query_one("#field-body"))}

    def save(self, values: dict) -> Post:
        if self.post is not None:
            return threads.edit_post(self.post, editor=self.me, body=values["body"], now=self.now())
        return threads.add_post(self.thread, author=self.me, body=values["body"], now=self.now())


class ReferralForm(ThreadForm):
    """An answer to an ask becomes a referral: its author gives, the ask's author receives."""

    FORM_TITLE = "Turn this answer into a referral"
    SAVE_LABEL = "Record"
    BINDINGS = [Binding("ctrl+s", "save", "Record")]

    def __init__(self, post: Post, me: Member, now: Callable[[], datetime]):
        super().__init__()
        self.post, self.me, self.now = post, me, now
        self.prefill = threads.referral_prefill(post)

    def subtitle(self) -> str:
        giver, receiver = self.prefill["giver"], self.prefill["receiver"]
        return (f"[b]{escape(giver.name)}[/b] gives → [b]{escape(receiver.name)}[/b] receives"
                f"  ·  linked to “{escape(self.prefill['thread'].title)}”")

    def fields(self) -> Iterable[Widget]:
        yield field("prospect_name", "Prospect (a person or a business) — required",
                    Input(placeholder="Pho Saigon (the restaurant's owners)"))
        yield field("prospect_contact", "Contact", Input(placeholder="phone or email"))
        yield field("kind", "Kind: outside (a third party is the customer) or inside (the giver is)",
                    Select([(kind, kind) for kind in REFERRAL_KINDS], value=self.prefill["kind"],
                           allow_blank=False))
        yield field("temperature", "Temperature: 1 cold … 5 hot",
                    Select([(str(t), str(t)) for t in range(1, 6)], value=str(self.prefill["temperature"]),
                           allow_blank=False))
        yield field("given_on", "Given on (YYYY-MM-DD)", Input(self.prefill["given_on"].isoformat()))
        yield field("notes", "Notes", Input())

    def values(self) -> dict:
        return {name: text_of(self.query_one(f"#field-{name}")) for name in threads.REFERRAL_FIELDS}

    def save(self, values: dict) -> Referral:
        return threads.referral_from_post(self.post, now=self.now(), actor=self.me, **values)


class WhoAmIForm(ThreadForm):
    """Choose the member who uses the app on this database (posts are written as them)."""

    FORM_TITLE = "Who am I?"
    SAVE_LABEL = "Choose"
    BINDINGS = [Binding("ctrl+s", "save", "Choose")]

    def __init__(self, group: Group, me: Member | None):
        super().__init__()
        self.group, self.me = group, me

    def subtitle(self) -> str:
        now = f"now: [b]{escape(self.me.name)}[/b]" if self.me else "no member is chosen yet"
        return f"Threads and the ledger write as this member ({now})."

    def fields(self) -> Iterable[Widget]:
        yield field("me", "Your email (or exact name)", Input(self.me.email if self.me else ""))

    def values(self) -> dict:
        return {"me": text_of(self.query_one("#field-me"))}

    def save(self, values: dict) -> Member:
        try:
            member = find_member(self.group, values["me"])
        except NotFound as error:
            raise ValidationError.single("me", str(error)) from None
        return set_me(self.group, member)
