"""Field checks shared by forms, imports and commands."""

from __future__ import annotations

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from organizer.services import checks
from organizer.services.checks import region_for_zone, suggest_timezones, timezone_problem


def test_timezone_suggestions_leave_out_old_aliases():
    assert suggest_timezones("Europe/Be") == ["Europe/Belgrade", "Europe/Berlin"]
    assert "Asia/Calcutta" not in suggest_timezones("Asia/") and "Asia/Kolkata" in suggest_timezones("Asia/", 500)
    assert suggest_timezones("utc") == ["UTC"]


def test_an_old_alias_typed_in_full_is_still_accepted():
    assert timezone_problem("Europe/Belfast") is None


def test_a_zone_has_its_country():
    assert region_for_zone("America/Toronto") == "CA"
    assert region_for_zone("Asia/Ho_Chi_Minh") == "VN"
    assert region_for_zone("UTC") is None


# -- phone numbers: the shape cache must say exactly what libphonenumber says ----------------

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
CODES = sorted(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


def _library_says(value: str, region: str | None) -> tuple:
    """libphonenumber's own verdict, asked directly: (parsed, possible, region of the number)."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return (False, False, None)
    return (True, phonenumbers.is_possible_number(number), phonenumbers.region_code_for_number(number))


@st.composite
def numbers(draw, min_digits: int = 7) -> tuple[str | None, bool, str]:
    """(region or None, leading +, digits): real country codes and national prefixes often."""
    region = draw(st.sampled_from([*REGIONS, None]))
    plus = region is None or draw(st.booleans())
    head = ""
    if plus and draw(st.integers(0, 4)):
        head = draw(st.sampled_from(CODES))
    elif not plus and draw(st.booleans()):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        head = (metadata.national_prefix or "") if metadata else ""
    length = draw(st.integers(max(min_digits, len(head)), 20))
    rest = draw(st.text("0123456789", min_size=length - len(head), max_size=length - len(head)))
    return region, plus, head + rest


def _typed(plus: bool, digits: str, separators: list[str]) -> str:
    """The digits as someone typed them, a separator (or none) after each."""
    text = "".join(digit + separator for digit, separator in zip(digits, separators, strict=False))
    return ("+" if plus else "") + text.rstrip(" -./")


@settings(max_examples=400, deadline=None)
@given(numbers(), st.lists(st.sampled_from(["", "", " ", "-", ".", "/", ") ", " ("]), min_size=20, max_size=20))
def test_libphonenumber_reads_a_plain_number_from_its_plus_and_digits_alone(number, separators):
    region, plus, digits = number
    assert _library_says(_typed(plus, digits, separators), region) == _library_says(
        ("+" if plus else "") + digits, region
    )


@settings(max_examples=600, deadline=None)
@given(numbers(min_digits=11), st.text("0123456789", min_size=4, max_size=4))
def test_the_last_four_digits_of_a_long_number_never_change_whether_it_is_possible(number, tail):
    region, plus, digits = number
    other = digits[:-4] + tail
    prefix = "+" if plus else ""
    assert _library_says(prefix + digits, region)[1] == _library_says(prefix + other, region)[1]


@settings(max_examples=300, deadline=None)
@given(numbers(), st.lists(st.sampled_from(["", " ", "-", "."]), min_size=20, max_size=20), st.text("0123", max_size=4))
def test_phone_problem_says_what_libphonenumber_says_with_its_cache_warm(number, separators, tail):
    region, plus, digits = number
    typed = _typed(plus, digits, separators)
    neighbour = ("+" if plus else "") + digits[: max(0, len(digits) - len(tail))] + tail
    checks.phone_problem(neighbour, region)  # fills the cache for the shape, if possible
    parsed, possible, _ = _library_says(typed, region)
    problem = checks.phone_problem(typed, region)
    if not region and not plus:
        assert problem is None
    else:
        assert (problem is None) == (parsed and possible), (typed, region, problem)


def test_a_remembered_shape_still_refuses_an_impossible_number():
    assert checks.phone_problem("+1 519 555 0100", "CA") is None
    assert checks.phone_problem("+1 519 555 0100 7", "CA") is not None  # one digit too many
    assert checks.phone_problem("+1 519 555 010", "CA") is not None
