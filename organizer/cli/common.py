"""What every command shares: the parsed arguments, the database, the group, the clock."""

from __future__ import annotations

import argparse
import sqlite3
from datetime import datetime

from peewee import Database, DatabaseError

from organizer import db as dbmod
from organizer.clock import system_now
from organizer.migrations import SchemaTooNew
from organizer.models import Group
from organizer.services.groups import current_group


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
            try:
                self._db = dbmod.open_database(location or self.location)
            except (DatabaseError, sqlite3.DatabaseError, SchemaTooNew, OSError) as error:
                dbmod.close_database()
                raise CommandFailed(f"cannot open the database {location or self.location}: {error}")
        return self._db

    def group(self) -> Group:
        self.open()
        return current_group(self.args.group)

    def now(self) -> datetime:
        return system_now()

    def close(self) -> None:
        if self._db is not None:
            dbmod.close_database()
            self._db = None


def subcommand_group(
    subparsers: argparse._SubParsersAction, name: str, help: str
) -> argparse._SubParsersAction:
    """The nested subcommands of `name` (e.g. `import` → `members`, `referrals`), made once.

    Several modules add to the same parent (`import members`, `import referrals`), so the
    second caller gets the first one's nested subparsers instead of a duplicate parser.
    """
    existing = subparsers.choices.get(name)
    if existing is not None:
        for action in existing._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action
        raise ValueError(f"`{name}` is already a command without subcommands")
    parent = subparsers.add_parser(name, help=help, description=help)
    nested = parent.add_subparsers(
        dest=f"{name}_what", metavar="WHAT", parser_class=subparsers._parser_class,
    )
    nested.required = True  # `organizer import` alone is a usage error, not the app
    return nested
