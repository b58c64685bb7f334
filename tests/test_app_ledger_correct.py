"""`e` on a referral in the Ledger: the correction form (a reason is required)."""

from __future__ import annotations

from textual.widgets import Input

from organizer.clock import frozen
from organizer.models import Referral
from organizer.services.ledger import history
from organizer.tui.app import make_app
from organizer.tui.ledger.correct import CorrectForm
from tests.conftest import NOW
from tests.test_app_ledger import open_ledger, settle


def _type(form: CorrectForm, name: str, text: str) -> None:
    form.field(name).query_one(Input).value = text


async def test_e_corrects_a_referral_with_a_reason(sample_db):
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        section = await open_ledger(pilot)
        target = Referral.get_by_id(section.chosen_referral_id())
        events = len(history(target))
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CorrectForm)
        assert form.field("prospect_name").value == target.prospect_name

        temperature = 1 if target.temperature != 1 else 2
        _type(form, "temperature", str(temperature))
        _type(form, "value", "2,500")
        await pilot.pause()
        await pilot.press("ctrl+s")  # no reason: refused, nothing written
        await pilot.pause()
        assert app.screen is form and len(history(target)) == events

        _type(form, "reason", "the receiver called with the real figure")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        row = Referral.get_by_id(target.id)
        assert (row.temperature, row.value_minor) == (temperature, 250000)
        event = history(row)[-1]
        assert event.action == "corrected" and event.reason == "the receiver called with the real figure"
        assert f"temperature: {target.temperature} → {temperature}" in event.detail and "2,500.00 CAD" in event.detail
