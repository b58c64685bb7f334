"""How the app writes dates, times, durations and money for people (plain functions, no widgets).

Times are stored in UTC and shown in the group's zone, the way members live them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from organizer.services.groups import zone
from organizer.services.money import amount_text
from organizer.services.records import Group


def local_time(group: Group, moment: datetime) -> str:
    """'Tue 8 Dec 2026, 07:30' in the group's zone (a meeting, a post's byline)."""
    local = moment.astimezone(zone(group))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def short_time(group: Group, moment: datetime) -> str:
    """'2026-11-18 09:30' in the group's zone (list columns, history lines)."""
    return moment.astimezone(zone(group)).strftime("%Y-%m-%d %H:%M")


def long_date(group: Group, moment: datetime) -> str:
    """'Tuesday 8 December 2026': the local day of a moment."""
    local = moment.astimezone(zone(group))
    return f"{local:%A} {local.day} {local:%B %Y}"


def day_text(day: date | None) -> str:
    """'8 Dec 2026', or an em dash for no date."""
    return f"{day.day} {day:%b %Y}" if day else "—"


def countdown(delta: timedelta) -> str:
    """'in 17 days 17 h', 'in 2 h 05 min', 'now' for a time ahead (or just started)."""
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        return "now"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days >= 2:
        return f"in {days} days {hours} h"
    if days == 1:
        return f"in 1 day {hours} h"
    if hours:
        return f"in {hours} h {minutes:02d} min"
    return f"in {minutes} min"


def ago(delta: timedelta) -> str:
    """'just now', '3 h ago', '2 days ago' for a time behind."""
    seconds = int(delta.total_seconds())
    if seconds < 3600:
        return "just now" if seconds < 120 else f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    days = seconds // 86400
    return "yesterday" if days == 1 else f"{days} days ago"


def money(group: Group, minor: int) -> str:
    """'1,250.50 CAD'."""
    return amount_text(minor, group.currency, group.locale)
