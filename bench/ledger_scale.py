"""Ledger at scale: import 200,000 referrals from CSV, then time the ledger's queries.

    PYTHONPATH=. python bench/ledger_scale.py [--rows 200000] [--members 60] [--db PATH]

Seeded (the same file every run). Prints rows/s for the import (budget ≥ 30,000) and the
median / worst of repeated page queries (budget ≤ 10 ms a page).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from organizer import db as dbmod
from organizer.models import Group
from organizer.services import ledger_queries as q
from organizer.services.balances import give_get
from organizer.services.groups import create_group, current_group
from organizer.services.ledger_import import check_referrals, write_referrals
from organizer.services.members import add_member

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def make_csv(rows: int, emails: list[str], seed: int = 5) -> bytes:
    rng = random.Random(seed)
    first = date(2016, 1, 1)
    span = (date(2026, 11, 19) - first).days
    lines = ["date,giver,receiver,prospect,kind,temperature,status,value,notes"]
    for i in range(rows):
        giver, receiver = rng.sample(emails, 2)
        status = rng.choice(("open", "contacted", "won", "won", "lost"))
        value = f"{rng.randint(100, 200000)}.{rng.randint(0, 99):02d}" if status == "won" else ""
        day = first + timedelta(days=rng.randint(0, span))
        lines.append(
            f"{day},{giver},{receiver},Prospect {i},{rng.choice(('inside', 'outside'))},"
            f'{rng.randint(1, 5)},{status},"{value}",note {i % 97}'
        )
    return ("\n".join(lines) + "\n").encode()


def timed(fn, repeat: int = 20) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--db")
    args = parser.parse_args()
    path = Path(args.db or Path(tempfile.mkdtemp()) / "bench.db")
    reuse = path.exists() and path.stat().st_size > 0
    dbmod.open_database(str(path))
    if reuse:  # time the queries on a ledger imported by an earlier run
        group = current_group()
    else:
        group = import_ledger(args)
    time_queries(group)
    dbmod.close_database()


def import_ledger(args) -> Group:
    group = create_group(
        name="Bench", timezone="America/Toronto", organizer_name="B", organizer_email="b@example.com", now=NOW
    )
    emails = []
    for i in range(args.members):
        member = add_member(group, now=NOW, name=f"Member {i:05d}", email=f"m{i}@example.com", category=f"cat {i}")
        emails.append(member.email)
    data = make_csv(args.rows, emails)

    cpu = time.process_time()
    start = time.perf_counter()
    check = check_referrals(group, data, now=NOW)
    checked = time.perf_counter()
    assert not check.problems, check.problems[:3]
    write_referrals(group, check.rows, now=NOW, source="bench.csv")
    done = time.perf_counter()
    total = done - start
    print(
        f"import {args.rows} rows: check {checked - start:.2f} s, write {done - checked:.2f} s, "
        f"{args.rows / total:,.0f} rows/s (CPU {time.process_time() - cpu:.2f} s: "
        "the figure to trust on a busy machine)"
    )
    return group


def time_queries(group: Group) -> None:
    flt = q.LedgerFilter()
    first = q.first_page(group, flt)
    deep = first
    for _ in range(200):  # 200 pages down, to time a deep page too
        deep = q.page_after(group, flt, deep.next_cursor)
    member_id = first.rows[0].giver_id
    cases = {
        "first page": lambda: q.first_page(group, flt),
        "page down": lambda: q.page_after(group, flt, first.next_cursor),
        "page down at 10,000": lambda: q.page_after(group, flt, deep.next_cursor),
        "page up": lambda: q.page_before(group, flt, deep.next_cursor),
        "month": lambda: q.first_page(group, q.LedgerFilter(month=date(2024, 3, 1))),
        "member (either)": lambda: q.first_page(group, q.LedgerFilter(member_id=member_id)),
        "member, page 20": lambda: q.page_after(group, q.LedgerFilter(member_id=member_id), deep.rows[0].cursor),
        "open or contacted": lambda: q.first_page(group, q.LedgerFilter(statuses=("open", "contacted"))),
        "member as giver": lambda: q.first_page(group, q.LedgerFilter(member_id=member_id, role="giver")),
        "status won": lambda: q.first_page(group, q.LedgerFilter(statuses=("won",))),
        "text 'Prospect 19999'": lambda: q.first_page(group, q.LedgerFilter(text="Prospect 19999")),
        "totals, month": lambda: q.filtered_totals(group, q.LedgerFilter(month=date(2024, 3, 1))),
        "totals, all": lambda: q.filtered_totals(group, flt),
        "matrix, a year": lambda: q.matrix(group, date(2025, 1, 1), date(2025, 12, 31)),
        "give/get, all": lambda: give_get(group),
    }
    for name, fn in cases.items():
        median, worst = timed(fn, 5 if "totals, all" in name or "give" in name or "matrix" in name else 20)
        print(f"{name:24} median {median:7.2f} ms   worst {worst:7.2f} ms")


if __name__ == "__main__":
    main()
