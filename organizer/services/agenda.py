"""A meeting's agenda: items in order, their minutes against the meeting's length.

Positions are 1, 2, 3 … with no gaps: adding appends, removing closes the gap, moving
swaps with the neighbour. A thread carried to the next meeting
(`services.threads.carry_to_next_meeting`) appears on its agenda as a 'carried_thread'
item; taking that item off the agenda un-carries the thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from organizer.errors import UserError, ValidationError
from organizer.models import AGENDA_KINDS, AgendaItem, Meeting, Member, Thread, database
from organizer.text import tidy

KIND_LABELS = {
    "open_networking": "Open networking",
    "education": "Education moment",
    "sixty_second_round": "60-second round",
    "spotlight": "Member spotlight",
    "referral_round": "Referral round",
    "carried_thread": "Carried-over thread",
    "other": "Other",
}
MAX_ITEM_MINUTES = 600
# The usual running order: (kind, minutes, title); the 60-second round's minutes are
# one per active member, so None here.
STANDARD_AGENDA = (
    ("open_networking", 15, "Open networking"),
    ("education", 10, "Education moment"),
    ("sixty_second_round", None, "60-second round"),
    ("spotlight", 10, "Member spotlight"),
    ("referral_round", 15, "Referrals and thank-yous"),
    ("other", 5, "Visitors, announcements and close"),
)


@dataclass(frozen=True)
class AgendaTotal:
    minutes: int  # the items' total
    meeting_minutes: int  # the meeting's length

    @property
    def over_by(self) -> int:
        return max(0, self.minutes - self.meeting_minutes)

    @property
    def is_over(self) -> bool:
        """The agenda does not fit the meeting: flag it."""
        return self.minutes > self.meeting_minutes

    def describe(self) -> str:
        text = f"{self.minutes} of {self.meeting_minutes} min"
        return f"{text} — {self.over_by} min too long" if self.is_over else text


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda.order_by(AgendaItem.position, AgendaItem.id))


def agenda_total(meeting: Meeting) -> AgendaTotal:
    minutes = (
        AgendaItem.select(fn.COALESCE(fn.SUM(AgendaItem.minutes), 0)).where(AgendaItem.meeting == meeting).scalar()
    )
    return AgendaTotal(minutes=int(minutes or 0), meeting_minutes=meeting.minutes)


def item_problems(values: dict) -> tuple[dict, dict[str, str]]:
    """Clean and check an item's fields; returns (clean values, {field: message})."""
    clean: dict = {}
    errors: dict[str, str] = {}
    if "kind" in values:
        clean["kind"] = tidy(values["kind"]).lower().replace(" ", "_").replace("-", "_")
        if clean["kind"] not in AGENDA_KINDS:
            errors["kind"] = "kind is one of " + ", ".join(AGENDA_KINDS)
    if "title" in values:
        clean["title"] = tidy(values["title"])
        if len(clean["title"]) > 200:
            errors["title"] = "a title is at most 200 characters"
    if "minutes" in values:
        try:
            clean["minutes"] = int(str(values["minutes"]).strip() or 0)
            if not 0 <= clean["minutes"] <= MAX_ITEM_MINUTES:
                raise ValueError
        except ValueError:
            errors["minutes"] = f"minutes is a whole number from 0 to {MAX_ITEM_MINUTES}"
    for name, model in (("member", Member), ("thread", Thread)):
        if name in values:
            if values[name] is not None and not isinstance(values[name], model):
                errors[name] = f"the {name} is not known"
            clean[name] = values[name]
    return clean, errors


def _check_group(meeting: Meeting, clean: dict, errors: dict[str, str]) -> None:
    for name in ("member", "thread"):
        linked = clean.get(name)
        if linked is not None and name not in errors and linked.group_id != meeting.group_id:
            errors[name] = f"the {name} belongs to another group"


def add_item(
    meeting: Meeting,
    *,
    kind: str = "other",
    title: str = "",
    minutes: int = 0,
    member: Member | None = None,
    thread: Thread | None = None,
) -> AgendaItem:
    """Append an item; with no title it is named for its kind (or its thread)."""
    clean, errors = item_problems(
        {"kind": kind, "title": title, "minutes": minutes, "member": member, "thread": thread}
    )
    _check_group(meeting, clean, errors)
    if errors:
        raise ValidationError(errors)
    if not clean["title"]:
        clean["title"] = thread.title if thread is not None else KIND_LABELS[clean["kind"]]
    with database.atomic():
        last = AgendaItem.select(fn.MAX(AgendaItem.position)).where(AgendaItem.meeting == meeting).scalar()
        return AgendaItem.create(meeting=meeting, position=(last or 0) + 1, **clean)


def update_item(item: AgendaItem, **changes: object) -> AgendaItem:
    """Change an item's kind, title, minutes, member or thread."""
    unknown = set(changes) - {"kind", "title", "minutes", "member", "thread"}
    if unknown:
        raise TypeError(f"unknown agenda fields: {', '.join(sorted(unknown))}")
    clean, errors = item_problems(changes)
    _check_group(item.meeting, clean, errors)
    if "title" in clean and not clean["title"]:
        errors["title"] = "an agenda item needs a title"
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        for name, value in clean.items():
            setattr(item, name, value)
        item.save()
    return item


def remove_item(item: AgendaItem) -> None:
    """Take an item off the agenda; a carried thread is no longer carried to this meeting."""
    with database.atomic():
        if item.thread_id is not None:
            Thread.update(carried_to=None).where(
                (Thread.id == item.thread_id) & (Thread.carried_to == item.meeting_id)
            ).execute()
        meeting_id, position = item.meeting_id, item.position
        item.delete_instance()
        AgendaItem.update(position=AgendaItem.position - 1).where(
            (AgendaItem.meeting == meeting_id) & (AgendaItem.position > position)
        ).execute()


def move_item(item: AgendaItem, step: int) -> AgendaItem:
    """Move an item up (step -1) or down (+1); at either end it stays where it is."""
    if step not in (-1, 1):
        raise ValueError("an item moves one place at a time")
    with database.atomic():
        neighbour = AgendaItem.get_or_none(
            (AgendaItem.meeting == item.meeting_id) & (AgendaItem.position == item.position + step)
        )
        if neighbour is not None:
            neighbour.position, item.position = item.position, neighbour.position
            neighbour.save()
            item.save()
    return item


def move_up(item: AgendaItem) -> AgendaItem:
    return move_item(item, -1)


def move_down(item: AgendaItem) -> AgendaItem:
    return move_item(item, 1)


def standard_agenda(meeting: Meeting) -> list[AgendaItem]:
    """Fill an empty agenda with the usual running order (STANDARD_AGENDA).

    The 60-second round gets a minute per active member; the total may then be longer
    than the meeting, which the agenda's total flags like any other. Threads carried onto
    the agenda before it was filled do not count as items: the usual order goes around
    them, and they come just before the close.
    """
    carried = list(meeting.agenda.order_by(AgendaItem.position, AgendaItem.id))
    if any(item.kind != "carried_thread" for item in carried):
        raise UserError("the agenda already has items: add to it or remove them first")
    speakers = Member.select().where((Member.group == meeting.group_id) & (Member.status == "active")).count()
    with database.atomic():
        usual = [
            add_item(meeting, kind=kind, title=title, minutes=minutes if minutes is not None else speakers)
            for kind, minutes, title in STANDARD_AGENDA
        ]
        for position, item in enumerate(usual[:-1] + carried + usual[-1:], start=1):
            if item.position != position:
                item.position = position
                item.save()
    return usual


def find_item(meeting: Meeting, item_id: int) -> AgendaItem | None:
    """Item `item_id` of `meeting`'s agenda, or None if it is gone."""
    return AgendaItem.get_or_none((AgendaItem.id == item_id) & (AgendaItem.meeting == meeting))
