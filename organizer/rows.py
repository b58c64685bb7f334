"""Typed views of a query's rows, for the type checker.

peewee's stubs type `.tuples()` and `.dicts()` as the query itself, whose rows would be
model instances; these say once what the rows are. At run time each is the query
`.tuples()` or `.dicts()` gives, unchanged (lazy, iterable again, chainable).
`one_dict` is `.dicts().get()`, the one row a query of totals gives; `as_date` reads a
date column that came back raw.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from peewee import BaseQuery, SelectBase


def row_tuples(query: BaseQuery) -> Iterable[tuple[Any, ...]]:
    """`query.tuples()`: each row a tuple of the selected columns."""
    return cast("Iterable[tuple[Any, ...]]", query.tuples())


def row_dicts(query: BaseQuery) -> Iterable[dict[str, Any]]:
    """`query.dicts()`: each row a dict by column name (or alias)."""
    return cast("Iterable[dict[str, Any]]", query.dicts())


def one_dict(query: SelectBase) -> dict[str, Any]:
    """`query.dicts().get()`: the first row as a dict (peewee's DoesNotExist when none)."""
    return cast("dict[str, Any]", query.dicts().get())


def as_date(value: object) -> date:
    """A date column read raw (`.tuples()`, MIN/MAX): SQLite hands back its ISO text."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
