"""The visitor pipeline: visits, the follow-up queue, applicant, member, conversion figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from organizer.errors import UserError
from organizer.models import Member
from organizer.services import attendance, meetings, members, pipeline
from organizer.services.recurrence import parse_rule
from organizer.services.renewals import member_history

JAN = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def weekly(group):
    meetings.create_series(
        group,
        rule=parse_rule("every tuesday"),
        at="07:30",
        minutes=90,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 3, 31),
        now=JAN,
    )
    return group


def _at(day: int, month: int = 1) -> datetime:
    return datetime(2026, month, day, 18, 0, tzinfo=UTC)


def test_a_visitor_becomes_an_applicant_then_a_member_keeping_visits_and_inviter(
    weekly,
):
    group = weekly
    ana = members.add_member(group, name="Ana Host", email="ana@example.com", now=JAN)
    first = meetings.occurrence(group, date(2026, 1, 6))
    attendance.add_visitor(first, name="Vic Visitor", invited_by=ana, now=_at(6))
    vic = Member.get(Member.name == "Vic Visitor")
    assert vic.status == "visitor" and vic.invited_by_id == ana.id

    # Not owed within 7 days of the visit, owed after, gone once contacted.
    assert pipeline.follow_ups_owed(group, _at(12)) == []
    (owed,) = pipeline.follow_ups_owed(group, _at(14))
    assert (owed.member.id, owed.last_visit, owed.days, owed.invited_by) == (
        vic.id,
        date(2026, 1, 6),
        8,
        "Ana Host",
    )
    pipeline.mark_contacted(vic, now=_at(14))
    assert pipeline.follow_ups_owed(group, _at(20)) == []

    pipeline.make_applicant(vic, now=_at(15))
    # Back at the door as an applicant: the same person, a second visit.
    attendance.add_visitor(meetings.occurrence(group, date(2026, 1, 20)), name="vic visitor", now=_at(20))
    assert Member.select().where(Member.name ** "vic visitor").count() == 1
    # A visit after the last contact owes a new follow-up.
    assert [row.member.id for row in pipeline.follow_ups_owed(group, _at(28))] == [vic.id]

    pipeline.convert_to_member(Member.get_by_id(vic.id), now=_at(2, 2))
    vic = Member.get_by_id(vic.id)
    assert (vic.status, vic.joined_on, vic.renewal_due, vic.invited_by_id) == (
        "active",
        date(2026, 2, 2),
        date(2027, 2, 2),
        ana.id,
    )
    assert pipeline.visit_dates(vic) == [date(2026, 1, 6), date(2026, 1, 20)]
    assert [(e.action, e.detail) for e in member_history(vic)] == [
        ("contacted", "followed up on 2026-01-14"),
        ("status", "visitor → applicant"),
        ("joined", "applicant → active"),
    ]
    assert pipeline.follow_ups_owed(group, _at(20, 2)) == []
    with pytest.raises(UserError):
        pipeline.convert_to_member(vic, now=_at(3, 2))
    with pytest.raises(UserError):
        pipeline.make_applicant(vic, now=_at(3, 2))


def test_conversion_figures_count_visitors_joiners_and_who_brought_them(weekly):
    group = weekly
    ana = members.add_member(group, name="Ana Host", now=JAN)
    ben = members.add_member(group, name="Ben Host", now=JAN)
    day = meetings.occurrence(group, date(2026, 1, 13))
    for name, host in (("V1", ana), ("V2", ana), ("V3", ben), ("V4", None)):
        attendance.add_visitor(day, name=name, invited_by=host, now=_at(13))
    for name in ("V1", "V2", "V3"):
        pipeline.convert_to_member(Member.get(Member.name == name), now=_at(20))
    start, end = pipeline.year_bounds(group, _at(20))
    figures = pipeline.conversion(group, start, end)
    assert (figures.visitors, figures.joined) == (4, 3)
    assert figures.brought_by == (("Ana Host", 2), ("Ben Host", 1))
    last_year = pipeline.conversion(group, start - timedelta(days=365), start)
    assert (last_year.visitors, last_year.joined) == (0, 0)


def test_the_recap_says_the_months_renewals_and_the_years_visitors(weekly):
    from organizer.recap import md, txt
    from organizer.recap.document import document
    from organizer.services.recap import build_recap
    from organizer.services.renewals import renew

    group = weekly
    ana = members.add_member(group, name="Ana Host", renewal_due=date(2026, 1, 20), now=JAN)
    members.add_member(group, name="Cy Due", renewal_due=date(2026, 1, 28), now=JAN)
    attendance.add_visitor(
        meetings.occurrence(group, date(2026, 1, 13)),
        name="V1",
        invited_by=ana,
        now=_at(13),
    )
    attendance.add_visitor(meetings.occurrence(group, date(2026, 1, 13)), name="V2", now=_at(13))
    pipeline.convert_to_member(Member.get(Member.name == "V1"), now=_at(20))
    renew(ana, now=_at(21))
    recap = build_recap(group, 2026, 1, now=_at(31))
    line = "Renewals: 1 renewed, 1 still due this month. This year: 2 visitors, 1 joined (brought by Ana Host 1)."
    assert line in md.render(document(recap)).decode("utf-8")
    assert line in " ".join(txt.text(document(recap)).split())
