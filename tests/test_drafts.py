"""Drafts (services/drafts.py): kept per group and key, replaced, cleared; and the version-4
migration that adds their table to an older database."""

from __future__ import annotations

from datetime import timedelta

from organizer import db as dbmod
from organizer.migrations import current_version, upgrade
from organizer.models import SCHEMA_VERSION, Draft, SchemaInfo
from organizer.services import drafts
from organizer.services.groups import create_group


def test_a_draft_is_kept_replaced_and_cleared_per_group_and_key(group, now):
    other = create_group(
        name="Other Circle",
        timezone="Europe/Dublin",
        organizer_name="Aoife",
        organizer_email="aoife@example.ie",
        now=now,
    )
    drafts.save_draft(
        group,
        "member:member=None",
        "New member",
        {"values": [["name", "Ana"]]},
        now=now,
    )
    drafts.save_draft(
        other,
        "member:member=None",
        "New member",
        {"values": [["name", "Ben"]]},
        now=now,
    )
    drafts.save_draft(group, "meeting:3", "Meeting mode", {"capture": "ana > ben: roof"}, now=now)
    later = now + timedelta(seconds=1)
    drafts.save_draft(
        group,
        "member:member=None",
        "New member",
        {"values": [["name", "Ana Souza"]]},
        now=later,
    )

    kept = drafts.list_drafts(group)
    assert [(d.key, d.data) for d in kept] == [
        ("meeting:3", {"capture": "ana > ben: roof"}),
        ("member:member=None", {"values": [["name", "Ana Souza"]]}),
    ]
    assert kept[1].updated_at == later
    assert [d.key for d in drafts.list_drafts(group, "meeting:")] == ["meeting:3"]
    assert drafts.load_draft(other, "member:member=None").data == {"values": [["name", "Ben"]]}

    drafts.clear_draft(group, "member:member=None")
    drafts.clear_draft(group, "never:there")
    assert drafts.load_draft(group, "member:member=None") is None
    assert [d.key for d in drafts.list_drafts(other)] == ["member:member=None"]


def test_text_from_outside_is_kept_as_typed_and_a_damaged_draft_reads_empty(group, now):
    drafts.save_draft(
        group,
        "thread:as=1",
        "New\x1b[31m thread",
        {"values": [["title", "Ünïcode ✓ 名前"]]},
        now=now,
    )
    draft = drafts.load_draft(group, "thread:as=1")
    assert draft.title == "New�[31m thread" and draft.data["values"] == [["title", "Ünïcode ✓ 名前"]]
    Draft.update(data="{not json").execute()
    assert drafts.load_draft(group, "thread:as=1").data == {}


def test_a_version_3_database_gains_the_draft_table(db_path):
    database = dbmod.open_database(str(db_path))
    database.drop_tables([Draft])
    SchemaInfo.update(version=3).execute()
    assert current_version(database) == 3
    assert upgrade(database) == 3
    assert current_version(database) == SCHEMA_VERSION and database.table_exists("draft")
    assert upgrade(database) == SCHEMA_VERSION  # nothing left to do
    dbmod.close_database()
