"""The recap's business: what was won in the month and its total (shaped by the group's
privacy setting: shown, in ranges, or hidden), the thank-yous said, and give / get.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import takewhile

from organizer.models import Group, Member, Referral
from organizer.recap.model import (
    CLOSED_MAX,
    GIVE_GET_MAX,
    THANKS_MAX,
    ClosedLine,
    GiveGetRow,
    ThankYou,
    one_line,
)
from organizer.rows import as_date, row_tuples
from organizer.services.balances import Balance, give_get
from organizer.services.money import amount_text, exponent, format_units
from organizer.services.recap_referrals import LineRow
from organizer.text import fold

# Upper bounds (major units) of the ranges shown when the group buckets amounts.
BUCKETS = (1_000, 5_000, 10_000, 25_000, 100_000)


def shape_amount(minor: int, currency: str, amounts: str, locale: str = "") -> str:
    """An amount as the group's privacy setting wants it: shown, a range, or nothing."""
    if amounts == "hide":
        return ""
    if amounts == "bucket":
        index = _bucket(minor, currency)
        if index == len(BUCKETS):
            return f"{format_units(BUCKETS[-1], locale)} and over {currency}"
        upper, lower = format_units(BUCKETS[index], locale), format_units(BUCKETS[index - 1], locale)
        return f"under {upper} {currency}" if index == 0 else f"{lower}–{upper} {currency}"
    return amount_text(minor, currency, locale)


def _bucket(minor: int, currency: str) -> int:
    """Which range of BUCKETS an amount falls in: 0 under the first bound, len(BUCKETS) over the last."""
    return bisect_right(BUCKETS, minor // 10 ** exponent(currency))


@dataclass(frozen=True)
class Closed:
    listed: tuple[ClosedLine, ...]
    count: int
    total: str
    order: str  # recap.model.Recap.closed_order
    more_total: str


def closed_business(group: Group, first: date, last: date, amounts: str) -> Closed:
    """Business won in the month (whenever the referral was given), and its total.

    All of it by date; past CLOSED_MAX, the largest deals, since a reader wants the
    month's biggest wins. Largest only as far as the privacy setting lets a reader tell:
    bucketed amounts rank by their range and then newest first, hidden ones just newest
    first, so the order of the list never gives away more than the amounts printed.
    """
    giver, receiver = Member.alias(), Member.alias()
    rows = list(
        row_tuples(
            Referral.select(
                giver.name, receiver.name, Referral.prospect_name, Referral.closed_on, Referral.value_minor, Referral.id
            )
            .join(giver, on=(Referral.giver == giver.id))
            .switch(Referral)
            .join(receiver, on=(Referral.receiver == receiver.id))
            .where(
                (Referral.group == group)
                & Referral.voided_at.is_null()
                & (Referral.status == "won")
                & (Referral.closed_on >= first)
                & (Referral.closed_on <= last)
            )
            .order_by(Referral.closed_on, Referral.id)
        )
    )
    total = sum(value or 0 for *_, value, _ in rows)
    order, rest = "date", []
    size: Callable[[int], int]
    if len(rows) > CLOSED_MAX:
        currency = group.currency
        if amounts == "show":
            order, size = "largest", lambda value: value
        elif amounts == "bucket":
            order, size = "range", lambda value: _bucket(value, currency)
        else:
            order, size = "newest", lambda value: 0
        # closed_on as text (SQLite) or date (PostgreSQL) sorts the same within one database.
        rows.sort(key=lambda row: (size(row[4] or 0), row[3], row[5]), reverse=True)
        rows, rest = rows[:CLOSED_MAX], rows[CLOSED_MAX:]

    def shape(minor: int) -> str:
        return shape_amount(minor, group.currency, amounts, group.locale)

    listed = tuple(
        ClosedLine(one_line(g), one_line(r), one_line(prospect), as_date(closed_on), shape(value or 0))
        for g, r, prospect, closed_on, value, _ in rows
    )
    return Closed(
        listed=listed,
        count=len(rows) + len(rest),
        total=shape(total) if rows else "",
        order=order,
        more_total=shape(sum(value or 0 for *_, value, _ in rest)) if rest else "",
    )


def latest_thanks(thanks: tuple[ThankYou, ...]) -> tuple[ThankYou, ...]:
    """All the month's thank-yous by date; past THANKS_MAX, the latest, newest first (the
    ones said since the meeting, which the room has not heard yet)."""
    if len(thanks) <= THANKS_MAX:
        return thanks
    return tuple(reversed(thanks[-THANKS_MAX:]))


def thanks_given(group: Group, first: date, last: date) -> tuple[ThankYou, ...]:
    giver, receiver = Member.alias(), Member.alias()
    query = row_tuples(
        Referral.select(receiver.name, giver.name, Referral.prospect_name, Referral.thanked_on, Referral.thank_note)
        .join(giver, on=(Referral.giver == giver.id))
        .switch(Referral)
        .join(receiver, on=(Referral.receiver == receiver.id))
        .where(
            (Referral.group == group)
            & Referral.voided_at.is_null()
            & (Referral.thanked_on >= first)
            & (Referral.thanked_on <= last)
        )
        .order_by(Referral.thanked_on, Referral.id)
    )
    return tuple(
        ThankYou(one_line(r), one_line(g), one_line(prospect), as_date(day), one_line(note or ""))
        for r, g, prospect, day, note in query
    )


def give_get_rows(
    group: Group, last: date, fiscal_start: date, lines: list[LineRow]
) -> tuple[tuple[GiveGetRow, ...], int]:
    """Month and fiscal-year-to-date counts of the top GIVE_GET_MAX givers, top givers first,
    and how many members gave or received in the year.

    The month's counts come from the month's referrals already read; the year's from
    balances.give_get. Sorted by the counts first (cheap) and by folded name only among
    those who could make the list, so 10,000 members cost no 10,000 name foldings.
    """
    given = Counter(giver_id for *_, giver_id, _ in lines)
    received = Counter(receiver_id for *_, receiver_id in lines)
    year = give_get(group, fiscal_start, last, include_idle=False)

    def counts(y: Balance) -> tuple[int, int, int]:  # .get: a Counter's missing key costs a Python call
        return -given.get(y.member_id, 0), -y.given, -received.get(y.member_id, 0)

    year.sort(key=counts)
    candidates = year
    if len(year) > GIVE_GET_MAX:
        edge = counts(year[GIVE_GET_MAX - 1])
        candidates = list(takewhile(lambda y: counts(y) <= edge, year))  # ties at the edge too
    rows = [
        GiveGetRow(one_line(y.name), given.get(y.member_id, 0), received.get(y.member_id, 0), y.given, y.received)
        for y in candidates
    ]
    rows.sort(key=lambda row: (-row.given, -row.year_given, -row.received, fold(row.name), row.name))
    return tuple(rows[:GIVE_GET_MAX]), len(year)
