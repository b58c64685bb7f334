"""Totals of money that cannot overflow.

A database sums 64-bit integers and fails on overflow (SQLite: "integer overflow"), so
one stored value near the limit, or enough large ones, would make every total fail for
good. Each value is summed in two halves instead — its quotient by 2**32 and the rest —
neither of which can overflow before four billion rows, and Python, whose integers have
no limit, puts them back together.
"""

from __future__ import annotations

from typing import SupportsInt

from peewee import SQL, ColumnBase, fn

_SPLIT = 2**32


def split_sum(value: ColumnBase, alias: str, where: ColumnBase | None = None) -> tuple[ColumnBase, ColumnBase]:
    """Two select columns (`alias`_hi, `alias`_lo) whose `joined` halves are SUM(value),
    over the rows that meet `where` if given (an aggregate FILTER: the rows that don't
    are skipped before any arithmetic)."""
    high = value / SQL(str(_SPLIT))  # integer division of integers, on SQLite and PostgreSQL
    low = value - high * SQL(str(_SPLIT))
    high_sum, low_sum = fn.SUM(high), fn.SUM(low)
    if where is not None:
        high_sum, low_sum = high_sum.filter(where), low_sum.filter(where)
    return high_sum.alias(f"{alias}_hi"), low_sum.alias(f"{alias}_lo")


def joined(high: SupportsInt | None, low: SupportsInt | None) -> int:
    """The total from the two halves (None for an empty set reads as 0; PostgreSQL's
    SUM gives Decimal)."""
    return int(high or 0) * _SPLIT + int(low or 0)
