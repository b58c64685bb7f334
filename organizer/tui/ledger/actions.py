"""Record, advance, thank, correct and void: the ledger's verbs, shared by the list and the history.

A screen or section mixes in `LedgerActions`, says which referral is meant
(`chosen_referral_id`) and what to redraw after a change (`ledger_changed`).
Each verb opens its form; the service does the work; a refusal (a voided entry, a
thank-you already recorded) is one notification, never a crash.
"""

from __future__ import annotations

from organizer.errors import UserError
from organizer.services import ledger
from organizer.services.identity import who_am_i
from organizer.services.records import Referral
from organizer.tui.ledger.correct import CorrectForm
from organizer.tui.ledger.forms import (
    AdvanceForm,
    RecordReferralForm,
    ThankForm,
    VoidForm,
)
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.shell import OnShell


class LedgerActions(OnShell):
    """Mixed into a Widget or Screen that has `self.app.open_group` and `self.app.clock`."""

    def chosen_referral_id(self) -> int | None:
        raise NotImplementedError

    def ledger_changed(self, referral_id: int | None) -> None:
        """Redraw after a write; `referral_id` is the referral written."""

    def _chosen(self, doing: str) -> Referral | None:
        referral_id = self.chosen_referral_id()
        if referral_id is None:
            self.app.notify(f"Choose a referral to {doing} first.", severity="warning")
            return None
        try:
            referral = ledger.get_referral(self.app.open_group, referral_id)
        except UserError as error:
            self.app.notify(str(error), severity="error")
            return None
        if referral.voided_at is not None:
            self.app.notify(
                f"#{referral.id} was voided ({referral.void_reason}); it cannot change.", severity="warning"
            )
            return None
        return referral

    def _done(self, message: str):
        def finished(referral: Referral | None) -> None:
            if referral is not None:
                self.app.notify(message.format(r=referral))
                self.ledger_changed(referral.id)

        return finished

    def action_record(self) -> None:
        self.app.push_screen(
            RecordReferralForm(self.app.open_group, self.app.clock()),
            self._done("Recorded #{r.id}: {r.prospect_name}."),
        )

    def action_advance(self) -> None:
        referral = self._chosen("move on")
        if referral is None:
            return
        if not ledger.NEXT_STATUSES[referral.status]:
            self.app.notify(f"#{referral.id} is {referral.status}: it is closed.", severity="warning")
            return
        self.app.push_screen(AdvanceForm(referral, self.app.clock()), self._done("#{r.id} is now {r.status}."))

    def action_thank(self) -> None:
        referral = self._chosen("thank for")
        if referral is None:
            return
        if referral.thanked_on is not None:
            self.app.notify(
                f"The thank-you for #{referral.id} was recorded on {referral.thanked_on}.", severity="warning"
            )
            return
        self.app.push_screen(ThankForm(referral, self.app.clock()), self._done("Thank-you recorded for #{r.id}."))

    def action_correct(self) -> None:
        referral = self._chosen("correct")
        if referral is None:
            return
        self.app.push_screen(
            CorrectForm(referral, self.app.clock()), self._done("#{r.id} corrected: the history keeps what it was.")
        )

    def action_void(self) -> None:
        referral = self._chosen("void")
        if referral is None:
            return

        def reason_given(reason: str | None) -> None:
            if not reason:
                return

            def sure(yes: bool | None) -> None:
                if not yes:
                    return
                try:
                    ledger.void(referral, reason=reason, now=self.app.clock(), actor=who_am_i(referral.group))
                except UserError as error:
                    self.app.notify(str(error), severity="error")
                    return
                self.app.notify(f"#{referral.id} voided: it stays listed and leaves the totals.")
                self.ledger_changed(referral.id)

            self.app.push_screen(
                Confirm(
                    f"Void #{referral.id} ({referral.prospect_name})?",
                    "Void",
                    "Keep it",
                    detail=f"Reason: {reason}. This cannot be undone.",
                ),
                sure,
            )

        self.app.push_screen(VoidForm(referral), reason_given)
