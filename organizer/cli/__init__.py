"""The command line: `organizer [--db PATH_OR_URL] [COMMAND ...]`.

Each module in this package registers its commands on the parser; `main` opens the
database once, runs the command and turns a user's mistake into one line on stderr and
exit status 1 (never a traceback).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from typing import Sequence

from organizer import __version__
from organizer.cli import core, ical, ledger, meetings, members_io, recap, threads
from organizer.cli.common import Context, CommandFailed
from organizer.services.errors import UserError

# Every module that adds commands; each has `register(subparsers)`.
COMMAND_MODULES = [core, meetings, threads, members_io, ledger, ical, recap]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line (plus where to get help), exit 1."""

    def error(self, message: str):  # noqa: D401 - argparse's name
        self.exit(1, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="organizer",
        description="A terminal home for a local business networking group. "
        "With no command, opens the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"organizer {__version__}")
    parser.add_argument(
        "--db", metavar="PATH_OR_URL",
        help="SQLite file or postgresql:// URL (default: $ORGANIZER_DB, else organizer.db "
        "in your data folder)",
    )
    parser.add_argument("--group", metavar="NAME_OR_ID", help="which group, when the database holds several")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # --help, --version, or a usage mistake already reported
        return exit.code if isinstance(exit.code, int) else 0
    handler = getattr(args, "handler", None) or core.run_app
    context = Context(args)
    try:
        return handler(context) or 0
    except (UserError, CommandFailed) as error:
        print(f"organizer: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("organizer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (`organizer balance --format tsv | head`): no traceback.
        # Point stdout at /dev/null so Python's own flush at exit does not fail again.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, io.UnsupportedOperation):
            pass
        return 141  # what a shell reports for a process ended by SIGPIPE
    finally:
        context.close()
