"""Money in the group's notation, decimals from CLDR, and ambiguous amounts refused."""

from __future__ import annotations

import pytest

from organizer.errors import ValidationError
from organizer.services.groups import create_group
from organizer.services.money import (
    amount_text,
    default_locale,
    exponent,
    format_money,
    parse_money,
)


@pytest.mark.parametrize(
    "currency, digits",
    [
        ("CLF", 4),
        ("UYW", 4),
        ("JPY", 0),
        ("BHD", 3),
        ("EUR", 2),
        ("KWD", 3),
        ("ISK", 0),
    ],
)
def test_decimals_come_from_cldr(currency, digits):
    assert exponent(currency) == digits


@pytest.mark.parametrize(
    "text, currency, locale, minor",
    [
        ("2.500,50 €", "EUR", "de_DE", 250050),
        ("1.250", "EUR", "de_DE", 125000),
        ("1,25", "EUR", "de_DE", 125),
        ("1 250,50", "EUR", "fr_FR", 125050),
        ("1\u202f250,50 €", "EUR", "fr_FR", 125050),
        ("1'250.50", "CHF", "de_CH", 125050),
        ("$2,500", "CAD", "en_CA", 250000),
        ("2500 CAD", "CAD", "en_CA", 250000),
        ("CAD 2,500.75", "CAD", "en_CA", 250075),
        ("¥12000", "JPY", "ja_JP", 12000),
        ("¥12,000", "JPY", "", 12000),
        ("US$10", "USD", "en_US", 1000),
        (
            "1.250,50",
            "EUR",
            "",
            125050,
        ),  # both marks: the last one is the decimal point
        ("1,250.50", "EUR", "", 125050),
        ("0,5", "CLF", "es_CL", 5000),
        ("1.2345", "CLF", "", 12345),
    ],
)
def test_parse_in_the_groups_notation(text, currency, locale, minor):
    assert parse_money(text, currency, locale=locale) == minor


@pytest.mark.parametrize(
    "text, currency, locale, message",
    [
        (
            "1.250",
            "EUR",
            "",
            "“1.250” could be 1250 or 1.25: write it with its decimals (1,250.00 or 1.250,00)",
        ),
        ("1,250", "EUR", "", "“1,250” could be 1250 or 1.25"),
        ("2500 USD", "CAD", "en_CA", "“2500 USD”: the group keeps its amounts in CAD"),
        ("€5", "CAD", "en_CA", "the group keeps its amounts in CAD"),
        ("1,2345", "EUR", "de_DE", "EUR amounts have at most 2 decimal places"),
        ("12,50", "CAD", "en_CA", "is not an amount"),
        ("1.5", "JPY", "ja_JP", "JPY amounts are whole numbers"),
        ("lots", "EUR", "de_DE", "is not an amount"),
    ],
)
def test_wrong_and_ambiguous_amounts_say_why(text, currency, locale, message):
    with pytest.raises(ValidationError) as error:
        parse_money(text, currency, locale=locale)
    assert message in error.value.fields["value"]


def test_format_in_the_groups_notation():
    assert format_money(125050, "EUR", locale="de_DE") == "1.250,50"
    assert format_money(125050, "EUR", locale="fr_FR") == "1\u202f250,50"
    assert format_money(125050, "EUR", locale="de_DE", grouping=False) == "1250,50"
    assert format_money(12345, "CLF", locale="es_CL") == "1,2345"
    assert format_money(125050, "CAD") == "1,250.50"  # machine-read columns: neutral
    assert amount_text(125050, "EUR", "de_DE") == "1.250,50 EUR"
    assert amount_text(125050, "CAD", "en_CA") == "1,250.50 CAD"
    # What is written reads back the same way.
    for locale in ("de_DE", "fr_FR", "de_CH", "en_CA", "hi_IN"):
        assert parse_money(format_money(123456789, "EUR", locale=locale), "EUR", locale=locale) == 123456789


def _berlin(now, **extra):
    return create_group(
        name="Berlin",
        timezone="Europe/Berlin",
        organizer_name="A",
        organizer_email="a@example.com",
        currency="EUR",
        now=now,
        **extra,
    )


def test_a_groups_locale_defaults_from_its_timezone(db, now):
    assert default_locale("Europe/Berlin") == "de_DE"
    assert default_locale("America/Toronto") == "en_CA"
    assert default_locale("UTC") == ""
    berlin = _berlin(now)
    assert berlin.locale == "de_DE"
    with pytest.raises(ValidationError) as error:
        _berlin(now, locale="xx_QQ")
    assert set(error.value.fields) == {"locale"}


def test_a_referral_file_with_an_ambiguous_amount_is_refused_with_its_line(db, now):
    from organizer.services.ledger_import import check_referrals
    from organizer.services.members import add_member

    berlin = _berlin(now)
    add_member(berlin, name="Anna Berg", email="anna@example.com", now=now)
    add_member(berlin, name="Jonas Weber", email="jonas@example.com", now=now)
    body = (
        "date,giver,receiver,prospect,status,value\n"
        '2026-10-01,anna@example.com,jonas@example.com,Bäckerei Müller,won,"1.250,50"\n'
        "2026-10-02,anna@example.com,jonas@example.com,Café Kranz,won,1.250\n"
    ).encode()
    check = check_referrals(berlin, body, now=now)
    assert [row["value_minor"] for row in check.rows] == [125050]
    assert [(p.line, p.column) for p in check.problems] == [(3, "value")]
    assert (
        "“1.250” could be 1250 or 1.25: write it with its decimals (1,250.00 or 1.250,00)" in check.problems[0].reason
    )


def test_onboarding_derives_the_locale_from_the_timezone(db, now):
    from organizer.services.onboarding import start_group

    values = {
        "name": "Kreis",
        "timezone": "Europe/Berlin",
        "organizer_name": "A",
        "organizer_email": "a@example.com",
        "currency": "EUR",
        "rule": "2nd tuesday",
        "at": "07:30",
        "minutes": "90",
        "starts_on": "",
    }
    assert start_group(values, now=now).locale == "de_DE"


def test_the_balance_table_is_in_the_groups_notation_and_tsv_stays_neutral(db, db_path, now, capsys):
    from organizer.cli import main
    from organizer.services import ledger
    from organizer.services.members import add_member

    berlin = _berlin(now)
    anna = add_member(berlin, name="Anna Berg", email="anna@example.com", now=now)
    jonas = add_member(berlin, name="Jonas Weber", email="jonas@example.com", now=now)
    referral = ledger.record_referral(berlin, now=now, giver=anna, receiver=jonas, prospect_name="Café Kranz")
    ledger.advance(referral, "won", value="2.500,50", now=now)
    assert main(["--db", str(db_path), "balance"]) == 0
    assert "2.500,50" in capsys.readouterr().out
    assert main(["--db", str(db_path), "balance", "--format", "tsv"]) == 0
    assert "Anna Berg\t1\t0\t2500.50\t0.00" in capsys.readouterr().out
