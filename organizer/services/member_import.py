"""Importing members from a spreadsheet file, with a report of what happened to each row.

Rows are checked in file order, each exactly as the member form checks it
(`member_problems`, its email and category questions answered from memory) and seeing
the rows before it: an inviter named on an earlier line is found, and a second row
claiming a category already taken by an earlier row is refused (unless the group allows
shared categories). Nothing is written while checking, so the write lock is held only
for the one short transaction that then writes what was checked (100,000 members in a
few seconds; another Organizer's write waits that long at most). What is written:

- by default all or nothing: any bad row and nothing is written;
- `skip_invalid`: the good rows are kept, the bad ones reported;
- `dry_run`: always rolled back, so the report says exactly what a real run would do.

A row whose inviter is on a later line waits for that line, so the order of the file
does not matter. A row updates the member with the same email (any case), else the one with the same
exact name and business; otherwise it adds a member. Empty cells never erase what is
stored, so a sparse spreadsheet cannot wipe details. Re-importing a file changes nothing:
every row comes back `unchanged`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from peewee import IntegrityError

from organizer.errors import UserError
from organizer.models import Group, database
from organizer.services.bulk import write_cache
from organizer.services.member_file import MemberTable, read_member_file
from organizer.services.member_import_check import Importer
from organizer.services.member_import_report import ImportReport, RowProblem
from organizer.services.member_import_rows import TidyRow, inviters_first, tidy_cells
from organizer.text import one_line, prepare_bulk_folding

__all__ = ["ImportReport", "Progress", "RowProblem", "import_members"]

Progress = Callable[[int, int], None]


def import_members(
    group: Group,
    source: MemberTable | bytes | str | Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a member file (path, bytes or an already read table); see the module docstring.

    `progress(done, total)` is called about a hundred times at most, then once at the end,
    so an app can move a progress bar from a worker without flooding its screen.
    """
    with _no_cycle_collection():
        return _import(group, source, dry_run, skip_invalid, now, progress)


def _import(
    group: Group,
    source: MemberTable | bytes | str | Path,
    dry_run: bool,
    skip_invalid: bool,
    now: datetime,
    progress: Progress | None,
) -> ImportReport:
    table = source if isinstance(source, MemberTable) else read_member_file(_read(source))
    if len(table.rows) > 1000:
        prepare_bulk_folding()
    report = ImportReport(
        rows=len(table.rows),
        warnings=[one_line(warning) for warning in table.warnings],
        encoding=table.encoding,
        delimiter=table.delimiter,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    total = len(table.rows)
    step = max(1, -(-total // 100))  # ceiling: at most a hundred calls
    rows = [TidyRow(row.line, tidy_cells(row.values), row.extra_cells) for row in table.rows]
    importer = Importer(group, table, rows, report, now)
    for done, row in enumerate(inviters_first(rows, importer.line_of), start=1):
        importer.apply(row)
        if progress and (done % step == 0 or done == total):
            progress(done, total)
    report.problems.sort(key=lambda problem: problem.line)  # rows may wait for their inviter
    if dry_run or (report.problems and not skip_invalid):
        return report
    try:
        with write_cache(64 * 1024), database.atomic():  # seven member indexes grow
            importer.write()
    except IntegrityError:
        # Another Organizer added a member with one of these emails since we checked.
        raise UserError(
            "members changed while the file was checked (another Organizer is "
            "adding members): nothing was imported; try again"
        ) from None
    report.written = True
    return report


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused for the import. A big file makes a million
    long-lived objects (cells, rows, checked values) and no cycles; each of the collector's
    full passes walked them all and found nothing, 5 % of the import. Reference counting
    frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(source: bytes | str | Path) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise UserError(f"cannot read {source}: {error.strerror or error}")
