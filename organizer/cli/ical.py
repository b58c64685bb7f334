"""iCal commands: `ics` writes an invite, a cancellation, the series or the feed; `ics-reply`
applies an attendee's answer to their RSVP."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from organizer.cli.common import Context
from organizer.errors import UserError
from organizer.files import read_input
from organizer.services.groups import zone


def register(subparsers: argparse._SubParsersAction) -> None:
    ics = subparsers.add_parser(
        "ics",
        help="write an iCal invite, cancellation, the series or the feed",
        description="Write an iCalendar file. --meeting: the invite (METHOD:REQUEST) to every "
        "active member with an email; with --cancel, its cancellation (METHOD:CANCEL); with "
        "--eml, a ready-to-send email carrying it; the cancellation of a meeting still scheduled "
        "cancels it in the records too. --series: the monthly series as one "
        "recurring event. --feed: the meetings of the past 12 months and all future ones, "
        "for a calendar subscription. Prints the path written.",
    )
    which = ics.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--meeting", metavar="next|ID|DATE", help="one meeting: the next one, its id, or its local date YYYY-MM-DD"
    )
    which.add_argument("--series", action="store_true", help="the monthly series (RRULE, EXDATEs)")
    which.add_argument("--feed", action="store_true", help="all meetings, for subscription")
    ics.add_argument("--cancel", action="store_true", help="with --meeting: the cancellation")
    ics.add_argument("--eml", action="store_true", help="with --meeting: an email (.eml) with the invite")
    ics.add_argument("-o", "--output", metavar="FILE", required=True, help="the file to write")
    ics.set_defaults(handler=run_ics)

    reply = subparsers.add_parser(
        "ics-reply",
        help="apply an attendee's iCal reply to their RSVP",
        description="Read a METHOD:REPLY file (what a calendar sends back when an attendee "
        "accepts, declines or answers maybe) and set that member's RSVP for the meeting. "
        "Prints one line per answer applied.",
    )
    reply.add_argument("file", metavar="FILE", help="the reply: an .ics, or the email it came in (.eml or mbox)")
    reply.set_defaults(handler=run_ics_reply)


def run_ics(context: Context) -> int:
    # icalendar loads when an iCal command runs, not with every start (tests/test_import_budget.py).
    from organizer.services import invites

    args = context.args
    if (args.cancel or args.eml) and not args.meeting:
        raise UserError("--cancel and --eml go with --meeting")
    group, now = context.group(), context.now()
    if args.meeting:
        meeting = invites.resolve_meeting(group, args.meeting, now)
        was_on = meeting.status == "scheduled"
        path = invites.write_invite(meeting, args.output, now, cancel=args.cancel, eml=args.eml)
        if args.cancel and was_on:
            # stdout stays the path (scripts read it); the change to the records is said aside.
            day = meeting.starts_at.astimezone(zone(group)).date().isoformat()
            print(
                f"the meeting on {day} is now cancelled in {group.name}'s records too "
                "(put it back on in the app if this was a mistake)",
                file=sys.stderr,
            )
    elif args.series:
        path = invites.write_series(group, args.output, now)
    else:
        path = invites.write_feed(group, args.output, now)
    print(path)
    return 0


def run_ics_reply(context: Context) -> int:
    from organizer.services import invites

    path = Path(context.args.file)
    data = read_input(path, limit=invites.MAX_REPLY_BYTES)
    from organizer.services.mail_read import calendar_parts_of

    parts = calendar_parts_of(data)
    if not parts:
        raise UserError(f"{path} holds no calendar reply (no METHOD:REPLY part)")
    group = context.group()
    tz = zone(group)
    try:
        applied = [item for part in parts for item in invites.apply_reply(group, part, context.now())]
    except invites.ReplyProblems as error:
        for problem in error.problems:  # one line per problem, nothing applied
            print(f"organizer: {problem}", file=sys.stderr)
        return 1
    for item in applied:
        start = item.meeting.starts_at.astimezone(tz)
        note = "  (answered an earlier version of the invite)" if item.stale else ""
        print(f"{start:%Y-%m-%d %H:%M} {group.timezone}  {item.member.name}  {item.rsvp}{note}")
    return 0
