"""Money as integer minor units: parsing what people type, and formatting it back.

Floats never touch an amount: "1,250.50" is read digit by digit into 125050. How many
digits a currency has after the point comes from CLDR through Babel (JPY 0, BHD 3,
CLF and UYW 4), and a group's `locale` says how it writes numbers: a German euro group
reads and writes `1.250,50`. Text whose notation is not known (a file from somewhere,
a group with no locale) is read as nobody could misread it: `1.250` there could be one
thousand two hundred and fifty or one and a quarter, so it is refused, never guessed.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from organizer.errors import ValidationError
from organizer.services.currencies import CURRENCIES

# Babel (and CLDR's data) loads on the first amount, not with every command: ~15 ms of start.


# Spaces and apostrophes only ever group digits ("1 250", "1'250", "1 250" in French).
_GROUPING_ONLY = "\u00a0\u202f\u2009 '’"
_SIGNS = "$€£¥₩₹₽₺₪₫₱₦₴₸₼₾฿¢"
_MARKER = re.compile(
    rf"^(?P<before>[A-Za-z]{{3}}|[A-Za-z]{{0,3}}[{_SIGNS}])?(?P<number>[\d.,{_GROUPING_ONLY}]*?)"
    rf"(?P<after>[A-Za-z]{{3}}|[{_SIGNS}])?$"
)


@cache
def exponent(currency: str) -> int:
    """Digits after the decimal point in `currency`, as CLDR has them (JPY 0, BHD 3, CLF 4)."""
    from babel.numbers import get_currency_precision

    return get_currency_precision(currency.upper())


def locale_problem(value: str) -> str | None:
    """Why `value` is not a locale Babel knows ("de_DE", "fr_CA", "en"), or None."""
    if not value:
        return None
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return f"“{value}” is not a locale (e.g. en_CA, de_DE, fr_FR)"
    return None


def default_locale(timezone: str) -> str:
    """The usual locale of the country a time zone is in: Europe/Berlin → de_DE, '' if none."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    territory = get_global("zone_territories").get(timezone)
    if not territory or territory == "001":
        return ""
    try:
        return str(Locale.parse(f"und_{territory}"))
    except (ValueError, UnknownLocaleError):
        return ""


@lru_cache(maxsize=64)
def _symbols(locale: str) -> tuple[str, str]:
    """(decimal symbol, grouping symbol) of a locale."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(locale), get_group_symbol(locale)


@lru_cache(maxsize=64)
def _accepted_marks(currency: str, locale: str) -> frozenset[str]:
    """What may stand beside an amount of `currency`: its code, and its signs ('$' for CAD)."""
    from babel.numbers import get_currency_symbol

    marks = {currency.upper()}
    for where in {locale or "en", "en", "en_US"}:
        symbol = get_currency_symbol(currency.upper(), where)
        marks.add(symbol.upper())
        if symbol and not symbol[-1].isalpha():
            marks.add(symbol[-1])  # "CA$" and "US$" are written "$"
    return frozenset(marks)


def _not_an_amount(field: str, raw: str) -> ValidationError:
    return ValidationError.single(field, f"“{raw}” is not an amount (e.g. 1,250.50)")


def parse_money(text: str, currency: str, field: str = "value", locale: str = "") -> int:
    """'1,250.50', '$2,500', '2.500,50 €' (locale de_DE), '2500 CAD' → minor units.

    `locale` is the notation the text was written in ('' when unknown, as in a file):
    with it, its decimal symbol is the decimal point; without it, a lone separator
    followed by three digits is ambiguous and refused. A clear message for anything else.
    """
    currency = currency.upper()
    raw = text
    text = " ".join(text.split())
    match = _MARKER.match(text.replace(" ", "").replace("\u00a0", ""))
    if not match or not any(ch.isdigit() for ch in match["number"]):
        raise _not_an_amount(field, raw)
    marks = _accepted_marks(currency, locale)
    for mark in (match["before"], match["after"]):
        # "US$", "CA$", "A$": a sign after the country's letters of the code is the code's.
        prefixed = bool(mark) and mark[-1] in marks and currency.startswith(mark[:-1].upper())
        if mark and mark.upper() not in marks and not prefixed:
            raise ValidationError.single(field, f"“{raw}”: the group keeps its amounts in {currency}")
    number: str = match["number"]
    for ch in _GROUPING_ONLY:
        number = number.replace(ch, "_")
    units, fraction = _split(number, raw, currency, field, locale)
    digits = exponent(currency)
    # Zeros past the currency's digits lose nothing: a spreadsheet's "1,250.00" yen is 1250.
    fraction = fraction[:digits] + fraction[digits:].rstrip("0")
    if len(fraction) > digits:
        if not digits:
            raise ValidationError.single(
                field,
                f"“{raw}”: {currency} amounts are whole numbers ({currency} has no minor unit)",
            )
        raise ValidationError.single(field, f"{currency} amounts have at most {digits} decimal places")
    scale: int = 10**digits  # typeshed types int ** int as Any (a negative power is a float)
    return int(units or "0") * scale + int(fraction.ljust(digits, "0") or "0")


# Thousands (1,234,567) or lakhs and crores as India writes them (12,34,567).
_GROUPED = re.compile(r"^\d{1,3}(?:_\d{3})+$|^\d{1,2}(?:_\d{2})+_\d{3}$|^\d+$|^$")


def _split(number: str, raw: str, currency: str, field: str, locale: str) -> tuple[str, str]:
    """The whole units and the fraction digits of a number whose only marks are . , and _."""
    seps = [ch for ch in number if ch in ".,"]
    if len(set(seps)) == 2:
        decimal = number[max(number.rfind("."), number.rfind(",")) :][0]
    elif seps:
        sep = seps[0]
        after = number.rpartition(sep)[2]
        if locale:
            decimal = sep if sep == _symbols(locale)[0] else ""
        elif len(seps) > 1:
            decimal = ""
        elif len(after.replace("_", "")) == 3 and "_" not in after:
            digits = exponent(currency)
            if digits == 0:
                decimal = ""
            elif digits == 3 and sep == ".":
                decimal = "."
            else:
                big = int(number.replace(sep, ""))
                units, _, thousandths = number.partition(sep)
                small = f"{int(units or '0')}.{thousandths.rstrip('0') or '0'}"
                written = f"{big:,}.00 or " + f"{big:,}.00".translate(str.maketrans(",.", ".,"))
                raise ValidationError.single(
                    field,
                    f"“{raw}” could be {big} or {small}: write it with its decimals "
                    f"({written}) so it cannot be misread",
                )
        else:
            decimal = "." if sep == "." else ""
    else:
        decimal = ""
    if decimal and number.count(decimal) > 1:
        raise _not_an_amount(field, raw)
    whole, _, fraction = number.partition(decimal) if decimal else (number, "", "")
    grouping = "," if decimal == "." else "." if decimal == "," else "".join(set(seps))
    whole = whole.replace(grouping, "_") if grouping else whole
    if not _GROUPED.match(whole) or (not fraction.isdigit() and fraction) or (not whole and not fraction):
        raise _not_an_amount(field, raw)
    return whole.replace("_", ""), fraction


def format_money(
    minor: int,
    currency: str,
    *,
    grouping: bool = True,
    min_places: int = 0,
    locale: str = "",
) -> str:
    """Minor units → '1,250.50' (no currency sign; callers add the code where it helps).

    `locale` writes it the group's way ('1.250,50' in de_DE); '' is the neutral form
    machine-read columns use. `min_places` pads with zeros for columns that promise two
    decimals whatever the currency: 1250 yen is '1250.00' there ('1250' otherwise).
    Digits the currency has are never cut: 1.255 dinars stay '1.255'.
    """
    digits = exponent(currency)
    sign = "-" if minor < 0 else ""
    units, fraction = divmod(abs(minor), 10**digits)
    decimals = f"{fraction:0{digits}d}" if digits else ""
    decimals += "0" * max(0, min_places - digits)
    if locale:
        from babel.numbers import format_decimal

        whole = format_decimal(units, locale=locale, group_separator=grouping)
        point = _symbols(locale)[0]
    else:
        whole, point = (f"{units:,}" if grouping else str(units)), "."
    return f"{sign}{whole}{point}{decimals}" if decimals else f"{sign}{whole}"


def format_units(units: int, locale: str = "") -> str:
    """A whole number of major units with the locale's grouping: 5,000 or 5.000 (recap ranges)."""
    if not locale:
        return f"{units:,}"
    from babel.numbers import format_decimal

    return format_decimal(units, locale=locale)


def amount_text(minor: int, currency: str, locale: str = "") -> str:
    """An amount as people read it, with its currency: '1,250.50 CAD', '1.250,50 EUR'."""
    return f"{format_money(minor, currency, locale=locale)} {currency.upper()}"


# The business ceiling: one trillion in major units, more than any referral in IDR or VND
# and, in minor units, far inside the signed 64 bits every database stores.
CEILING_MAJOR = 10**12


def check_amount(minor: int, currency: str, field: str = "value") -> int:
    """`minor` if it is within the business ceiling, else a ValidationError on `field`."""
    if abs(minor) > CEILING_MAJOR * 10 ** exponent(currency):
        raise ValidationError.single(
            field, f"{amount_text(minor, currency)} is past the ceiling of {CEILING_MAJOR:,} {currency} for one amount"
        )
    return minor


# CURRENCIES lives in services.currencies; importable from here as it always was.
__all__ = [
    "CEILING_MAJOR",
    "CURRENCIES",
    "amount_text",
    "check_amount",
    "default_locale",
    "exponent",
    "format_money",
    "format_units",
    "locale_problem",
    "parse_money",
]
