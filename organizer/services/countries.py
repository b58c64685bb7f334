"""A group's country for public holidays: an ISO 3166 code and optional subdivision.

`DE`, `de-by`, `CA-ON`, `US` → ("DE", ""), ("DE", "BY"), ("CA", "ON"), ("US", ""); the
codes the `holidays` library knows are the ones accepted (it is imported only here and in
`services.holidays`, when a country is checked or a holiday looked up).
"""

from __future__ import annotations

from functools import cache

from organizer.errors import ValidationError
from organizer.text import tidy


@cache
def _supported() -> dict[str, tuple[str, ...]]:
    import holidays

    return {code: tuple(subdivisions) for code, subdivisions in holidays.list_supported_countries().items()}


def parse_country(text: str, field: str = "country") -> tuple[str, str]:
    """(country, subdivision) from 'DE-BY' or 'DE' (blank: no holidays); ValidationError otherwise."""
    value = tidy(text or "").replace(" ", "")
    if not value:
        return "", ""
    country, _, subdivision = value.partition("-")
    known = _supported()
    code = country.upper()
    if code not in known:
        raise ValidationError.single(
            field,
            f"“{text}” is not a country we know holidays for: use an ISO code such as DE, CA-ON or US-NY",
        )
    if not subdivision:
        return code, ""
    by_case = {name.upper(): name for name in known[code]}
    if subdivision.upper() not in by_case:
        some = ", ".join(known[code][:6])
        raise ValidationError.single(
            field,
            f"“{text}”: {code} has no subdivision {subdivision}" + (f" (e.g. {some})" if some else ""),
        )
    return code, by_case[subdivision.upper()]


def country_problem(text: str) -> str | None:
    """The message for a bad country code, or None."""
    try:
        parse_country(text)
    except ValidationError as error:
        return next(iter(error.fields.values()))
    return None


def country_label(country: str, subdivision: str) -> str:
    """'DE-BY', 'CA', or '' (how forms and commands show it)."""
    return f"{country}-{subdivision}" if country and subdivision else country
