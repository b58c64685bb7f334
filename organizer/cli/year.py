"""Commands for the group's year: public holidays under its meetings, renewals due, and
renewing one member.

    organizer holidays [--from DATE] [--to DATE]   YYYY-MM-DD  status  holiday name
    organizer renewals [--within DAYS]             YYYY-MM-DD  name  email
    organizer renew WHO [--until DATE]             the new due date, one year on by default
    organizer apply WHO · organizer join WHO [--on DATE]   visitor → applicant → member

`holidays` lists meetings (local date, status) that fall on a public holiday of the
group's country (`init --country`); nothing moves by itself. `renewals` lists active and
on-leave members whose renewal is overdue or due within DAYS (30), soonest first.
"""

from __future__ import annotations

import argparse

from organizer.cli.common import Context
from organizer.cli.meetings import _dates
from organizer.errors import ValidationError


def register(subparsers: argparse._SubParsersAction) -> None:
    days = subparsers.add_parser(
        "holidays",
        help="meetings that fall on a public holiday",
        description="One line per meeting on a public holiday of the group's country: "
        "'YYYY-MM-DD  status  holiday name' (the meeting's local date and status). The country "
        "is set with `init --country` (e.g. DE-BY) or in the app's series form. Without "
        "--from/--to: every stored meeting.",
    )
    days.add_argument("--from", dest="start", metavar="DATE", help="from this local date (YYYY-MM-DD)")
    days.add_argument("--to", dest="end", metavar="DATE", help="up to this local date, inclusive")
    days.set_defaults(handler=run_holidays)

    due = subparsers.add_parser(
        "renewals",
        help="renewals overdue or due soon",
        description="One line per active or on-leave member whose renewal is overdue or due "
        "within DAYS: 'YYYY-MM-DD  name  email', soonest first.",
    )
    due.add_argument("--within", default="30", metavar="DAYS", help="days ahead (default 30)")
    due.set_defaults(handler=run_renewals)

    renew = subparsers.add_parser(
        "renew",
        help="renew a member's membership",
        description="Move a member's renewal date one year on (or to --until), recorded in their history.",
    )
    renew.add_argument("who", metavar="WHO", help="the member's email or exact name")
    renew.add_argument("--until", metavar="DATE", help="the new due date (default: one year on)")
    renew.set_defaults(handler=run_renew)

    apply = subparsers.add_parser(
        "apply",
        help="a visitor applies for membership",
        description="Make a visitor an applicant (recorded in their history).",
    )
    apply.add_argument("who", metavar="WHO", help="the visitor's email or exact name")
    apply.set_defaults(handler=run_apply)

    join = subparsers.add_parser(
        "join",
        help="an applicant (or visitor) becomes a member",
        description="Make an applicant or visitor an active member from --on (today), renewal due a "
        "year later; their visits and who invited them are kept.",
    )
    join.add_argument("who", metavar="WHO", help="the applicant's email or exact name")
    join.add_argument("--on", metavar="DATE", help="the join date (default: today)")
    join.set_defaults(handler=run_join)


def run_holidays(context: Context) -> int:
    from organizer.services.holidays import meetings_on_holidays
    from organizer.services.meetings import local_date

    args = context.args
    group = context.group()
    dates = _dates(**{"from": args.start, "to": args.end})
    if dates["from"] and dates["to"] and dates["to"] < dates["from"]:
        raise ValidationError.single("to", "--to is before --from")
    if not group.country:
        raise ValidationError.single(
            "country",
            "the group has no country: set it in the app (Meetings, a: the series form's Holidays of field) "
            "or give it when the group is made (`init --country` or `group add --country`)",
        )
    for meeting, name in meetings_on_holidays(group, dates["from"], dates["to"], now=context.now()):
        print(f"{local_date(meeting).isoformat()}  {meeting.status}  {name}")
    return 0


def run_renewals(context: Context) -> int:
    from organizer.services.groups import local_today
    from organizer.services.renewals import MAX_WITHIN, renewals_due
    from organizer.text import one_line

    text = context.args.within.strip()
    if not text.isdigit() or int(text) > MAX_WITHIN:
        raise ValidationError.single(
            "within",
            f"“{context.args.within}” is not a number of days from 0 to {MAX_WITHIN}",
        )
    group = context.group()
    for member in renewals_due(group, local_today(group, context.now()), int(text)):
        # A date's str() is its ISO form; these members all have the dates printed.
        print(f"{member.renewal_due}  {one_line(member.name)}  {one_line(member.email)}")
    return 0


def run_renew(context: Context) -> int:
    from organizer.services.members import find_member
    from organizer.services.renewals import renew
    from organizer.text import one_line

    args = context.args
    group = context.group()
    until = _dates(until=args.until)["until"]
    member = renew(find_member(group, args.who), now=context.now(), until=until)
    print(f"renewed: {one_line(member.name)}, due {member.renewal_due}")
    return 0


def run_apply(context: Context) -> int:
    from organizer.services.members import find_member
    from organizer.services.pipeline import make_applicant
    from organizer.text import one_line

    member = make_applicant(find_member(context.group(), context.args.who), now=context.now())
    print(f"applicant: {one_line(member.name)}")
    return 0


def run_join(context: Context) -> int:
    from organizer.services.members import find_member
    from organizer.services.pipeline import convert_to_member, visit_dates
    from organizer.text import one_line

    on = _dates(on=context.args.on)["on"]
    member = convert_to_member(find_member(context.group(), context.args.who), now=context.now(), joined_on=on)
    visits = len(visit_dates(member))
    inviter = f", invited by {one_line(member.invited_by.name)}" if member.invited_by_id else ""
    print(
        f"joined: {one_line(member.name)}, member from {member.joined_on}, renewal due "
        f"{member.renewal_due} ({visits} visit{'s' if visits != 1 else ''} kept{inviter})"
    )
    return 0
