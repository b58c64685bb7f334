"""Money as integer minor units: parsing what people type, and formatting it back.

Floats never touch an amount: "1,250.50" is read digit by digit into 125050.
"""

from __future__ import annotations

import re

from organizer.services.errors import ValidationError

# ISO 4217 currencies whose minor unit is not the cent.
_EXPONENTS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0, "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

# ISO 4217 codes of money a group can be paid in (Debian's iso-codes list, plus XCG and
# ZWG of 2024-25); precious metals, special drawing rights, "test" and "no currency" left out.
CURRENCIES = frozenset((
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR",
    "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW",
    "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA",
    "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG",
    "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE",
    "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP",
    "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
    "ZWL",
))

_AMOUNT = re.compile(r"^(?P<units>\d{1,3}(?:[,\u00a0 ']\d{3})+|\d+)?(?:\.(?P<fraction>\d+))?$")


def exponent(currency: str) -> int:
    """Digits after the decimal point in `currency` (2 unless ISO 4217 says otherwise)."""
    return _EXPONENTS.get(currency.upper(), 2)


def parse_money(text: str, currency: str, field: str = "value") -> int:
    """'1,250.50', '1250' or '75.25' → minor units; a clear message for anything else."""
    cleaned = text.strip().lstrip("$€£¥").strip()
    match = _AMOUNT.match(cleaned)
    if not cleaned or not match or (match["units"] is None and match["fraction"] is None):
        raise ValidationError.single(field, f"“{text}” is not an amount (e.g. 1,250.50)")
    digits = exponent(currency)
    # Zeros past the currency's digits lose nothing: a spreadsheet's "1,250.00" yen is 1250.
    fraction = (match["fraction"] or "")[:digits] + (match["fraction"] or "")[digits:].rstrip("0")
    if len(fraction) > digits:
        if not digits:
            raise ValidationError.single(
                field, f"“{text}”: {currency} amounts are whole numbers ({currency} has no minor unit)"
            )
        raise ValidationError.single(
            field, f"{currency} amounts have at most {digits} decimal places"
        )
    units = re.sub(r"\D", "", match["units"] or "0")
    return int(units) * 10**digits + int(fraction.ljust(digits, "0") or "0")


def format_money(minor: int, currency: str, *, grouping: bool = True, min_places: int = 0) -> str:
    """Minor units → '1,250.50' (no currency sign; callers add the code where it helps).

    `min_places` pads with zeros for machine-read columns that promise two decimals
    whatever the currency: 1250 yen is '1250.00' there ('1250' otherwise). Digits the
    currency has are never cut: 1.255 dinars stay '1.255'.
    """
    digits = exponent(currency)
    sign = "-" if minor < 0 else ""
    units, fraction = divmod(abs(minor), 10**digits)
    whole = f"{units:,}" if grouping else str(units)
    decimals = f"{fraction:0{digits}d}" if digits else ""
    decimals += "0" * max(0, min_places - digits)
    return f"{sign}{whole}.{decimals}" if decimals else f"{sign}{whole}"


# The business ceiling: one trillion in major units, more than any referral in IDR or VND
# and, in minor units, far inside the signed 64 bits every database stores.
CEILING_MAJOR = 10**12


def check_amount(minor: int, currency: str, field: str = "value") -> int:
    """`minor` if it is within the business ceiling, else a ValidationError on `field`."""
    if abs(minor) > CEILING_MAJOR * 10 ** exponent(currency):
        raise ValidationError.single(
            field, f"{format_money(minor, currency)} {currency} is past the ceiling of "
            f"{CEILING_MAJOR:,} {currency} for one amount"
        )
    return minor
