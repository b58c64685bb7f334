"""Drafts in the app: the screen each kind of draft reopens, and what the next start offers back.

A form keeps its draft under its `DRAFT_KIND` (see widgets/form.py); meeting mode keeps
its place and its two lines under "meeting:<id>" (see screens/meeting_mode.py). After a
crash, SIGKILL or power loss the next start lists what was recovered and offers to restore
each into the same screen: meeting mode first, then the forms over it.
"""

from __future__ import annotations

from importlib import import_module

from organizer.services import drafts
from organizer.services.drafts import MEETING_PREFIX, SavedDraft

# Each form that keeps drafts, by kind: where its class lives (imported when needed).
FORMS = {
    "member": ("organizer.tui.members.form", "MemberForm"),
    "visitor": ("organizer.tui.meetings.night_forms", "VisitorForm"),
    "referral": ("organizer.tui.ledger.forms", "RecordReferralForm"),
    "thread": ("organizer.tui.threads.forms", "NewThreadForm"),
    "post": ("organizer.tui.threads.forms", "PostEditor"),
    "meeting_form": ("organizer.tui.meetings.forms", "MeetingForm"),
    "new_meeting": ("organizer.tui.meetings.forms", "NewMeetingForm"),
    "correction": ("organizer.tui.ledger.correct", "CorrectForm"),
}


def _form_class(draft: SavedDraft):
    where = FORMS.get(str(draft.data.get("form", "")))
    return getattr(import_module(where[0]), where[1]) if where else None


def describe(draft: SavedDraft) -> str:
    """One line naming the draft and the start of what was typed in it."""
    if draft.key.startswith(MEETING_PREFIX):
        lines = [
            f"{label} “{_clip(draft.data.get(name, ''))}”"
            for name, label in (
                ("capture", "referral line"),
                ("checkin", "check-in line"),
            )
            if str(draft.data.get(name, "")).strip()
        ]
        return f"{draft.title}" + (f": {', '.join(lines)}" if lines else "")
    typed = [_clip(value) for _, value in _values(draft) if value.strip()][:2]
    return f"{draft.title}: " + ", ".join(f"“{text}”" for text in typed) if typed else draft.title


def _clip(text: object, width: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _values(draft: SavedDraft) -> list[tuple[str, str]]:
    """A form draft's changed fields, (name, text) in the form's order."""
    pairs = draft.data.get("values")
    if not isinstance(pairs, list):
        return []
    return [
        (str(pair[0]), pair[1])
        for pair in pairs
        if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str)
    ]


def recoverable(app) -> list[SavedDraft]:
    """The drafts the next start offers back: open meeting modes, then forms that can reopen."""
    from organizer.tui.meetings.mode import meeting_to_resume

    found = drafts.list_drafts(app.open_group)
    meetings = [
        d
        for d in found
        if d.key.startswith(MEETING_PREFIX)
        and d.data.get("open")
        and meeting_to_resume(app.open_group, d.key.removeprefix(MEETING_PREFIX)) is not None
    ]
    forms = [d for d in found if not d.key.startswith(MEETING_PREFIX) and _form_class(d) is not None]
    return meetings + forms


def restore(app, found: list[SavedDraft]) -> list[str]:
    """Reopen each draft's screen with what was typed; return what could not be (and forget it)."""
    from organizer.tui.meetings.mode import MeetingModeScreen, meeting_to_resume

    lost = []
    for draft in found:
        if draft.key.startswith(MEETING_PREFIX):
            meeting_id = meeting_to_resume(app.open_group, draft.key.removeprefix(MEETING_PREFIX))
            if meeting_id is None:
                lost.append(draft)
            else:
                app.push_screen(MeetingModeScreen(meeting_id), app.after_restored)
            continue
        form = _form_class(draft).from_draft(app, draft.data.get("args") or {})
        if form is None:
            lost.append(draft)
            continue
        form.restore_values = dict(_values(draft))
        app.push_screen(form, app.after_restored)
    for draft in lost:
        drafts.clear_draft(app.open_group, draft.key)
    return [draft.title for draft in lost]


def discard(app, found: list[SavedDraft]) -> None:
    for draft in found:
        if draft.key.startswith(MEETING_PREFIX):
            # The meeting's place (item, speaker, time) stays; only what was typed goes.
            data = {**draft.data, "capture": "", "checkin": "", "open": False}
            drafts.save_draft(app.open_group, draft.key, draft.title, data, now=app.clock())
        else:
            drafts.clear_draft(app.open_group, draft.key)
