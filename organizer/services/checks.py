"""Field checks shared by every form, import and command: each returns a message or None."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from organizer.services.money import CURRENCIES

# A pragmatic address check: one @, a local part without spaces, a dotted domain whose
# labels are letters (any script), digits or hyphens, and a top-level label of 2+ letters.
_LOCAL = re.compile(r"^[^\s@\"(),:;<>\[\]\\]+$")
_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$", re.UNICODE)
_PHONE = re.compile(r"^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?)\s*\d+)?$", re.IGNORECASE)
_NOT_DIGIT = re.compile(r"\D+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"^(https?://)?[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)


def email_problem(value: str) -> str | None:
    if not value:
        return None
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return "an email address looks like name@example.com"
    if len(value) > 254 or not _LOCAL.match(local) or ".." in local or local.startswith("."):
        return f"“{value}” is not a valid email address"
    if not _good_domain(domain):
        return f"“{value}” is not a valid email address (check the part after @)"
    return None


@lru_cache(maxsize=4096)  # an import's addresses mostly share a few domains
def _good_domain(domain: str) -> bool:
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return False
    return len(labels[-1]) >= 2 and not labels[-1].isdigit()


def phone_problem(value: str, region: str | None = None) -> str | None:
    """What is wrong with a phone number as typed, or None (it is kept as typed).

    With `region` (ISO 3166 country, the group's) a number without +country code is read
    as that country's; libphonenumber then says whether it has a possible length there.
    """
    if not value:
        return None
    if not _PHONE.match(value):
        return "a phone number has digits, spaces, + ( ) - . / and an optional extension"
    # Every digit _PHONE lets through is a decimal digit (\d), so this counts them all.
    digit_text = _NOT_DIGIT.sub("", value)
    digits = len(digit_text)
    if digits < 7:
        return "a phone number has at least 7 digits"
    if digits > 20:
        return "a phone number has at most 20 digits"
    if not region and not value.lstrip().startswith("+"):
        return None  # no country to read it in: the shape above is all we can check
    shape = _shape(value, digit_text, (region or "").upper() or None)
    if shape is not None and shape in _POSSIBLE_SHAPES:
        return None
    problem = _libphonenumber_problem(value, region)
    if problem is None and shape is not None:
        if len(_POSSIBLE_SHAPES) >= _MAX_SHAPES:
            _POSSIBLE_SHAPES.clear()  # a bound on memory; the next numbers fill it again
        _POSSIBLE_SHAPES.add(shape)
    return problem


def _libphonenumber_problem(value: str, region: str | None) -> str | None:
    import phonenumbers  # loaded when a number is checked, not with every start

    try:
        number = phonenumbers.parse(value, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return "start with + and the country code (e.g. +49 30 1234567)"
    if not phonenumbers.is_possible_number(number):
        where = phonenumbers.region_code_for_number(number) or region or ""
        return f"“{value}” is not a possible phone number{f' in {where}' if where else ''}: a digit missing or one too many?"
    return None


# Parsing with libphonenumber is most of an import's time (70 µs a number), and a roster's
# numbers mostly share their country, area code and exchange. libphonenumber reads a number
# made of ASCII digits and the separators below from its leading + (or not) and its digits
# alone; what it says of one with 11 digits or more depends on its digits but the last four
# (the subscriber's line) only through their count. So a number whose shape (region, +,
# digits but the last four, how many digits) was found possible once is possible again.
# Only "possible" is remembered: a problem's message names the number, so it is asked anew.
# tests/test_checks.py holds both claims against libphonenumber with Hypothesis, over every
# region it knows.
_PLAIN_PHONE = re.compile(r"\+?[0-9 ().\-/]+")
_SHAPE_MIN_DIGITS = 11
_MAX_SHAPES = 100_000
_POSSIBLE_SHAPES: set[tuple[str | None, bool, str, int]] = set()


def _shape(value: str, digits: str, region: str | None) -> tuple[str | None, bool, str, int] | None:
    """The number's shape (see above), or None when it is not one this cache may answer."""
    if len(digits) < _SHAPE_MIN_DIGITS or not _PLAIN_PHONE.fullmatch(value):
        return None
    return region, value[0] == "+", digits[:-4], len(digits)


def region_for_zone(zone_name: str) -> str | None:
    """The country of an IANA zone ("America/Toronto" → "CA"), from the zone data's own
    table, for reading phone numbers typed without a country code; None if unknown."""
    return _zone_countries().get(zone_name)


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    from importlib.resources import files

    try:
        table = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return {}
    countries: dict[str, str] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            if len(parts) >= 3:
                countries[parts[2]] = parts[0]
    return countries


def website_problem(value: str) -> str | None:
    if not value:
        return None
    if not _URL.match(value):
        return f"“{value}” is not a web address (e.g. example.com)"
    return None


# Dates the group's calendar can hold: far enough for any real meeting, join date or
# referral, and nowhere near the ends of Python's date range (a month or a week past
# 9999-12-31 does not exist, so arithmetic there fails).
FIRST_YEAR, LAST_YEAR = 1900, 2200
# The largest whole number every backend stores (a signed 64-bit integer).
MAX_INTEGER = 2**63 - 1


def year_problem(year: int, text: object = None) -> str | None:
    """A message if `year` is outside FIRST_YEAR–LAST_YEAR, else None."""
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    shown = f"“{text}”" if text is not None else str(year)
    return f"{shown} is out of range: dates are between the years {FIRST_YEAR} and {LAST_YEAR}"


def as_id(text: object) -> int | None:
    """`text` as a row id (ASCII digits, 1 to MAX_INTEGER), else None: "²" is a digit to
    str.isdigit but not to int(), and 10**30 is a number no database can look up."""
    shown = str(text).strip()
    if not (shown.isascii() and shown.isdigit()) or len(shown) > 19:
        return None
    value = int(shown)
    return value if 1 <= value <= MAX_INTEGER else None


def whole_number(text: object, field: str, *, low: int = 0, high: int = MAX_INTEGER) -> int:
    """`text` as a whole number between `low` and `high`, else a ValidationError on `field`."""
    from organizer.errors import ValidationError

    shown = str(text).strip()
    if not re.fullmatch(r"[+-]?\d{1,30}", shown):
        raise ValidationError.single(field, f"“{shown[:40]}” is not a whole number")
    value = int(shown)
    if not low <= value <= high:
        raise ValidationError.single(field, f"{shown[:40]} is out of range: between {low:,} and {high:,}")
    return value


def parse_date(value: object, field: str, errors: dict[str, str]) -> date | None:
    """An ISO date (YYYY-MM-DD) or a date between FIRST_YEAR and LAST_YEAR; records a
    message in `errors` if it is neither."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        if problem := year_problem(value.year, value.isoformat()):
            errors[field] = problem
            return None
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        parsed = date.fromisoformat(text)
        if problem := year_problem(parsed.year, text):
            errors[field] = problem
            return None
        return parsed
    except ValueError:
        if _ISO_DATE.fullmatch(text):
            errors[field] = f"“{text}” is not a date: no such day (YYYY-MM-DD, month 01–12, a day the month has)"
        else:
            errors[field] = f"“{text}” is not a date: use YYYY-MM-DD{_date_hint(text)}"
        return None


def _date_hint(text: str) -> str:
    """What a spreadsheet's 03/10/2026 or 14.03.2022 would be in ISO form, if we can tell."""
    found = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if found:
        first, second, year = (int(part) for part in found.groups())
        readings = []
        for month, day in ((first, second), (second, first)):
            try:
                readings.append(date(year, month, day).isoformat())
            except ValueError:
                pass
        readings = list(dict.fromkeys(readings))
        if len(readings) == 1:
            return f" (here {readings[0]})"
        if len(readings) == 2:
            return f" (here {readings[0]} or {readings[1]}: day and month are ambiguous)"
    found = re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", text)
    if found:
        try:
            return f" (here {date(*(int(part) for part in found.groups())).isoformat()})"
        except ValueError:
            pass
    return ", e.g. 2026-03-10"


def timezone_problem(value: str) -> str | None:
    if not value:
        return "a timezone is required (an IANA name such as America/Toronto)"
    if "/" not in value and value not in {"UTC", "Etc/UTC"}:
        return f"“{value}” is not an IANA timezone name (e.g. Europe/Paris)"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"“{value}” is not a known timezone (e.g. Europe/Paris, America/Toronto)"
    return None


def suggest_timezones(prefix: str, limit: int = 8) -> list[str]:
    """Timezone names containing `prefix`, for a form's suggestions: the zones the zone data
    lists by country (and UTC), so "Europe/Be" offers Berlin, not the old alias Belfast.
    Aliases are still accepted when typed in full (timezone_problem)."""
    needle = prefix.lower()
    countries = set(_zone_countries())
    names = countries | {"UTC"} if countries else available_timezones()
    return sorted(name for name in names if needle in name.lower())[:limit]


def currency_problem(value: str) -> str | None:
    if not re.fullmatch(r"[A-Z]{3}", value or ""):
        return "a currency is a three-letter ISO code such as CAD, EUR or USD"
    if value not in CURRENCIES:
        return f"“{value}” is not an ISO 4217 currency code (e.g. CAD, EUR, USD, JPY)"
    return None
