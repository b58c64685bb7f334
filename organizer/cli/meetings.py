"""Meeting commands: schedule the series (any cadence), skip / reschedule / cancel one, list them.

DATE is always a meeting's local date in the group's zone (for a moved meeting, its new
date or the date its series gave it). `meetings` prints one line per meeting:

    YYYY-MM-DD HH:MM ZONE  status  title

with ZONE the group's IANA zone name and status one of scheduled, held, skipped,
cancelled. `schedule` on a group whose series already runs on --from or later replaces
it from that date on (services.series_changes explains how the invites follow).
`reschedule` onto a date that already has a meeting asks (on a terminal) whether to
cancel that one instead, or takes --cancel-other; without either, nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING

from organizer.cli.common import Context
from organizer.errors import UserError, ValidationError
from organizer.services.checks import parse_date
from organizer.services.groups import zone

if TYPE_CHECKING:
    from organizer.models import Meeting
    from organizer.services.meetings import InTheWay


def register(subparsers: argparse._SubParsersAction) -> None:
    sched = subparsers.add_parser(
        "schedule",
        help="the group's meeting series (any cadence)",
        description="Schedule the series: a rule in words, monthly ('2nd tuesday', 'last "
        "friday', '1st and 3rd wednesday', '2nd and last monday') or weekly ('every tuesday', "
        "'every other thursday': every second week, counted from the first Thursday on or after "
        "--from), or an RFC 5545 RRULE (--rrule 'FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO': FREQ=WEEKLY "
        "or MONTHLY with INTERVAL, BYDAY and BYSETPOS), a local start time and a length. If the "
        "group's series already runs on --from or later, the new rule replaces it from that date "
        "on: meetings already stored keep their invites' UIDs and move to the nearest date under "
        "the new rule (the same month for a monthly rule).",
    )
    which = sched.add_mutually_exclusive_group(required=True)
    which.add_argument("--rule", help="e.g. '3rd thursday', 'every other tuesday', '1st and 3rd wednesday'")
    which.add_argument("--rrule", metavar="RRULE", help="e.g. 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TH'")
    sched.add_argument("--at", required=True, metavar="HH:MM", help="local start time, e.g. 18:30")
    sched.add_argument("--minutes", required=True, type=int, help="length in minutes, e.g. 120")
    sched.add_argument("--from", dest="start", required=True, metavar="DATE", help="first date (YYYY-MM-DD)")
    sched.add_argument("--until", metavar="DATE", help="last date (YYYY-MM-DD); open-ended if omitted")
    sched.add_argument("--place", default="", help="where (default: the group's usual place)")
    sched.add_argument("--title", default="", help="the meetings' title")
    sched.set_defaults(handler=run_schedule)

    skip = subparsers.add_parser(
        "skip",
        help="skip one meeting (a holiday)",
        description="Skip the meeting on DATE: it stays listed as skipped and leaves calendars.",
    )
    skip.add_argument("date", metavar="DATE", help="the meeting's local date (YYYY-MM-DD)")
    skip.set_defaults(handler=run_skip)

    move = subparsers.add_parser(
        "reschedule",
        help="move one meeting",
        description="Move the meeting on DATE to a new local date and time (and/or place); "
        "the rest of the series stays where it is. If the new date already has a meeting, it "
        "asks (on a terminal) whether to cancel that one and move this one there; a script "
        "gives --cancel-other.",
    )
    move.add_argument("date", metavar="DATE", help="the meeting's local date (YYYY-MM-DD)")
    move.add_argument("--to", metavar="'YYYY-MM-DD HH:MM'", help="the new local date and time")
    move.add_argument("--place", help="a new place for this meeting")
    move.add_argument(
        "--cancel-other",
        action="store_true",
        help="if the new date already has a meeting, cancel it (without asking) and move this one there",
    )
    move.set_defaults(handler=run_reschedule)

    cancel = subparsers.add_parser(
        "cancel",
        help="cancel one meeting",
        description="Cancel the meeting on DATE: it stays listed as cancelled; invites are withdrawn.",
    )
    cancel.add_argument("date", metavar="DATE", help="the meeting's local date (YYYY-MM-DD)")
    cancel.set_defaults(handler=run_cancel)

    listing = subparsers.add_parser(
        "meetings",
        help="list meetings",
        description="One line per meeting: 'YYYY-MM-DD HH:MM ZONE  status  title' (local date "
        "and time, the group's IANA zone). Without --from/--to: every stored meeting, "
        "which for an open-ended series reaches about a year ahead.",
    )
    listing.add_argument("--from", dest="start", metavar="DATE", help="from this local date (YYYY-MM-DD)")
    listing.add_argument("--to", dest="end", metavar="DATE", help="up to this local date, inclusive")
    listing.set_defaults(handler=run_meetings)


def _date(name: str, text: str) -> date:
    """A required date argument (`--from ""` is no date: said as for a bad one)."""
    day = _dates(**{name: text})[name]
    if day is None:
        raise ValidationError.single(name, "give a date YYYY-MM-DD")
    return day


def _dates(**values: str | None) -> dict[str, date | None]:
    """Parse named date arguments; every bad one is reported together."""
    errors: dict[str, str] = {}
    parsed = {name: parse_date(value, name, errors) for name, value in values.items()}
    if errors:
        raise ValidationError(errors)
    return parsed


def meeting_line(meeting: Meeting, tz_name: str) -> str:
    """'2026-03-10 07:30 America/Toronto  scheduled  Title' (the title kept on one line)."""
    local = meeting.starts_at.astimezone(zone(meeting.group))
    title = " ".join(meeting.title.split())
    return f"{local:%Y-%m-%d %H:%M} {tz_name}  {meeting.status}  {title}"


def run_schedule(context: Context) -> int:
    from organizer.services import meetings
    from organizer.services.recurrence import parse_rrule, parse_rule
    from organizer.services.series_changes import schedule

    args = context.args
    group = context.group()
    rule = parse_rule(args.rule) if args.rule is not None else parse_rrule(args.rrule)
    dates = _dates(**{"from": args.start, "until": args.until})
    change = schedule(
        group,
        rule=rule,
        at=args.at,
        minutes=args.minutes,
        starts_on=_date("from", args.start),
        ends_on=dates["until"],
        place=args.place,
        title=args.title,
        now=context.now(),
    )
    series = change.series
    rule = meetings.series_rule(series)
    until = f" until {series.ends_on.isoformat()}" if series.ends_on else ""
    print(
        f"scheduled {rule.describe()} at {series.start_time} {group.timezone} for {series.minutes} min "
        f"from {series.starts_on.isoformat()}{until}: “{series.title}”"
    )
    if change.ended:
        print(f"replaced the earlier series from {series.starts_on.isoformat()}: {change.summary()}")
    else:
        print(f"{change.created} meetings stored")
    return 0


def _occurrence(context: Context, text: str) -> Meeting:
    from organizer.services import meetings

    return meetings.occurrence(context.group(), _date("date", text))


def run_skip(context: Context) -> int:
    from organizer.services import meetings

    meeting = meetings.skip_occurrence(_occurrence(context, context.args.date), now=context.now())
    print(f"skipped: {meeting_line(meeting, context.group().timezone)} (sequence {meeting.sequence})")
    return 0


def run_cancel(context: Context) -> int:
    from organizer.services import meetings

    meeting = meetings.cancel_meeting(_occurrence(context, context.args.date), now=context.now())
    print(f"cancelled: {meeting_line(meeting, context.group().timezone)} (sequence {meeting.sequence})")
    return 0


def run_reschedule(context: Context) -> int:
    from organizer.services import meetings
    from organizer.services.recurrence import parse_local

    args = context.args
    if args.to is None and args.place is None:
        raise ValidationError.single("to", "give the new date and time with --to 'YYYY-MM-DD HH:MM' (or --place)")
    meeting = _occurrence(context, args.date)
    group = context.group()
    starts_at = parse_local(args.to, zone(group), "to") if args.to is not None else None
    clash = meetings.in_the_way(group, starts_at, moving=meeting) if starts_at is not None else None
    if clash is not None and starts_at is not None:
        return _reschedule_onto(context, meeting, clash, starts_at)
    before = meeting.sequence
    meeting = meetings.reschedule(meeting, starts_at=starts_at, place=args.place, now=context.now())
    verb = "rescheduled" if meeting.sequence != before else "unchanged"
    print(f"{verb}: {meeting_line(meeting, group.timezone)} (sequence {meeting.sequence})")
    return 0


def _reschedule_onto(context: Context, meeting: Meeting, clash: InTheWay, starts_at: datetime) -> int:
    """Move `meeting` onto a date another meeting has, cancelling that one: asked first on a
    terminal, said with --cancel-other in a script; nothing is written otherwise."""
    from organizer.services import meetings
    from organizer.services.meeting_status import refuse_if_held

    refuse_if_held(meeting, "moved")  # before asking about the other one
    if clash.held:
        raise UserError(f"{clash.describe()}: choose another date")
    if not context.args.cancel_other:
        if not sys.stdin.isatty():
            raise UserError(f"{clash.describe()}: give --cancel-other to cancel it and move this one there")
        if not _yes(f"{clash.describe()}: cancel it and move this one there? [y/N] "):
            print("nothing changed", file=sys.stderr)
            return 1
    group = context.group()
    moved = meetings.reschedule_replacing(
        meeting, clash, starts_at=starts_at, place=context.args.place, now=context.now()
    )
    print(moved.summary())
    print(f"rescheduled: {meeting_line(moved.meeting, group.timezone)} (sequence {moved.meeting.sequence})")
    if moved.cancelled is not None:
        other = moved.cancelled
        print(
            f"cancelled: {meeting_line(other, group.timezone)} (sequence {other.sequence}); "
            f"its cancellation: organizer ics --meeting {other.id} --cancel -o FILE"
        )
    return 0


def _yes(question: str) -> bool:
    """Ask on the terminal; only y or yes (any case) is a yes, end of input a no."""
    print(question, end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def run_meetings(context: Context) -> int:
    from organizer.services import meetings

    args = context.args
    group = context.group()
    dates = _dates(**{"from": args.start, "to": args.end})
    if dates["from"] and dates["to"] and dates["to"] < dates["from"]:
        raise ValidationError.single("to", "--to is before --from")
    meetings.extend_all(group, now=context.now(), through=dates["to"])
    for meeting in meetings.list_meetings(group, dates["from"], dates["to"]):
        print(meeting_line(meeting, group.timezone))
    return 0
