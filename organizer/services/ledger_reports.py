"""The whole ledger read at once: the who-referred-whom matrix of a period, and every
referral for `export ledger` (in keyset batches, never all in memory).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from peewee import fn

from organizer.models import Group, Member, Referral
from organizer.rows import row_dicts, row_tuples

Giver = Member.alias("giver")
Receiver = Member.alias("receiver")


@dataclass
class Matrix:
    """Who referred whom in a period: counts of live referrals, givers × receivers.

    `givers` and `receivers` are (member_id, name) in order of their totals, most first.
    """

    givers: list[tuple[int, str]] = field(default_factory=list)
    receivers: list[tuple[int, str]] = field(default_factory=list)
    cells: dict[tuple[int, int], int] = field(default_factory=dict)
    row_totals: dict[int, int] = field(default_factory=dict)  # per giver
    column_totals: dict[int, int] = field(default_factory=dict)  # per receiver
    total: int = 0

    def count(self, giver_id: int, receiver_id: int) -> int:
        return self.cells.get((giver_id, receiver_id), 0)

    def as_table(self) -> list[list[object]]:
        """Header row, one row per giver with its total, and a totals row: for exports."""
        table: list[list[object]] = [["giver \\ receiver", *(name for _, name in self.receivers), "total"]]
        for giver_id, name in self.givers:
            table.append([name, *(self.count(giver_id, r) for r, _ in self.receivers), self.row_totals[giver_id]])
        table.append(["total", *(self.column_totals[r] for r, _ in self.receivers), self.total])
        return table


def matrix(group: Group, start: date | None = None, end: date | None = None) -> Matrix:
    """The who-referred-whom matrix for referrals given in [start, end] (voided left out)."""
    query = (
        Referral.select(Referral.giver, Referral.receiver, fn.COUNT(Referral.id).alias("n"))
        .where((Referral.group == group) & Referral.voided_at.is_null())
        .group_by(Referral.giver, Referral.receiver)
    )
    if start is not None:
        query = query.where(Referral.given_on >= start)
    if end is not None:
        query = query.where(Referral.given_on <= end)
    result = Matrix()
    for row in row_tuples(query):
        giver_id, receiver_id, n = row
        result.cells[(giver_id, receiver_id)] = n
        result.row_totals[giver_id] = result.row_totals.get(giver_id, 0) + n
        result.column_totals[receiver_id] = result.column_totals.get(receiver_id, 0) + n
        result.total += n
    ids = set(result.row_totals) | set(result.column_totals)
    names: dict[int, str] = (
        dict(row_tuples(Member.select(Member.id, Member.name).where(Member.id.in_(list(ids))))) if ids else {}
    )
    result.givers = sorted(
        ((i, names[i]) for i in result.row_totals), key=lambda item: (-result.row_totals[item[0]], item[1], item[0])
    )
    result.receivers = sorted(
        ((i, names[i]) for i in result.column_totals),
        key=lambda item: (-result.column_totals[item[0]], item[1], item[0]),
    )
    return result


def export_rows(group: Group, *, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Every referral of the group, voided ones included, oldest first, as plain dicts.

    `value` stays in minor units (`value_minor`); the export formats it. Read in
    keyset batches so a large ledger never sits in memory at once.
    """
    query = (
        Referral.select(
            Referral.id,
            Referral.given_on,
            Giver.name.alias("giver_name"),
            Giver.email.alias("giver_email"),
            Receiver.name.alias("receiver_name"),
            Receiver.email.alias("receiver_email"),
            Referral.prospect_name,
            Referral.prospect_contact,
            Referral.kind,
            Referral.temperature,
            Referral.status,
            Referral.contacted_on,
            Referral.closed_on,
            Referral.value_minor,
            Referral.thanked_on,
            Referral.thank_note,
            Referral.parent,
            Referral.meeting,
            Referral.notes,
            Referral.voided_at,
            Referral.void_reason,
        )
        .join_from(Referral, Giver, on=(Referral.giver == Giver.id))
        .join_from(Referral, Receiver, on=(Referral.receiver == Receiver.id))
        .where(Referral.group == group)
        .order_by(Referral.given_on, Referral.id)
    )
    after: tuple[date, int] | None = None
    while True:
        page = query
        if after is not None:
            page = page.where(
                (Referral.given_on > after[0]) | ((Referral.given_on == after[0]) & (Referral.id > after[1]))
            )
        rows = list(row_dicts(page.limit(batch)))
        yield from rows
        if len(rows) < batch:
            return
        after = (rows[-1]["given_on"], rows[-1]["id"])
