"""Relationship commands: `one-to-one add`, `import one-to-ones`, `gaps` and `pairings`."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from organizer.cli.common import CommandFailed, Context, add_import_options, subcommand_group
from organizer.errors import ValidationError
from organizer.files import read_input
from organizer.text import one_line


def register(subparsers: argparse._SubParsersAction) -> None:
    one = subcommand_group(subparsers, "one-to-one", help="record a one-to-one between two members")
    add = one.add_parser(
        "add",
        help="record a one-to-one that took place; prints its id",
        description="Record a one-to-one between members A and B (each an email or exact name). "
        "Refused: a member with themselves, an unknown member, a date after today, or the same "
        "pair twice on one day.",
    )
    add.add_argument("a", metavar="A", help="a member's email or exact name")
    add.add_argument("b", metavar="B", help="the other member's email or exact name")
    add.add_argument("--on", required=True, metavar="DATE", help="the day they met (YYYY-MM-DD)")
    add.add_argument("--where", choices=("in-person", "video", "phone"), default="in-person")
    add.add_argument("--notes", default="", metavar="TEXT")
    add.set_defaults(handler=run_add)

    imports = subcommand_group(subparsers, "import", help="import members or referrals from a CSV file")
    from_file = imports.add_parser(
        "one-to-ones",
        help="import one-to-ones from a CSV file",
        description="Import one-to-ones from CSV with the header date,member_a,member_b,where,notes "
        "(members by email or exact name, any status; where is in-person, video or phone, empty "
        "allowed). All or nothing: a file with any bad row imports nothing and stderr names each "
        "bad row's line (the header is line 1), column and reason. Prints imported: N and invalid: N.",
    )
    from_file.add_argument("file", metavar="FILE", help="the CSV file (UTF-8 or Windows-1252)")
    add_import_options(from_file)
    from_file.set_defaults(handler=run_import)

    gaps = subparsers.add_parser(
        "gaps",
        help="per active member: how many active members they have met one-to-one",
        description="One row per active member: met (other active members met at least once), "
        "not_met (never met) and not_met_12m (not met in the last 12 months, never met included). "
        "tsv prints the header member, met, not_met, not_met_12m, tab-separated. With --member, the "
        "names of the active members A has never met, one a line, sorted by name.",
    )
    gaps.add_argument("--format", choices=("table", "tsv"), default="table")
    gaps.add_argument("--member", metavar="A", help="a member's email or exact name")
    gaps.set_defaults(handler=run_gaps)

    pairings = subparsers.add_parser(
        "pairings",
        help="suggested one-to-one pairs for a month",
        description="Pair the active members for MONTH: as many never-met pairs as possible (an "
        "optimal matching), then no pair met in the --avoid-months months before, then pairs unmet "
        "for longest, then categories that refer to each other. The same data gives the same pairs. "
        "An odd count leaves one member out (said on stderr) or, with --trio, makes one trio: two "
        "rows sharing a member. csv prints member_a,member_b,never_met,last_met.",
    )
    pairings.add_argument("month", metavar="YYYY-MM")
    pairings.add_argument(
        "--avoid-months",
        type=int,
        default=6,
        metavar="N",
        help="avoid pairs who met in the N months before MONTH (default 6)",
    )
    pairings.add_argument("--format", choices=("table", "csv"), default="table")
    pairings.add_argument("--trio", action="store_true", help="with an odd count, make a trio")
    pairings.add_argument(
        "--accept",
        action="store_true",
        help="record a planned one-to-one for each pair (dated the month's first day)",
    )
    pairings.add_argument("--eml", metavar="DIR", help="write one .eml per pair into DIR")
    pairings.add_argument(
        "--eml-all",
        metavar="FILE.eml",
        help="write one .eml to everyone with every pair",
    )
    pairings.set_defaults(handler=run_pairings)


def _member(context: Context, text: str, field: str):
    from organizer.services.one_to_ones import find_member

    member, why = find_member(context.group(), text)
    if member is None:
        raise ValidationError.single(field, why or "unknown member")
    return member


def run_add(context: Context) -> int:
    from organizer.services.one_to_ones import record_one_to_one

    args = context.args
    group = context.group()
    a, b = _member(context, args.a, "A"), _member(context, args.b, "B")
    try:
        row = record_one_to_one(
            group,
            member_a=a,
            member_b=b,
            met_on=args.on,
            mode=args.where,
            notes=one_line(args.notes),
            now=context.now(),
        )
    except ValidationError as error:  # named as the command line names them
        options = {
            "met_on": "--on",
            "member_a": "A",
            "member_b": "B",
            "mode": "--where",
        }
        raise ValidationError({options.get(name, name): why for name, why in error.fields.items()}) from None
    print(row.id)
    return 0


def run_import(context: Context) -> int:
    from organizer.services.one_to_one_import import (
        check_one_to_ones,
        write_one_to_ones,
    )

    args = context.args
    data = read_input(args.file)
    group = context.group()
    now = context.now()
    check = check_one_to_ones(group, data, now=now)
    for problem in check.problems:
        print(one_line(str(problem)), file=sys.stderr)
    if check.problems and not args.skip_invalid:
        would = "would be" if args.dry_run else "was"
        raise CommandFailed(
            f"nothing {would} imported: {check.bad_rows} of {check.bad_rows + len(check.rows)} rows are "
            "invalid (fix them, or use --skip-invalid to import the others)"
        )
    if not args.dry_run:
        write_one_to_ones(group, check.rows, now=now)
    print(f"imported: {len(check.rows)}")
    print(f"invalid: {check.bad_rows}")
    if args.dry_run:
        print("dry run: nothing was written")
    return 0


def run_gaps(context: Context) -> int:
    from organizer.cli.ledger import aligned
    from organizer.services.relationships import gaps, never_met

    args = context.args
    group = context.group()
    if args.member:
        member = _member(context, args.member, "--member")
        for name in never_met(group, member, now=context.now()):
            print(one_line(name))
        return 0
    rows = gaps(group, now=context.now())
    if args.format == "tsv":
        print("member\tmet\tnot_met\tnot_met_12m")
        for row in rows:
            print(f"{one_line(row.name)}\t{row.met}\t{row.not_met}\t{row.not_met_12m}")
        return 0
    table = [["member", "met", "never met", "not met in 12 months"]]
    table += [[one_line(row.name), str(row.met), str(row.not_met), str(row.not_met_12m)] for row in rows]
    for line in aligned(table):
        print(line)
    return 0


def run_pairings(context: Context) -> int:
    from organizer.cli.ledger import aligned
    from organizer.exports.pairings import all_pairs_email, pair_email, pairings_csv
    from organizer.files import write_private
    from organizer.services.one_to_ones import month_bounds, plan_pairs
    from organizer.services.pairings import suggest

    args = context.args
    if args.avoid_months < 0:
        raise ValidationError.single("--avoid-months", "a number of months, 0 or more")
    month_bounds(args.month)
    group = context.group()
    now = context.now()
    suggestion = suggest(group, args.month, now=now, avoid_months=args.avoid_months, trio=args.trio)
    if suggestion.notice():
        print(suggestion.notice(), file=sys.stderr)
    if args.format == "csv":
        sys.stdout.write(pairings_csv(suggestion.pairs, lineterminator="\n").decode("utf-8"))
    else:
        table = [["member a", "member b", "never met", "last met"]]
        table += [
            [
                one_line(p.a.name),
                one_line(p.b.name),
                "yes" if p.never_met else "no",
                p.last_met.isoformat() if p.last_met else "",
            ]
            for p in suggestion.pairs
        ]
        for line in aligned(table):
            print(line)
    sender = (group.organizer_name, group.organizer_email)
    if args.eml:
        folder = Path(args.eml)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandFailed(f"cannot create {folder}: {error.strerror or error}")
        for number, pair in enumerate(suggestion.pairs, 1):
            name = re.sub(r"[^\w-]+", "-", f"{pair.a.name}-{pair.b.name}").strip("-")[:60]
            write_private(
                folder / f"{args.month}-{number:02d}-{name}.eml",
                pair_email(
                    pair,
                    month=args.month,
                    sender=sender,
                    group_name=group.name,
                    now=now,
                ),
            )
        print(f"wrote {len(suggestion.pairs)} messages to {folder}", file=sys.stderr)
    if args.eml_all:
        write_private(
            Path(args.eml_all),
            all_pairs_email(
                suggestion.pairs,
                month=args.month,
                sender=sender,
                group_name=group.name,
                now=now,
            ),
        )
        print(f"wrote {args.eml_all}", file=sys.stderr)
    if args.accept:
        pairs = [(pair.a.id, pair.b.id) for pair in suggestion.pairs]
        added = plan_pairs(group, pairs, args.month, now=now)
        print(f"planned {added} one-to-ones", file=sys.stderr)
    return 0
