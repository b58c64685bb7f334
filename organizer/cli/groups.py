"""Many groups in one database: `organizer group add` and `organizer groups`."""

from __future__ import annotations

import argparse

from organizer.cli.common import Context, subcommand_group
from organizer.text import one_line


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subcommand_group(subparsers, "group", help="add a group to a database that may hold others")
    add = group.add_parser(
        "add",
        help="add a group",
        description="Add a group, also to a database that already holds groups (`init` makes the first). "
        "Its name must be new: --group NAME finds it.",
    )
    add.add_argument("--name", required=True, help="the group's name")
    add.add_argument("--timezone", required=True, help="IANA timezone, e.g. America/Toronto")
    add.add_argument("--organizer-name", required=True)
    add.add_argument("--organizer-email", required=True)
    add.add_argument("--currency", default="CAD", help="ISO 4217 code (default CAD)")
    add.add_argument("--country", default="", help="ISO 3166 two-letter code, e.g. CA")
    add.set_defaults(handler=run_group_add)

    groups = subparsers.add_parser(
        "groups",
        help="list the groups",
        description="One line per group: `ID  name  active_members`.",
    )
    groups.set_defaults(handler=run_groups)


def run_group_add(context: Context) -> int:
    from organizer.services.groups import add_group, checked_group_values

    args = context.args
    fields = {
        "name": args.name,
        "timezone": args.timezone,
        "organizer_name": args.organizer_name,
        "organizer_email": args.organizer_email,
        "currency": args.currency,
    }
    # A typo is refused before a database file is created.
    checked_group_values(**fields)
    context.open()
    group = add_group(now=context.now(), country=args.country, **fields)
    print(f"created group {group.id}: {one_line(group.name)} ({group.timezone})")
    return 0


def run_groups(context: Context) -> int:
    from organizer.services.groups import list_groups

    context.open()
    for line in list_groups():
        print(f"{line.id}  {one_line(line.name)}  {line.active_members}")
    return 0
