"""One thread, read as a conversation: each post with its author, time and Markdown body.

Keys act on the thread (reply, pin, resolve, carry to the next meeting) or on the post that
has the focus (edit one's own, turn an answer to an ask into a referral). Every write goes
through services.threads as the member from who_am_i, named on screen ("posting as …").
"""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from organizer.errors import UserError
from organizer.services import threads
from organizer.services.identity import who_am_i
from organizer.services.records import Member, Post
from organizer.tui.threads.forms import PostEditor, ReferralForm, WhoAmIForm
from organizer.tui.threads.text import byline
from organizer.tui.widgets.boundary import Guarded
from organizer.tui.widgets.format import long_date
from organizer.tui.widgets.live import LivePage
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.shell import OnShell
from organizer.wording import plural

# Posts shown at first and added by each "more posts"; long threads load a page at a time.
POSTS_PAGE = 20
# Linked referrals listed above the conversation; the rest are counted.
SHOWN_REFERRALS = 4


def body_widget(body: str) -> Widget:
    """A post's Markdown body (emphasis, lists, links, code, quotes) drawn by Rich in one Static.

    Textual's Markdown widget builds a dozen widgets per post and took seconds to lay out a
    page of posts on a small machine; one Static per body opens a thread at once.
    """
    return Static(post_markdown(body), classes="post-body")


def post_markdown(body: str) -> RichMarkdown:
    return RichMarkdown(body, hyperlinks=True)


class PostView(Vertical, can_focus=True):
    """One post: byline, then the body."""

    def __init__(self, post: Post, group, mine: bool):
        super().__init__(classes="post -mine" if mine else "post")
        self.post = post
        self.group = group

    def compose(self) -> ComposeResult:
        yield Static(byline(self.group, self.post), classes="post-byline")
        yield body_widget(self.post.body)

    async def show_edit(self, post: Post) -> None:
        """The post after an edit: new byline ("edited …") and body."""
        self.post = post
        self.query_one(".post-byline", Static).update(byline(self.group, post))
        await self.query_one(".post-body").remove()
        await self.mount(body_widget(post.body))


class PostList(Guarded, VerticalScroll):
    """The conversation; up and down move the focus from post to post."""

    BINDINGS = [
        Binding("down", "step(1)", "Next post", show=False),
        Binding("up", "step(-1)", "Previous post", show=False),
    ]

    def action_step(self, step: int) -> None:
        posts = list(self.query(PostView))
        if not posts:
            return
        screen = self.screen
        current = screen.focused_post() if isinstance(screen, ThreadScreen) else None
        index = posts.index(current) + step if current in posts else 0
        target = posts[max(0, min(index, len(posts) - 1))]
        target.focus()
        target.scroll_visible(top=step < 0, animate=False)


class ThreadScreen(OnShell, LivePage, Screen):
    """A thread and its posts, oldest first."""

    HELP_TITLE = "Thread"
    SECTION_KEYS = True  # a page to read: 1–6 leave it for a section

    DEFAULT_CSS = """
    ThreadScreen #thread-head { padding: 0 1; background: $boost; height: auto; }
    ThreadScreen #thread-referrals { padding: 0 1; height: auto; color: $text-muted; display: none; }
    ThreadScreen #thread-referrals.-shown { display: block; }
    ThreadScreen PostList { height: 1fr; padding: 0 1; }
    ThreadScreen .post {
        height: auto; margin: 1 0 0 0; padding: 0 1;
        border-left: tall $panel;
    }
    ThreadScreen .post:focus {
        border-left: tall $accent; background: $boost;
    }
    ThreadScreen .post-body { padding: 0 0; margin: 0; }
    ThreadScreen .post-body > *:last-child { margin-bottom: 0; }
    ThreadScreen #more-posts { color: $text-muted; padding: 1 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "reply", "Reply"),
        Binding("e", "edit", "Edit", tooltip="Edit the focused post (only your own)"),
        Binding("p", "pin", "Pin", tooltip="Pin or unpin the thread"),
        Binding("x", "resolve", "Resolve", tooltip="Resolve or reopen the thread"),
        Binding("c", "carry", "Carry", tooltip="Put the thread on the next meeting's agenda"),
        Binding("f", "referral", "Referral", tooltip="Turn the focused answer into a referral"),
        Binding("m", "more", "More posts"),
        Binding("w", "who_am_i", "Who posts", tooltip="Choose the member you post as"),
    ]

    def __init__(self, thread_id: int):
        super().__init__()
        self.thread_id = thread_id
        self.loaded = 0  # posts read from the start so far
        self.total = 0

    @property
    def group(self):
        return self.app.open_group

    @property
    def me(self) -> Member | None:
        return who_am_i(self.group)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="thread-head")
        yield Static("", id="thread-referrals")
        yield PostList(id="posts")
        yield Footer()

    async def on_mount(self) -> None:
        await self.reload()
        posts = self.query(PostView)
        if posts:
            posts.first().focus()

    # -- showing --------------------------------------------------------------------------

    async def reload(self, focus_post: int | None = None) -> None:
        """Read the thread again and show its head and first page of posts."""
        self.refresh_head()
        box = self.query_one("#posts", PostList)
        await box.remove_children()
        await box.mount(Static("", id="more-posts"))
        self.loaded = 0
        await self.load_more()

    def refresh_data(self) -> None:
        # The head (title, flags, counts) only: reloading the posts would lose the reader's place.
        self.refresh_head()

    def refresh_head(self) -> None:
        """The thread's title, flags, counts and linked referrals, read again."""
        self.thread = threads.get_thread(self.group, self.thread_id)
        self.total = threads.post_count(self.thread)
        self.query_one("#thread-head", Static).update(self._head())
        self._show_referrals()
        self.refresh_bindings()

    async def load_more(self) -> None:
        """The next page of posts from the start, placed before the "more posts" line."""
        me = self.me
        shown = {view.post.id for view in self.query(PostView)}
        page = threads.conversation(self.thread, limit=POSTS_PAGE, offset=self.loaded)
        self.loaded += len(page)
        views = [
            PostView(post, self.group, mine=me is not None and post.author_id == me.id)
            for post in page
            if post.id not in shown
        ]
        if views:
            await self.query_one("#posts", PostList).mount_all(views, before="#more-posts")
        self._show_more()

    def _show_more(self) -> None:
        hidden = self.total - len(self.query(PostView))
        line = self.query_one("#more-posts", Static)
        line.update(f"{plural(hidden, 'more post')}: press m to show them" if hidden > 0 else "")
        line.display = hidden > 0
        self.refresh_bindings()

    async def add_view(self, post: Post) -> None:
        """A new reply, at the end of the conversation, focused."""
        me = self.me
        view = PostView(post, self.group, mine=me is not None and post.author_id == me.id)
        box = self.query_one("#posts", PostList)
        await box.mount(view)
        self.refresh_head()
        self._show_more()
        view.focus()
        box.scroll_end(animate=False)

    def _head(self) -> str:
        thread, group = self.thread, self.group
        flags = []
        if thread.pinned:
            flags.append("▲ pinned")
        if thread.resolved:
            flags.append("✓ resolved")
        if (carried_to := thread.carried_to) is not None:
            flags.append(f"→ on the agenda of {long_date(group, carried_to.starts_at)}")
        tags = ", ".join(thread.tags.split(",")) if thread.tags else "no tags"
        me = self.me
        who = (
            f"posting as [b]{escape(me.name)}[/b] (w)" if me else "[b]no member is set as you[/b]: w chooses who posts"
        )
        line2 = "  ·  ".join(
            [
                f"{thread.kind}",
                f"started by {escape(thread.author.name)}",
                plural(self.total, "post"),
                f"tags: {escape(tags)}",
                *flags,
                who,
            ]
        )
        return f"[b]{escape(thread.title)}[/b]\n[dim]{line2}[/dim]"

    def _show_referrals(self) -> None:
        referrals = threads.thread_referrals(self.thread)
        lines = [
            f"  {escape(r.giver.name)} → {escape(r.receiver.name)}: {escape(r.prospect_name)}"
            f"  [b]{threads.referral_status(r)}[/b]  (given {r.given_on.isoformat()})"
            for r in referrals[:SHOWN_REFERRALS]
        ]
        if len(referrals) > SHOWN_REFERRALS:
            lines.append(f"  … and {len(referrals) - SHOWN_REFERRALS} more (see the Ledger)")
        panel = self.query_one("#thread-referrals", Static)
        panel.update("Referrals from this thread:\n" + "\n".join(lines) if lines else "")
        panel.set_class(bool(lines), "-shown")

    def focused_post(self) -> PostView | None:
        for node in self.focused.ancestors_with_self if self.focused else ():
            if isinstance(node, PostView):
                return node
        return None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if not hasattr(self, "thread"):
            return True
        if action == "referral":
            return self.thread.kind == "ask"
        if action == "more":
            return self.total > len(self.query(PostView))
        return True

    # -- actions --------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_reply(self) -> None:
        me = self._me_or_say()
        if me is None:
            return
        self.app.push_screen(PostEditor(self.thread, me, self.app.clock), self._after_post)

    def action_edit(self) -> None:
        view = self._post_or_say("edit")
        me = self._me_or_say()
        if view is None or me is None:
            return
        if view.post.author_id != me.id:
            self.notify(
                f"That post is {view.post.author.name}'s: you can edit only your own (you are posting as {me.name}).",
                severity="warning",
            )
            return
        self.app.push_screen(PostEditor(self.thread, me, self.app.clock, post=view.post), self._after_post)

    async def _after_post(self, post: Post | None) -> None:
        if post is None:
            return
        edited = [view for view in self.query(PostView) if view.post.id == post.id]
        if edited:
            await edited[0].show_edit(post)
            self.refresh_head()
            edited[0].focus()
            self.notify("Saved.")
        else:
            await self.add_view(post)
            self.notify("Reply posted.")

    async def action_pin(self) -> None:
        threads.pin(self.thread, not self.thread.pinned)
        self.refresh_head()
        self.notify("Pinned: it stays on top of the list." if self.thread.pinned else "Unpinned.")

    async def action_resolve(self) -> None:
        threads.resolve(self.thread, not self.thread.resolved)
        self.refresh_head()
        self.notify("Resolved." if self.thread.resolved else "Reopened.")

    async def action_carry(self) -> None:
        try:
            item = threads.carry_to_next_meeting(self.thread, self.app.clock())
        except UserError as error:
            self.notify(str(error), severity="error")
            return
        self.refresh_head()
        self.notify(
            f"On the agenda of the meeting on {long_date(self.group, item.meeting.starts_at)} "
            f"(item {item.position}, {item.minutes} minutes)."
        )

    def action_referral(self) -> None:
        if self.thread.kind != "ask":
            self.notify("Only an answer to an ask becomes a referral.", severity="warning")
            return
        view = self._post_or_say("turn into a referral")
        me = self._me_or_say()
        if view is None or me is None:
            return
        if view.post.author_id == self.thread.author_id:
            self.notify("That post is by the member who asked: choose an answer by someone else.", severity="warning")
            return
        self.app.push_screen(ReferralForm(view.post, me, self.app.clock), self._after_referral)

    async def _after_referral(self, referral) -> None:
        if referral is None:
            return
        self.refresh_head()
        self.notify(f"Referral recorded: {referral.giver.name} → {referral.receiver.name}, {referral.prospect_name}.")

    async def action_more(self) -> None:
        await self.load_more()

    def action_who_am_i(self) -> None:
        def chosen(member: Member | None) -> None:
            if member is not None:
                self.notify(f"You are {member.name} on this database.")
                self.refresh_head()

        self.app.push_screen(WhoAmIForm(self.group, self.me), chosen)

    # -- helpers --------------------------------------------------------------------------

    def _me_or_say(self) -> Member | None:
        me = self.me
        if me is None:
            self.notify(
                "No member is set as you on this database: choose who you are in Threads (w) first.", severity="error"
            )
        return me

    def _post_or_say(self, verb: str) -> PostView | None:
        view = self.focused_post()
        if view is None:
            self.notify(f"Choose the post to {verb} first (up / down or tab).", severity="warning")
        return view
