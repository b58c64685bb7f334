"""Drafts: what was typed and not saved yet, kept in the database so a crash loses nothing.

A draft belongs to a group and a key naming the form or screen it came from ("member:new",
"meeting:12"); it holds a title the next start shows ("New member") and JSON data (the
fields' text, meeting mode's place). Saving a draft again replaces it; a form that is saved
or discarded clears its own. Every write is one short transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from organizer.models import Draft, Group, database
from organizer.text import one_line


@dataclass(frozen=True)
class SavedDraft:
    key: str
    title: str
    data: dict
    updated_at: datetime


def save_draft(group: Group, key: str, title: str, data: dict, *, now: datetime) -> None:
    """Keep `data` (anything JSON can hold) as the draft under `key`, replacing an older one."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    with database.atomic():
        updated = (
            Draft.update(title=one_line(title), data=text, updated_at=now)
            .where((Draft.group == group) & (Draft.key == key))
            .execute()
        )
        if not updated:
            Draft.create(group=group, key=key, title=one_line(title), data=text, updated_at=now)


def clear_draft(group: Group, key: str) -> None:
    """Forget the draft under `key` (saved or discarded); nothing happens if there is none."""
    with database.atomic():
        Draft.delete().where((Draft.group == group) & (Draft.key == key)).execute()


def load_draft(group: Group, key: str) -> SavedDraft | None:
    row = Draft.get_or_none((Draft.group == group) & (Draft.key == key))
    return _saved(row) if row else None


def list_drafts(group: Group, prefix: str = "") -> list[SavedDraft]:
    """The group's drafts (those whose key starts with `prefix`), oldest first."""
    rows = Draft.select().where(Draft.group == group)
    if prefix:
        rows = rows.where(Draft.key.startswith(prefix))
    return [_saved(row) for row in rows.order_by(Draft.updated_at, Draft.id)]


def _saved(row: Draft) -> SavedDraft:
    try:
        data = json.loads(row.data)
    except ValueError:  # a draft half written by an older build: nothing to offer back
        data = {}
    return SavedDraft(row.key, row.title, data if isinstance(data, dict) else {}, row.updated_at)


MEETING_PREFIX = "meeting:"


def meeting_key(meeting_id: int) -> str:
    """The draft key of a meeting's meeting mode (its lines, place and check-ins)."""
    return f"{MEETING_PREFIX}{meeting_id}"
