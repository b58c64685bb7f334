"""Give/get: one member's balance (the member screen) and every member's (balance, recap).

design.md names no budget of its own for these; they are parts of screens that have one.
One member's give/get is a query on the member detail, held to the ledger's query budget
(10 ms); everyone's is part of the recap and the `balance` command, held to the recap's
(50 ms for S, 1 s in a worker for L).
"""

from __future__ import annotations

from bench.metrics import Bench, Row, median, metric, ms, timed


@metric(
    "give/get of one member (services.balances.member_balance, busiest member)",
    "give/get of every member (services.balances.give_get)",
)
def give_get(bench: Bench) -> list[Row]:
    from bench.metrics.ledger import _busiest
    from organizer.models import Member
    from organizer.services.balances import give_get as everyone
    from organizer.services.balances import member_balance
    from organizer.services.groups import current_group

    group = current_group()
    busiest = Member.get_by_id(bench.cache.setdefault("busiest_member", _busiest(group)))
    one = timed(lambda: member_balance(busiest), 9)
    every = timed(lambda: everyone(group), 3 if bench.large else 9)
    return [
        Row("give/get of one member (services.balances.member_balance, busiest member)", ms(median(one)), "ms", 10.0),
        Row(
            "give/get of every member (services.balances.give_get)",
            ms(median(every)),
            "ms",
            1000.0 if bench.large else 50.0,
        ),
    ]
