"""A month too big to print whole: what the recap lists, what it counts, and that md, txt,
html, pdf say the same; amounts in the "and N more" lines respect the privacy setting.

The big month is generated row by row here (Python lists of what was inserted), so every
expected count and total is worked out from the inserted rows, not from the recap code.
A chapter-sized month is never capped: tests/test_recap.py holds the sample group and a
60-member group to that.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from organizer import db as dbmod
from organizer.models import (
    Attendance,
    Group,
    Meeting,
    Member,
    Post,
    Referral,
    Thread,
    database,
)
from organizer.recap import html as recap_html
from organizer.recap import md as recap_md
from organizer.recap import pdf as recap_pdf
from organizer.recap import txt as recap_txt
from organizer.recap.document import document
from organizer.recap.model import (
    CHAINS_MAX,
    CLOSED_MAX,
    GIVE_GET_MAX,
    PEOPLE_MAX,
    REFERRAL_LINES_MAX,
    THANKS_MAX,
    THREADS_MAX,
)
from organizer.services.groups import current_group
from organizer.services.recap import build_recap
from organizer.services.recap_business import shape_amount
from organizer.text import fold

OCTOBER = date(2026, 10, 1)
MEETING_AT = datetime(2026, 10, 13, 13, 30, tzinfo=UTC)  # 09:30 in Toronto
MEMBERS, NEW_MEMBERS, VISITORS, SUBSTITUTES = 320, 110, 120, 105
GIVERS = 175  # Member 000–174 give 3, 4, 5, 3, 4, 5… referrals in October: 699 in all
THREADS = 60


@dataclass
class Inserted:
    """What went into the big month, as plain data the tests reason from."""

    lines: dict[str, list[str]] = field(default_factory=dict)  # giver → "g → r: p (t, s)", in date order
    chains: int = 0
    closed: list[tuple[int, date, int, str]] = field(default_factory=list)  # (value, closed_on, id, prospect)
    thanks: list[tuple[date, int, str]] = field(default_factory=list)  # (thanked_on, id, prospect)
    year_people: set[str] = field(default_factory=set)
    month_given: dict[str, int] = field(default_factory=dict)


def _name(i: int) -> str:
    return f"Member {i:03d}"


def _generate(now: datetime) -> Inserted:
    out = Inserted()
    group = Group.create(name="Big Circle", timezone="America/Toronto", created_at=now)
    stamps = {"created_at": now, "updated_at": now}
    Member.insert_many(
        [
            {
                "group": group.id,
                "name": _name(i),
                "business": f"Business {i:03d}",
                "status": "active",
                "joined_on": OCTOBER + timedelta(days=i % 28) if i < NEW_MEMBERS else date(2020, 1, 1),
                **stamps,
            }
            for i in range(MEMBERS)
        ]
        + [{"group": group.id, "name": f"Visitor {i:03d}", "status": "visitor", **stamps} for i in range(VISITORS)]
    ).execute()
    ids = {name: mid for mid, name in Member.select(Member.id, Member.name).tuples()}
    names = {mid: name for name, mid in ids.items()}
    meeting = Meeting.create(
        group=group,
        starts_at=MEETING_AT,
        minutes=90,
        title="October meeting",
        status="held",
        uid="big-october@test",
        **stamps,
    )
    presence = ["present"] * 200 + ["substitute"] * SUBSTITUTES
    Attendance.insert_many(
        [
            {
                "meeting": meeting.id,
                "member": ids[_name(i)],
                "presence": state,
                "substitute_name": f"Sub {i:03d}" if state == "substitute" else "",
                "updated_at": now,
            }
            for i, state in enumerate(presence)
        ]
        + [
            {"meeting": meeting.id, "member": ids[f"Visitor {i:03d}"], "presence": "present", "updated_at": now}
            for i in range(VISITORS)
        ]
    ).execute()

    # October: giver g gives 3 + g % 3 referrals.
    rows, k = [], 0
    for g in range(GIVERS):
        for j in range(3 + g % 3):
            receiver = (g * 7 + j + 1) % MEMBERS
            day = OCTOBER + timedelta(days=k % 31)
            won, thanked = k % 5 == 0 and k < 650, k % 5 == 1
            rows.append(
                {
                    "group": group.id,
                    "giver": ids[_name(g)],
                    "receiver": ids[_name(receiver)],
                    "prospect_name": f"Prospect {k:04d}",
                    "temperature": 1 + k % 5,
                    "given_on": day,
                    "status": "won" if won else "open",
                    "closed_on": day if won else None,
                    "value_minor": 10_000 + k * 1_337 if won else None,
                    "thanked_on": day if thanked else None,
                    "thank_note": f"Thanks {k}" if thanked else "",
                    "created_at": now,
                }
            )
            k += 1
    for chunk in range(0, len(rows), 200):
        Referral.insert_many(rows[chunk : chunk + 200]).execute()
    october = list(Referral.select().where(Referral.given_on >= OCTOBER).order_by(Referral.given_on, Referral.id))
    # 150 of them came out of a September referral passed to their giver by Member 300–319.
    parents = []
    for child in sorted(october, key=lambda r: r.id)[:600:4]:
        parent = Referral.create(
            group=group,
            giver=ids[_name(300 + child.id % 20)],
            receiver=child.giver_id,
            prospect_name=f"Root of {child.prospect_name}",
            given_on=date(2026, 9, 15),
            created_at=now,
        )
        parents.append(parent)
        Referral.update(parent=parent.id).where(Referral.id == child.id).execute()
    out.chains = len(parents)
    for r in october:
        giver, receiver = names[r.giver_id], names[r.receiver_id]
        out.lines.setdefault(giver, []).append(f"{giver} → {receiver}: {r.prospect_name} ({r.temperature}, {r.status})")
        out.month_given[giver] = out.month_given.get(giver, 0) + 1
        out.year_people |= {giver, receiver}
        if r.status == "won":
            out.closed.append((r.value_minor, r.closed_on, r.id, r.prospect_name))
        if r.thanked_on:
            out.thanks.append((r.thanked_on, r.id, r.prospect_name))
    out.year_people |= {names[p.giver_id] for p in parents} | {names[p.receiver_id] for p in parents}

    for t in range(THREADS):
        thread = Thread.create(
            group=group,
            title=f"Thread {t:02d}",
            author=ids[_name(t)],
            created_at=MEETING_AT + timedelta(hours=t),
            last_activity_at=MEETING_AT + timedelta(hours=t),
        )
        Post.create(thread=thread, author=ids[_name(t)], body="Hello", created_at=MEETING_AT + timedelta(hours=t))
    return out


@pytest.fixture(scope="module")
def big_template(tmp_path_factory, postgres_server) -> tuple[Path | None, Inserted]:
    """The big month, generated once: a SQLite file, or on PostgreSQL a template database."""
    now = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    made: list[Inserted] = []

    def fill() -> None:
        with database.atomic():
            made.append(_generate(now))

    if postgres_server is not None:
        postgres_server.prepare("recap_big", fill)
        return None, made[0]
    path = tmp_path_factory.mktemp("big") / "big.db"
    dbmod.open_database(str(path))
    fill()
    dbmod.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    dbmod.close_database()
    return path, made[0]


@pytest.fixture
def big(big_template, db_path, postgres_server):
    template, inserted = big_template
    if template is None:  # PostgreSQL: this test's own copy of the template database
        name = postgres_server.create("recap_big")
        dbmod.open_database(postgres_server.url_of(name))
        yield current_group(), inserted
        dbmod.close_database()
        postgres_server.drop(name)
        return
    shutil.copy(template, db_path)
    dbmod.open_database(str(db_path))
    yield current_group(), inserted
    dbmod.close_database()


def month(group, now, amounts="show"):
    return build_recap(group, 2026, 10, now=now, amounts=amounts)


# -- the four formats as plain text ----------------------------------------------------------------


INLINE_TAGS = {"bdi", "strong", "em", "code"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        if tag not in INLINE_TAGS:  # a space between blocks, as a reader sees them
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.handle_starttag(tag, [])


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def formats(recap) -> dict[str, str]:
    """Each format's words, markup and line breaks taken out (backticks too: the command
    is a code span in Markdown, <code> in HTML, quoted in text and PDF)."""
    doc = document(recap)
    md = recap_md.render(doc).decode()
    md = re.sub(r"\\(.)", r"\1", md.replace("*", ""))
    parser = _Text()
    parser.feed(recap_html.render(doc).decode())
    reader = PdfReader(io.BytesIO(recap_pdf.render(doc, system_fonts=False).data))
    texts = {
        "md": md,
        "txt": recap_txt.text(doc),
        "html": "".join(parser.parts),
        "pdf": "\n".join(page.extract_text() for page in reader.pages),
    }
    return {fmt: _squeeze(text.replace("`", "")) for fmt, text in texts.items()}


def money(minor: int) -> str:
    return f"{minor // 100:,}.{minor % 100:02d} CAD"


# -- who referred whom and chains ------------------------------------------------------------------


def test_who_referred_whom_lists_whole_givers_up_to_the_cap_and_counts_the_rest(big, now):
    group, inserted = big
    recap = month(group, now)
    expected, room = [], REFERRAL_LINES_MAX
    for giver in sorted(inserted.lines, key=lambda n: (fold(n), n)):
        if len(inserted.lines[giver]) > room:
            break
        expected.append((giver, inserted.lines[giver]))
        room -= len(inserted.lines[giver])
    listed = [(g.giver, [line.text for line in g.referrals]) for g in recap.who_referred_whom]
    assert listed == expected
    assert all(g.given == len(g.referrals) for g in recap.who_referred_whom)
    total = sum(len(lines) for lines in inserted.lines.values())
    shown = sum(len(lines) for _, lines in expected)
    assert recap.referrals_given == total == 699
    assert recap.referrals_more == total - shown == 200  # 499 listed: the next giver has 5
    assert len(recap.chains) == CHAINS_MAX and recap.chain_count == inserted.chains == 150


def test_one_giver_past_the_cap_is_listed_up_to_it(group, now):
    giver = Member.create(group=group, name="Busy Bee", created_at=now, updated_at=now)
    other = Member.create(group=group, name="Anne Other", created_at=now, updated_at=now)
    Referral.insert_many(
        [
            {
                "group": group.id,
                "giver": giver.id,
                "receiver": other.id,
                "prospect_name": f"P{i}",
                "given_on": OCTOBER + timedelta(days=i % 31),
                "created_at": now,
            }
            for i in range(REFERRAL_LINES_MAX + 20)
        ]
    ).execute()
    recap = month(group, now)
    (only,) = recap.who_referred_whom
    assert (only.giver, only.given, len(only.referrals)) == ("Busy Bee", 520, REFERRAL_LINES_MAX)
    assert recap.referrals_more == 20
    texts = formats(recap)
    for text in texts.values():
        assert "and 20 more referrals this month: organizer export ledger has them all." in text


def test_every_format_lists_the_same_lines_and_says_the_same_more(big, now):
    group, inserted = big
    recap = month(group, now)
    listed = [line.text for g in recap.who_referred_whom for line in g.referrals]
    unlisted = [line for giver, lines in inserted.lines.items() for line in lines if line not in set(listed)]
    assert len(unlisted) == 200
    more_lines = [
        "and 200 more referrals this month: organizer export ledger has them all.",
        "and 50 more chains this month: organizer export ledger has them all.",
        f"The {CLOSED_MAX} largest of 130 deals closed this month, largest first:",
        f"The latest {THANKS_MAX} of 140 thank-yous, newest first:",
        "and 40 earlier thank-yous this month.",
        f"and {len(inserted.year_people) - GIVE_GET_MAX} other members gave or received referrals this fiscal year.",
        f"and {VISITORS - PEOPLE_MAX} more visitors.",
        f"and {NEW_MEMBERS - PEOPLE_MAX} more new members.",
        f"and {SUBSTITUTES - PEOPLE_MAX} more substitutes.",
        f"and {THREADS - THREADS_MAX} more active threads.",
        "699 referrals",
    ]
    for fmt, text in formats(recap).items():
        for line in more_lines:
            assert line in text, (fmt, line)
        for line in listed[::25] + listed[-1:]:
            assert _squeeze(line) in text, (fmt, line)
        for line in unlisted[::25] + unlisted[-1:]:
            assert _squeeze(line) not in text, (fmt, line)
        assert f"{SUBSTITUTES} sent a substitute" in text and "200 members came (1 meeting)" in text, fmt
        assert f"{THREADS} active" in text, fmt


def test_the_big_month_stays_a_printable_summary(big, now):
    """Every list of this month is at its cap, so no group's recap is longer than this."""
    group, _ = big
    recap = month(group, now)
    assert all(
        len(items) == cap
        for items, cap in (
            (recap.chains, CHAINS_MAX),
            (recap.closed, CLOSED_MAX),
            (recap.thanks, THANKS_MAX),
            (recap.give_get, GIVE_GET_MAX),
            (recap.visitors, PEOPLE_MAX),
            (recap.new_members, PEOPLE_MAX),
            (recap.attendance.substitutes, PEOPLE_MAX),
            (recap.threads.active, THREADS_MAX),
        )
    )
    reader = PdfReader(io.BytesIO(recap_pdf.render(document(recap), system_fonts=False).data))
    assert len(reader.pages) <= 20


# -- closed business and thank-yous -------------------------------------------------------------------


def test_closed_business_lists_the_largest_and_totals_the_rest(big, now):
    group, inserted = big
    recap = month(group, now)
    by_size = sorted(inserted.closed, key=lambda row: (row[0], row[1], row[2]), reverse=True)
    listed, rest = by_size[:CLOSED_MAX], by_size[CLOSED_MAX:]
    assert [line.prospect for line in recap.closed] == [row[3] for row in listed]
    assert [line.amount for line in recap.closed] == [money(row[0]) for row in listed]
    assert (recap.closed_count, recap.closed_order) == (130, "largest")
    assert recap.closed_total == money(sum(row[0] for row in inserted.closed))
    assert recap.closed_more_total == money(sum(row[0] for row in rest))
    more = f"and 30 more deals closed this month, together {money(sum(row[0] for row in rest))}."
    texts = formats(recap)
    for fmt, text in texts.items():
        assert more in text, fmt
    total = recap.closed_total
    for fmt, text in texts.items():  # the header's figure, and the table's totals row
        assert f"130 closed ({total})" in text and re.search(rf"closed this month: 130 [ |]*{total}", text), fmt


def test_bucketed_amounts_rank_by_range_then_newest(big, now):
    group, inserted = big
    recap = month(group, now, "bucket")

    def bucket(minor: int) -> str:
        return shape_amount(minor, "CAD", "bucket")

    ranks = {label: i for i, label in enumerate(["under 1,000 CAD", "1,000–5,000 CAD", "5,000–10,000 CAD"])}
    by_range = sorted(inserted.closed, key=lambda row: (ranks[bucket(row[0])], row[1], row[2]), reverse=True)
    listed, rest = by_range[:CLOSED_MAX], by_range[CLOSED_MAX:]
    assert [line.prospect for line in recap.closed] == [row[3] for row in listed]
    assert recap.closed_order == "range"
    assert recap.closed_more_total == bucket(sum(row[0] for row in rest))
    for fmt, text in formats(recap).items():
        assert f"and 30 more deals closed this month, together {recap.closed_more_total}." in text, fmt
        assert "by range, newest first within a range" in text, fmt
        for value, *_ in inserted.closed[::7]:
            assert money(value) not in text, fmt
        assert money(sum(row[0] for row in rest)).split(".")[0] not in text, fmt


def test_hidden_amounts_list_the_newest_with_no_figure(big, now):
    group, inserted = big
    recap = month(group, now, "hide")
    newest = sorted(inserted.closed, key=lambda row: (row[1], row[2]), reverse=True)[:CLOSED_MAX]
    assert [line.prospect for line in recap.closed] == [row[3] for row in newest]
    assert recap.closed_order == "newest" and recap.closed_more_total == "" and recap.closed_total == ""
    for fmt, text in formats(recap).items():
        assert "and 30 more deals closed this month." in text, fmt
        assert f"The latest {CLOSED_MAX} of 130 deals closed this month, newest first:" in text, fmt
        assert "CAD" not in text.replace("Amounts are not shown", ""), fmt


def test_thank_yous_list_the_latest_newest_first(big, now):
    group, inserted = big
    recap = month(group, now)
    latest = sorted(inserted.thanks, reverse=True)[:THANKS_MAX]
    assert [t.prospect for t in recap.thanks] == [prospect for *_, prospect in latest]
    assert recap.thanks_count == len(inserted.thanks) == 140


# -- give / get -----------------------------------------------------------------------------------------


def test_give_get_names_the_top_givers_and_only_counts_the_others(big, now):
    group, inserted = big
    recap = month(group, now)
    rows = recap.give_get
    assert len(rows) == GIVE_GET_MAX
    assert recap.give_get_count == len(inserted.year_people)
    top = sorted(inserted.month_given.items(), key=lambda item: (-item[1], item[0]))
    assert rows[0].given == top[0][1] == 5
    assert [row.given for row in rows] == sorted((row.given for row in rows), reverse=True)
    keys = [(-row.given, -row.year_given, -row.received, row.name) for row in rows]
    assert keys == sorted(keys)
    # Nobody is left out who gave more this month than someone listed; nobody listed gave nothing.
    fewest = min(row.given for row in rows)
    assert {name for name, n in inserted.month_given.items() if n > fewest} <= {row.name for row in rows}
    assert fewest > 0
    md = recap_md.render(document(recap)).decode()
    give_get = md.split("## Give and get")[1].split("## Attendance")[0]
    assert give_get.count("\n| Member ") == GIVE_GET_MAX
