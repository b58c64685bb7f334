"""The one-line referral capture: `ana > ben: roof repair for Carla, hot 4`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from organizer.errors import ValidationError
from organizer.models import LedgerEvent, Member, Referral
from organizer.services import ledger, meetings
from organizer.services.capture import (
    capture_referral,
    meeting_referrals,
    preview_capture,
    record_capture,
    resolve_member,
)
from organizer.services.groups import update_group
from organizer.services.ledger import void
from organizer.services.members import add_member
from organizer.services.money import format_money
from organizer.services.recurrence import parse_rule

ON_THE_DAY = datetime(2026, 2, 10, 13, 0, tzinfo=UTC)  # 08:00 in Toronto


@pytest.fixture
def people(group):
    names = [
        "Ana Silva",
        "Ben Ng",
        "Zoë Lefèvre",
        "Nguyễn Thị Mai",
        "Daniel Okafor",
        "David Schmidt",
        "José Núñez",
        "Kevin O'Brien",
        "Fatima Al-Sayed",
        "김지은",
    ]
    found = {name: add_member(group, name=name, joined_on=date(2025, 1, 1), now=ON_THE_DAY) for name in names}
    found["Sam Visitor"] = add_member(group, name="Sam Visitor", status="visitor", now=ON_THE_DAY)
    found["Old Alumna"] = add_member(group, name="Ana Oldtimer", status="alumni", now=ON_THE_DAY)
    return found


@pytest.fixture
def meeting(group):
    meetings.create_series(
        group,
        rule=parse_rule("2nd tuesday"),
        at="07:30",
        minutes=90,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 3, 31),
        now=ON_THE_DAY,
    )
    return meetings.occurrence(group, date(2026, 2, 10))


def test_the_example_line(group, people):
    preview = preview_capture(group, "ana > ben: roof repair for Carla, hot 4", now=ON_THE_DAY)
    assert preview.ok, preview.errors
    assert (preview.giver.name, preview.receiver.name) == ("Ana Silva", "Ben Ng")
    assert (preview.prospect, preview.notes, preview.temperature, preview.kind) == (
        "Carla",
        "roof repair",
        4,
        "outside",
    )
    assert preview.describe() == "Ana Silva → Ben Ng: Carla (roof repair), temperature 4, outside"


@pytest.mark.parametrize(
    "query, name",
    [
        ("zoe", "Zoë Lefèvre"),
        ("ZOË", "Zoë Lefèvre"),
        ("lefevre", "Zoë Lefèvre"),
        ("zoe lef", "Zoë Lefèvre"),
        ("mai", "Nguyễn Thị Mai"),
        ("nguyen", "Nguyễn Thị Mai"),
        ("jose", "José Núñez"),
        ("jo nu", "José Núñez"),
        ("o'brien", "Kevin O'Brien"),
        ("sayed", "Fatima Al-Sayed"),
        ("김", "김지은"),
        ("Daniel Okafor", "Daniel Okafor"),
        ("dan", "Daniel Okafor"),
    ],
)
def test_names_match_by_folded_word_or_prefix(group, people, query, name):
    member, problem, candidates = resolve_member(group, query)
    assert problem is None and member.name == name and candidates == []


def test_an_exact_word_beats_a_prefix(group, people):
    add_member(group, name="Maite Ruiz", now=ON_THE_DAY)
    assert resolve_member(group, "mai")[0].name == "Nguyễn Thị Mai"
    member, _problem, candidates = resolve_member(group, "ma")
    assert member is None and [c.name for c in candidates] == ["Maite Ruiz", "Nguyễn Thị Mai"]


def test_ambiguous_and_unknown_names_say_so_and_list_the_candidates(group, people):
    preview = preview_capture(group, "da > nobody: Carla", now=ON_THE_DAY)
    assert not preview.ok
    assert preview.errors["giver"] == ("“da” matches 2 members: Daniel Okafor, David Schmidt — type more of the name")
    assert [m.name for m in preview.candidates["giver"]] == ["Daniel Okafor", "David Schmidt"]
    assert preview.errors["receiver"] == "no member matches “nobody”"
    assert "Carla" in preview.describe() and "?" in preview.describe()


def test_visitors_only_when_no_member_matches_and_never_alumni(group, people):
    assert resolve_member(group, "sam")[0].name == "Sam Visitor"
    assert resolve_member(group, "ana")[0].name == "Ana Silva"  # not the alumna
    assert resolve_member(group, "oldtimer")[1] == "no member matches “oldtimer”"


@pytest.mark.parametrize(
    "tail, temperature",
    [
        ("hot", 5),
        ("warm", 3),
        ("cold", 1),
        ("hot 4", 4),
        ("2", 2),
        ("Warm 3/5", 3),
        ("temp 4", 4),
    ],
)
def test_temperature_words_and_numbers(group, people, tail, temperature):
    preview = preview_capture(group, f"ana > ben: Carla, {tail}", now=ON_THE_DAY)
    assert preview.ok and preview.temperature == temperature and preview.temperature_given


def test_details_kind_contact_and_commas_in_the_prospect(group, people):
    preview = preview_capture(
        group,
        "zoe > jose: new site for Smith, Jones & Co, inside, carla@example.com, (519) 555-0199, warm",
        now=ON_THE_DAY,
    )
    assert preview.ok, preview.errors
    assert (preview.prospect, preview.notes, preview.kind) == ("Smith, Jones & Co", "new site", "inside")
    assert preview.contact == "carla@example.com, (519) 555-0199"
    plain = preview_capture(group, "ana > ben: Carla", now=ON_THE_DAY)
    assert (plain.temperature, plain.temperature_given) == (3, False)
    assert plain.describe().endswith("temperature 3 (default), outside")


@pytest.mark.parametrize(
    "line, field",
    [
        ("ana ben Carla", "line"),
        ("ana > : Carla", "line"),
        ("ana > ben:", "prospect"),
        ("ana > ben: Carla, hot 9", "temperature"),
        ("ana > ana: Carla", "receiver"),
    ],
)
def test_problems(group, people, line, field):
    assert field in preview_capture(group, line, now=ON_THE_DAY).errors


def test_recording_links_the_referral_to_the_meeting(group, people, meeting):
    ana = people["Ana Silva"]
    three = [
        capture_referral(meeting, "ana > ben: roof repair for Carla, hot 4", now=ON_THE_DAY, actor=ana),
        capture_referral(meeting, "zoe > mai: translation for Dara Foods, warm", now=ON_THE_DAY),
    ]
    with pytest.raises(ValidationError, match="matches 2 members"):
        capture_referral(meeting, "da > ben: Carla", now=ON_THE_DAY)
    three.append(capture_referral(meeting, "daniel > ben: Erin, 2", now=ON_THE_DAY))
    assert Referral.select().count() == 3  # the ambiguous one saved nothing
    first = Referral.get_by_id(three[0].id)
    assert (first.meeting_id, first.given_on, first.status, first.temperature) == (
        meeting.id,
        date(2026, 2, 10),
        "open",
        4,
    )
    assert (first.prospect_name, first.notes) == ("Carla", "roof repair")
    assert LedgerEvent.get(LedgerEvent.referral == first).actor_id == ana.id
    void(three[1], reason="typed twice", now=ON_THE_DAY)
    assert [r.prospect_name for r in meeting_referrals(meeting)] == ["Carla", "Erin"]


def test_a_preview_with_problems_is_not_recorded(group, people, meeting):
    preview = preview_capture(group, "nobody > ben: Carla", now=ON_THE_DAY)
    with pytest.raises(ValidationError):
        record_capture(preview, meeting, now=ON_THE_DAY)
    assert Referral.select().count() == 0
    assert Member.select().count() == len(people)


# -- a value on the capture line ---------------------------------------------------------


@pytest.mark.parametrize(
    "tail, minor",
    [
        ("$2,500", 250000),
        ("2500 CAD", 250000),
        ("CAD 2,500.50", 250050),
        ("value 2500", 250000),
        ("worth $75.25", 7525),
        ("CA$1,000", 100000),
    ],
)
def test_a_value_on_the_capture_line(group, people, tail, minor):
    preview = preview_capture(group, f"zoe > ben: IT support for Müller Bakery, hot 5, {tail}", now=ON_THE_DAY)
    assert preview.ok, preview.errors
    assert (preview.prospect, preview.notes, preview.temperature) == ("Müller Bakery", "IT support", 5)
    assert preview.value_minor == minor
    assert preview.describe().endswith(f", value {format_money(minor, 'CAD')} CAD")


def test_the_issues_line_keeps_the_value_out_of_the_prospect(group, people):
    preview = preview_capture(group, "zoe > ben: IT support for Müller Bakery, hot 5, $2,500", now=ON_THE_DAY)
    assert preview.prospect == "Müller Bakery" and preview.value_minor == 250000
    assert preview.describe() == (
        "Zoë Lefèvre → Ben Ng: Müller Bakery (IT support), temperature 5, outside, value 2,500.00 CAD"
    )


@pytest.mark.parametrize(
    "currency, locale, tail, minor",
    [
        ("EUR", "de_DE", "2.500,50 €", 250050),
        ("EUR", "de_DE", "1.250 €", 125000),
        ("JPY", "ja_JP", "¥12000", 12000),
        ("EUR", "fr_FR", "2 500,50 EUR", 250050),
    ],
)
def test_values_in_the_groups_notation(group, people, currency, locale, tail, minor):
    update_group(group, currency=currency, locale=locale)
    preview = preview_capture(group, f"zoe > ben: Müller Bakery, warm, {tail}", now=ON_THE_DAY)
    assert preview.ok, preview.errors
    assert preview.value_minor == minor and preview.prospect == "Müller Bakery"


@pytest.mark.parametrize(
    "locale, tail, field, words",
    [
        ("en_CA", "2500", "value", "a value needs its currency (e.g. 2500 CAD)"),
        ("en_CA", "hot 9", "temperature", "temperature is a number from 1"),
        ("en_CA", "2500 USD", "value", "the group keeps its amounts in CAD"),
        ("en_CA", "€40", "value", "the group keeps its amounts in CAD"),
        ("en_CA", "$12.505", "value", "value: CAD amounts have at most 2 decimal places"),
        ("", "$1.250", "value", "could be 1250 or 1.25"),  # notation unknown: asks
        ("en_CA", "$5, $6", "value", "one value per referral"),
        ("en_CA", "value lots", "value", "is not an amount"),
    ],
)
def test_a_wrong_value_names_the_value(group, people, locale, tail, field, words):
    update_group(group, locale=locale)
    preview = preview_capture(group, f"zoe > ben: Müller Bakery, hot 5, {tail}", now=ON_THE_DAY)
    assert not preview.ok
    assert words in preview.errors[field], preview.errors
    assert set(preview.errors) == {field}  # the prospect and the temperature are fine


def test_a_captured_value_is_stored_and_kept_when_won(group, people, meeting):
    referral = capture_referral(meeting, "zoe > ben: IT support for Müller Bakery, hot 5, $2,500", now=ON_THE_DAY)
    assert referral.prospect_name == "Müller Bakery" and referral.value_minor == 250000
    ledger.advance(referral, "contacted", now=ON_THE_DAY)
    ledger.advance(referral, "won", now=ON_THE_DAY)
    assert Referral.get_by_id(referral.id).value_minor == 250000
