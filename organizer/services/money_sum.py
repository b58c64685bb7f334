"""Totals of money that cannot overflow.

A database sums 64-bit integers and fails on overflow (SQLite: "integer overflow"), so
one stored value near the limit, or enough large ones, would make every total fail for
good. Each value is summed in two halves instead — its quotient by 2**32 and the rest —
neither of which can overflow before four billion rows, and Python, whose integers have
no limit, puts them back together.

Where a total is read often over many rows (give/get), `overflow_safe` runs the plain
SUM first and the split one only if the database reports an overflow: the same answer,
without the halves' arithmetic on every row in the case that always happens.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import SupportsInt, TypeVar

from peewee import SQL, ColumnBase, OperationalError, fn

T = TypeVar("T")

_SPLIT = 2**32


def split_sum(
    value: ColumnBase, alias: str, where: ColumnBase | None = None, *, split: bool = True
) -> tuple[ColumnBase, ColumnBase]:
    """Two select columns (`alias`_hi, `alias`_lo) whose `joined` halves are SUM(value),
    over the rows that meet `where` if given (an aggregate FILTER: the rows that don't
    are skipped before any arithmetic). `split=False`: the plain SUM as the low half, for
    `overflow_safe`'s first try."""
    if split:
        high = value / SQL(str(_SPLIT))  # integer division of integers, on SQLite and PostgreSQL
        high_sum, low_sum = fn.SUM(high), fn.SUM(value - high * SQL(str(_SPLIT)))
    else:
        high_sum, low_sum = fn.SUM(SQL("0")), fn.SUM(value)
    if where is not None:
        high_sum, low_sum = high_sum.filter(where), low_sum.filter(where)
    return high_sum.alias(f"{alias}_hi"), low_sum.alias(f"{alias}_lo")


def joined(high: SupportsInt | None, low: SupportsInt | None) -> int:
    """The total from the two halves (None for an empty set reads as 0; PostgreSQL's
    SUM gives Decimal)."""
    return int(high or 0) * _SPLIT + int(low or 0)


def overflow_safe(run: Callable[[bool], T]) -> T:
    """`run(False)`, the plain SUM; if the database reported an overflow (SQLite's "integer
    overflow"; PostgreSQL sums 64-bit integers as numeric and never does), `run(True)`."""
    try:
        return run(False)
    # peewee's when the statement runs; sqlite3's own when a row is read (SQLite sums as it steps).
    except (OperationalError, sqlite3.OperationalError) as error:
        if "integer overflow" not in str(error):
            raise
        return run(True)
