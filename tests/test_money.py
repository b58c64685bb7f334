"""Money is integer minor units, parsed digit by digit: no float ever touches it."""

from __future__ import annotations

import pytest

from organizer.errors import ValidationError
from organizer.services.money import format_money, parse_money


@pytest.mark.parametrize(
    "text, minor",
    [
        ("1,250.50", 125050),
        ("1250", 125000),
        ("75.25", 7525),
        ("0.10", 10),
        ("0.1", 10),
        ("$1,000,000.01", 100000001),
        (".99", 99),
        ("1 250.50", 125050),
    ],
)
def test_parse_cad(text, minor):
    assert parse_money(text, "CAD") == minor


def test_the_sum_of_many_cents_is_exact():
    # 0.1 + 0.2 != 0.3 in floats; here it is exact.
    assert parse_money("0.10", "CAD") + parse_money("0.20", "CAD") == parse_money("0.30", "CAD")
    assert sum(parse_money("19.99", "CAD") for _ in range(1000)) == 1999000


@pytest.mark.parametrize("text", ["", "abc", "1,25.0", "1.2.3", "12,50", "-5", "1.505"])
def test_bad_amounts_name_the_field(text):
    with pytest.raises(ValidationError) as error:
        parse_money(text, "CAD", field="value")
    assert set(error.value.fields) == {"value"}


def test_currencies_without_cents():
    assert parse_money("1,250", "JPY") == 1250
    with pytest.raises(ValidationError) as error:
        parse_money("1250.5", "JPY")
    assert error.value.fields["value"] == "“1250.5”: JPY amounts are whole numbers (JPY has no minor unit)"
    # A spreadsheet's "1,250.00" is exactly 1250 yen: zeros lose nothing.
    assert parse_money("1,250.00", "JPY") == 1250
    assert parse_money("1.2340", "KWD") == 1234
    with pytest.raises(ValidationError) as error:
        parse_money("1.5051", "CAD")
    assert error.value.fields["value"] == "CAD amounts have at most 2 decimal places"
    assert format_money(1250, "JPY") == "1,250"
    assert parse_money("1.234", "KWD") == 1234


def test_format():
    assert format_money(125050, "CAD") == "1,250.50"
    assert format_money(5, "EUR") == "0.05"
    assert format_money(125050, "CAD", grouping=False) == "1250.50"
    # Columns that promise two decimals get them in every currency, never fewer digits.
    assert format_money(1250, "JPY", grouping=False, min_places=2) == "1250.00"
    assert format_money(1255, "BHD", grouping=False, min_places=2) == "1.255"
    assert format_money(125050, "EUR", min_places=2) == "1,250.50"
