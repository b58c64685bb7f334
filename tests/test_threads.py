"""Threads services: writing, ordering, filters, search, edits, who am I, carry-over, ask → referral."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from organizer import personal
from organizer.errors import NotFound, UserError, ValidationError
from organizer.models import AgendaItem, LedgerEvent, Post, Referral, Thread
from organizer.services import ledger
from organizer.services.groups import update_group
from organizer.services.identity import set_me, who_am_i
from organizer.services.meetings import next_meeting, skip_occurrence
from organizer.services.members import add_member, find_member
from organizer.services.thread_list import ThreadFilter, all_tags, count_threads, list_threads
from organizer.services.threads import (
    add_post,
    carry_to_next_meeting,
    conversation,
    edit_post,
    get_thread,
    pin,
    referral_from_post,
    referral_prefill,
    referral_status,
    resolve,
    set_flags,
    start_thread,
    thread_referrals,
)


@pytest.fixture
def people(group, now):
    return {
        "olu": add_member(group, name="Olu Organizer", email="olu@example.com", category="Events", now=now),
        "zoe": add_member(group, name="Zoë Lefèvre", email="zoe@example.com", category="Design", now=now),
        "an": add_member(group, name="Nguyễn Văn An", email="an@example.com", category="Printing", now=now),
    }


def titles(group, flt=ThreadFilter(), **paging):
    return [thread.title for thread in list_threads(group, flt, **paging)]


def test_threads_list_pinned_first_then_latest_activity(group, people, now):
    old = start_thread(group, author=people["olu"], title="Old", body="first", now=now - timedelta(days=9))
    middle = start_thread(group, author=people["zoe"], title="Middle", body="hi", now=now - timedelta(days=5))
    start_thread(group, author=people["an"], title="Recent", body="hi", now=now - timedelta(days=2))
    rules = start_thread(
        group, author=people["olu"], title="Rules", body="be kind", pinned=True, now=now - timedelta(days=30)
    )
    assert titles(group) == ["Rules", "Recent", "Middle", "Old"]

    # A reply is activity: the old thread rises to the top of the unpinned ones.
    add_post(old, author=people["zoe"], body="still relevant", now=now - timedelta(days=1))
    assert titles(group) == ["Rules", "Old", "Recent", "Middle"]

    pin(middle)
    pin(rules, False)
    assert titles(group) == ["Middle", "Old", "Recent", "Rules"]
    assert titles(group, limit=2, offset=1) == ["Old", "Recent"]

    rows = {thread.title: thread for thread in list_threads(group)}
    assert rows["Old"].post_count == 2 and rows["Old"].author.name == "Olu Organizer"
    assert rows["Old"].last_activity_at == now - timedelta(days=1)


def test_filters_by_kind_tag_and_unresolved(group, people, now):
    start_thread(
        group, author=people["olu"], title="Need a printer", body="?", kind="ask", tags="Suppliers, print", now=now
    )
    done = start_thread(
        group,
        author=people["zoe"],
        title="Need a lawyer",
        body="?",
        kind="ask",
        tags="suppliers",
        now=now - timedelta(hours=1),
    )
    start_thread(
        group,
        author=people["an"],
        title="Spare tickets",
        body="!",
        kind="offer",
        tags="events",
        now=now - timedelta(hours=2),
    )
    start_thread(group, author=people["an"], title="Event ideas", body="…", tags="event", now=now - timedelta(hours=3))
    resolve(done)

    assert titles(group, ThreadFilter(kind="ask")) == ["Need a printer", "Need a lawyer"]
    assert titles(group, ThreadFilter(kind="ask", unresolved=True)) == ["Need a printer"]
    assert titles(group, ThreadFilter(tag="SUPPLIERS")) == ["Need a printer", "Need a lawyer"]
    # A tag matches whole: "event" is not "events".
    assert titles(group, ThreadFilter(tag="event")) == ["Event ideas"]
    assert titles(group, ThreadFilter(tag="events")) == ["Spare tickets"]
    assert titles(group, ThreadFilter(unresolved=True)) == ["Need a printer", "Spare tickets", "Event ideas"]
    assert count_threads(group, ThreadFilter(kind="ask")) == 2
    assert all_tags(group) == ["event", "events", "print", "suppliers"]

    resolve(done, False)
    assert count_threads(group, ThreadFilter(unresolved=True)) == 4
    with pytest.raises(ValidationError) as error:
        list_threads(group, ThreadFilter(kind="question"))
    assert "kind" in error.value.fields


def test_search_matches_titles_and_bodies_ignoring_case_and_accents(group, people, now):
    cafe = start_thread(group, author=people["zoe"], title="Café crawl", body="Meet at the **Cork**", now=now)
    greek = start_thread(
        group, author=people["an"], title="Ταβέρνα", body="Σουβλάκι και ΚΑΦΈΣ", now=now - timedelta(hours=1)
    )
    viet = start_thread(
        group, author=people["an"], title="Thợ in", body="Tôi cần in danh thiếp", now=now - timedelta(hours=2)
    )
    cjk = start_thread(
        group, author=people["olu"], title="会计", body="有人认识会说日本語的会计师吗？", now=now - timedelta(hours=3)
    )
    add_post(cafe, author=people["olu"], body="Bring your Résumé: 100 guests", now=now - timedelta(hours=4))

    def found(text):
        return {thread.id for thread in list_threads(group, ThreadFilter(text=text))}

    assert found("CAFE") == {cafe.id}
    assert found("resume") == {cafe.id}  # in a reply, not the first post
    assert found("café cork") == {cafe.id}  # every word, anywhere in the thread
    assert found("cafe lawyer") == set()
    assert found("καφες") == {greek.id}  # Greek accents and case fold away
    assert found("ταβερνα") == {greek.id}
    assert found("can in danh thiep") == {viet.id}  # Vietnamese diacritics too
    assert found("日本語") == {cjk.id}  # scripts without case match as written
    assert found("") == {cafe.id, greek.id, viet.id, cjk.id}
    assert found("100") == {cafe.id}
    assert found("“résumé:”, 100!") == {cafe.id}  # punctuation around words is ignored
    assert found("1%0") == set()  # LIKE wildcards inside a word are text, not patterns
    assert found("1_0") == set()
    assert count_threads(group, ThreadFilter(text="cafe", kind="discussion")) == 1


def test_search_follows_edits(group, people, now):
    thread = start_thread(group, author=people["zoe"], title="Logo", body="Looking for a typographer", now=now)
    first = conversation(thread)[0]
    assert count_threads(group, ThreadFilter(text="typographer")) == 1
    edit_post(first, editor=people["zoe"], body="Looking for a calligrapher", now=now)
    assert count_threads(group, ThreadFilter(text="typographer")) == 0
    assert count_threads(group, ThreadFilter(text="calligrapher logo")) == 1


def test_conversation_is_oldest_first_with_authors(group, people, now):
    thread = start_thread(group, author=people["olu"], title="Q", body="one", now=now - timedelta(hours=3))
    add_post(thread, author=people["zoe"], body="two", now=now - timedelta(hours=2))
    add_post(thread, author=people["an"], body="three", now=now - timedelta(hours=1))
    posts = conversation(thread)
    assert [(post.body, post.author.name) for post in posts] == [
        ("one", "Olu Organizer"),
        ("two", "Zoë Lefèvre"),
        ("three", "Nguyễn Văn An"),
    ]
    assert [post.body for post in conversation(thread, limit=2, offset=1)] == ["two", "three"]
    assert get_thread(group, str(thread.id)).id == thread.id
    with pytest.raises(NotFound):
        get_thread(group, thread.id + 1)


def test_only_the_author_edits_a_post_and_the_edit_is_recorded(group, people, now):
    thread = start_thread(
        group, author=people["zoe"], title="Fonts", body="Serif or sans?", now=now - timedelta(days=1)
    )
    post = conversation(thread)[0]
    with pytest.raises(UserError, match="only the member who wrote"):
        edit_post(post, editor=people["olu"], body="Hijacked", now=now)
    with pytest.raises(ValidationError) as error:
        edit_post(post, editor=people["zoe"], body="   \n ", now=now)
    assert "body" in error.value.fields
    stored = Post.get_by_id(post.id)
    assert (stored.body, stored.edited_at) == ("Serif or sans?", None)

    edit_post(post, editor=people["zoe"], body="Serif or *sans*?", now=now)
    stored = Post.get_by_id(post.id)
    assert stored.body == "Serif or *sans*?" and stored.edited_at == now
    # An edit is not activity: the thread keeps its place.
    assert Thread.get_by_id(thread.id).last_activity_at == now - timedelta(days=1)


def test_empty_bodies_and_strangers_write_nothing(group, people, now):
    with pytest.raises(ValidationError) as error:
        start_thread(group, author=people["olu"], title="Empty", body=" \n\t", now=now)
    assert "body" in error.value.fields
    assert Thread.select().count() == 0

    thread = start_thread(group, author=people["olu"], title="Real", body="content", now=now)
    for body in ("", "   ", "\n\n", None):
        with pytest.raises(ValidationError):
            add_post(thread, author=people["zoe"], body=body, now=now + timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        add_post(thread, author="zoe@example.com", body="hello", now=now + timedelta(hours=1))
    assert "author" in error.value.fields
    assert Post.select().count() == 1
    assert Thread.get_by_id(thread.id).last_activity_at == now


def test_flags_do_not_undo_a_newer_reply(group, people, now):
    thread = start_thread(group, author=people["olu"], title="Stale", body="first", now=now)
    stale = Thread.get_by_id(thread.id)
    add_post(thread, author=people["zoe"], body="a reply about umbrellas", now=now + timedelta(hours=1))
    set_flags(stale, pinned=True, resolved=True)
    stored = Thread.get_by_id(thread.id)
    assert stored.pinned and stored.resolved
    assert stored.last_activity_at == now + timedelta(hours=1)
    assert count_threads(group, ThreadFilter(text="umbrellas")) == 1


def test_who_am_i_defaults_to_the_organizer_and_is_chosen_once(group, people):
    assert who_am_i(group).id == people["olu"].id
    set_me(group, people["zoe"])
    assert who_am_i(group).id == people["zoe"].id
    set_me(group, people["an"])
    assert who_am_i(group).id == people["an"].id
    # A setting that names no member of the group falls back to the organizer.
    personal.remember(f"me:{group.id}", "9999")
    assert who_am_i(group).id == people["olu"].id
    update_group(group, organizer_email="someone-else@example.com")
    assert who_am_i(group) is None
    with pytest.raises(ValidationError):
        set_me(group, None)


def test_who_am_i_belongs_to_each_person_not_to_the_database(group, people, tmp_path, monkeypatch):
    # Two people on one database, each with their own config folder.
    monkeypatch.setenv(personal.ENV_VAR, str(tmp_path / "zoe-config"))
    set_me(group, people["zoe"])
    monkeypatch.setenv(personal.ENV_VAR, str(tmp_path / "an-config"))
    assert who_am_i(group).id == people["olu"].id  # An has not chosen: the organizer
    set_me(group, people["an"])
    assert who_am_i(group).id == people["an"].id
    monkeypatch.setenv(personal.ENV_VAR, str(tmp_path / "zoe-config"))
    assert who_am_i(group).id == people["zoe"].id
    assert oct((tmp_path / "zoe-config" / "settings.json").stat().st_mode & 0o777) == "0o600"


def test_who_am_i_in_the_sample_is_its_chosen_member(sample_group):
    assert who_am_i(sample_group).email == "daniel@okaforcpa.ca"


def test_carry_over_lands_on_the_next_meetings_agenda_once(sample_group, now):
    thread = get_thread(sample_group, 9)  # "Holiday party: date and place"
    meeting = next_meeting(sample_group, now)
    before = list(meeting.agenda)

    item = carry_to_next_meeting(thread, now)
    assert (item.meeting_id, item.kind, item.thread_id) == (meeting.id, "carried_thread", thread.id)
    assert item.title == thread.title and item.member_id == thread.author_id
    # The sample already carries this thread (threads.toml): it is the item on the agenda.
    assert item.id in {row.id for row in before} and item.position == max(row.position for row in before)
    assert Thread.get_by_id(thread.id).carried_to_id == meeting.id

    again = carry_to_next_meeting(get_thread(sample_group, 9), now)
    assert again.id == item.id
    assert AgendaItem.select().where(AgendaItem.thread == thread).count() == 1

    other = carry_to_next_meeting(get_thread(sample_group, 6), now)
    assert other.position == item.position + 1

    # The meeting is skipped: carrying again puts the thread on the one after.
    skip_occurrence(meeting, now=now)
    moved = carry_to_next_meeting(thread, now)
    assert moved.meeting_id != meeting.id and moved.meeting.starts_at > meeting.starts_at
    assert Thread.get_by_id(thread.id).carried_to_id == moved.meeting_id


def test_carry_over_without_a_scheduled_meeting_is_refused(group, people, now):
    thread = start_thread(group, author=people["olu"], title="Agenda?", body="talk", now=now)
    with pytest.raises(UserError, match="no meeting is scheduled"):
        carry_to_next_meeting(thread, now)
    assert Thread.get_by_id(thread.id).carried_to_id is None
    assert AgendaItem.select().count() == 0


def test_ask_answer_becomes_a_referral_linked_both_ways(sample_group, now):
    thread = get_thread(sample_group, 8)  # 陈静 asks for a photographer
    answer = next(post for post in conversation(thread) if post.author.email == "fatima@brightlens.ca")
    prefill = referral_prefill(answer)
    assert prefill["giver"].email == "fatima@brightlens.ca"
    assert prefill["receiver"].id == thread.author_id
    assert prefill["given_on"] == date(2026, 11, 3)

    referral = referral_from_post(
        answer, prospect_name="KW Chamber of Commerce", prospect_contact="events@example.com", temperature=4, now=now
    )
    stored = Referral.get_by_id(referral.id)
    assert (stored.thread_id, stored.post_id) == (thread.id, answer.id)
    assert (stored.giver_id, stored.receiver_id) == (answer.author_id, thread.author_id)
    assert (stored.status, stored.temperature, stored.given_on) == ("open", 4, date(2026, 11, 3))
    assert LedgerEvent.select().where(LedgerEvent.referral == stored).count() == 1

    linked = thread_referrals(thread)
    assert [(row.id, referral_status(row)) for row in linked] == [(referral.id, "open")]
    assert linked[0].giver.name == "Fatima Al-Sayed"
    assert linked[0].receiver.name == "陈静"

    ledger.advance(stored, "won", value="1,200.00", now=now)
    assert [referral_status(row) for row in thread_referrals(thread)] == ["won"]
    ledger.void(Referral.get_by_id(referral.id), reason="entered twice", now=now)
    assert [referral_status(row) for row in thread_referrals(thread)] == ["void"]


def test_referral_from_a_post_is_refused_when_it_cannot_be_one(sample_group, now):
    ask = get_thread(sample_group, 8)
    own_post = conversation(ask)[0]
    with pytest.raises(UserError, match="who asked"):
        referral_from_post(own_post, prospect_name="Someone", now=now)
    offer_reply = conversation(get_thread(sample_group, 3))[1]
    with pytest.raises(UserError, match="only an answer to an ask"):
        referral_from_post(offer_reply, prospect_name="Someone", now=now)
    answer = conversation(ask)[1]
    with pytest.raises(ValidationError) as error:
        referral_from_post(answer, prospect_name="  ", now=now)
    assert "prospect_name" in error.value.fields
    assert Referral.select().where(Referral.thread == ask).count() == 0
    assert thread_referrals(ask) == []


def test_sample_thread_ids_are_stable(sample_group):
    # Other tests name sample threads by id; make that assumption visible.
    assert get_thread(sample_group, 8).title.startswith("Ask: photographer")
    assert get_thread(sample_group, 9).title == "Holiday party: date and place"
    assert find_member(sample_group, "fatima@brightlens.ca")


def test_the_frozen_migration_fills_search_keys_as_the_services_keep_them(sample_group, now):
    from organizer.migrations_v2 import migrator_for, v1_to_v2
    from organizer.models import database

    thread = get_thread(sample_group, 2)
    add_post(thread, author=find_member(sample_group, "daniel@okaforcpa.ca"), body="Ça marche", now=now)
    kept = {row.id: row.search_key for row in Thread.select()}
    Thread.update(search_key="").execute()
    with database.atomic():  # version 2's step again: its columns and tables are there already
        v1_to_v2(database.obj, migrator_for(database.obj))
    assert {row.id: row.search_key for row in Thread.select()} == kept
    assert [t.id for t in list_threads(sample_group, ThreadFilter(text="ca marche cam on"))] == [2]


def test_a_version_1_database_gets_searchable_threads(tmp_path):
    import sqlite3
    from pathlib import Path

    from organizer import db as dbmod
    from organizer.services.groups import current_group

    path = tmp_path / "v1.db"
    connection = sqlite3.connect(path)
    connection.executescript((Path(__file__).parent / "fixtures" / "schema_v1.sql").read_text(encoding="utf-8"))
    connection.executescript("""
        INSERT INTO thread VALUES (1, 1, 'Pastelaria ou padaria?', 'ask', 1, 'food', 0, 0, NULL,
                                   '2024-03-01 09:00:00.000000', '2024-03-02 09:00:00.000000');
        INSERT INTO post VALUES (1, 1, 1, 'Alguém conhece um bom pasteleiro?', '2024-03-01 09:00:00.000000', NULL);
        INSERT INTO post VALUES (2, 1, 2, 'A **Confeitaria Nacional**, sem dúvida.', '2024-03-02 09:00:00.000000', NULL);
    """)
    connection.commit()
    connection.close()
    dbmod.open_database(str(path))
    try:
        group = current_group()
        assert [t.id for t in list_threads(group, ThreadFilter(text="alguem DUVIDA"))] == [1]
        assert list_threads(group)[0].post_count == 2
    finally:
        dbmod.close_database()


def test_an_answer_can_be_a_referral_the_asker_gave(sample_group, now):
    """The asker may be the one who passes business: the answer's author receives."""
    ask = get_thread(sample_group, 8)
    answer = conversation(ask)[1]
    prefill = referral_prefill(answer, asker_gives=True)
    assert (prefill["giver"].id, prefill["receiver"].id) == (ask.author_id, answer.author_id)
    referral = referral_from_post(answer, prospect_name="Their cousin's bakery", asker_gives=True, now=now)
    stored = Referral.get_by_id(referral.id)
    assert (stored.giver_id, stored.receiver_id) == (ask.author_id, answer.author_id)
    assert (stored.thread_id, stored.post_id) == (ask.id, answer.id)
