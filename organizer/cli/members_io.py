"""Members in and out: `import members`, `export members`, `backup` and `restore`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from organizer import db as dbmod
from organizer.cli.common import CommandFailed, Context, add_import_options, subcommand_group
from organizer.cli.output import print_problems
from organizer.models import MEMBER_STATUSES, SCHEMA_VERSION, Group
from organizer.services.errors import UserError
from organizer.services.groups import has_group


def register(subparsers: argparse._SubParsersAction) -> None:
    imports = subcommand_group(subparsers, "import", help="import members or referrals from a CSV file")
    members_in = imports.add_parser(
        "members",
        help="add or update members from a CSV file",
        description="Add or update members from a CSV file (UTF-8, UTF-8 with BOM or Windows-1252; "
        "comma, semicolon or tab). Columns: name (or First Name + Last Name), business, category, "
        "email, phone, website, joined, renewal_due, status, invited_by, good_referral, bio, notes; "
        "spreadsheet headers such as Company, Classification, Email Address, Join Date are understood. "
        "A row updates the member with the same email, else the same name and business. "
        "By default any bad row means nothing is imported (exit 1); each bad row is named on stderr "
        "with its line, column and reason. Prints added, updated, unchanged and invalid counts.",
    )
    members_in.add_argument("file", metavar="FILE", help="the CSV file (- for standard input)")
    add_import_options(members_in)
    members_in.set_defaults(handler=run_import_members)

    exports = subcommand_group(subparsers, "export", help="export members or the ledger to a file")
    members_out = exports.add_parser(
        "members",
        help="the roster as CSV, a spreadsheet or vCard (by the file's extension)",
        description="Write the members to FILE.csv (spreadsheet-safe, UTF-8 with BOM, the columns "
        "`import members` reads), FILE.xlsx (a workbook whose cells are text as typed) or "
        "FILE.vcf (vCard 3.0). The file is private (mode 0600).",
    )
    members_out.add_argument("file", metavar="FILE", help="FILE.csv, FILE.xlsx or FILE.vcf")
    members_out.add_argument(
        "--status",
        action="append",
        choices=MEMBER_STATUSES,
        metavar="STATUS",
        help="only members in this status (repeatable: active, on_leave, alumni, visitor); default all",
    )
    members_out.set_defaults(handler=run_export_members)

    backup = subparsers.add_parser(
        "backup",
        help="a consistent copy of the database (mode 0600)",
        description="Copy the SQLite database to FILE with SQLite's backup API (safe while the app "
        "is open), mode 0600, checked with PRAGMA integrity_check. Refuses to replace an existing "
        "FILE unless --force. PostgreSQL databases are backed up with pg_dump instead.",
    )
    backup.add_argument("file", metavar="FILE")
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="restore a backup into an empty database",
        description="Copy an Organizer backup into the database chosen with --db (a new file is "
        "created), upgrading its schema if the backup is older. Refuses a database that already "
        "has a group.",
    )
    restore.add_argument("file", metavar="FILE", help="a file made by `organizer backup`")
    restore.set_defaults(handler=run_restore)


def run_import_members(context: Context) -> int:
    from organizer.services.member_import import import_members

    args = context.args
    group = context.group()
    source = sys.stdin.buffer.read() if args.file == "-" else Path(args.file)
    report = import_members(group, source, dry_run=args.dry_run, skip_invalid=args.skip_invalid, now=context.now())
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print_problems(report.problem_lines())
    if report.problems and not args.skip_invalid:
        would = "would be" if args.dry_run else "was"
        raise CommandFailed(
            f"nothing {would} imported: {report.invalid} of {report.rows} rows are invalid "
            "(fix them, or use --skip-invalid to import the others)"
        )
    for line in report.count_lines():
        print(line)
    if args.dry_run:
        print("dry run: nothing was written")
    return 0


def run_export_members(context: Context) -> int:
    # Exports and the import code load when they run, not with every command
    # (tests/test_import_budget.py).
    from organizer.services.member_export import export_kind, export_members

    path = Path(context.args.file)
    export_kind(path)  # a wrong suffix is refused before the database is opened
    _, count = export_members(context.group(), path, context.args.status)
    print(f"exported {count} member{'' if count == 1 else 's'} to {path}")
    return 0


def run_backup(context: Context) -> int:
    from organizer.services.backup import POSTGRES_BACKUP, backup_sqlite

    location = context.location
    if dbmod.is_url(location):
        raise UserError(POSTGRES_BACKUP)
    info = backup_sqlite(Path(location), Path(context.args.file), force=context.args.force)
    print(
        f"backed up {info.groups} group(s) and {info.members} members to {info.path} ({info.size} bytes, integrity ok)"
    )
    return 0


def run_restore(context: Context) -> int:
    from organizer.services.backup import POSTGRES_RESTORE, inspect_backup, restore_sqlite

    location = context.location
    if dbmod.is_url(location):
        raise UserError(POSTGRES_RESTORE)
    inspect_backup(Path(context.args.file))  # refuse a bad file before creating the database
    database = context.open()
    if has_group():
        existing = Group.select().order_by(Group.id).first()
        raise CommandFailed(
            f"this database already has a group (“{existing.name}”): restore only fills an empty "
            "database; use --db with a new file"
        )
    version, groups, members = restore_sqlite(Path(context.args.file), database)
    upgraded = f" (schema upgraded from version {version} to {SCHEMA_VERSION})" if version < SCHEMA_VERSION else ""
    print(f"restored {groups} group(s) and {members} members from {context.args.file}{upgraded}")
    return 0
