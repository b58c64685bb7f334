"""Ledger commands: `import referrals`, `export ledger` and `balance`."""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

from organizer.cli.common import CommandFailed, Context, add_import_options, subcommand_group
from organizer.cli.output import print_problems
from organizer.errors import ValidationError
from organizer.files import read_input, write_private
from organizer.services.checks import parse_date
from organizer.services.money import format_money


def register(subparsers: argparse._SubParsersAction) -> None:
    imports = subcommand_group(subparsers, "import", help="import members or referrals from a CSV file")
    referrals = imports.add_parser(
        "referrals",
        help="import referrals from a CSV file",
        description="Import referrals from CSV with the columns date,giver,receiver,prospect,kind,"
        "temperature,status,value,notes (optional: contact, closed_on). Giver and receiver are a "
        "member's email or exact name. All or nothing: a file with any bad row imports nothing "
        "and the report on stderr names each bad row's line (the header is line 1), column and reason.",
    )
    referrals.add_argument("file", metavar="FILE", help="the CSV file (UTF-8 or Windows-1252)")
    add_import_options(referrals)
    referrals.add_argument(
        "--as",
        dest="actor",
        metavar="EMAIL",
        help="the member importing, recorded in each referral's history (default: the one you "
        "chose in the app, else the organizer)",
    )
    referrals.set_defaults(handler=run_import_referrals)

    exports = subcommand_group(subparsers, "export", help="export members or the ledger to a file")
    ledger = exports.add_parser(
        "ledger",
        help="every referral as spreadsheet-safe CSV or an .xlsx workbook",
        description="Write every referral, voided ones included (marked in the void column), as "
        "CSV that is safe to open in a spreadsheet, or (FILE.xlsx) as a workbook whose text "
        "cells are text, values numbers and dates dates.",
    )
    ledger.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    ledger.add_argument("--bom", action="store_true", help="start with a UTF-8 byte-order mark (older Excel)")
    ledger.set_defaults(handler=run_export_ledger)

    balance = subparsers.add_parser(
        "balance",
        help="give/get per member",
        description="Referrals given and received per member, and the won value of each, for "
        "referrals given in the period (voided entries left out). tsv prints the header "
        "member, given, received, value_given, value_received (tab-separated), values in "
        "major units with two decimals (1250.50; 1250.00 for yen, which has no minor unit; "
        "three for the currencies that have three).",
    )
    balance.add_argument("--from", dest="start", metavar="DATE", help="first day (YYYY-MM-DD)")
    balance.add_argument("--to", dest="end", metavar="DATE", help="last day (YYYY-MM-DD)")
    balance.add_argument("--format", choices=("table", "tsv"), default="table")
    balance.set_defaults(handler=run_balance)


def run_import_referrals(context: Context) -> int:
    # The import code loads when it runs, not with every command (tests/test_import_budget.py).
    from organizer.services.identity import acting_as
    from organizer.services.ledger_import import check_referrals, write_referrals

    args = context.args
    path = Path(args.file)
    data = read_input(path)
    group = context.group()
    now = context.now()
    actor = acting_as(group, args.actor)  # an unknown --as is refused before anything is checked
    check = check_referrals(group, data, now=now)
    print_problems([str(problem) for problem in check.problems])
    good = len(check.rows)
    if check.problems and not args.skip_invalid:
        rows = "row" if check.bad_rows == 1 else "rows"
        raise CommandFailed(
            f"{check.bad_rows} bad {rows} in {path.name}: nothing imported "
            "(fix them, or use --skip-invalid to import the good rows)"
        )
    skipped = f" ({check.bad_rows} bad rows skipped)" if check.problems else ""
    if args.dry_run:
        print(f"would import {good} referrals{skipped}")
    else:
        write_referrals(group, check.rows, now=now, source=path.name, actor=actor)
        print(f"imported {good} referrals{skipped}")
    return 1 if check.problems and not good else 0


def run_export_ledger(context: Context) -> int:
    from organizer.exports.ledger_csv import ledger_csv
    from organizer.exports.ledger_table import COLUMNS, ledger_cells
    from organizer.exports.xlsx import xlsx_bytes
    from organizer.services.ledger_reports import export_rows
    from organizer.services.money import exponent

    args = context.args
    path = Path(args.file)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CommandFailed(f"{path.name}: the file name must end in .csv or .xlsx")
    group = context.group()
    count = 0

    def counted():
        nonlocal count
        for row in export_rows(group):
            count += 1
            yield row

    places = exponent(group.currency)
    if suffix == ".xlsx":
        data = xlsx_bytes(
            "Ledger",
            COLUMNS,
            ledger_cells(counted(), places),
            money_format="#,##0" + ("." + "0" * places if places else ""),
        )
    else:
        data = ledger_csv(counted(), places, bom=args.bom)
    write_private(path, data)  # the ledger names people and their business: 0600
    print(f"exported {count} referrals to {path}")
    return 0


def run_balance(context: Context) -> int:
    from organizer.services.balances import give_get

    args = context.args
    errors: dict[str, str] = {}
    start = parse_date(args.start, "--from", errors)
    end = parse_date(args.end, "--to", errors)
    if start and end and end < start:
        errors["--to"] = "the period ends before it starts"
    if errors:
        raise ValidationError(errors)
    group = context.group()
    balances = give_get(group, start, end)
    # The table is for people: the group's notation (1.250,50 in a German group); tsv is neutral.
    money = lambda minor, grouping: format_money(minor, group.currency, grouping=grouping, locale=group.locale)
    if args.format == "tsv":
        # The contract's "two decimals" holds in every currency, so a script reads one shape.
        plain = lambda minor: format_money(minor, group.currency, grouping=False, min_places=2)
        print("member\tgiven\treceived\tvalue_given\tvalue_received")
        for b in balances:
            name = " ".join(b.name.split())  # a tab or newline in a name would break the columns
            print(f"{name}\t{b.given}\t{b.received}\t{plain(b.value_given)}\t{plain(b.value_received)}")
        return 0
    header = ["member", "given", "received", f"value given ({group.currency})", f"value received ({group.currency})"]
    rows = [
        [b.name, str(b.given), str(b.received), money(b.value_given, True), money(b.value_received, True)]
        for b in balances
    ]
    rows.append(
        [
            "total",
            str(sum(b.given for b in balances)),
            str(sum(b.received for b in balances)),
            money(sum(b.value_given for b in balances), True),
            money(sum(b.value_received for b in balances), True),
        ]
    )
    for line in aligned([header, *rows]):
        print(line)
    return 0


def width(text: str) -> int:
    """Columns a terminal gives `text`: wide (CJK) characters take two, marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(table: list[list[str]]) -> list[str]:
    """The first column left-aligned, the others right-aligned, two spaces apart."""
    widths = [max(width(row[i]) for row in table) for i in range(len(table[0]))]
    lines = []
    for row in table:
        cells = [row[0] + " " * (widths[0] - width(row[0]))]
        cells += [" " * (widths[i] - width(cell)) + cell for i, cell in enumerate(row) if i]
        lines.append("  ".join(cells).rstrip())
    return lines
