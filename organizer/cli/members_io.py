"""Members in and out: `import members`, `export members`, `backup` and `restore`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from organizer import db as dbmod
from organizer.cli.common import CommandFailed, Context, add_import_options, subcommand_group
from organizer.cli.output import print_problems
from organizer.errors import UserError
from organizer.files import read_input
from organizer.models import MEMBER_STATUSES, SCHEMA_VERSION
from organizer.services.groups import has_group
from organizer.text import one_line


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
        help="restore a backup: into a new database, or as more groups beside those here",
        description="Restore an Organizer backup into the database chosen with --db, upgrading "
        "its schema if the backup is older. Into a database with no group (a new file is created) "
        "the backup is copied whole. Into one that holds groups (SQLite or PostgreSQL), the "
        "backup's groups are added beside them with new ids, in one transaction; a group name "
        "already here is refused with nothing written.",
    )
    restore.add_argument("file", metavar="FILE", help="a file made by `organizer backup`")
    restore.add_argument(
        "--group",
        dest="backup_group",
        metavar="NAME_OR_ID",
        help="restore only this group of the backup (by its name or its id in the backup)",
    )
    restore.add_argument("--as-name", metavar="NEW", help="the restored group's name here (one group)")
    restore.set_defaults(handler=run_restore)


def run_import_members(context: Context) -> int:
    from organizer.services.member_import import import_members

    args = context.args
    group = context.group()
    source = read_input(args.file)
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
    from organizer.services.backup import inspect_backup, restore_groups, restore_sqlite

    args = context.args
    source = Path(args.file)
    # `--group` before the command names a group too; here it can only be the backup's.
    chosen = args.backup_group or args.group
    inspect_backup(source)  # refuse a bad file before creating the database
    location = context.location
    fresh = not dbmod.is_url(location) and not Path(location).expanduser().exists()
    database = context.open()
    whole = not has_group() and not dbmod.is_url(location) and chosen is None and args.as_name is None
    if whole:  # a SQLite database with no group: the file, as it was backed up
        version, groups, members = restore_sqlite(source, database)
        print(f"restored {groups} group(s) and {members} members from {args.file}{_upgraded(version)}")
        return 0
    try:
        restored = restore_groups(source, group=chosen, as_name=args.as_name)
    except UserError:
        if fresh and not has_group():  # a file made only for this restore is not left behind
            context.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{Path(location).expanduser()}{suffix}").unlink(missing_ok=True)
        raise
    named = ", ".join(f"{group_id} “{one_line(name)}”" for group_id, name in restored.groups)
    count = len(restored.groups)
    left_out = (
        f"; {restored.drafts_left_out} unsaved draft(s) left out (they name rows by the backup's ids)"
        if restored.drafts_left_out
        else ""
    )
    print(
        f"restored {count} group(s) and {restored.members} members from {args.file} "
        f"as group{'' if count == 1 else 's'} {named}{_upgraded(restored.version)}{left_out}"
    )
    return 0


def _upgraded(version: int) -> str:
    return f" (schema upgraded from version {version} to {SCHEMA_VERSION})" if version < SCHEMA_VERSION else ""
