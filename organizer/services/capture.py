"""The one-line referral capture of meeting mode: `ana > ben: roof repair for Carla, hot 4`.

    GIVER > RECEIVER: PROSPECT [, DETAIL ...]

- GIVER and RECEIVER are members, found by services.resolve as everywhere else: folded
  names ("zoe" finds Zoë), a word start anywhere in the name ("mai" finds Nguyễn Thị Mai,
  "jo nu" finds José Núñez), or an email address. Active members and members on leave
  are looked at first, visitors only when none of them matches. An unknown name is an
  error suggesting the closest ("did you mean …?"); several matches are an error naming
  the candidates.
- PROSPECT is who the business is for; in "roof repair for Carla" the prospect is Carla
  and "roof repair" becomes the note.
- DETAILs, in any order after commas: a temperature, as a word (cold 1, cool 2, warm 3,
  hot 5) and/or a number from 1 to 5 ("hot 4": the number wins); `inside` or `outside`
  (the kind, outside by default); an email or phone number (the prospect's contact);
  a value, in the group's currency and notation, marked by a currency sign or code or by
  the word "value" or "worth" (`$2,500`, `2.500,50 €` in a German euro group, `¥12000`,
  `2500 CAD`, `value 2500`). A comma followed by a digit is inside a number, not between
  details. A bare number above 5 is neither a temperature nor a value: the preview says
  so rather than guess. A part that is none of these belongs to the prospect
  ("Smith, Jones & Co").

`preview_capture` never raises: it returns what it understood and the problems, for a
live preview. `record_capture` saves a clean preview through the ledger, linked to the
meeting; nothing is saved while there is a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from organizer.errors import ValidationError
from organizer.models import Group, Meeting, Member, Referral
from organizer.services import ledger, resolve
from organizer.services.checks import email_problem, phone_problem
from organizer.services.currencies import CURRENCIES
from organizer.services.groups import local_today
from organizer.services.meetings import local_date
from organizer.services.money import amount_text, parse_money
from organizer.text import fold, tidy

TEMPERATURE_WORDS = {"cold": 1, "cool": 2, "lukewarm": 2, "warm": 3, "hot": 5}
_TEMPERATURE = re.compile(
    r"(?P<word>cold|cool|lukewarm|warm|hot)?\s*(?:temp(?:erature)?\s*)?(?P<number>\d+)?(?:\s*/\s*5)?"
)
_ARROW = re.compile(r"\s*(?:->|→|>)\s*")
FORMAT_HINT = "write it as: giver > receiver: prospect, hot 4"
_DETAILS = re.compile(r",(?!\d)")  # "$2,500" and "2.500,50 €" keep their commas
_MONEY_SIGNS = re.compile(r"[$€£¥₩₹₽₺₪₫₱₦₴₸₼₾฿]")
_MONEY_WORD = re.compile(r"^(?:value|worth)\s*:?\s*(?P<amount>.+)$", re.IGNORECASE)


@dataclass
class CapturePreview:
    """What one capture line says, and what is wrong with it."""

    text: str
    giver: Member | None = None
    receiver: Member | None = None
    prospect: str = ""
    contact: str = ""
    notes: str = ""
    kind: str = "outside"
    temperature: int = 3
    temperature_given: bool = False
    value_minor: int | None = None
    value_text: str = ""  # the value as the group writes it: "2,500.00 CAD"
    errors: dict[str, str] = field(default_factory=dict)
    candidates: dict[str, list[Member]] = field(default_factory=dict)  # per ambiguous name

    @property
    def ok(self) -> bool:
        return not self.errors

    def describe(self) -> str:
        """One line for the preview: 'Ana → Ben: Carla (roof repair), temperature 4, outside'."""
        giver = self.giver.name if self.giver else "?"
        receiver = self.receiver.name if self.receiver else "?"
        text = f"{giver} → {receiver}: {self.prospect or '?'}"
        if self.notes:
            text += f" ({self.notes})"
        if self.contact:
            text += f", {self.contact}"
        default = "" if self.temperature_given else " (default)"
        text = f"{text}, temperature {self.temperature}{default}, {self.kind}"
        return f"{text}, value {self.value_text}" if self.value_text else text


def preview_capture(group: Group, text: str, *, now: datetime) -> CapturePreview:
    """Parse a capture line; never raises (problems are in `errors`)."""
    preview = CapturePreview(text=text)
    line = tidy(text)
    head, colon, rest = line.partition(":")
    parts = _ARROW.split(head, maxsplit=1)
    if not colon or len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        preview.errors["line"] = FORMAT_HINT
        return preview
    for name, query in (("giver", parts[0]), ("receiver", parts[1])):
        member, problem, candidates = resolve_member(group, query)
        setattr(preview, name, member)
        if problem:
            preview.errors[name] = problem
        if candidates:
            preview.candidates[name] = candidates
    _read_details(preview, rest, group)
    if not preview.errors:
        # The ledger's own checks (a member referring to themselves, …) speak here too.
        _, problems = ledger.referral_problems(group, _values(preview), now=now)
        preview.errors.update(problems)
    return preview


def _read_details(preview: CapturePreview, rest: str, group: Group) -> None:
    segments = [tidy(part) for part in _DETAILS.split(rest)]
    prospect = [segments[0]] if segments else []
    for segment in segments[1:]:
        if not segment:
            continue
        if _read_value(preview, segment, group) or _read_temperature(preview, segment, group.currency):
            continue
        if fold(segment) in ("inside", "outside"):
            preview.kind = fold(segment)
        elif ("@" in segment and not email_problem(segment)) or (
            sum(ch.isdigit() for ch in segment) >= 7 and not phone_problem(segment)
        ):
            preview.contact = f"{preview.contact}, {segment}" if preview.contact else segment
        else:
            prospect.append(segment)
    whole = ", ".join(part for part in prospect if part)
    need, sep, who = whole.rpartition(" for ")
    if sep and need.strip() and who.strip():
        preview.notes, preview.prospect = need.strip(), who.strip()
    else:
        preview.prospect = whole
    if not preview.prospect:
        preview.errors["prospect"] = "name the prospect after the colon: " + FORMAT_HINT


def _looks_like_money(segment: str) -> bool:
    """A number beside a currency sign or an ISO code: "$2,500", "2.500,50 €", "2500 CAD"."""
    if not any(ch.isdigit() for ch in segment):
        return False
    signs = _MONEY_SIGNS.findall(segment)
    words = re.findall(r"[^\W\d_]+", segment)
    codes = [word for word in words if word.upper() in CURRENCIES]
    # Letters other than a code are only the country before a dollar sign ("US$", "CA$").
    others = [word for word in words if word not in codes]
    if others and not (
        signs and len(others) == 1 and len(others[0]) <= 2 and segment.find(others[0]) < segment.find(signs[0])
    ):
        return False
    return bool(signs or codes)


def _read_value(preview: CapturePreview, segment: str, group: Group) -> bool:
    """Take `segment` as the value if it reads as money; a wrong amount is the value's problem."""
    word = _MONEY_WORD.match(segment)
    amount = word["amount"] if word else segment
    if not word and not _looks_like_money(segment):
        return False
    if preview.value_text or "value" in preview.errors:
        preview.errors["value"] = f"“{segment}”: one value per referral"
        return True
    try:
        minor = parse_money(amount, group.currency, locale=group.locale)
    except ValidationError as error:
        preview.errors["value"] = f"value: {error.fields['value']}"
        return True
    preview.value_minor, preview.value_text = minor, amount_text(minor, group.currency, group.locale)
    return True


def _read_temperature(preview: CapturePreview, segment: str, currency: str) -> bool:
    """Take `segment` as a temperature if it reads as one; record a problem if it is out of range."""
    match = _TEMPERATURE.fullmatch(fold(segment))
    if not match or not (match["word"] or match["number"]):
        return False
    word, number = match["word"], match["number"]
    if number is not None:
        value = int(number)
        if not 1 <= value <= 5:
            if word or "temp" in fold(segment):
                preview.errors["temperature"] = "temperature is a number from 1 (cold) to 5 (hot)"
            else:  # "2500": a value missing its currency, or a temperature out of range?
                preview.errors["value"] = (
                    f"“{segment}”: a temperature is 1 to 5; a value needs its currency (e.g. {number} {currency})"
                )
            return True
    else:
        value = TEMPERATURE_WORDS[word]
    preview.temperature, preview.temperature_given = value, True
    return True


def resolve_member(group: Group, query: str) -> tuple[Member | None, str | None, list[Member]]:
    """(the member, None, []) or (None, a message, the candidates when several match)."""
    found = resolve.resolve_member(group, query, statuses=resolve.PICKABLE)
    if found.member is not None:
        return found.member, None, []
    problem = found.problem if tidy(query) else "a name is missing: " + FORMAT_HINT
    return None, problem, found.candidates


def _values(preview: CapturePreview) -> dict:
    return {
        "giver": preview.giver,
        "receiver": preview.receiver,
        "prospect_name": preview.prospect,
        "prospect_contact": preview.contact,
        "kind": preview.kind,
        "temperature": preview.temperature,
        "notes": preview.notes,
        "value_minor": preview.value_minor,
    }


def record_capture(
    preview: CapturePreview, meeting: Meeting, *, now: datetime, actor: Member | None = None
) -> Referral:
    """Save a clean preview as an open referral given at `meeting` (on its date, or today)."""
    if not preview.ok:
        raise ValidationError(preview.errors)
    given_on = min(local_date(meeting), local_today(meeting.group, now))
    return ledger.record_referral(
        meeting.group, now=now, actor=actor, meeting=meeting, given_on=given_on, **_values(preview)
    )


def capture_referral(meeting: Meeting, text: str, *, now: datetime, actor: Member | None = None) -> Referral:
    """Parse and save in one step; raises ValidationError (nothing saved) on any problem."""
    return record_capture(preview_capture(meeting.group, text, now=now), meeting, now=now, actor=actor)


def meeting_referrals(meeting: Meeting) -> list[Referral]:
    """The referrals passed at a meeting so far (voided ones left out), oldest first."""
    return list(ledger.live(Referral.select().where(Referral.meeting == meeting)).order_by(Referral.id))
