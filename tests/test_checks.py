"""Field checks shared by forms, imports and commands."""

from __future__ import annotations

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
