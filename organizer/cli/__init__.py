"""The command line: `organizer [--db PATH_OR_URL] [COMMAND ...]`.

Each module in this package registers its commands on the parser; `main` opens the
database once, runs the command and turns a user's mistake, and any other failure, into
one line on stderr and exit status 1 (never a traceback: organizer.failures words it,
with a crash log for the unexpected). Opening the app (no command) builds no subcommands:
the modules that define them load only when a command, --help or a mistake needs them.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from importlib import import_module

from organizer import __version__, failures
from organizer.cli.common import CommandFailed, Context
from organizer.errors import UserError
from organizer.text import one_line

# Every module that adds commands; each has `register(subparsers)`.
COMMAND_MODULES = (
    "core",
    "meetings",
    "threads",
    "members_io",
    "ledger",
    "ical",
    "recap",
    "mail",
    "year",
    "corrections",
    "relationships",
    "groups",
)
# Options of the program itself, before any command; each takes a value.
GLOBAL_OPTIONS = ("--db", "--group")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line (plus where to get help), exit 1."""

    def error(self, message: str):
        self.exit(1, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; with `commands=False`, only the program's own options."""
    parser = _Parser(
        prog="organizer",
        description="A terminal home for a local business networking group. With no command, opens the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"organizer {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="SQLite file or postgresql:// URL (default: $ORGANIZER_DB, else organizer.db in your data folder)",
    )
    parser.add_argument("--group", metavar="NAME_OR_ID", help="which group, when the database holds several")
    if commands:
        subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
        for name in COMMAND_MODULES:
            import_module(f"organizer.cli.{name}").register(subparsers)
    return parser


def names_a_command(argv: Sequence[str]) -> bool:
    """Whether `argv` holds anything besides the program's own options (a command, --help…)."""
    tokens = iter(argv)
    for token in tokens:
        if token in GLOBAL_OPTIONS:
            next(tokens, None)
        elif not token.startswith(tuple(f"{option}=" for option in GLOBAL_OPTIONS)):
            return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(commands=names_a_command(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # --help, --version, or a usage mistake already reported
        return exit.code if isinstance(exit.code, int) else 0
    from organizer.cli import core

    handler = getattr(args, "handler", None) or core.run_app
    context = Context(args)
    try:
        if handler in (core.run_app, core.run_demo):
            return handler(context) or 0  # the app owns the terminal; Textual escapes what it draws
        from organizer.cli.output import clean_output  # commands only: the app never loads it

        with clean_output():
            return handler(context) or 0
    except (UserError, CommandFailed) as error:
        print(f"organizer: {one_line(str(error))}", file=sys.stderr)
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
    except Exception as error:  # the boundary: a busy or full database, a bug — one line
        print(f"organizer: {failures.one_line(error)}", file=sys.stderr)
        return 1
    finally:
        context.close()
