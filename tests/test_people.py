"""Who is at the keyboard is each person's own: `--as EMAIL` on the command line, the app
asking once, and the ledger's history recording that person."""

from __future__ import annotations

from organizer import db as dbmod
from organizer.cli import main
from organizer.clock import frozen
from organizer.models import LedgerEvent
from organizer.services.identity import set_me, who_am_i
from organizer.services.members import add_member
from tests.conftest import NOW, until

ROWS = """date,giver,receiver,prospect,kind,temperature,status,value,notes
2026-11-03,ana@example.com,bo@example.com,Marina Bistro refit,outside,4,won,1200.00,
2026-11-04,bo@example.com,ana@example.com,Rowing club,outside,3,open,,
"""


def test_imported_referrals_record_who_imported_them(group, db_path, now, tmp_path, capsys):
    ana = add_member(group, now=now, name="Ana Alves", email="ana@example.com", category="law")
    bo = add_member(group, now=now, name="Bo Berg", email="bo@example.com", category="print")
    path = tmp_path / "r.csv"
    path.write_text(ROWS, encoding="utf-8")
    dbmod.close_database()
    command = ["--db", str(db_path), "import", "referrals", str(path)]
    assert main([*command, "--as", "nobody@example.com"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert main([*command, "--as", "bo@example.com"]) == 0
    assert {event.actor_id for event in LedgerEvent.select()} == {bo.id}
    # Without --as: the member this person chose (kept in their own settings).
    set_me(group, ana)
    dbmod.close_database()
    assert main(command) == 0
    assert sorted(event.actor_id for event in LedgerEvent.select()) == [
        ana.id,
        ana.id,
        bo.id,
        bo.id,
    ]


async def test_the_app_asks_once_who_is_at_the_keyboard(sample_db, sample_group):
    from organizer.tui.app import make_app
    from organizer.tui.threads.forms import WhoAmIForm

    assert who_am_i(sample_group).email == "daniel@okaforcpa.ca"  # nobody chose: the organizer
    app = make_app(frozen(NOW))
    app.ask_who_headless = True
    async with app.run_test(size=(120, 40)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, WhoAmIForm) and app.screen.query("#field-me .field-message"),
            "the question",
        )
        app.screen.field("me").value = "mai@maitranslate.ca"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, WhoAmIForm), "the answer")
    assert who_am_i(sample_group).email == "mai@maitranslate.ca"
    again = make_app(frozen(NOW))
    again.ask_who_headless = True
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(again.screen, WhoAmIForm)


async def test_the_ledger_records_the_person_at_the_keyboard(sample_db, sample_group):
    from organizer.models import Member, Referral
    from organizer.tui.app import make_app
    from organizer.tui.widgets.confirm import Confirm
    from tests.test_app_ledger import open_ledger, settle

    mai = Member.get(Member.email == "mai@maitranslate.ca")
    set_me(sample_group, mai)
    app = make_app(frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        section = await open_ledger(pilot)
        target = section.chosen_referral_id()
        await pilot.press("t")  # a thank-you, then void it
        await pilot.pause()
        await pilot.press(*"Thanks", "ctrl+s")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"Entered twice", "enter")
        await until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
        await pilot.press("y")
        await settle(pilot)
    assert Referral.get_by_id(target).voided_at is not None
    events = LedgerEvent.select().where(LedgerEvent.referral == target).order_by(LedgerEvent.id)
    assert [(e.action, e.actor_id) for e in events][-2:] == [
        ("thanked", mai.id),
        ("voided", mai.id),
    ]
