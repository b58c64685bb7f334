"""Load the sample group from sample_data/ through the services, optionally moved to today.

The files carry fixed dates around a sample "today" (group.toml). With `shift_to` the
series moves by whole months (so the 2nd Tuesday stays a 2nd Tuesday), and every other
date by the days between the sample's today and the real one. The whole load is one
transaction: a failure leaves the database as it was.

The sample is one more group in a database that holds others, under its own name or the
one given; a name already a group's here is refused.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from organizer.errors import UserError
from organizer.models import Group, Meeting, Member, Referral, database
from organizer.services import agenda, groups, ledger, meetings, members, one_to_ones, threads
from organizer.services.group_names import name_problem
from organizer.services.recurrence import local_start, parse_rule
from organizer.text import tidy


def sample_dir() -> Path:
    """sample_data/ inside an installed wheel, else at the top of the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "sample_data", here.parent / "sample_data"):
        if (candidate / "group.toml").exists():
            return candidate
    raise UserError("the sample data is missing from this installation")


@dataclass(frozen=True)
class Shift:
    """How far to move the sample: whole months for meetings, days for everything else."""

    months: int = 0
    days: int = 0

    @classmethod
    def between(cls, sample_today: date, today: date) -> Shift:
        months = (today.year - sample_today.year) * 12 + today.month - sample_today.month
        return cls(months=months, days=(today - sample_today).days)

    def month(self, year: int, month: int) -> tuple[int, int]:
        index = year * 12 + (month - 1) + self.months
        return index // 12, index % 12 + 1


def load_sample(
    *, now: datetime, shift_to_today: bool = False, folder: Path | None = None, name: str | None = None
) -> Group:
    """Create the sample group (named `name` if given) beside any groups the database holds;
    UserError if a group here has that name already."""
    folder = folder or sample_dir()
    spec = tomllib.loads((folder / "group.toml").read_text(encoding="utf-8"))
    if name is not None:
        spec["group"] = {**spec["group"], "name": tidy(name)}
    with database.atomic():
        if problem := name_problem(spec["group"]["name"]):
            raise UserError(f"{problem}: load the sample under another name (load-sample --name NEW)")
        return _Loader(spec, folder, now, shift_to_today).load()


class _Loader:
    def __init__(self, spec: dict, folder: Path, now: datetime, shift_to_today: bool):
        self.spec, self.folder, self.now = spec, folder, now
        self.sample_today: date = spec["today"]
        self.shift = Shift()
        self.shift_to_today = shift_to_today

    # -- dates --------------------------------------------------------------------------

    def day(self, value: str | date) -> date:
        day = value if isinstance(value, date) else date.fromisoformat(value)
        return min(day + timedelta(days=self.shift.days), self.today)

    def at(self, day: date, hour: int = 12) -> datetime:
        """A moment on `day`, local to the group, used as `now` for what happened that day."""
        return min(local_start(day, time(hour), groups.zone(self.group)), self.now)

    def rows(self, name: str) -> list[dict[str, str]]:
        with open(self.folder / name, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    # -- the load -----------------------------------------------------------------------

    def load(self) -> Group:
        self.group = groups.create_group(now=self.now, **self.spec["group"])
        self.today = groups.local_today(self.group, self.now) if self.shift_to_today else self.sample_today
        if self.shift_to_today:
            self.shift = Shift.between(self.sample_today, self.today)
        self.load_members()
        self.load_meetings()
        self.load_referrals()
        self.load_threads()
        self.load_one_to_ones()
        me = self.by_email[self.spec["who_am_i"]["email"]]
        groups.set_setting(self.group, "me", str(me.id))
        return self.group

    def load_members(self) -> None:
        self.by_email: dict[str, Member] = {}
        by_name: dict[str, Member] = {}
        for row in self.rows("members.csv"):
            joined = self.day(row["joined"]) if row["joined"] else None
            member = members.add_member(
                self.group,
                now=self.at(joined) if joined else self.now,
                name=row["name"],
                business=row["business"],
                category=row["category"],
                email=row["email"],
                phone=row["phone"],
                website=row["website"],
                joined_on=joined,
                renewal_due=date.fromisoformat(row["renewal_due"]) + timedelta(days=self.shift.days)
                if row["renewal_due"]
                else None,
                status=row["status"],
                invited_by=by_name[row["invited_by"]] if row["invited_by"] else None,
                good_referral=row["good_referral"],
                bio=row["bio"],
            )
            self.by_email[member.email] = member
            by_name[member.name] = member

    def load_meetings(self) -> None:
        series_spec = self.spec["series"]
        start: date = series_spec["starts_on"]
        rule = parse_rule(series_spec["rule"])
        year, month = self.shift.month(start.year, start.month)
        series = meetings.create_series(
            self.group,
            rule=rule,
            at=series_spec["at"],
            minutes=series_spec["minutes"],
            starts_on=rule.date_in(year, month),
            title=series_spec["title"],
            now=self.now,
        )
        self.meeting_in_month: dict[str, Meeting] = {
            meeting.occurrence_date.strftime("%Y-%m"): meeting for meeting in series.meetings
        }
        for month_text in series_spec.get("skipped", []):
            meetings.skip_occurrence(self.month_meeting(month_text), now=self.now)
        for row in self.rows("attendance.csv"):
            meeting = self.month_meeting(row["meeting"])
            member = self.by_email[row["member"]]
            meetings.set_rsvp(meeting, member, row["rsvp"], now=self.now)
            if row["presence"] and meeting.starts_at < self.now:
                meetings.set_presence(meeting, member, row["presence"], substitute_name=row["substitute"], now=self.now)
        for meeting in self.meeting_in_month.values():
            if meeting.status == "scheduled" and meeting.starts_at < self.now:
                meetings.mark_held(meeting, now=self.now)
        # The next meeting has the usual running order, ready for meeting mode.
        upcoming = meetings.next_meeting(self.group, self.now)
        if upcoming is not None:
            agenda.standard_agenda(upcoming)

    def month_meeting(self, month_text: str) -> Meeting:
        year, month = self.shift.month(*map(int, month_text.split("-")))
        return self.meeting_in_month[f"{year:04d}-{month:02d}"]

    def load_referrals(self) -> None:
        by_key: dict[str, Referral] = {}
        originals: dict[str, date] = {}
        for row in self.rows("referrals.csv"):
            original = originals[row["key"]] = date.fromisoformat(row["date"])
            meeting = self.month_meeting(row["date"][:7]) if row["at_meeting"] == "yes" else None
            given = meeting.starts_at.astimezone(groups.zone(self.group)).date() if meeting else self.day(original)
            parent = by_key.get(row["parent"])
            if parent is not None and meeting is None:
                # A meeting's referrals move to the shifted month's meeting, the rest by days:
                # a chain keeps the file's spacing from its parent so it never runs backwards.
                given = parent.given_on + (original - originals[row["parent"]])
            if given > self.today:
                continue  # a shift that lands after today: not yet given
            delta = given - original

            def moved(text: str, delta: timedelta = delta) -> date:
                """A date of the file's row (present wherever it is used), moved with the referral."""
                return min(date.fromisoformat(text) + delta, self.today)

            referral = ledger.record_referral(
                self.group,
                now=self.at(given),
                giver=self.by_email[row["giver"]],
                receiver=self.by_email[row["receiver"]],
                prospect_name=row["prospect"],
                prospect_contact=row["contact"],
                kind=row["kind"],
                temperature=row["temperature"],
                given_on=given,
                meeting=meeting,
                parent=parent,
                notes=row["notes"],
            )
            by_key[row["key"]] = referral
            actor = self.by_email[row["receiver"]]
            if row["contacted_on"]:
                ledger.advance(
                    referral,
                    "contacted",
                    on=moved(row["contacted_on"]),
                    now=self.at(moved(row["contacted_on"])),
                    actor=actor,
                )
            if row["status"] in ("won", "lost"):
                closed = moved(row["closed_on"])
                ledger.advance(
                    referral, row["status"], on=closed, value=row["value"] or None, now=self.at(closed), actor=actor
                )
            if row["thanked_on"]:
                ledger.thank(
                    referral,
                    on=moved(row["thanked_on"]),
                    note=row["thank_note"],
                    now=self.at(moved(row["thanked_on"]), 18),
                    actor=actor,
                )
            if row["void_reason"]:
                ledger.void(
                    referral,
                    reason=row["void_reason"],
                    now=self.at(given, 20),
                    actor=self.by_email[self.spec["group"]["organizer_email"]],
                )

    def load_threads(self) -> None:
        spec = tomllib.loads((self.folder / "threads.toml").read_text(encoding="utf-8"))
        zone = groups.zone(self.group)

        def when(local: datetime) -> datetime:
            moved = local.replace(tzinfo=zone) + timedelta(days=self.shift.days)
            return min(moved, self.now)

        for item in spec["thread"]:
            first, *replies = item["posts"]
            thread = threads.start_thread(
                self.group,
                author=self.by_email[first["author"]],
                title=item["title"],
                body=first["body"],
                kind=item["kind"],
                tags=item.get("tags", ""),
                pinned=item.get("pinned", False),
                now=when(first["at"]),
            )
            for post in replies:
                threads.add_post(thread, author=self.by_email[post["author"]], body=post["body"], now=when(post["at"]))
            if item.get("resolved"):
                threads.set_flags(thread, resolved=True)
            if item.get("carried"):
                threads.carry_to_next_meeting(thread, self.now)

    def load_one_to_ones(self) -> None:
        for row in self.rows("one_to_ones.csv"):
            day = self.day(row["date"])
            one_to_ones.record_one_to_one(
                self.group,
                member_a=self.by_email[row["member_a"]],
                member_b=self.by_email[row["member_b"]],
                met_on=day,
                mode=row["mode"],
                notes=row["notes"],
                now=self.at(day),
            )
