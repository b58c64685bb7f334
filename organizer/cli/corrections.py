"""`organizer correct REFERRAL_ID … --reason TEXT`: correct a referral, keeping the original."""

from __future__ import annotations

import argparse
from typing import Any

from organizer.cli.common import CommandFailed, Context

# option → the referral's field it corrects
_FIELDS = {
    "prospect": "prospect_name",
    "contact": "prospect_contact",
    "temperature": "temperature",
    "date": "given_on",
    "kind": "kind",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    correct = subparsers.add_parser(
        "correct",
        help="correct a referral (an event with before/after)",
        description="Correct what was recorded wrongly on a referral. The ledger keeps an event with "
        "who, when, why and each value before and after; totals, the recap and exports use the "
        "corrected values. Use void (in the app) for a referral that never happened.",
    )
    correct.add_argument(
        "referral_id",
        metavar="REFERRAL_ID",
        type=_referral_id,
        help="the referral's id",
    )
    correct.add_argument("--prospect", metavar="T", help="who the business is for")
    correct.add_argument("--contact", metavar="T", help="the prospect's contact")
    correct.add_argument("--receiver", metavar="A", help="the member who received it (name or email)")
    correct.add_argument("--temperature", metavar="N", help="1 (cold) to 5 (hot)")
    correct.add_argument(
        "--value",
        metavar="AMOUNT",
        help="the business's value in the group's currency and notation (e.g. 2,500.00); none clears it",
    )
    correct.add_argument("--date", metavar="DATE", help="the day it was given (YYYY-MM-DD)")
    correct.add_argument("--kind", choices=("inside", "outside"))
    correct.add_argument("--parent", metavar="ID", help="the referral it came from; none for none")
    correct.add_argument("--reason", metavar="TEXT", help="why (required)")
    correct.set_defaults(handler=run_correct)


def _referral_id(text: str) -> int:
    if not text.strip().lstrip("#").isdigit():
        raise argparse.ArgumentTypeError(f"“{text}” is not a referral id (a whole number)")
    return int(text.strip().lstrip("#"))


def run_correct(context: Context) -> int:
    from organizer.services import ledger
    from organizer.services.identity import who_am_i
    from organizer.services.resolve import EVERYONE, find_member
    from organizer.text import one_line

    args = context.args
    # Text from the command line is one line, its control characters shown as � (never stored raw).
    changes: dict[str, Any] = {
        field: one_line(getattr(args, option)) for option, field in _FIELDS.items() if getattr(args, option) is not None
    }
    if not changes and args.receiver is None and args.value is None and args.parent is None:
        raise CommandFailed(
            "say what to correct: --prospect, --contact, --receiver, --temperature, --value, --date, --kind or --parent"
        )
    if not (args.reason or "").strip():
        raise CommandFailed("say why with --reason TEXT: a correction keeps its reason in the ledger")
    group = context.group()
    referral = ledger.get_referral(group, args.referral_id)
    if args.receiver is not None:
        changes["receiver"] = find_member(group, args.receiver, statuses=EVERYONE, what="member")
    if args.parent is not None:
        parent = args.parent.strip().lstrip("#")
        if parent.lower() in ("", "none"):
            changes["parent"] = None
        elif parent.isdigit():
            changes["parent"] = ledger.get_referral(group, int(parent))
        else:
            raise CommandFailed(f"--parent: “{args.parent}” is not a referral id (or none)")
    extra = {} if args.value is None else {"value": args.value}
    ledger.correct(
        referral,
        reason=one_line(args.reason),
        now=context.now(),
        actor=who_am_i(group),
        **changes,
        **extra,
    )
    event = ledger.history(referral)[-1]
    print(f"corrected referral {referral.id}: {one_line(event.detail)}")
    return 0
