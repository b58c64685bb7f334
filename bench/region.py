"""A region on one database: many groups, one of them timed, PostgreSQL beside SQLite.

    PYTHONPATH=. python bench/region.py [--groups 100] [--members 100000] [--referrals 1000000]

Starts a throwaway PostgreSQL cluster the way CI does (.ci/postgres.sh), fills it with the
region (members and referrals spread over the groups, the first group the largest, a
tenth of each), then times on that group: the ledger's first page (budget ≤ 10 ms), one
member's give/get and the group's (≤ 100 ms), a monthly recap (≤ 1 s) and a member-search
keystroke, search and count (≤ 16 ms median). The same group alone in a SQLite file is
timed the same way, and both columns are printed side by side. Seeded: the same data
every run. The cluster is stopped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from peewee import PostgresqlDatabase

from organizer import db as dbmod
from organizer.models import Group, Member, Referral, database
from organizer.services import ledger_queries as q
from organizer.services.balances import give_get
from organizer.services.groups import add_group
from organizer.services.members import MemberFilter, count_members, search_members
from organizer.services.recap import build_recap
from organizer.text import fold

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = [
    "an",
    "bo",
    "ca",
    "de",
    "el",
    "fi",
    "go",
    "ha",
    "io",
    "ju",
    "ka",
    "lu",
    "ma",
    "ne",
    "ol",
    "pa",
    "qu",
    "ri",
    "sa",
    "to",
    "ul",
    "vi",
    "wa",
    "xe",
    "yo",
    "za",
]
BATCH = 2000


def start_cluster() -> tuple[str, str]:
    """A cluster as CI makes it: (its URL, the script that stops it)."""
    script = f'source {ROOT / ".ci/postgres.sh"} && pg_start >&2 && echo "$ORGANIZER_TEST_DB" && declare -p PG_DIR PG_BIN PG_AS'
    out = subprocess.run(["bash", "-c", script], check=True, capture_output=True, text=True).stdout.splitlines()
    stop = f"source {ROOT / '.ci/postgres.sh'} && " + " && ".join(out[1:]) + " && pg_stop"
    return out[0], stop


def create_database(admin_url: str, name: str) -> str:
    import psycopg2
    from playhouse.db_url import parse

    connection = psycopg2.connect(**parse(admin_url))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    base, _, query = admin_url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def sizes(total: int, groups: int) -> list[int]:
    """The first group a tenth of the region (or all of it, alone); the rest share evenly."""
    if groups == 1:
        return [total]
    first = total // 10
    rest = total - first
    return [first] + [rest // (groups - 1) + (1 if i < rest % (groups - 1) else 0) for i in range(groups - 1)]


def fill(groups: int, members: int, referrals: int, seed: int = 1) -> Group:
    """The region, written in bulk; returns the largest group."""
    rng = random.Random(seed)
    member_sizes, referral_sizes = sizes(members, groups), sizes(referrals, groups)
    first = None
    stamp = Member.created_at.db_value(NOW)
    for index in range(groups):
        group = add_group(
            now=NOW,
            name=f"Region Circle {index + 1:03d}",
            timezone="America/Toronto",
            organizer_name="Olu Organizer",
            organizer_email=f"olu{index}@example.com",
        )
        first = first or group
        rows = []
        for n in range(member_sizes[index]):
            name = " ".join("".join(rng.choice(SYLLABLES) for _ in range(3)).title() for _ in range(2))
            business = f"{rng.choice(SYLLABLES).title()} {n} Services"
            status = "active" if rng.random() < 0.85 else rng.choice(["on_leave", "alumni", "visitor"])
            rows.append(
                {
                    "group": group.id,
                    "name": name,
                    "business": business,
                    "category": f"cat {n}",
                    "email": f"m{n}.g{index}@example.com",
                    "status": status,
                    "search_key": fold(f"{name} {business} cat {n} m{n}.g{index}@example.com"),
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        with database.atomic():
            for start in range(0, len(rows), BATCH):
                Member.insert_many(rows[start : start + BATCH]).execute()
        ids = [m.id for m in Member.select(Member.id).where(Member.group == group)]
        rows = []
        for _ in range(referral_sizes[index]):
            giver, receiver = rng.sample(ids, 2) if len(ids) > 1 else (ids[0], ids[0])
            given = date(2026, 11, 20) - timedelta(days=rng.randrange(3 * 365))
            status = rng.choices(["open", "contacted", "won", "lost"], [2, 2, 4, 2])[0]
            closed = given + timedelta(days=rng.randrange(1, 60)) if status in ("won", "lost") else None
            rows.append(
                {
                    "group": group.id,
                    "giver": giver,
                    "receiver": receiver,
                    "prospect_name": "Prospect",
                    "given_on": given,
                    "status": status,
                    "closed_on": closed,
                    "value_minor": rng.randrange(100, 500_000) if status == "won" else None,
                    "temperature": rng.randint(1, 5),
                    "created_at": stamp,
                }
            )
        with database.atomic():
            for start in range(0, len(rows), BATCH):
                Referral.insert_many(rows[start : start + BATCH]).execute()
    if isinstance(database.obj, PostgresqlDatabase):
        # What autovacuum does minutes after a bulk load: statistics, and the visibility map
        # without which an index-only scan (give/get's) still reads every row from the table.
        database.execute_sql("VACUUM ANALYZE")
    return first


def timed(call, repeats: int) -> float:
    """Median milliseconds of `call()`."""
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def measure(group: Group, repeats: int) -> dict[str, float]:
    one = Member.select().where((Member.group == group) & (Member.status == "active")).first()
    keystrokes = ["a", "an", "ann", "anno", "k", "ka", "kab"]

    def search():
        for text in keystrokes:
            flt = MemberFilter(text=text)
            search_members(group, flt, limit=60, brief=True)
            count_members(group, flt, cap=2000)

    return {
        "ledger first page (≤ 10 ms)": timed(lambda: q.first_page(group, q.LedgerFilter(), limit=50), repeats),
        "give/get, one member (≤ 100 ms)": timed(lambda: give_get(group, member_ids=[one.id]), repeats),
        "give/get, the group (≤ 100 ms)": timed(lambda: give_get(group), repeats),
        "monthly recap (≤ 1 s)": timed(lambda: build_recap(group, 2026, 10, now=NOW), max(3, repeats // 3)),
        "search keystroke (≤ 16 ms)": timed(search, repeats) / len(keystrokes),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args(argv)
    results: dict[str, dict[str, float]] = {}
    admin, stop = start_cluster()
    try:
        started = time.perf_counter()
        dbmod.open_database(create_database(admin, "region"))
        group = fill(args.groups, args.members, args.referrals)
        print(
            f"PostgreSQL: {args.groups} groups, {args.members} members, {args.referrals} referrals "
            f"written in {time.perf_counter() - started:.0f} s"
        )
        results["PostgreSQL"] = measure(group, args.repeats)
        dbmod.close_database()
    finally:
        subprocess.run(["bash", "-c", stop], check=False)
    with tempfile.TemporaryDirectory() as folder:
        largest_members, largest_referrals = (
            sizes(args.members, args.groups)[0],
            sizes(args.referrals, args.groups)[0],
        )
        dbmod.open_database(os.path.join(folder, "largest.db"))
        group = fill(1, largest_members, largest_referrals)
        results["SQLite (largest group alone)"] = measure(group, args.repeats)
        dbmod.close_database()
    names = list(results)
    print(f"{'median ms':34}" + "".join(f"{name:>30}" for name in names))
    for metric in results[names[0]]:
        print(f"{metric:34}" + "".join(f"{results[name][metric]:30.2f}" for name in names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
