"""What every command shares: the parsed arguments, the database, the group, the clock."""

from __future__ import annotations

import argparse
import shlex
import sqlite3
from datetime import datetime
from pathlib import Path

from peewee import Database, DatabaseError, ImproperlyConfigured

from organizer import db as dbmod
from organizer.clock import system_now
from organizer.errors import UserError
from organizer.migrations import ForeignDatabase, SchemaTooNew
from organizer.models import Group
from organizer.services.groups import current_group, has_group
from organizer.text import one_line


class CommandFailed(Exception):
    """A command could not do its job; the message is one line for stderr."""


class Context:
    """Opened lazily, so `--help` and usage errors never touch a database."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self._db: Database | None = None

    @property
    def location(self) -> str:
        return dbmod.resolve_location(self.args.db)

    def open(self, location: str | None = None) -> Database:
        if self._db is None:
            where = location or self.location
            try:
                self._db = dbmod.open_database(where)
            except ForeignDatabase as error:
                raise CommandFailed(f"cannot open the database {shown(where)}: not an Organizer database, {error}")
            except (DatabaseError, sqlite3.DatabaseError, SchemaTooNew, OSError) as error:
                dbmod.close_database()
                # psycopg2's messages run over several lines (a hint on the next): one line.
                raise CommandFailed(f"cannot open the database {shown(where)}: {one_line(str(error))}")
            except ImproperlyConfigured as error:  # a postgresql:// URL without psycopg2
                raise CommandFailed(
                    f"cannot open the database {shown(where)}: {error} "
                    "(PostgreSQL needs the postgres extra: pip install 'organizer[postgres]')"
                )
            except ValueError as error:  # a URL that does not parse, e.g. a port that is not a number
                if not dbmod.is_url(where):
                    raise
                raise CommandFailed(f"cannot open the database {shown(where)}: the URL is not valid ({error})")
        return self._db

    def group(self) -> Group:
        where = self.location
        # A file this command would create only to find no group in it is not left behind.
        fresh = self._db is None and not dbmod.is_url(where) and not Path(where).expanduser().exists()
        self.open()
        try:
            return current_group(self.args.group)
        except UserError:
            if fresh and not has_group():
                self.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{Path(where).expanduser()}{suffix}").unlink(missing_ok=True)
            demo = dbmod.data_dir() / "demo.db"
            if self.args.group or Path(where) != dbmod.data_dir() / "organizer.db" or not demo.exists():
                raise
            raise CommandFailed(
                f"{shown(where)} has no group yet; the demo is in {demo}: give "
                f"`--db {shlex.quote(str(demo))}` before the command, or start your group "
                "with `organizer init` or `organizer load-sample`"
            ) from None

    def now(self) -> datetime:
        return system_now()

    def close(self) -> None:
        if self._db is not None:
            dbmod.close_database()
            self._db = None


def shown(location: str) -> str:
    """The database's location for a message, a URL's password left out (stderr ends up in logs)."""
    return dbmod.without_password(location)


def subcommand_group(
    subparsers: argparse._SubParsersAction, name: str, *, help: str, description: str = ""
) -> argparse._SubParsersAction:
    """The sub-subcommands of a shared parent command such as `import` or `export`.

    Several modules add to the same parent (`import members` and `import referrals`): the
    first call creates the parent parser, later calls get its existing subparsers back.
    """
    parent = subparsers.choices.get(name)
    if parent is None:
        parent = subparsers.add_parser(name, help=help, description=description or help)
        group = parent.add_subparsers(
            dest=f"{name}_what",
            metavar="WHAT",
            required=True,
            parser_class=subparsers._parser_class,
        )
        parent.set_defaults(_subcommand_group=group)
        return group
    return parent.get_default("_subcommand_group")


def add_import_options(parser: argparse.ArgumentParser) -> None:
    """The options every CSV import takes: check only, or import the good rows and report the rest."""
    parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the good rows and report the bad ones instead of importing nothing",
    )
