"""The ledger at 200,000 referrals: first page, page-down, filtered pages, and the first screen.

Budget (design.md): ≤ 10 ms a page query, first screen ≤ 300 ms.

Queries go through `organizer.services.ledger_queries` (first_page, page_after,
filtered_totals) when it is in the tree; until then a direct keyset query on Referral
stands in, newest first over the (group, given_on, id) index, with the giver's and
receiver's names joined as a screen shows them, and each row's name says which ran. The first-screen row presses `5` in
the app and waits for the ledger's table to hold rows.
"""

from __future__ import annotations

import asyncio
from datetime import date
from time import perf_counter

from bench.metrics import Bench, NotBuilt, Row, median, metric, ms, timed

PAGE = 50


def _service():
    """services.ledger_queries when it has keyset paging (first_page, page_after), else None."""
    try:
        from organizer.services import ledger_queries
    except ImportError:
        return None
    if all(callable(getattr(ledger_queries, name, None)) for name in ("first_page", "page_after", "LedgerFilter")):
        return ledger_queries
    return None


def keyset_page(group, after: tuple[date, int] | None = None, *, where=None, limit: int = PAGE):
    """The stand-in: one page, newest first, after the (given_on, id) of the page before's last row."""
    from peewee import Tuple

    from organizer.models import Member, Referral

    giver, receiver = Member.alias(), Member.alias()
    query = (
        Referral.select(
            Referral.id,
            Referral.given_on,
            Referral.prospect_name,
            Referral.status,
            Referral.value_minor,
            Referral.voided_at,
            giver.name.alias("giver_name"),
            receiver.name.alias("receiver_name"),
        )
        .join(giver, on=(Referral.giver == giver.id))
        .switch(Referral)
        .join(receiver, on=(Referral.receiver == receiver.id))
        .where(Referral.group == group)
    )
    if where is not None:
        query = query.where(where)
    if after is not None:
        query = query.where(Tuple(Referral.given_on, Referral.id) < Tuple(*after))
    return list(query.order_by(Referral.given_on.desc(), Referral.id.desc()).limit(limit).dicts())


class _Pager:
    """First page and page-down through the service, or through the stand-in query."""

    def __init__(self, group, service):
        self.group, self.service = group, service

    def first(self, flt):
        if self.service:
            return self.service.first_page(self.group, flt, limit=PAGE)
        return keyset_page(self.group, where=flt)

    def down(self, flt, page):
        if self.service:
            return self.service.page_after(self.group, flt, page.next_cursor, limit=PAGE) if page.has_next else None
        return keyset_page(self.group, (page[-1]["given_on"], page[-1]["id"]), where=flt) if page else None

    def filters(self, busiest: int) -> dict:
        from organizer.models import Referral

        if self.service:
            flt = self.service.LedgerFilter
            return {
                "all": flt(),
                "member": flt(member_id=busiest),
                "open": flt(statuses=("open",)),
                "text": flt(text="olé"),
            }
        return {
            "all": None,
            "member": (Referral.giver == busiest) | (Referral.receiver == busiest),
            "open": Referral.status == "open",
            "text": Referral.prospect_name.contains("olé"),
        }


@metric(
    "ledger first page query",
    "ledger page-down query (20 pages)",
    "ledger first page, one member as either",
    "ledger first page, status open",
    "ledger first page, prospect text “olé”",
    "ledger totals of the whole ledger (count, won value)",
)
def pages(bench: Bench) -> list[Row]:
    from organizer.services.groups import current_group

    group = current_group()
    service = _service()
    how = "services.ledger_queries" if service else "stand-in keyset query on Referral"
    pager = _Pager(group, service)
    busiest = bench.cache.get("busiest_member") or _busiest(group)
    bench.cache["busiest_member"] = busiest
    filters = pager.filters(busiest)
    first = {name: timed(lambda flt=flt: pager.first(flt), 9) for name, flt in filters.items()}
    downs, page = [], pager.first(filters["all"])
    for _ in range(20):
        started = perf_counter()
        page = pager.down(filters["all"], page)
        if page is None:
            break
        downs.append(perf_counter() - started)
    rows = [
        Row(f"ledger first page query ({how})", ms(median(first["all"])), "ms", 10.0, note=f"{PAGE} rows"),
        Row(f"ledger page-down query (20 pages) ({how})", ms(median(downs)), "ms", 10.0),
        Row(f"ledger first page, one member as either ({how})", ms(median(first["member"])), "ms", 10.0),
        Row(f"ledger first page, status open ({how})", ms(median(first["open"])), "ms", 10.0),
        Row(f"ledger first page, prospect text “olé” ({how})", ms(median(first["text"])), "ms", 10.0),
    ]
    if service is not None:
        totals = timed(lambda: service.filtered_totals(group, filters["all"]), 3)
        # Part of the ledger's first screen, so held to that screen's budget.
        rows.append(
            Row(
                "ledger totals of the whole ledger (count, won value) (services.ledger_queries)",
                ms(median(totals)),
                "ms",
                300.0,
            )
        )
    else:
        rows.append(
            Row(
                "ledger totals of the whole ledger (count, won value)",
                None,
                "ms",
                None,
                note="not built yet: services.ledger_queries.filtered_totals",
            )
        )
    return rows


def _busiest(group) -> int:
    from peewee import fn

    from organizer.models import Referral

    row = (
        Referral.select(Referral.giver, fn.COUNT(Referral.id).alias("n"))
        .where(Referral.group == group)
        .group_by(Referral.giver)
        .order_by(fn.COUNT(Referral.id).desc())
        .first()
    )
    return row.giver_id


@metric("ledger first screen (app: key 5 → rows shown)")
def first_screen(bench: Bench) -> list[Row]:
    from bench.generate import NOW
    from organizer.clock import frozen
    from organizer.tui.app import make_app

    samples: list[float] = []

    def ledger_rows(app) -> int:
        try:
            section = app.current_section
        except Exception:
            return 0
        if "ledger" not in (section.id or ""):
            return 0
        table = getattr(section, "table", None)
        return table.row_count if table is not None else 0

    async def once():
        app = make_app(clock=frozen(NOW))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            started = perf_counter()
            await pilot.press("5")
            while not ledger_rows(app):
                if perf_counter() - started > 5:
                    raise NotBuilt("key 5 shows no ledger table with rows")
                await asyncio.sleep(0.001)
            painted = asyncio.Event()
            app.call_after_refresh(painted.set)
            await painted.wait()
            samples.append(perf_counter() - started)

    for _ in range(3):
        asyncio.run(once())
    return [Row("ledger first screen (app: key 5 → rows shown)", ms(median(samples)), "ms", 300.0)]
