"""Snapshots of the app's screens at 80×24 and 120×40, on the sample group, with a frozen clock.

Steady apps (no animation, no cursor blink) and the frozen clock make every run the same.
Regenerate with `pytest tests/test_snapshots_app.py --snapshot-update`, then look at the
pictures before committing them.
"""

from __future__ import annotations

import pytest

from organizer.clock import frozen
from organizer.tui.app import make_app
from tests.conftest import NOW, dashboard_filled

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def app():
    return make_app(frozen(NOW), steady=True)


@pytest.mark.parametrize("size", SIZES)
def test_onboarding(db, snap_compare, size):
    assert snap_compare(app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(sample_db, snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=dashboard_filled)


@pytest.mark.parametrize("size", SIZES)
def test_members_list(sample_db, snap_compare, size):
    assert snap_compare(app(), terminal_size=size, press=["2"])


@pytest.mark.parametrize("size", SIZES)
def test_member_detail(sample_db, snap_compare, size):
    assert snap_compare(app(), terminal_size=size, press=["2", "slash", "z", "o", "enter", "enter"])


@pytest.mark.parametrize("size", SIZES)
def test_member_form_with_errors(sample_db, snap_compare, size):
    keys = ["2", "n", "A", "n", "n", "tab", "tab", "tab", "a", "n", "n", "@", "x", "tab", "1", "2", "ctrl+s"]
    assert snap_compare(app(), terminal_size=size, press=keys)


@pytest.mark.parametrize("size", SIZES)
def test_help(sample_db, snap_compare, size):
    assert snap_compare(app(), terminal_size=size, press=["2", "f1"])
