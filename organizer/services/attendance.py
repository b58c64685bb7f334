"""Attendance beyond one member's RSVP: the roster, check-in, visitors at the door, rates.

A member's rate counts the held meetings from the day they joined (or, with no join date,
were added) until they were archived. Present, late and substitute count as attended (a
substitute keeps the seat warm); medical is excused and left out of the count; absent, or
nothing recorded, is absent. A one-off meeting (no series) counts only for those whose
attendance at it was recorded: missing a social is not an absence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from peewee import ModelSelect, fn

from organizer.errors import UserError
from organizer.models import (
    PROSPECT_STATUSES,
    RSVP_STATES,
    Attendance,
    AttendanceCorrection,
    Group,
    Meeting,
    Member,
    database,
)
from organizer.rows import row_tuples
from organizer.services import resolve
from organizer.services.groups import zone
from organizer.services.meetings import local_date, set_presence
from organizer.services.members import add_member
from organizer.text import fold

ATTENDED = ("present", "late", "substitute")
EXCUSED = ("medical",)
RATED_STATUSES = ("active", "on_leave", "alumni")  # visitors have no rate


@dataclass(frozen=True)
class AttendanceRate:
    member: Member
    attended: int
    counted: int  # held meetings since they joined, excused ones left out
    excused: int

    @property
    def percent(self) -> int | None:
        """Whole percent, or None before their first held meeting."""
        return round(100 * self.attended / self.counted) if self.counted else None

    def describe(self) -> str:
        if self.percent is None:
            return "no meetings yet"
        return f"{self.percent}% ({self.attended} of {self.counted})"


@dataclass(frozen=True)
class RosterLine:
    member: Member
    attendance: Attendance | None  # None: nothing recorded yet

    @property
    def rsvp(self) -> str:
        return self.attendance.rsvp if self.attendance else "needs_action"

    @property
    def presence(self) -> str | None:
        return self.attendance.presence if self.attendance else None

    @property
    def speaker(self) -> str:
        """Who stands up: the member, or the substitute who came in their place."""
        row = self.attendance
        if row is not None and row.presence == "substitute" and row.substitute_name:
            return f"{row.substitute_name} (for {self.member.name})"
        return self.member.name


def roster(meeting: Meeting, text: str = "", *, limit: int | None = None) -> list[RosterLine]:
    """Who is expected or came: active and on-leave members, plus anyone recorded (visitors,
    alumni who came), by name; `text` narrows it as search does (folded words), `limit`
    keeps the first so many."""
    rows = {row.member_id: row for row in Attendance.select().where(Attendance.meeting == meeting)}
    members = _expected(meeting, text).order_by(Member.name, Member.id)
    if text.strip():  # the resolver's rule (a word start in the name or email), as capture has it
        found = [member for member in members if resolve.matches(member, text)]
    else:
        found = list(members.limit(limit) if limit is not None else members)
    return [RosterLine(member, rows.get(member.id)) for member in found[:limit]]


def roster_size(meeting: Meeting, text: str = "") -> int:
    """How many lines `roster(meeting, text)` has without a limit."""
    if text.strip():
        return len(roster(meeting, text))
    count: int = _expected(meeting, text).count()
    return count


def _expected(meeting: Meeting, text: str) -> ModelSelect[Member]:
    recorded = Attendance.select(Attendance.member).where(Attendance.meeting == meeting)
    members = Member.select().where(
        (Member.group == meeting.group) & (Member.status.in_(("active", "on_leave")) | Member.id.in_(recorded))
    )
    for word in fold(text).split():
        members = members.where(Member.search_key.contains(word))
    return members


def came_count(meeting: Meeting) -> int:
    """How many came (present, late or a substitute), visitors included."""
    return sum(came_by_kind(meeting))


def came_by_kind(meeting: Meeting) -> tuple[int, int]:
    """(members who came, visitors who came)."""
    members = visitors = 0
    for status, count in row_tuples(
        Attendance.select(Member.status, fn.COUNT(Attendance.id))
        .join(Member)
        .where((Attendance.meeting == meeting) & Attendance.presence.in_(ATTENDED))
        .group_by(Member.status)
    ):
        if status in PROSPECT_STATUSES:
            visitors += count
        else:
            members += count
    return members, visitors


def rsvp_counts(meeting: Meeting) -> dict[str, int]:
    """How members answered: every active member (no answer is needs_action), and members on
    leave who answered. Visitors are not asked, so not counted."""
    return rsvp_counts_of([meeting])[meeting.id]


def rsvp_counts_of(meetings: list[Meeting]) -> dict[int, dict[str, int]]:
    """`rsvp_counts` of several meetings of one group, in two grouped queries."""
    if not meetings:
        return {}
    ids = [meeting.id for meeting in meetings]
    counts = {meeting_id: dict.fromkeys(RSVP_STATES, 0) for meeting_id in ids}
    answered_active = dict.fromkeys(ids, 0)
    rows = row_tuples(
        Attendance.select(Attendance.meeting, Member.status, Attendance.rsvp, fn.COUNT(Attendance.id))
        .join(Member)
        .where(Attendance.meeting.in_(ids) & Member.status.in_(("active", "on_leave")))
        .group_by(Attendance.meeting, Member.status, Attendance.rsvp)
    )
    for meeting_id, status, rsvp, count in rows:
        counts[meeting_id][rsvp] += count
        if status == "active":
            answered_active[meeting_id] += count
    active = Member.select().where((Member.group == meetings[0].group_id) & (Member.status == "active")).count()
    for meeting_id in ids:
        # Active members with no row yet have not answered either.
        counts[meeting_id]["needs_action"] += active - answered_active[meeting_id]
    return counts


def speakers(meeting: Meeting) -> list[RosterLine]:
    """Who speaks in the 60-second round, by name: everyone checked in (visitors too, they
    introduce themselves; a substitute speaks for the member); before anyone is checked
    in, every active member."""
    here = (
        Attendance.select(Attendance, Member)
        .join(Member)
        .where((Attendance.meeting == meeting) & Attendance.presence.in_(ATTENDED))
        .order_by(Member.name, Member.id)
    )
    lines = [RosterLine(row.member, row) for row in here]
    if lines:
        return lines
    active = Member.select().where((Member.group == meeting.group_id) & (Member.status == "active"))
    return [RosterLine(member, None) for member in active.order_by(Member.name, Member.id)]


def check_in(
    meeting: Meeting, member: Member, *, now: datetime, actor: Member | None = None
) -> tuple[Attendance, bool]:
    """Meeting mode's check-in: present, unless already recorded as there; (row, changed)."""
    row = Attendance.get_or_none((Attendance.meeting == meeting) & (Attendance.member == member))
    if row is not None and row.presence in ATTENDED:
        return row, False
    return set_presence(meeting, member, "present", now=now, actor=actor), True


def undo_check_in(meeting: Meeting, member: Member, *, now: datetime, actor: Member | None = None) -> Attendance:
    """Take back a check-in (present or late); a substitute is changed on the meeting's page."""
    row = Attendance.get_or_none((Attendance.meeting == meeting) & (Attendance.member == member))
    if row is None or row.presence not in ("present", "late"):
        raise UserError(f"{member.name} is not checked in")
    return set_presence(meeting, member, None, now=now, actor=actor, reason="check-in undone")


def toggle_present(meeting: Meeting, member: Member, *, now: datetime, actor: Member | None = None) -> Attendance:
    """Check-in: present if not recorded as there yet; else undone (absent once the meeting is held)."""
    row = Attendance.get_or_none((Attendance.meeting == meeting) & (Attendance.member == member))
    if row is None or row.presence not in ATTENDED:
        return set_presence(meeting, member, "present", now=now, actor=actor)
    undone = "absent" if meeting.status == "held" else None
    return set_presence(meeting, member, undone, now=now, actor=actor, reason="check-in undone")


def add_visitor(
    meeting: Meeting,
    *,
    name: str,
    invited_by: Member | None = None,
    now: datetime,
    business: str = "",
    category: str = "",
    email: str = "",
    phone: str = "",
) -> Attendance:
    """A visitor at the door: a new Member with status visitor (and who invited them), present.

    Someone who visited before (a visitor of the same name) comes back as themselves,
    checked in, rather than as a second visitor of that name.
    """
    if meeting.status in ("skipped", "cancelled"):
        raise UserError(f"the meeting on {local_date(meeting).isoformat()} is {meeting.status}")
    with database.atomic():
        visitor = returning_visitor(meeting.group_id, name)
        if visitor is None:
            visitor = add_member(
                meeting.group,
                now=now,
                name=name,
                status="visitor",
                invited_by=invited_by,
                business=business,
                category=category,
                email=email,
                phone=phone,
            )
        elif invited_by is not None and visitor.invited_by_id is None:
            visitor.invited_by = invited_by
            visitor.save()
        return set_presence(meeting, visitor, "present", now=now)


def returning_visitor(group_id: int, name: str) -> Member | None:
    """A visitor (or applicant) already known by this name (case and accents aside), if exactly one."""
    wanted = fold(name)
    if not wanted:
        return None
    found = [
        member
        for member in Member.select().where(
            (Member.group == group_id) & Member.status.in_(PROSPECT_STATUSES) & Member.search_key.contains(wanted)
        )
        if fold(member.name) == wanted
    ]
    return found[0] if len(found) == 1 else None


def visitors_at(meeting: Meeting) -> list[Attendance]:
    """The visitors recorded at a meeting, with who invited them (attendance.member.invited_by)."""
    return list(
        Attendance.select(Attendance, Member)
        .join(Member)
        .where((Attendance.meeting == meeting) & Member.status.in_(PROSPECT_STATUSES))
        .order_by(Member.name)
    )


def attendance_rate(member: Member, now: datetime) -> AttendanceRate:
    return attendance_rates(member.group, now, [member])[member.id]


def attendance_rates(group: Group, now: datetime, members: Iterable[Member] | None = None) -> dict[int, AttendanceRate]:
    """Each member's rate over the held meetings so far, by member id (one query per table)."""
    if members is None:
        members = Member.select().where((Member.group == group) & (Member.status.in_(RATED_STATUSES)))
    members = list(members)
    tz = zone(group)
    held: dict[int, date] = {}
    one_off: set[int] = set()
    for meeting in Meeting.select(Meeting.id, Meeting.starts_at, Meeting.series).where(
        (Meeting.group == group) & (Meeting.status == "held") & (Meeting.starts_at <= now)
    ):
        held[meeting.id] = meeting.starts_at.astimezone(tz).date()
        if meeting.series_id is None:
            one_off.add(meeting.id)
    presence: dict[tuple[int, int], str | None] = {}
    if held and members:
        rows = Attendance.select(Attendance.member, Attendance.meeting, Attendance.presence).where(
            Attendance.meeting.in_(list(held))
        )
        if len(members) == 1:
            rows = rows.where(Attendance.member == members[0])
        for member_id, meeting_id, state in row_tuples(rows):
            presence[(member_id, meeting_id)] = state
    rates = {}
    for member in members:
        since = member.joined_on or member.created_at.astimezone(tz).date()
        attended = excused = counted = 0
        for meeting_id, day in held.items():
            if day < since or (member.archived_on and day > member.archived_on):
                continue
            state = presence.get((member.id, meeting_id))
            if meeting_id in one_off and state is None:
                continue
            if state in EXCUSED:
                excused += 1
                continue
            counted += 1
            attended += state in ATTENDED
        rates[member.id] = AttendanceRate(member, attended, counted, excused)
    return rates


def attendance_of(meeting: Meeting, member: Member) -> Attendance | None:
    """The member's RSVP and attendance row for `meeting`, or None before either is given."""
    return Attendance.get_or_none((Attendance.meeting == meeting) & (Attendance.member == member))


def corrected(attendance_ids: Iterable[int]) -> set[int]:
    """Which of these attendance rows were corrected after their meeting was held."""
    ids = list(attendance_ids)
    if not ids:
        return set()
    rows = AttendanceCorrection.select(AttendanceCorrection.attendance).where(AttendanceCorrection.attendance.in_(ids))
    return {row.attendance_id for row in rows}


def active_member_count(group: Group) -> int:
    """The active members a meeting expects (visitors, on leave and alumni not counted)."""
    return Member.select().where((Member.group == group) & (Member.status == "active")).count()
