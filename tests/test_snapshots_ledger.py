"""Snapshots of the ledger: the list (120×40 and 80×24), an entry's history, the matrix.

Sample group, frozen clock, no animation; the totals worker is awaited before the picture
is taken. Regenerate with `pytest tests/test_snapshots_ledger.py --snapshot-update`, then
look at the pictures before committing them.
"""

from __future__ import annotations

import pytest

from organizer.clock import frozen
from organizer.models import Referral
from organizer.tui.app import make_app
from organizer.tui.ledger.history import LedgerHistoryScreen
from tests.conftest import NOW

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def app():
    return make_app(frozen(NOW), steady=True)


async def settled(pilot) -> None:
    """Until the workers are done: the totals worker starts only after the page is painted."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def opening(referral_id: int):
    async def run_before(pilot) -> None:
        await pilot.press("5")
        await settled(pilot)
        await pilot.app.push_screen(LedgerHistoryScreen(referral_id))
        await settled(pilot)

    return run_before


async def ledger_shown(pilot) -> None:
    await pilot.press("5")
    await settled(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_ledger_list(sample_db, snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=ledger_shown)


def test_ledger_list_filtered_to_a_month_with_a_void(sample_db, snap_compare):
    async def run_before(pilot) -> None:
        await ledger_shown(pilot)
        for _ in range(10):  # back to February 2026, which holds a voided entry
            await pilot.press("left_square_bracket" if _ else "right_square_bracket")
        await settled(pilot)

    assert snap_compare(app(), terminal_size=(120, 40), run_before=run_before)


def test_history_of_a_chained_referral(sample_db, snap_compare):
    middle = Referral.get(
        (Referral.prospect_name == "Ana & Luis Ortega") & Referral.parent.is_null(False) & (Referral.status == "won")
    )
    assert snap_compare(app(), terminal_size=(120, 40), run_before=opening(middle.id))


def test_history_of_a_voided_referral(sample_db, snap_compare):
    voided = Referral.select().where(Referral.voided_at.is_null(False)).order_by(Referral.id).first()
    assert snap_compare(app(), terminal_size=(120, 40), run_before=opening(voided.id))


@pytest.mark.parametrize("size", SIZES)
def test_who_referred_whom(sample_db, snap_compare, size):
    async def run_before(pilot) -> None:
        await ledger_shown(pilot)
        await pilot.press("w")
        await settled(pilot)

    assert snap_compare(app(), terminal_size=size, run_before=run_before)


def test_follow_ups(sample_db, snap_compare):
    async def run_before(pilot) -> None:
        await ledger_shown(pilot)
        await pilot.press("u")
        await settled(pilot)

    assert snap_compare(app(), terminal_size=(120, 40), run_before=run_before)


def test_record_form_with_messages(sample_db, snap_compare):
    async def run_before(pilot) -> None:
        await ledger_shown(pilot)
        await pilot.press("n", *"ra", "tab", "tab", "ctrl+s")
        await settled(pilot)

    assert snap_compare(app(), terminal_size=(120, 40), run_before=run_before)
