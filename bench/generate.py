"""A seeded generator of benchmark databases: a small group (S) and a very large one (L).

    python bench/generate.py --scale L --out bench/out/L.db [--seed 1]

S is a real group's size (60 members, 3,000 referrals, 52 meetings); L is the scale the
budgets name (10,000 members, 200,000 referrals, 5,000 threads, 100,000 posts). Rows are
written with `Model.insert_many` in batches inside one transaction per table, after
`organizer.db.open_database` made the schema, so L takes seconds. The same seed gives the
same database, row for row (meeting UIDs included).

The data look like a group's: mostly active members, names in eight scripts, referrals
that age into won or lost with values in minor units, chains through `parent`, a few
voided entries, attendance at every held meeting and threads whose post counts are skewed.
`write_referrals_csv` writes a file in the `import referrals` format for the import benchmark.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # run as a script: make `organizer` and `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import names
from organizer import db as dbmod
from organizer.models import (
    AgendaItem,
    Attendance,
    LedgerEvent,
    Meeting,
    MeetingSeries,
    Member,
    OneToOne,
    Post,
    Referral,
    Thread,
    database,
)
from organizer.services.groups import create_group
from organizer.services.members import search_key
from organizer.services.recurrence import MonthlyRule, local_start
from organizer.services.threads import search_key as thread_search_key

# The benchmark's "today": the test suite's frozen clock (09:00 in Kitchener).
NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
ZONE = "America/Toronto"
RULE = MonthlyRule(2, 1)  # the 2nd Tuesday, 07:30, 90 minutes
MEETING_AT = time(7, 30)
UPCOMING = 12  # scheduled meetings after today; the rest are in the past


@dataclass(frozen=True)
class Scale:
    members: int
    referrals: int
    meetings: int
    threads: int
    posts: int
    attendees: int  # members at each held meeting
    one_to_ones: int
    all_active: bool = False  # every member active (the iCal benchmark's 100 attendees)


SCALES = {
    "S": Scale(members=60, referrals=3_000, meetings=52, threads=40, posts=400, attendees=45, one_to_ones=300),
    "L": Scale(
        members=10_000, referrals=200_000, meetings=72, threads=5_000, posts=100_000, attendees=250, one_to_ones=20_000
    ),
}


@cache
def at_utc(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@lru_cache(maxsize=100_000)
def utc_text(moment: datetime) -> str:
    """What UTCDateTimeField stores, written directly so bulk rows skip the conversion."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def insert(model, fields, rows) -> int:
    """Insert tuples of ready-made column values (dates and times already as text).

    peewee writes the INSERT statement once (`insert_many` on the first row) and sqlite3's
    `executemany` runs it for every row: building one SQL text per batch in peewee took
    four fifths of the time for 200,000 referrals.
    """
    rows = list(rows)
    if not rows:
        return 0
    sql, params = model.insert_many(rows[:1], fields=fields).sql()
    # peewee appends the defaults of the fields not given (constants here) after ours.
    defaults = tuple(params[len(fields) :])
    database.cursor().executemany(sql, (row + defaults for row in rows) if defaults else rows)
    return len(rows)


def generate(scale: str | Scale, out: Path | str, seed: int = 1) -> Path:
    """Build a fresh database at `out` (replacing one there) and return its path."""
    spec = SCALES[scale] if isinstance(scale, str) else scale
    out = Path(out)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    dbmod.open_database(str(out))
    try:
        # Bulk loading: no point syncing a file we would rebuild after a crash.
        database.execute_sql("PRAGMA synchronous = OFF")
        # Keep every index page in memory while loading instead of spilling them to the WAL.
        database.execute_sql("PRAGMA cache_size = -400000")
        with _indexes_dropped():
            _Builder(spec, random.Random(seed)).build()
        # No ANALYZE: the app never runs it, so the planner here sees what it sees for a user.
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        dbmod.close_database()
    return out


@contextmanager
def _indexes_dropped():
    """Drop the secondary indexes while loading and build them once at the end.

    Building an index over sorted, finished tables is several times faster than keeping
    ten indexes of the referral table up to date row by row.
    """
    found = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in found:
        database.execute_sql(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with database.atomic():
            for _, sql in found:
                database.execute_sql(sql)


class _Builder:
    def __init__(self, spec: Scale, rng: random.Random):
        self.spec = spec
        self.rng = rng
        self.zone = ZoneInfo(ZONE)
        self.today = NOW.astimezone(self.zone).date()
        self.stamp = utc_text(NOW)

    def build(self) -> None:
        self.group = create_group(
            name="Grand River Benchmark Circle" if self.spec.members > 100 else "Grand River Small Circle",
            timezone=ZONE,
            organizer_name="Olu Organizer",
            organizer_email="olu@example.com",
            now=NOW,
            allow_shared_categories=self.spec.members > len(names.CATEGORIES),
            default_place="Café Roma, back room",
        )
        with database.atomic():
            self.members()
        with database.atomic():
            self.meetings()
        with database.atomic():
            self.threads()
        with database.atomic():
            self.referrals()
        with database.atomic():
            self.one_to_ones()

    # -- members ------------------------------------------------------------------------

    def members(self) -> None:
        rng, spec = self.rng, self.spec
        pools, weights = zip(*names.POOLS)
        fields = [
            Member.id,
            Member.group,
            Member.name,
            Member.business,
            Member.category,
            Member.email,
            Member.phone,
            Member.website,
            Member.joined_on,
            Member.renewal_due,
            Member.status,
            Member.invited_by,
            Member.good_referral,
            Member.bio,
            Member.search_key,
            Member.created_at,
            Member.updated_at,
        ]
        rows, self.statuses, self.emails, self.names = [], {}, {}, {}
        shared = self.group.allow_shared_categories
        # Exact shares, shuffled: even 60 members include a few on leave, alumni and visitors.
        statuses = ["active"] * spec.members
        if not spec.all_active:
            shares = (("on_leave", 0.04), ("alumni", 0.07), ("visitor", 0.04))
            statuses = [status for status, share in shares for _ in range(max(1, round(share * spec.members)))]
            statuses += ["active"] * (spec.members - len(statuses))
            rng.shuffle(statuses)
        for member_id in range(1, spec.members + 1):
            pool = rng.choices(pools, weights)[0]
            name, given, family = pool.name(rng)
            category = (
                rng.choice(names.CATEGORIES) if shared else names.CATEGORIES[(member_id - 1) % len(names.CATEGORIES)]
            )
            business = f"{family} {rng.choice(names.BUSINESS_SUFFIXES)}"
            slug = names.ascii_slug(given)[:12] + "." + names.ascii_slug(family)[:12]
            email = f"{slug if len(slug) > 1 else 'member'}.{member_id}@example.org"
            status = statuses[member_id - 1]
            joined = self.today - timedelta(days=rng.randint(30, 9 * 365))
            renewal = joined + timedelta(days=365 * (1 + (self.today - joined).days // 365))
            inviter = rng.randint(1, member_id - 1) if member_id > 1 and rng.random() < 0.4 else None
            key = search_key(SimpleNamespace(name=name, business=business, category=category, email=email))
            rows.append(
                (
                    member_id,
                    self.group.id,
                    name,
                    business,
                    category,
                    email,
                    f"(519) 555-{member_id % 10_000:04d}",
                    f"{names.ascii_slug(family) or 'www'}{member_id}.example.org",
                    joined.isoformat(),
                    renewal.isoformat(),
                    status,
                    inviter,
                    f"A {category.lower()} client who is about to grow.",
                    f"{category} in Kitchener-Waterloo.",
                    key,
                    self.stamp,
                    self.stamp,
                )
            )
            self.statuses[member_id] = status
            self.emails[member_id] = email
            self.names[member_id] = name
        insert(Member, fields, rows)
        self.active = [m for m, s in self.statuses.items() if s == "active"]
        # Referral activity is skewed (log-normal): some members pass many times the business of
        # others; at 10,000 members the busiest passes about 0.3 % of all referrals.
        self.traders = [m for m, s in self.statuses.items() if s != "visitor"]
        self.trader_weights = list(itertools.accumulate(rng.lognormvariate(0, 1.0) for _ in self.traders))

    # -- meetings, attendance, agenda ------------------------------------------------------

    def meetings(self) -> None:
        rng, spec = self.rng, self.spec
        dates = list(
            RULE.dates(
                self.today - timedelta(days=31 * (spec.meetings - UPCOMING + 1)),
                self.today + timedelta(days=31 * (UPCOMING + 1)),
            )
        )
        future = [d for d in dates if d > self.today][:UPCOMING]
        past = [d for d in dates if d <= self.today]
        past = past[len(past) - (spec.meetings - len(future)) :]
        self.meeting_dates = past + future
        series = MeetingSeries.create(
            group=self.group,
            rrule=RULE.text,
            ordinal=RULE.nth_weekday()[0],
            weekday=RULE.nth_weekday()[1],
            start_time="07:30",
            minutes=90,
            starts_on=self.meeting_dates[0],
            place="Café Roma, back room",
            title="Monthly meeting",
            uid=self.uid(),
            created_at=NOW,
        )
        skipped = set(rng.sample(range(len(past)), k=max(1, len(past) // 12))) if past else set()
        fields = [
            Meeting.id,
            Meeting.group,
            Meeting.series,
            Meeting.occurrence_date,
            Meeting.starts_at,
            Meeting.minutes,
            Meeting.place,
            Meeting.title,
            Meeting.intent,
            Meeting.benefit,
            Meeting.topics,
            Meeting.time_needed,
            Meeting.opt_out,
            Meeting.status,
            Meeting.uid,
            Meeting.sequence,
            Meeting.created_at,
            Meeting.updated_at,
        ]
        rows, self.meeting_on = [], {}
        for index, day in enumerate(self.meeting_dates):
            meeting_id = index + 1
            status = "scheduled" if day > self.today else ("skipped" if index in skipped else "held")
            rows.append(
                (
                    meeting_id,
                    self.group.id,
                    series.id,
                    day.isoformat(),
                    utc_text(local_start(day, MEETING_AT, self.zone)),
                    90,
                    "Café Roma, back room",
                    "Monthly meeting",
                    "Pass referrals and meet the new members",
                    "Three warm introductions, on average",
                    "60-second round; spotlight; referral round",
                    "90 minutes, 07:30–09:00",
                    "Can't make it? No reply needed — see you next month.",
                    status,
                    self.uid(),
                    rng.randint(0, 2),
                    self.stamp,
                    self.stamp,
                )
            )
            if status == "held":
                self.meeting_on[day] = meeting_id
        insert(Meeting, fields, rows)
        self.held = list(self.meeting_on)
        self.attendance(rows)
        kinds = ("open_networking", "education", "sixty_second_round", "spotlight", "referral_round")
        agenda = [
            (meeting_id, position, kind, kind.replace("_", " ").capitalize(), 15)
            for meeting_id in range(1, len(rows) + 1)
            for position, kind in enumerate(kinds, start=1)
        ]
        insert(
            AgendaItem,
            [AgendaItem.meeting, AgendaItem.position, AgendaItem.kind, AgendaItem.title, AgendaItem.minutes],
            agenda,
        )

    def attendance(self, meetings: list[tuple]) -> None:
        rng = self.rng
        fields = [
            Attendance.meeting,
            Attendance.member,
            Attendance.rsvp,
            Attendance.presence,
            Attendance.substitute_name,
            Attendance.updated_at,
        ]
        rows = []
        for meeting in meetings:
            meeting_id, status = meeting[0], meeting[13]
            if status == "skipped":
                continue
            invited = rng.sample(self.active, k=min(self.spec.attendees, len(self.active)))
            for member_id in invited:
                rsvp = rng.choices(("accepted", "tentative", "declined", "needs_action"), (0.7, 0.1, 0.1, 0.1))[0]
                presence, substitute = None, ""
                if status == "held":
                    presence = rng.choices(
                        ("present", "absent", "late", "medical", "substitute"), (0.8, 0.08, 0.06, 0.03, 0.03)
                    )[0]
                    if presence == "substitute":
                        substitute = names.LATIN.name(rng)[0]
                rows.append((meeting_id, member_id, rsvp, presence, substitute, self.stamp))
        insert(Attendance, fields, rows)

    # -- threads and posts ---------------------------------------------------------------

    def threads(self) -> None:
        rng, spec = self.rng, self.spec
        if not spec.threads:
            return
        start = datetime.combine(self.meeting_dates[0], time(12), tzinfo=UTC)
        span = (NOW - start).total_seconds()
        # Skewed post counts: most threads are short, a few run long. One post at least (the opening).
        shares = [rng.paretovariate(1.3) for _ in range(spec.threads)]
        scale = (spec.posts - spec.threads) / sum(shares)
        counts = [1 + int(share * scale) for share in shares]
        counts[0] += spec.posts - sum(counts)
        thread_rows, post_rows = [], []
        for thread_id, count in enumerate(counts, start=1):
            opened = start + timedelta(seconds=rng.random() * span * 0.98)
            times = sorted(opened + timedelta(hours=rng.random() * 24 * 21) for _ in range(count))
            times = [min(t, NOW) for t in times]
            category = rng.choice(names.CATEGORIES).lower()
            author = rng.choice(self.active)
            title = rng.choice(names.THREAD_TITLES).format(c=category)
            bodies = ["\n\n".join(rng.sample(names.BODY_SENTENCES, k=rng.randint(1, 3))) for _ in times]
            thread_rows.append(
                (
                    thread_id,
                    self.group.id,
                    title,
                    rng.choices(("discussion", "ask", "offer", "announcement"), (0.4, 0.3, 0.2, 0.1))[0],
                    author,
                    ",".join(sorted(rng.sample(("intro", "events", "ask", "offer", "ideas", "thanks"), k=2))),
                    rng.random() < 0.01,
                    rng.random() < 0.3,
                    utc_text(times[0]),
                    utc_text(times[-1]),
                    thread_search_key(title, bodies),
                )
            )
            for index, (moment, body) in enumerate(zip(times, bodies)):
                post_rows.append((thread_id, author if index == 0 else rng.choice(self.active), body, utc_text(moment)))
        insert(
            Thread,
            [
                Thread.id,
                Thread.group,
                Thread.title,
                Thread.kind,
                Thread.author,
                Thread.tags,
                Thread.pinned,
                Thread.resolved,
                Thread.created_at,
                Thread.last_activity_at,
                Thread.search_key,
            ],
            thread_rows,
        )
        insert(Post, [Post.thread, Post.author, Post.body, Post.created_at], post_rows)

    # -- referrals and their history ---------------------------------------------------------

    def referrals(self) -> None:
        rng, spec, today = self.rng, self.spec, self.today
        if not spec.referrals:
            return
        first = self.meeting_dates[0]
        span = (today - first).days
        # 40% are passed at a meeting (and linked to it); the rest on any day in between.
        days = sorted(
            rng.choice(self.held) if self.held and rng.random() < 0.4 else first + timedelta(days=rng.randint(0, span))
            for _ in range(spec.referrals)
        )
        givers = rng.choices(self.traders, cum_weights=self.trader_weights, k=spec.referrals)
        receivers = rng.choices(self.traders, cum_weights=self.trader_weights, k=spec.referrals)
        fields = [
            Referral.id,
            Referral.group,
            Referral.giver,
            Referral.receiver,
            Referral.prospect_name,
            Referral.prospect_contact,
            Referral.kind,
            Referral.temperature,
            Referral.given_on,
            Referral.meeting,
            Referral.parent,
            Referral.status,
            Referral.contacted_on,
            Referral.closed_on,
            Referral.value_minor,
            Referral.thanked_on,
            Referral.thank_note,
            Referral.notes,
            Referral.voided_at,
            Referral.void_reason,
            Referral.created_at,
        ]
        rows, events = [], []
        receiver_of = []
        for index, given_on in enumerate(days):
            referral_id = index + 1
            giver, receiver, parent = givers[index], receivers[index], None
            if index > 10 and rng.random() < 0.08:
                # A chain: the receiver of an earlier referral passes the word on.
                parent = rng.randint(max(1, referral_id - 2_000), referral_id - 1)
                giver = receiver_of[parent - 1]
            if receiver == giver:
                receiver = self.traders[(self.traders.index(giver) + 1) % len(self.traders)]
            receiver_of.append(receiver)
            status, contacted, closed, value, thanked = self.life(given_on)
            voided = rng.random() < 0.005
            created = at_utc(given_on, 15)
            rows.append(
                (
                    referral_id,
                    self.group.id,
                    giver,
                    receiver,
                    rng.choice(names.PROSPECTS),
                    f"prospect{referral_id}@example.net" if rng.random() < 0.6 else "",
                    "inside" if rng.random() < 0.3 else "outside",
                    rng.choices((1, 2, 3, 4, 5), (1, 2, 4, 4, 2))[0],
                    given_on.isoformat(),
                    self.meeting_on.get(given_on),
                    parent,
                    status,
                    contacted and contacted.isoformat(),
                    closed and closed.isoformat(),
                    value,
                    thanked and thanked.isoformat(),
                    "Thank you!" if thanked else "",
                    "" if rng.random() < 0.7 else 'Met at the coffee break; wants a quote, "soon".',
                    utc_text(created + timedelta(days=3)) if voided else None,
                    rng.choice(names.VOID_REASONS) if voided else "",
                    utc_text(created),
                )
            )
            events.append((referral_id, utc_text(created), None, "created", "", ""))
            if status != "open":
                moment = at_utc(closed or contacted, 16)
                events.append((referral_id, utc_text(moment), None, "status", f"open → {status}", ""))
            if voided:
                events.append((referral_id, utc_text(created + timedelta(days=3)), None, "voided", "", rows[-1][19]))
        insert(Referral, fields, rows)
        insert(
            LedgerEvent,
            [
                LedgerEvent.referral,
                LedgerEvent.at,
                LedgerEvent.actor,
                LedgerEvent.action,
                LedgerEvent.detail,
                LedgerEvent.reason,
            ],
            events,
        )

    def life(self, given_on: date):
        """(status, contacted_on, closed_on, value_minor, thanked_on) for a referral of that age."""
        rng, today = self.rng, self.today
        age = (today - given_on).days
        weights = (0.7, 0.3, 0, 0) if age < 14 else (0.25, 0.13, 0.38, 0.24)
        status = rng.choices(("open", "contacted", "won", "lost"), weights)[0]
        contacted = closed = value = thanked = None
        if status != "open":
            contacted = min(today, given_on + timedelta(days=rng.randint(1, 10)))
        if status in ("won", "lost"):
            closed = min(today, contacted + timedelta(days=rng.randint(3, 90)))
        if status == "won":
            value = int(rng.lognormvariate(11.2, 1.1)) // 50 * 50  # minor units, to the half-dollar
            if rng.random() < 0.7:
                thanked = min(today, closed + timedelta(days=rng.randint(0, 14)))
        return status, contacted, closed, value, thanked

    def one_to_ones(self) -> None:
        rng = self.rng
        first = self.meeting_dates[0]
        span = (self.today - first).days
        rows = []
        for _ in range(self.spec.one_to_ones):
            a, b = rng.sample(self.active, k=2)
            rows.append(
                (
                    self.group.id,
                    a,
                    b,
                    (first + timedelta(days=rng.randint(0, span))).isoformat(),
                    rng.choice(("in_person", "video", "phone")),
                    "",
                    self.stamp,
                    False,
                )
            )
        insert(
            OneToOne,
            [
                OneToOne.group,
                OneToOne.member_a,
                OneToOne.member_b,
                OneToOne.met_on,
                OneToOne.mode,
                OneToOne.notes,
                OneToOne.created_at,
                OneToOne.planned,
            ],
            rows,
        )

    def uid(self) -> str:
        return f"{uuid.UUID(int=self.rng.getrandbits(128), version=4)}@organizer"


# -- the import file ------------------------------------------------------------------------

IMPORT_COLUMNS = ("date", "giver", "receiver", "prospect", "kind", "temperature", "status", "value", "notes")


def write_referrals_csv(
    path: Path | str,
    rows: int,
    emails: list[str],
    *,
    seed: int = 1,
    first: date | None = None,
    last: date | None = None,
) -> Path:
    """Write `rows` referrals between members (by email) in the `import referrals` format.

    Dates run from `first` to `last` (default: the two years before the benchmark's today);
    won rows carry a value as a person types it ("1,250.50"); notes hold commas, quotes and
    every script, as real files do.
    """
    rng = random.Random(seed)
    last = last or NOW.astimezone(ZoneInfo(ZONE)).date() - timedelta(days=1)
    first = first or last - timedelta(days=730)
    span = (last - first).days
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(IMPORT_COLUMNS)
        for _ in range(rows):
            giver, receiver = rng.sample(emails, k=2)
            status = rng.choices(("open", "contacted", "won", "lost"), (0.3, 0.15, 0.35, 0.2))[0]
            value = ""
            if status == "won":
                minor = int(rng.lognormvariate(11.2, 1.1)) // 50 * 50
                value = f"{minor // 100:,}.{minor % 100:02d}"
            writer.writerow(
                (
                    (first + timedelta(days=rng.randint(0, span))).isoformat(),
                    giver,
                    receiver,
                    rng.choice(names.PROSPECTS),
                    rng.choice(("inside", "outside")),
                    rng.randint(1, 5),
                    status,
                    value,
                    rng.choice(
                        ("", "", 'Wants a quote, "soon"', "via the café; call after 5", "Xin chào — ẩm thực", "紹介")
                    ),
                )
            )
    return path


def member_emails(location: Path | str) -> list[str]:
    """The emails of the non-visitor members of a generated database."""
    dbmod.open_database(str(location))
    try:
        return [
            email
            for (email,) in Member.select(Member.email).where(Member.status != "visitor").order_by(Member.id).tuples()
        ]
    finally:
        dbmod.close_database()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a seeded benchmark database.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="S")
    parser.add_argument("--out", type=Path, help="database file (default bench/out/SCALE.db)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--csv", type=int, metavar="N", help="also write N referrals as CSV next to the database")
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).resolve().parent / "out" / f"{args.scale}.db"
    out.parent.mkdir(parents=True, exist_ok=True)
    import time as clock

    started = clock.perf_counter()
    generate(args.scale, out, seed=args.seed)
    print(f"{out}: scale {args.scale}, seed {args.seed}, {clock.perf_counter() - started:.1f} s")
    if args.csv:
        csv_path = out.with_suffix(".referrals.csv")
        write_referrals_csv(csv_path, args.csv, member_emails(out), seed=args.seed)
        print(f"{csv_path}: {args.csv} referrals")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
