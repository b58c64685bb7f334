"""The one place that reads the wall clock.

Services and the app take `now` (an aware datetime) or a clock callable, so tests and
snapshots pass a frozen time instead and never depend on today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def frozen(at: datetime) -> Clock:
    """A clock that always answers `at` (which must be timezone-aware)."""
    if at.tzinfo is None:
        raise ValueError("a frozen clock needs a timezone-aware datetime")
    return lambda: at
