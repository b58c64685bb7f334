"""Who does not want which mail: a member's opt-outs (the digest and the nudges; invites
and cancellations always go), and the cap of one nudge of a kind a week.
"""

from __future__ import annotations

from collections.abc import Iterable

from organizer.errors import ValidationError
from organizer.models import Group, Member, Setting
from organizer.rows import row_tuples
from organizer.services.groups import get_setting, set_setting

NUDGES = ("renewals", "thanks", "pairings")
OPT_OUT_KINDS = ("digest",) + NUDGES  # invites and cancellations always go
NUDGE_CAP_DAYS = 7  # a member gets one nudge of a kind a week at most
_OPT_OUT_SETTING = "mail.opt_out.{member_id}"


def set_opt_out(member: Member, kinds: Iterable[str]) -> None:
    """The kinds of mail `member` does not want (digest, renewals, thanks, pairings); none = all wanted."""
    chosen = sorted({kind.strip().lower() for kind in kinds if kind.strip()})
    wrong = [kind for kind in chosen if kind not in OPT_OUT_KINDS]
    if wrong:
        raise ValidationError.single(
            "kind",
            f"one can opt out of {', '.join(OPT_OUT_KINDS)}, not {', '.join(wrong)}",
        )
    set_setting(member.group, _OPT_OUT_SETTING.format(member_id=member.id), ",".join(chosen))


def opt_outs(member: Member) -> list[str]:
    value = get_setting(member.group, _OPT_OUT_SETTING.format(member_id=member.id))
    return [kind for kind in value.split(",") if kind]


def opted_out(group: Group, kind: str) -> set[int]:
    prefix = _OPT_OUT_SETTING.format(member_id="")
    rows = row_tuples(
        Setting.select(Setting.key, Setting.value).where((Setting.group == group) & Setting.key.startswith(prefix))
    )
    return {int(key[len(prefix) :]) for key, value in rows if key[len(prefix) :].isdigit() and kind in value.split(",")}


def cap_days(group: Group) -> int:
    value = get_setting(group, "mail.nudge_cap_days")
    return int(value) if value.isdigit() else NUDGE_CAP_DAYS
