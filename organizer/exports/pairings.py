"""A month's suggested pairings as CSV and as email (.eml): plain data in, bytes out.

Rows are objects with `a`, `b` (each with name, email, phone, business, good_referral),
`never_met` and `last_met` (a date or None), as services.pairings.Pair has them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from email import policy
from email.header import Header
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from typing import Protocol

from organizer.exports.csv_safe import safe_cell
from organizer.exports.ical import one_line

HEADER = ("member_a", "member_b", "never_met", "last_met")


class Person(Protocol):
    """A paired member, as services.relationships.Person has them."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def business(self) -> str: ...
    @property
    def good_referral(self) -> str: ...


class Pair(Protocol):
    """A suggested pair, as services.pairings.Pair has it."""

    @property
    def a(self) -> Person: ...
    @property
    def b(self) -> Person: ...
    @property
    def never_met(self) -> bool: ...
    @property
    def last_met(self) -> date | None: ...


def pairings_csv(pairs: Iterable[Pair], *, lineterminator: str = "\r\n") -> bytes:
    """`member_a,member_b,never_met,last_met`: names, yes/no, a date or empty; spreadsheet-safe."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow(HEADER)
    for pair in pairs:
        writer.writerow(
            [
                safe_cell(one_line(pair.a.name)),
                safe_cell(one_line(pair.b.name)),
                "yes" if pair.never_met else "no",
                pair.last_met.isoformat() if pair.last_met else "",
            ]
        )
    return out.getvalue().encode("utf-8")


def _card(person: Person) -> list[str]:
    """A member's contact details and what a good referral is for them, one fact a line."""
    lines = [one_line(person.name) + (f" — {one_line(person.business)}" if person.business else "")]
    lines += [
        f"  {label}: {one_line(value)}" for label, value in (("email", person.email), ("phone", person.phone)) if value
    ]
    if person.good_referral:
        lines.append(f"  a good referral for me is… {one_line(person.good_referral)}")
    return lines


def _pair_text(pair: Pair) -> list[str]:
    met = (
        "you have not met one-to-one yet"
        if pair.last_met is None  # never met
        else (f"you last met one-to-one on {pair.last_met.isoformat()}")
    )
    return [*_card(pair.a), *_card(pair.b), f"  ({met})"]


def _message(sender: tuple[str, str], recipients: list[Person], subject: str, body: str, now: datetime) -> bytes:
    message = MIMEText(body, "plain", "utf-8")
    message["From"] = _address(*sender)
    message["To"] = ", ".join(_address(person.name, person.email) for person in recipients if person.email)
    # compat32 folds a Header as RFC 2047 words; typeshed types only str here.
    message["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]
    message["Date"] = format_datetime(now)
    return message.as_bytes(policy=policy.compat32.clone(linesep="\r\n"))


def _address(name: str, email: str) -> str:
    return formataddr((one_line(name), one_line(email)), charset="utf-8")


def pair_email(pair: Pair, *, month: str, sender: tuple[str, str], group_name: str, now: datetime) -> bytes:
    """One message to the two members of a pair, introducing them to each other."""
    body = "\n".join(
        [
            f"Hello {one_line(pair.a.name)} and {one_line(pair.b.name)},",
            "",
            (
                f"You are paired for a one-to-one in {month} ({one_line(group_name)}): an hour to learn each "
                "other's business, in person, by video or by phone, whichever suits you both."
            ),
            "",
            *_pair_text(pair),
            "",
            "Reply to each other to pick a time. Thank you!",
            one_line(sender[0]),
            "",
        ]
    )
    return _message(
        sender,
        [pair.a, pair.b],
        f"Your one-to-one for {month}: {one_line(pair.a.name)} & {one_line(pair.b.name)}",
        body,
        now,
    )


def all_pairs_email(
    pairs: Sequence[Pair], *, month: str, sender: tuple[str, str], group_name: str, now: datetime
) -> bytes:
    """One message to every paired member listing all the pairs with their details."""
    body = [
        "Hello all,",
        "",
        (
            f"Here are the one-to-one pairs for {month} ({one_line(group_name)}). "
            "Find your name, reply to your partner and pick a time."
        ),
        "",
    ]
    for number, pair in enumerate(pairs, 1):
        body += [f"{number}.", *_pair_text(pair), ""]
    body += ["Thank you!", one_line(sender[0]), ""]
    people = {person.id: person for pair in pairs for person in (pair.a, pair.b)}
    return _message(
        sender,
        list(people.values()),
        f"One-to-one pairs for {month}",
        "\n".join(body),
        now,
    )
