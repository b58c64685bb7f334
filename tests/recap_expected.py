"""What the sample group's recap of a month must say, worked out from sample_data/ by hand.

Plain Python over the CSV and TOML files: no organizer code, so the recap is checked
against an independent reading of the same facts.
"""

from __future__ import annotations

import calendar
import csv
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(SAMPLE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _in(day: str, first: date, last: date) -> bool:
    return bool(day) and first <= date.fromisoformat(day) <= last


@dataclass
class Expected:
    lines: set = field(default_factory=set)  # (giver, receiver, prospect, temperature, status)
    matrix: Counter = field(default_factory=Counter)  # (giver, receiver) → n
    chains: list = field(default_factory=list)  # tuples of names
    closed: list = field(default_factory=list)  # (receiver, giver, prospect, minor)
    thanks: list = field(default_factory=list)  # (receiver, giver, prospect)
    given: Counter = field(default_factory=Counter)
    received: Counter = field(default_factory=Counter)
    year_given: Counter = field(default_factory=Counter)
    year_received: Counter = field(default_factory=Counter)
    presence: Counter = field(default_factory=Counter)
    visitors: list = field(default_factory=list)  # (name, invited_by)
    new_members: list = field(default_factory=list)
    active_threads: set = field(default_factory=set)
    started_threads: set = field(default_factory=set)
    resolved_threads: set = field(default_factory=set)
    carried_threads: set = field(default_factory=set)  # carried onto the next meeting
    series: list = field(default_factory=list)  # 12 counts, oldest first


def expected_month(year: int, month: int, fiscal_start: date) -> Expected:
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    members = {row["email"]: row for row in _rows("members.csv")}
    name = {email: row["name"] for email, row in members.items()}
    referrals = _rows("referrals.csv")
    by_key = {row["key"]: row for row in referrals}
    live = [row for row in referrals if not row["void_reason"]]
    out = Expected()

    for row in live:
        giver, receiver = name[row["giver"]], name[row["receiver"]]
        if _in(row["date"], first, last):
            out.lines.add((giver, receiver, row["prospect"], int(row["temperature"]), row["status"]))
            out.matrix[(giver, receiver)] += 1
            out.given[giver] += 1
            out.received[receiver] += 1
            if row["parent"]:
                chain, parent = [receiver], row
                while parent["parent"]:
                    parent = by_key[parent["parent"]]
                    chain.append(name[parent["receiver"]])
                chain.append(name[parent["giver"]])
                out.chains.append(tuple(reversed(chain)))
        if _in(row["date"], fiscal_start, last):
            out.year_given[giver] += 1
            out.year_received[receiver] += 1
        if row["status"] == "won" and _in(row["closed_on"], first, last):
            units, _, cents = row["value"].partition(".")
            out.closed.append(
                (row["closed_on"], receiver, giver, row["prospect"], int(units) * 100 + int(cents.ljust(2, "0")))
            )
        if _in(row["thanked_on"], first, last):
            out.thanks.append((row["thanked_on"], receiver, giver, row["prospect"]))

    # The recap lists them by date; drop the date once sorted.
    out.closed = [row[1:] for row in sorted(out.closed, key=lambda row: row[0])]
    out.thanks = [row[1:] for row in sorted(out.thanks, key=lambda row: row[0])]

    month_text = f"{year:04d}-{month:02d}"
    for row in _rows("attendance.csv"):
        if row["meeting"] != month_text or not row["presence"]:
            continue
        person = members[row["member"]]
        if person["status"] == "visitor":
            if row["presence"] in ("present", "late"):
                out.visitors.append((person["name"], person["invited_by"]))
        else:
            out.presence[row["presence"]] += 1
    out.new_members = [
        row["name"] for row in members.values() if row["status"] != "visitor" and _in(row["joined"], first, last)
    ]

    threads = tomllib.loads((SAMPLE / "threads.toml").read_text(encoding="utf-8"))["thread"]
    for thread in threads:
        times = [post["at"] for post in thread["posts"]]
        in_month = [t for t in times if (t.year, t.month) == (year, month)]
        if in_month:
            out.active_threads.add(thread["title"])
        if (times[0].year, times[0].month) == (year, month):
            out.started_threads.add(thread["title"])
        if thread.get("carried"):
            out.carried_threads.add(thread["title"])
        if thread.get("resolved") and (max(times).year, max(times).month) == (year, month):
            out.resolved_threads.add(thread["title"])

    index = year * 12 + month - 1
    for back in range(11, -1, -1):
        y, m = divmod(index - back, 12)
        out.series.append(sum(1 for row in live if row["date"].startswith(f"{y:04d}-{m + 1:02d}")))
    return out


def second_tuesday(year: int, month: int) -> date:
    day = date(year, month, 1)
    first_tuesday = 1 + (1 - day.weekday()) % 7
    return date(year, month, first_tuesday + 7)


def group_spec() -> dict:
    return tomllib.loads((SAMPLE / "group.toml").read_text(encoding="utf-8"))
