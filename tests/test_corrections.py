"""Correcting a referral: one event with before/after, totals and the recap follow it."""

from __future__ import annotations

from datetime import date

import pytest

from organizer.cli import main
from organizer.errors import UserError, ValidationError
from organizer.models import Referral
from organizer.services import ledger
from organizer.services.balances import give_get
from organizer.services.members import add_member


@pytest.fixture
def people(group, now):
    return {
        key: add_member(group, now=now, name=name, email=f"{key.lower()}@example.com", category=key)
        for key, name in (("A", "Ana Alves"), ("B", "Bo Berg"), ("C", "Cy Chen"))
    }


@pytest.fixture
def won(group, people, now):
    referral = ledger.record_referral(
        group,
        now=now,
        giver=people["A"],
        receiver=people["B"],
        prospect_name="Northwind",
        given_on=date(2026, 10, 5),
    )
    ledger.advance(referral, "won", on="2026-10-20", value="1,000.00", now=now)
    return referral


def _balance(group, key_name):
    return {b.name: (b.given, b.received, b.value_given, b.value_received) for b in give_get(group)}[key_name]


def test_a_correction_moves_give_get_and_keeps_the_original(group, people, won, now):
    assert _balance(group, "Bo Berg") == (0, 1, 0, 100000)
    ledger.correct(
        won,
        reason="it was Cy who closed it",
        now=now,
        actor=people["A"],
        receiver=people["C"],
        value="2,500",
        prospect_name="Northwind Ltd",
        temperature=5,
    )
    assert _balance(group, "Bo Berg") == (0, 0, 0, 0)
    assert _balance(group, "Cy Chen") == (0, 1, 0, 250000)
    assert _balance(group, "Ana Alves") == (1, 0, 250000, 0)
    event = ledger.history(won)[-1]
    assert (event.action, event.reason, event.actor.name) == (
        "corrected",
        "it was Cy who closed it",
        "Ana Alves",
    )
    assert event.detail == (
        "prospect_name: Northwind → Northwind Ltd; receiver: Bo Berg → Cy Chen; "
        "temperature: 3 → 5; value: 1,000.00 CAD → 2,500.00 CAD"
    )
    assert Referral.get_by_id(won.id).receiver_id == people["C"].id


def test_the_recap_uses_corrected_values(group, people, won, now, db_path, capsys):
    ledger.correct(won, reason="wrong person", now=now, receiver=people["C"], value=300000)
    assert main(["--db", str(db_path), "recap", "2026-10"]) == 0
    recap = capsys.readouterr().out
    assert "Cy Chen" in recap and "3,000.00 CAD" in recap
    assert "1,000.00" not in recap


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"temperature": 9}, "temperature"),
        ({"given_on": "2026-13-01"}, "given_on"),
        ({"kind": "sideways"}, "kind"),
        ({"value": "-5"}, "value"),
        ({"given_on": "2026-10-25"}, "given_on"),  # after it was won
    ],
)
def test_bad_corrections_change_nothing(won, now, changes, field):
    with pytest.raises(ValidationError) as error:
        ledger.correct(won, reason="oops", now=now, **changes)
    assert field in error.value.fields
    assert len(ledger.history(won)) == 2 and Referral.get_by_id(won.id).temperature == 3


def test_a_correction_needs_a_reason_and_a_change(won, now):
    with pytest.raises(ValidationError) as error:
        ledger.correct(won, reason="  ", now=now, temperature=4)
    assert set(error.value.fields) == {"reason"}
    with pytest.raises(UserError, match="nothing to correct"):
        ledger.correct(won, reason="same", now=now, temperature=3, value="1,000")


def test_a_voided_referral_is_not_corrected(won, now):
    ledger.void(won, reason="never happened", now=now)
    with pytest.raises(UserError, match="was voided"):
        ledger.correct(won, reason="x", now=now, temperature=4)


def test_a_child_cannot_be_dated_before_its_parent(group, people, won, now):
    with pytest.raises(ValidationError) as error:
        ledger.record_referral(
            group,
            now=now,
            giver=people["B"],
            receiver=people["C"],
            prospect_name="Spin-off",
            given_on=date(2026, 10, 1),
            parent=won,
        )
    assert "before the one it came from" in error.value.fields["given_on"]
    child = ledger.record_referral(
        group,
        now=now,
        giver=people["B"],
        receiver=people["C"],
        prospect_name="Spin-off",
        given_on=date(2026, 10, 8),
        parent=won,
    )
    with pytest.raises(ValidationError) as error:  # the child's date back past its parent's
        ledger.correct(child, reason="typo", now=now, given_on="2026-10-04")
    assert "before the one it came from" in error.value.fields["given_on"]
    with pytest.raises(ValidationError) as error:  # the parent's date past its child's
        ledger.correct(won, reason="typo", now=now, given_on="2026-10-09")
    assert f"#{child.id} came from this referral" in error.value.fields["given_on"]


# -- the command line -----------------------------------------------------------------------


def run(db_path, *args):
    return main(["--db", str(db_path), *args])


def test_cli_correct(db_path, won, people, capsys):
    code = run(
        db_path,
        "correct",
        str(won.id),
        "--receiver",
        "cy",
        "--value",
        "2,500.50",
        "--date",
        "2026-10-06",
        "--kind",
        "inside",
        "--reason",
        "checked the invoice",
    )
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert out == (
        f"corrected referral {won.id}: receiver: Bo Berg → Cy Chen; given_on: 2026-10-05 → 2026-10-06; "
        "kind: outside → inside; value: 1,000.00 CAD → 2,500.50 CAD\n"
    )
    row = Referral.get_by_id(won.id)
    assert (row.receiver_id, row.value_minor, row.kind, row.given_on) == (
        people["C"].id,
        250050,
        "inside",
        date(2026, 10, 6),
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["999", "--temperature", "4", "--reason", "x"],
            "organizer: no referral with id 999\n",
        ),
        (
            ["{id}", "--temperature", "3", "--reason", "x"],
            "organizer: nothing to correct: referral {id} already has those values\n",
        ),
        (
            ["{id}", "--temperature", "4"],
            "organizer: say why with --reason TEXT: a correction keeps its reason in the ledger\n",
        ),
        (
            ["{id}", "--reason", "x"],
            (
                "organizer: say what to correct: --prospect, --contact, --receiver, --temperature, "
                "--value, --date, --kind or --parent\n"
            ),
        ),
        (
            ["{id}", "--receiver", "zed", "--reason", "x"],
            "organizer: no member matches “zed”\n",
        ),
        (
            ["{id}", "--value", "1.255", "--reason", "x"],
            "organizer: value: CAD amounts have at most 2 decimal places\n",
        ),
        (
            ["{id}", "--parent", "{id}", "--reason", "x"],
            "organizer: parent: a referral cannot come from itself or from one that came from it\n",
        ),
    ],
)
def test_cli_correct_refusals_are_one_line_and_change_nothing(db_path, won, capsys, args, message):
    args = [arg.format(id=won.id) for arg in args]
    assert run(db_path, "correct", *args) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == message.format(id=won.id)
    assert len(ledger.history(won)) == 2


@pytest.mark.parametrize("days_later", [0, 14, 42])  # 14 and 42 ran backwards before
def test_the_samples_chains_run_forward_in_time_whatever_the_shift(db, now, days_later):
    from datetime import timedelta

    from organizer.sample import load_sample

    load_sample(now=now + timedelta(days=days_later), shift_to_today=True)
    children = list(Referral.select().where(Referral.parent.is_null(False)))
    assert children and all(child.given_on >= child.parent.given_on for child in children)


def test_cli_correct_keeps_control_characters_out_of_the_ledger(db_path, won, capsys):
    assert (
        run(
            db_path,
            "correct",
            str(won.id),
            "--prospect",
            "North\x1b[31mwind\nLtd",
            "--reason",
            "a\x07b",
        )
        == 0
    )
    capsys.readouterr()
    row = Referral.get_by_id(won.id)
    assert row.prospect_name == "North�[31mwind Ltd"
    assert ledger.history(row)[-1].reason == "a�b"
