"""Member search reads its page from the covering index (the bench's keystroke budget).

The page of ids must come from the (group, name, id, status, search_key) index without
touching member rows, and the two-step query must return what a plain query would.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from organizer import db as dbmod
from organizer.models import Member, database
from organizer.services.members import MemberFilter, search_members
from organizer.services.text import fold

FIXTURES = Path(__file__).parent / "fixtures"


def _plain(group, flt, limit, offset):
    query = Member.select().where(Member.group == group)
    if flt.statuses:
        query = query.where(Member.status.in_(flt.statuses))
    for word in fold(flt.text).split():
        query = query.where(Member.search_key.contains(word))
    return [m.id for m in query.order_by(Member.name, Member.id).limit(limit).offset(offset)]


def test_two_step_search_returns_what_a_plain_query_returns(sample_group):
    for text in ("", "a", "zoe", "NÚÑEZ", "nguyen mai", "realtor", "nobody-at-all"):
        for statuses in (("active", "on_leave"), ("visitor",), ()):
            flt = MemberFilter(text=text, statuses=statuses)
            for limit, offset in ((200, 0), (5, 0), (5, 5), (3, 20)):
                found = [m.id for m in search_members(sample_group, flt, limit=limit, offset=offset)]
                assert found == _plain(sample_group, flt, limit, offset), (text, statuses, limit, offset)


def test_the_page_of_ids_comes_from_the_covering_index(sample_group):
    page = (Member.select(Member.id)
            .where((Member.group == sample_group) & Member.status.in_(("active", "on_leave"))
                   & Member.search_key.contains("zo"))
            .order_by(Member.name, Member.id).limit(200))
    sql, params = page.sql()
    plan = " ".join(str(row) for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "COVERING INDEX member_group_id_name_id_status_search_key" in plan


def test_a_migrated_version_1_database_gets_the_search_index(tmp_path):
    old = tmp_path / "v1.db"
    connection = sqlite3.connect(old)
    connection.executescript((FIXTURES / "schema_v1.sql").read_text(encoding="utf-8"))
    connection.close()
    dbmod.open_database(str(old))
    try:
        indexes = {row[1] for row in database.execute_sql("PRAGMA index_list('member')")}
        assert "member_group_id_name_id_status_search_key" in indexes
    finally:
        dbmod.close_database()
