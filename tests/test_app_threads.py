"""Threads in the app: list, open, reply, edit, pin, resolve, carry over, answer → referral.

Each flow is driven with keys, then checked in the database and on the screen.
"""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static, TextArea

from organizer.clock import frozen
from organizer.models import AgendaItem, Member, Post, Referral, Thread
from organizer.services.groups import current_group
from organizer.services.meetings import next_meeting
from organizer.tui.app import make_app
from organizer.tui.help import HelpScreen
from organizer.tui.threads.forms import NewThreadForm, PostEditor, ReferralForm
from organizer.tui.threads.view import PostView, ThreadScreen
from organizer.tui.widgets.confirm import Confirm
from tests.conftest import NOW

SIZE = (120, 40)


async def open_thread(pilot, words: str) -> ThreadScreen:
    """From anywhere in the shell: Threads, search `words`, open the first match."""
    await pilot.press("4", "slash", *words, "enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ThreadScreen)
    return screen


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def thread(title_start: str) -> Thread:
    return Thread.get(Thread.title.startswith(title_start))


def posts_shown(screen) -> list[str]:
    return [view.post.body for view in screen.query(PostView)]


async def test_the_list_puts_pinned_first_then_latest_activity(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        table = app.query_one("#thread-table", DataTable)
        ids = [int(key.value) for key in table.rows]
        listed = [Thread.get_by_id(i) for i in ids]
        assert listed[0].title == "Welcome! How we use the forum" and listed[0].pinned
        rest = [t.last_activity_at for t in listed[1:]]
        assert rest == sorted(rest, reverse=True)
        status = str(app.query_one("#thread-status", Static).render())
        assert "9 threads" in status and "posting as Daniel Okafor" in status


async def test_search_kind_and_unresolved_filter_the_list(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "slash", *"frost", "enter")
        await pilot.pause()
        table = app.query_one("#thread-table", DataTable)
        titles = [Thread.get_by_id(int(k.value)).title for k in table.rows]
        assert titles == ["Ask: who fixes commercial fridges?"]  # "Frost Line" is in a reply

        app.query_one("#thread-search", Input).value = ""
        await app.query_one("#thread-search", Input).action_submit()
        await pilot.pause()
        app.query_one("#thread-kind").value = "ask"
        await pilot.pause()
        kinds = {Thread.get_by_id(int(k.value)).kind for k in table.rows}
        assert kinds == {"ask"} and table.row_count == 3

        app.query_one("#thread-kind").clear()
        await pilot.press("u")
        await pilot.pause()
        assert table.row_count == 8
        assert not any(Thread.get_by_id(int(k.value)).resolved for k in table.rows)


async def test_open_a_thread_and_reply(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_thread(pilot, "bookkeeper")
        assert len(posts_shown(screen)) == 5
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PostEditor)
        await type_text(pilot, "Glad it *worked* out")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        post = Post.select().order_by(Post.id.desc()).first()
        assert post.body == "Glad it *worked* out"
        assert post.author.email == "daniel@okaforcpa.ca"
        assert post.thread.title.startswith("Ask: a bookkeeper")
        assert post.created_at == NOW
        assert posts_shown(screen)[-1] == "Glad it *worked* out"
        assert isinstance(screen.focused_post(), PostView) and screen.focused_post().post.id == post.id


async def test_an_empty_reply_is_refused_and_nothing_is_written(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_thread(pilot, "bookkeeper")
        before = Post.select().count()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("space", "enter", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PostEditor)
        assert "empty" in app.screen.field("body").message
        assert Post.select().count() == before


async def test_escape_asks_before_throwing_away_a_typed_reply(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_thread(pilot, "bookkeeper")
        await pilot.press("r")
        await pilot.pause()
        await type_text(pilot, "half a thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PostEditor)
        assert app.screen.query_one(TextArea).text == "half a thought"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen


async def test_edit_ones_own_post_only(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_thread(pilot, "bookkeeper")
        # The first post is Mai's: not ours to edit.
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is screen
        assert any("you can edit only your own" in n.message for n in app._notifications)
        # The second is Daniel's (we are Daniel).
        await pilot.press("down", "e")
        await pilot.pause()
        assert isinstance(app.screen, PostEditor)
        area = app.screen.query_one(TextArea)
        area.text = "We do restaurant books every day."
        await pilot.press("ctrl+s")
        await pilot.pause()
        post = Post.get(Post.body == "We do restaurant books every day.")
        assert post.author.email == "daniel@okaforcpa.ca" and post.edited_at == NOW
        byline = screen.query(PostView)[1].query_one(".post-byline", Static)
        assert "edited" in str(byline.render())


async def test_pin_and_resolve_toggle(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_thread(pilot, "fridges")
        await pilot.press("p")
        await pilot.pause()
        assert thread("Ask: who fixes").pinned
        await pilot.press("x")
        await pilot.pause()
        assert thread("Ask: who fixes").resolved
        assert "▲ pinned" in str(screen.query_one("#thread-head", Static).render())
        await pilot.press("p", "x")
        await pilot.pause()
        fresh = thread("Ask: who fixes")
        assert not fresh.pinned and not fresh.resolved
        # Back in the list, the thread is where its flags put it.
        await pilot.press("p", "escape")
        await pilot.pause()
        table = app.query_one("#thread-table", DataTable)
        assert table.row_count == 1  # the search that found it still applies
        app.query_one("#thread-search", Input).value = ""
        await app.query_one("#thread-search", Input).action_submit()
        await pilot.pause()
        assert {int(k.value) for k in list(table.rows)[:2]} == {thread("Welcome!").id, thread("Ask: who fixes").id}


async def test_carry_over_puts_the_thread_on_the_next_meetings_agenda(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_thread(pilot, "education moment")
        await pilot.press("c")
        await pilot.pause()
        meeting = next_meeting(current_group(), NOW)
        t = thread("Education moment")
        item = AgendaItem.get((AgendaItem.thread == t) & (AgendaItem.meeting == meeting))
        assert item.kind == "carried_thread" and t.carried_to_id == meeting.id
        assert any("Tuesday 8 December 2026" in n.message for n in app._notifications)


async def test_carry_over_without_a_scheduled_meeting_says_so(sample_db):
    from organizer.models import Meeting

    Meeting.update(status="cancelled").where(Meeting.starts_at > NOW).execute()
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_thread(pilot, "education moment")
        await pilot.press("c")
        await pilot.pause()
        assert any("no meeting is scheduled" in n.message for n in app._notifications)
        assert AgendaItem.select().where(AgendaItem.thread == thread("Education moment")).count() == 0


async def test_a_reply_to_an_ask_becomes_a_linked_referral(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_thread(pilot, "bookkeeper")
        await pilot.press("down", "f")  # Daniel's answer to Mai's ask
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReferralForm)
        await pilot.press("ctrl+s")  # no prospect yet: refused, nothing written
        await pilot.pause()
        assert app.screen is form and Referral.select().where(Referral.post.is_null(False)).count() == 0
        assert form.field("prospect_name").message
        await type_text(pilot, "Pho Saigon")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        answer = screen.query(PostView)[1].post
        referral = Referral.get(Referral.prospect_name == "Pho Saigon")
        assert referral.thread_id == answer.thread_id and referral.post_id == answer.id
        assert referral.giver.email == "daniel@okaforcpa.ca"
        assert referral.receiver == Member.get(Member.email == "mai@maitranslate.ca")
        panel = str(screen.query_one("#thread-referrals", Static).render())
        assert "Pho Saigon" in panel and "open" in panel


async def test_the_askers_own_post_does_not_become_a_referral(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_thread(pilot, "bookkeeper")
        await pilot.press("f")  # the first post is Mai's own ask
        await pilot.pause()
        assert app.screen is screen
        assert any("member who asked" in n.message for n in app._notifications)


async def test_start_a_new_thread_with_messages_per_field(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewThreadForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.field("title").message and form.field("body").message
        form.field("title").value = "Ask: a good sign maker?"
        form.field("kind").value = "ask"
        form.field("tags").value = "Suppliers, signs"
        form.field("body").value = "For the new **shop** front."
        await pilot.press("ctrl+s")
        await pilot.pause()
        created = thread("Ask: a good sign maker?")
        assert created.kind == "ask" and created.tags == "signs,suppliers"
        assert isinstance(app.screen, ThreadScreen) and app.screen.thread_id == created.id


async def test_help_lists_the_thread_keys(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_thread(pilot, "bookkeeper")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        for words in ("Reply", "Edit the focused post", "Pin", "Resolve", "next meeting", "Referral"):
            assert words in text


async def test_who_am_i_changes_who_posts(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "w")
        await pilot.pause()
        app.screen.field("me").value = "mai@maitranslate.ca"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "posting as Nguyễn Thị Mai" in str(app.query_one("#thread-status", Static).render())


async def test_typing_searches_after_a_pause_without_enter(sample_db, monkeypatch):
    from organizer.tui.threads import section as section_module

    monkeypatch.setattr(section_module, "SEARCH_PAUSE", 0.01)
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "slash", *"frost")
        await pilot.pause(0.05)  # longer than the (patched) pause after the last key
        table = app.query_one("#thread-table", DataTable)
        assert [Thread.get_by_id(int(k.value)).title for k in table.rows] == ["Ask: who fixes commercial fridges?"]


async def test_the_list_pages_instead_of_loading_every_thread(sample_db):
    from organizer.services.thread_list import PAGE_SIZE
    from organizer.services.threads import start_thread

    group = current_group()
    daniel = Member.get(Member.email == "daniel@okaforcpa.ca")
    for n in range(PAGE_SIZE + 5):
        start_thread(group, author=daniel, title=f"Note {n}", body="x", now=NOW)
    total = Thread.select().count()
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        table = app.query_one("#thread-table", DataTable)
        assert table.row_count == PAGE_SIZE
        assert "page 1 of 2" in str(app.query_one("#thread-status", Static).render())
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert table.row_count == total - PAGE_SIZE
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert table.row_count == PAGE_SIZE


async def test_a_long_thread_shows_a_page_of_posts_then_more(sample_db):
    from organizer.services.threads import add_post
    from organizer.tui.threads.view import POSTS_PAGE

    daniel = Member.get(Member.email == "daniel@okaforcpa.ca")
    long = thread("Education moment")
    for n in range(POSTS_PAGE + 3):
        add_post(long, author=daniel, body=f"note {n}", now=NOW)
    total = Post.select().where(Post.thread == long).count()
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_thread(pilot, "education moment")
        assert len(screen.query(PostView)) == POSTS_PAGE
        await pilot.press("m")
        await pilot.pause()
        assert len(screen.query(PostView)) == total


def test_a_post_body_is_rendered_as_markdown():
    from rich.console import Console

    from organizer.tui.threads.view import post_markdown

    console = Console(width=60, record=True)
    console.print(post_markdown("*AI* for **small** business\n\n- one\n- two\n\nsee [slides](https://example.com)"))
    text = console.export_text()
    assert "AI for small business" in text and "• one" in text and "see slides" in text
    assert "*" not in text and "](" not in text


async def test_who_posts_is_in_the_footer_and_changeable_on_a_thread(sample_db):
    from textual.widgets import Footer

    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert any(b.action == "who_am_i" and b.show for b in app.current_section.BINDINGS)
        screen = await open_thread(pilot, "bookkeeper")
        assert "Who posts" in " ".join(str(item.render()) for item in screen.query_one(Footer).query("*"))
        await pilot.press("w")
        await pilot.pause()
        app.screen.field("me").value = "mai@maitranslate.ca"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "posting as Nguyễn Thị Mai" in str(screen.query_one("#thread-head", Static).render())


async def test_an_answer_becomes_a_referral_the_asker_gave(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_thread(pilot, "bookkeeper")
        await pilot.press("down", "f")  # Daniel's answer to Mai's ask
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReferralForm)
        form.field("direction").value = "asker_gives"  # Mai sends Daniel a client instead
        form.field("prospect_name").value = "Lotus Dental"
        await pilot.press("ctrl+s")
        await pilot.pause()
        referral = Referral.get(Referral.prospect_name == "Lotus Dental")
        assert referral.giver.email == "mai@maitranslate.ca"
        assert referral.receiver.email == "daniel@okaforcpa.ca"
