"""Small rules of written English shared by the app, the command line and the exports."""

from __future__ import annotations

# English names, for text written in English (dates in invites and the recap).
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 visitor', '2 visitors', '3,465 referrals', '1 person' / '2 people' (with `many`)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
