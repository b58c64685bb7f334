"""What the command palette calls each action: its section (or page) and a full phrase.

The footer's words are short ("New", "Advance"); in the palette a person types what they
want done ("referral", "check", "matrix"), so each entry reads "Ledger: record a referral".
An action without a phrase here keeps its footer description.
"""

from __future__ import annotations

from textual.binding import Binding

PHRASES: dict[str, dict[str, str]] = {
    "Dashboard": {
        "refresh": "refresh the figures",
        "open_panel": "open the panel's section",
    },
    "Members": {
        "focus_search": "search members",
        "new_member": "add a new member",
        "edit_member": "edit a member",
        "archive_member": "archive a member",
        "next_filter": "filter members (active, archived…)",
        "import_members": "import members from a file",
        "export_members": "export members (CSV, spreadsheet, vCard)",
        "open_member": "open a member's page",
    },
    "Meetings": {
        "meeting_mode": "meeting mode — check someone in, run the agenda on the night",
        "new_meeting": "schedule a new meeting",
        "edit_meeting": "edit a meeting",
        "invite": "write the invite (calendar file or email)",
        "reschedule": "reschedule (move) a meeting",
        "skip": "skip a meeting (a holiday)",
        "cancel_meeting": "cancel a meeting",
        "reinstate": "put a skipped or cancelled meeting back on",
        "series": "schedule or change the monthly series",
        "defaults": "invitation defaults",
        "series_file": "write the series calendar (.ics)",
        "feed_file": "write the feed of all meetings (.ics)",
        "earlier": "show earlier meetings",
    },
    "Threads": {
        "focus_search": "search threads",
        "open": "open a thread",
        "new_thread": "start a new thread (an ask, a question)",
        "toggle_unresolved": "only unresolved threads, or all",
        "who_am_i": "who is posting (choose yourself)",
    },
    "Ledger": {
        "open": "a referral's history",
        "record": "record a referral",
        "advance": "advance a referral (contacted, won, paid…)",
        "thank": "thank the giver of a referral",
        "void": "void a referral",
        "search": "search referrals",
        "filter": "filter referrals",
        "cycle_status": "next status filter",
        "clear_filters": "clear the filters",
        "matrix": "who referred whom (matrix)",
        "followups": "follow-ups: referrals waiting for news",
    },
    "Recap": {
        "export('md')": "export the monthly recap as Markdown",
        "export('html')": "export the monthly recap as HTML",
        "export('pdf')": "export the monthly recap as PDF",
        "export('txt')": "export the monthly recap as text",
    },
    "Meeting": {
        "meeting_mode": "meeting mode — check someone in, run the agenda on the night",
        "edit_meeting": "edit the meeting",
        "add_item": "add an agenda item",
        "visitor": "add a visitor",
        "check_in": "check someone in or out",
        "invite": "write the invite (calendar file or email)",
        "standard_agenda": "fill in the usual agenda",
        "find_member": "find a member on the roster",
        "reschedule": "reschedule (move) the meeting",
        "skip": "skip the meeting (a holiday)",
        "cancel_meeting": "cancel the meeting",
        "reinstate": "put the meeting back on",
    },
    "Meeting mode": {
        "screen.undo_check_in": "undo the last check-in",
        "toggle_timer": "start or pause the timer",
        "restart_timer": "restart the countdown",
        "focus_check_in": "check someone in",
        "focus_capture": "record a referral given at the table",
        "visitor": "a visitor at the door",
        "finish": "finish the meeting",
    },
    "Thread": {
        "reply": "reply to the thread",
        "edit": "edit your post",
        "pin": "pin or unpin the thread",
        "resolve": "resolve or reopen the thread",
        "carry": "carry the thread onto the next meeting's agenda",
        "referral": "turn the answer into a referral",
        "more": "more posts",
        "who_am_i": "who is posting (choose yourself)",
    },
    "Referral history": {
        "advance": "advance the referral",
        "thank": "thank the giver",
        "void": "void the referral",
        "open_parent": "open the earlier referral",
    },
    "Who referred whom": {
        "toggle_span": "a month or a year",
    },
}


def palette_title(owner: str, binding: Binding) -> str:
    """ "Ledger: record a referral": where the action lives, then what it does."""
    phrase = PHRASES.get(owner, {}).get(binding.action, binding.description)
    return f"{owner}: {phrase}" if owner else phrase
