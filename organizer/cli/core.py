"""Core commands: the app, the demo, creating a group, the sample group and counts."""

from __future__ import annotations

import argparse
import gc
import io
from pathlib import Path

from organizer import db as dbmod
from organizer import failures
from organizer.cli.common import CommandFailed, Context
from organizer.services.groups import (
    STARTER_INVITATION,
    checked_group_values,
    create_group,
    get_setting,
    has_group,
    set_setting,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="open the app on a demo database rebuilt from the sample group, dated today",
        description="Rebuild a demo database from sample_data/ with its dates moved to today, "
        "then open the app on it. Uses --db if given, else demo.db in your data folder.",
    )
    demo.set_defaults(handler=run_demo)

    init = subparsers.add_parser("init", help="create the group", description="Create the group in an empty database.")
    init.add_argument("--name", required=True, help="the group's name")
    init.add_argument("--timezone", required=True, help="IANA timezone, e.g. America/Toronto")
    init.add_argument("--organizer-name", required=True)
    init.add_argument("--organizer-email", required=True)
    init.add_argument("--currency", default="CAD", help="ISO 4217 code (default CAD)")
    init.add_argument(
        "--country", default="", help="for public holidays: ISO code and optional subdivision, e.g. DE, DE-BY, CA-ON"
    )
    init.add_argument(
        "--locale",
        default="",
        help="how amounts are written, e.g. de_DE for 1.250,50 (default: the usual one where the timezone is)",
    )
    init.set_defaults(handler=run_init)

    sample = subparsers.add_parser(
        "load-sample",
        help="load the sample group (beside any groups already here)",
        description="Load the Grand River Business Circle sample as a group of its own, also into "
        "a database that holds other groups; refuses a name that is already a group's (see --name).",
    )
    sample.add_argument("--shift-to-today", action="store_true", help="move the sample's dates so its 'today' is today")
    sample.add_argument("--name", metavar="NEW", help="the sample group's name (default: its own)")
    sample.set_defaults(handler=run_load_sample)

    counts = subparsers.add_parser(
        "stats",
        help="count what the database holds",
        description="Print `name: N` lines for the whole database, or for one group with --group.",
    )
    counts.set_defaults(handler=run_stats)


def run_app(context: Context, location: str | None = None) -> int:
    context.open(location)
    dbmod.set_busy_timeout(dbmod.APP_BUSY_TIMEOUT_MS)  # the screen's thread: see there
    from rich.console import Console

    if context.args.group:  # the app opens the group this person last chose: this one
        from organizer.services.groups import remember_group

        remember_group(context.group())
    from organizer.tui.app import make_app  # Textual loads only when the app runs

    app = make_app(clock=context.now)
    # What start-up made lives as long as the process: out of the garbage collector's
    # scans, whose full passes over it would otherwise pause a keystroke now and then.
    gc.freeze()
    # What Textual would print after a crash (a traceback) goes to a crash log instead;
    # the terminal gets one line naming it.
    report = io.StringIO()
    app.error_console = Console(file=report, markup=False, highlight=False, width=120, color_system=None)
    app.run()
    if report.getvalue().strip():
        path = failures.write_crash_text(report.getvalue())
        where = f"; the details are in {path}" if path else ""
        raise CommandFailed(f"the app stopped on an unexpected error{where}")
    return app.return_code or 0


def run_demo(context: Context) -> int:
    """Rebuild the demo database, then open the app on it.

    The demo only ever deletes a database it made itself (marked by the `demo` setting),
    so `--db` pointing at real data is refused rather than wiped.
    """
    from organizer.sample import load_sample

    location = context.args.db or str(dbmod.data_dir() / "demo.db")
    if dbmod.is_url(location):
        raise CommandFailed("the demo rebuilds a SQLite file; give --db a path, not a URL")
    path = Path(location).expanduser()
    if path.exists() and path.stat().st_size:
        context.open(str(path))
        if has_group() and get_setting(None, "demo") != "1":
            raise CommandFailed(f"{path} holds real data; the demo only rebuilds its own database")
        context.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    context.open(str(path))
    load_sample(now=context.now(), shift_to_today=True)
    set_setting(None, "demo", "1")
    return run_app(context)


def run_init(context: Context) -> int:
    args = context.args
    fields = dict(
        name=args.name,
        timezone=args.timezone,
        organizer_name=args.organizer_name,
        organizer_email=args.organizer_email,
        currency=args.currency,
        country=args.country,
        locale=args.locale,
    )
    checked_group_values(**fields)  # a typo is refused before the database file is created
    context.open()
    if has_group():
        raise CommandFailed(
            "this database already has a group; use --db for a new one, or `organizer group add` for another group here"
        )
    group = create_group(**fields, now=context.now(), **STARTER_INVITATION)
    print(f"created group {group.id}: {group.name} ({group.timezone})")
    return 0


def run_load_sample(context: Context) -> int:
    from organizer.sample import load_sample
    from organizer.services.stats import stats

    context.open()
    group = load_sample(now=context.now(), shift_to_today=context.args.shift_to_today, name=context.args.name)
    counts = stats(group)
    print(f"loaded {group.name}: {counts['members']} members, {counts['referrals']} referrals")
    return 0


def run_stats(context: Context) -> int:
    from organizer.services.stats import STAT_NAMES, stats

    context.open()
    counts = stats(context.group()) if context.args.group else stats()
    for name in STAT_NAMES:
        print(f"{name}: {counts[name]}")
    return 0
