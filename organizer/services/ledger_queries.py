"""Reading the ledger: filtered pages and their totals.

Lists are newest first by (given_on, id) and paged by KEYSET, never by OFFSET: a page
asks for the rows just past a cursor (the last row seen), which the indexes on
(group, given_on, id), (giver, given_on), (receiver, given_on) and (group, status, given_on)
answer in a few milliseconds however deep the page is, at 200,000 referrals.

Rows come back as plain `LedgerRow`s with the giver's and receiver's names already joined,
so a screen shows a page with one query. Voided entries are listed (marked void) unless
the filter leaves them out; totals never count them.

The matrix and the export (ledger_reports) and the chains (ledger_chains) are read in
their own modules; their names are importable from here too, as they always were.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from peewee import Case, Expression, ModelSelect, fn

from organizer.errors import ValidationError
from organizer.models import REFERRAL_KINDS, REFERRAL_STATUSES, Group, Member, Referral
from organizer.rows import one_dict, row_dicts
from organizer.services.balances import month_bounds
from organizer.services.ledger_chains import ancestors, chain_root, descendants, root_giver
from organizer.services.ledger_reports import Matrix, export_rows, matrix
from organizer.services.money_sum import joined, split_sum

ROLES = ("either", "giver", "receiver")

Giver = Member.alias("giver")
Receiver = Member.alias("receiver")


@dataclass(frozen=True)
class LedgerFilter:
    """What the ledger list shows. Empty fields mean "any"."""

    month: date | None = None  # any day of the month
    start: date | None = None  # or an explicit period, inclusive
    end: date | None = None
    member_id: int | None = None
    role: str = "either"  # as giver, receiver or either
    statuses: tuple[str, ...] = ()
    kind: str | None = None
    text: str = ""  # every word must appear in the prospect (name or contact) or the notes
    include_void: bool = True

    def period(self) -> tuple[date | None, date | None]:
        if self.month is not None:
            return month_bounds(self.month)
        return self.start, self.end


@dataclass(frozen=True)
class Cursor:
    """A position in the newest-first order: the (given_on, id) of a row."""

    given_on: date
    id: int


@dataclass(frozen=True)
class LedgerRow:
    id: int
    given_on: date
    giver_id: int
    giver_name: str
    receiver_id: int
    receiver_name: str
    prospect_name: str
    prospect_contact: str
    kind: str
    temperature: int
    status: str
    contacted_on: date | None
    closed_on: date | None
    value_minor: int | None
    thanked_on: date | None
    parent_id: int | None
    meeting_id: int | None
    notes: str
    void: bool
    void_reason: str

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.given_on, self.id)


@dataclass(frozen=True)
class Page:
    """One page, newest first, with the cursors to move on.

    `next_cursor` (older rows) and `prev_cursor` (newer rows) are None at either end.
    """

    rows: list[LedgerRow]
    next_cursor: Cursor | None
    prev_cursor: Cursor | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None


def check_filter(flt: LedgerFilter) -> None:
    errors: dict[str, str] = {}
    if flt.role not in ROLES:
        errors["role"] = "a member is filtered as giver, receiver or either"
    bad = [status for status in flt.statuses if status not in REFERRAL_STATUSES]
    if bad:
        errors["statuses"] = "status is one of " + ", ".join(REFERRAL_STATUSES)
    if flt.kind is not None and flt.kind not in REFERRAL_KINDS:
        errors["kind"] = "kind is inside or outside"
    start, end = flt.period()
    if start and end and start > end:
        errors["end"] = "the period ends before it starts"
    if errors:
        raise ValidationError(errors)


def _filtered(group: Group, flt: LedgerFilter, query: ModelSelect[Referral] | None = None) -> ModelSelect[Referral]:
    """`query` (default: all referrals) restricted to the group and the filter."""
    check_filter(flt)
    query = query if query is not None else Referral.select()
    query = query.where(Referral.group == group)
    start, end = flt.period()
    if start is not None:
        query = query.where(Referral.given_on >= start)
    if end is not None:
        query = query.where(Referral.given_on <= end)
    if flt.member_id is not None:
        if flt.role == "giver":
            query = query.where(Referral.giver == flt.member_id)
        elif flt.role == "receiver":
            query = query.where(Referral.receiver == flt.member_id)
        else:
            query = query.where((Referral.giver == flt.member_id) | (Referral.receiver == flt.member_id))
    if flt.statuses:
        query = query.where(Referral.status.in_(flt.statuses))
    if flt.kind:
        query = query.where(Referral.kind == flt.kind)
    if not flt.include_void:
        query = query.where(Referral.voided_at.is_null())
    for word in flt.text.split():
        # ILIKE on PostgreSQL, LIKE (ASCII case-insensitive) on SQLite.
        query = query.where(
            Referral.prospect_name.contains(word)
            | Referral.prospect_contact.contains(word)
            | Referral.notes.contains(word)
        )
    return query


def _row_query() -> ModelSelect[Referral]:
    return (
        Referral.select(
            Referral.id,
            Referral.given_on,
            Referral.giver,
            Referral.receiver,
            Giver.name.alias("giver_name"),
            Receiver.name.alias("receiver_name"),
            Referral.prospect_name,
            Referral.prospect_contact,
            Referral.kind,
            Referral.temperature,
            Referral.status,
            Referral.contacted_on,
            Referral.closed_on,
            Referral.value_minor,
            Referral.thanked_on,
            Referral.parent,
            Referral.meeting,
            Referral.notes,
            Referral.voided_at,
            Referral.void_reason,
        )
        .join_from(Referral, Giver, on=(Referral.giver == Giver.id))
        .join_from(Referral, Receiver, on=(Referral.receiver == Receiver.id))
    )


def _to_row(row: dict[str, Any]) -> LedgerRow:
    return LedgerRow(
        id=row["id"],
        given_on=row["given_on"],
        giver_id=row["giver"],
        giver_name=row["giver_name"],
        receiver_id=row["receiver"],
        receiver_name=row["receiver_name"],
        prospect_name=row["prospect_name"],
        prospect_contact=row["prospect_contact"],
        kind=row["kind"],
        temperature=row["temperature"],
        status=row["status"],
        contacted_on=row["contacted_on"],
        closed_on=row["closed_on"],
        value_minor=row["value_minor"],
        thanked_on=row["thanked_on"],
        parent_id=row["parent"],
        meeting_id=row["meeting"],
        notes=row["notes"],
        void=row["voided_at"] is not None,
        void_reason=row["void_reason"],
    )


def _older_than(cursor: Cursor) -> Expression:
    # The first term is a plain range the index can seek to; the second breaks the tie.
    return (Referral.given_on <= cursor.given_on) & ((Referral.given_on < cursor.given_on) | (Referral.id < cursor.id))


def _newer_than(cursor: Cursor) -> Expression:
    return (Referral.given_on >= cursor.given_on) & ((Referral.given_on > cursor.given_on) | (Referral.id > cursor.id))


def _index_friendly_parts(flt: LedgerFilter) -> list[LedgerFilter]:
    """The filter as a union of filters that each walk one index in (given_on, id) order.

    "Either giver or receiver" and several statuses would make the database scan the
    whole ledger in date order (or sort every match); one query per member role and per
    status each read just `limit` rows from their own index, merged in Python.
    """
    parts = [flt]
    if flt.member_id is not None and flt.role == "either":
        parts = [replace(part, role=role) for part in parts for role in ("giver", "receiver")]
    if len(flt.statuses) > 1:
        parts = [replace(part, statuses=(status,)) for part in parts for status in flt.statuses]
    return parts


def _fetch(group: Group, flt: LedgerFilter, cursor: Cursor | None, *, newer: bool, limit: int) -> list[dict[str, Any]]:
    """Up to `limit` rows just past `cursor`: older ones (newest first) or, when `newer`,
    newer ones (oldest first)."""
    if newer:
        order = (Referral.given_on.asc(), Referral.id.asc())
    else:
        order = (Referral.given_on.desc(), Referral.id.desc())
    found: list[dict[str, Any]] = []
    parts = _index_friendly_parts(flt)
    for part in parts:
        query = _filtered(group, part, _row_query())
        if cursor is not None:
            query = query.where(_newer_than(cursor) if newer else _older_than(cursor))
        found.extend(row_dicts(query.order_by(*order).limit(limit)))
    if len(parts) > 1:
        found.sort(key=lambda row: (row["given_on"], row["id"]), reverse=not newer)
        # A member who is both giver and receiver cannot happen, but keep rows unique anyway.
        seen: set[int] = set()
        unique: list[dict[str, Any]] = []
        for row in found:
            if row["id"] not in seen:
                seen.add(row["id"])
                unique.append(row)
        found = unique
    return found[:limit]


def first_page(group: Group, flt: LedgerFilter = LedgerFilter(), *, limit: int = 50) -> Page:
    """The newest `limit` rows of the filtered ledger."""
    return page_after(group, flt, None, limit=limit)


def page_after(group: Group, flt: LedgerFilter, cursor: Cursor | None, *, limit: int = 50) -> Page:
    """The `limit` rows just older than `cursor` (the newest rows when it is None)."""
    found = _fetch(group, flt, cursor, newer=False, limit=limit + 1)
    rows = [_to_row(row) for row in found[:limit]]
    more = len(found) > limit
    return Page(
        rows,
        next_cursor=rows[-1].cursor if more and rows else None,
        prev_cursor=rows[0].cursor if cursor is not None and rows else None,
    )


def page_before(group: Group, flt: LedgerFilter, cursor: Cursor, *, limit: int = 50) -> Page:
    """The `limit` rows just newer than `cursor`, still shown newest first.

    Near the top of the list this returns the first page (never a short one).
    """
    found = _fetch(group, flt, cursor, newer=True, limit=limit + 1)
    if len(found) <= limit:
        return first_page(group, flt, limit=limit)
    rows = [_to_row(row) for row in reversed(found[:limit])]
    return Page(rows, next_cursor=rows[-1].cursor, prev_cursor=rows[0].cursor)


def page_at(group: Group, flt: LedgerFilter, referral_id: int, *, limit: int = 50) -> Page:
    """The page that starts at a given referral (to come back to it after an edit)."""
    found = Referral.get_or_none((Referral.id == referral_id) & (Referral.group == group))
    if found is None:
        return first_page(group, flt, limit=limit)
    here = Cursor(found.given_on, found.id)
    rows = _fetch(group, flt, Cursor(found.given_on, found.id + 1), newer=False, limit=limit + 1)
    page_rows = [_to_row(row) for row in rows[:limit]]
    newer = _fetch(group, flt, here, newer=True, limit=1)
    return Page(
        page_rows,
        next_cursor=page_rows[-1].cursor if len(rows) > limit else None,
        prev_cursor=page_rows[0].cursor if page_rows and newer else None,
    )


@dataclass(frozen=True)
class FilteredTotals:
    count: int  # live entries matching the filter
    won: int
    won_value: int  # minor units
    void: int  # voided entries matching the filter (listed, never counted above)


def filtered_totals(group: Group, flt: LedgerFilter = LedgerFilter()) -> FilteredTotals:
    """Count and won value of the filtered set; voided entries are counted apart."""
    is_live = Referral.voided_at.is_null()
    is_won = is_live & (Referral.status == "won")
    query = _filtered(
        group,
        flt,
        Referral.select(
            fn.SUM(Case(None, [(is_live, 1)], 0)).alias("count"),
            fn.SUM(Case(None, [(is_won, 1)], 0)).alias("won"),
            *split_sum(Case(None, [(is_won, fn.COALESCE(Referral.value_minor, 0))], 0), "value"),
            fn.SUM(Case(None, [(is_live, 0)], 1)).alias("void"),
        ),
    )
    row = one_dict(query)
    value = joined(row["value_hi"], row["value_lo"])
    return FilteredTotals(row["count"] or 0, row["won"] or 0, value, row["void"] or 0)


__all__ = [
    "ROLES",
    "Cursor",
    "FilteredTotals",
    "LedgerFilter",
    "LedgerRow",
    "Matrix",
    "Page",
    "ancestors",
    "chain_root",
    "check_filter",
    "descendants",
    "export_rows",
    "filtered_totals",
    "first_page",
    "matrix",
    "page_after",
    "page_at",
    "page_before",
    "root_giver",
]
