"""The ledger at 200,000 referrals: first page, page-down, filtered pages, and the first screen.

Budget (design.md): ≤ 10 ms a page query, first screen ≤ 300 ms.

Queries go through `organizer.services.ledger_queries` when it offers a page function
(probed by name below); until then a direct keyset query on Referral stands in, newest
first over the (group, given_on, id) index, with the giver's and receiver's names joined
as a screen shows them, and the row's name says so. The first-screen row presses `5` in
the app and waits for the ledger's DataTable to hold rows.
"""

from __future__ import annotations

import asyncio
from datetime import date
from time import perf_counter

from bench.metrics import Bench, NotBuilt, Row, median, metric, ms, timed

PAGE = 50

# Names a page function of services.ledger_queries may have, first match wins.
PAGE_FUNCTIONS = ("ledger_page", "page", "referral_page", "list_page")


def _service_page():
    try:
        from organizer.services import ledger_queries
    except ImportError:
        return None
    for name in PAGE_FUNCTIONS:
        if callable(getattr(ledger_queries, name, None)):
            return getattr(ledger_queries, name)
    return None


def keyset_page(group, after: tuple[date, int] | None = None, *, where=None, limit: int = PAGE):
    """One page, newest first, after the (given_on, id) of the last row of the page before."""
    from peewee import Tuple

    from organizer.models import Member, Referral

    giver, receiver = Member.alias(), Member.alias()
    query = (Referral
             .select(Referral.id, Referral.given_on, Referral.prospect_name, Referral.status,
                     Referral.value_minor, Referral.voided_at, giver.name.alias("giver_name"),
                     receiver.name.alias("receiver_name"))
             .join(giver, on=(Referral.giver == giver.id))
             .switch(Referral).join(receiver, on=(Referral.receiver == receiver.id))
             .where(Referral.group == group))
    if where is not None:
        query = query.where(where)
    if after is not None:
        query = query.where(Tuple(Referral.given_on, Referral.id) < Tuple(*after))
    return list(query.order_by(Referral.given_on.desc(), Referral.id.desc()).limit(limit).dicts())


def _pages(group, where=None, depth: int = 20) -> tuple[list[float], list[float]]:
    """(first-page seconds, page-down seconds) over `depth` pages from the top."""
    first = timed(lambda: keyset_page(group, where=where), 9)
    downs, after = [], None
    rows = keyset_page(group, where=where)
    for _ in range(depth):
        if not rows:
            break
        after = (rows[-1]["given_on"], rows[-1]["id"])
        started = perf_counter()
        rows = keyset_page(group, after, where=where)
        downs.append(perf_counter() - started)
    return first, downs


@metric("ledger first page query (keyset on Referral)", "ledger page-down query (keyset on Referral)",
        "ledger first page, one member as giver or receiver (keyset)",
        "ledger first page, status open (keyset)")
def keyset(bench: Bench) -> list[Row]:
    from organizer.models import Referral
    from organizer.services.groups import current_group

    group = current_group()
    service = _service_page()
    suffix = "(keyset on Referral)" if service is None else "(keyset on Referral; ledger_queries also present)"
    first, downs = _pages(group)
    busiest = bench.cache.get("busiest_member")
    if busiest is None:
        busiest = _busiest(group)
        bench.cache["busiest_member"] = busiest
    member_first, _ = _pages(group, (Referral.giver == busiest) | (Referral.receiver == busiest), depth=0)
    open_first, _ = _pages(group, Referral.status == "open", depth=0)
    return [
        Row(f"ledger first page query {suffix}", ms(median(first)), "ms", 10.0, note=f"{PAGE} rows"),
        Row(f"ledger page-down query {suffix}", ms(median(downs)), "ms", 10.0, note=f"{len(downs)} pages down"),
        Row("ledger first page, one member as giver or receiver (keyset)", ms(median(member_first)), "ms", 10.0),
        Row("ledger first page, status open (keyset)", ms(median(open_first)), "ms", 10.0),
    ]


def _busiest(group) -> int:
    from peewee import fn

    from organizer.models import Referral

    row = (Referral.select(Referral.giver, fn.COUNT(Referral.id).alias("n")).where(Referral.group == group)
           .group_by(Referral.giver).order_by(fn.COUNT(Referral.id).desc()).first())
    return row.giver_id


@metric("ledger first page query (services.ledger_queries)", "ledger page-down query (services.ledger_queries)")
def service(bench: Bench) -> list[Row]:
    page = _service_page()
    if page is None:
        raise NotBuilt("services.ledger_queries has no page function yet")
    raise NotBuilt(f"services.ledger_queries.{page.__name__} found: wire its call in bench/metrics/ledger.py")


@metric("ledger first screen (app: key 5 → rows shown)")
def first_screen(bench: Bench) -> list[Row]:
    from textual.widgets import DataTable

    from organizer.clock import frozen
    from organizer.tui.app import make_app

    from bench.generate import NOW

    samples: list[float] = []

    def ledger_rows(app) -> int:
        try:
            section = app.current_section
        except Exception:
            return 0
        if "ledger" not in (section.id or ""):
            return 0
        return max((table.row_count for table in section.query(DataTable)), default=0)

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
