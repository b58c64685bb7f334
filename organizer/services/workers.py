"""Service calls from a worker thread, the one way the app runs them.

peewee keeps one connection per thread: a worker's call opens its own and must close it
when done, or every worker leaves a connection (and, on SQLite, a file handle) behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from organizer.models import database

P = ParamSpec("P")
T = TypeVar("T")


def in_worker(call: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`call(*args, **kwargs)` on this thread's own connection, closed afterwards."""
    with database.connection_context():
        return call(*args, **kwargs)
