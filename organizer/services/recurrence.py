"""Meeting rules ("2nd Tuesday", "every other Thursday", an RFC 5545 RRULE) and their dates.

A rule is stored as the text of an iCal RRULE (FREQ=WEEKLY or MONTHLY, with INTERVAL,
BYDAY and BYSETPOS) and evaluated with python-dateutil's `rrulestr`, so the dates
`meetings` lists are the dates any calendar reading the exported RRULE computes.
A rule with an INTERVAL counts from its anchor: the first date on or after the series'
start that the rule, every week or month, would give (RFC 5545's DTSTART, which the
series export uses as the first occurrence).

`local_start` puts a local wall-clock time on a date in the group's zone, so an
occurrence keeps its 07:30 on both sides of a daylight-saving change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from organizer.errors import ValidationError
from organizer.services.checks import year_problem
from organizer.text import one_line

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINAL_WORDS = {
    "1st": 1,
    "first": 1,
    "2nd": 2,
    "second": 2,
    "3rd": 3,
    "third": 3,
    "4th": 4,
    "fourth": 4,
    "last": -1,
}
_ORDINAL_NAMES = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last", -2: "2nd last"}
# iCal's BYDAY day codes, Monday first (as `date.weekday()`).
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
FREQUENCIES = ("WEEKLY", "MONTHLY")
# What forms say under the rule: the same choices `schedule --rule` takes, in words.
RULE_HINT = "e.g. 2nd tuesday · every tuesday · every other thursday · 1st and 3rd wednesday"
RULE_EXAMPLES = "e.g. “2nd tuesday”, “last friday”, “every tuesday”, “every other thursday”, “1st and 3rd wednesday”"
# How far ahead a rule must give a date at all (a 5th Monday comes within months).
_SOME_DATE_WITHIN = timedelta(days=2 * 366)


@dataclass(frozen=True)
class Rule:
    """An RRULE of the shape we schedule: FREQ, INTERVAL, BYDAY and BYSETPOS, canonical."""

    freq: str  # one of FREQUENCIES
    interval: int = 1
    byday: tuple[str, ...] = ()  # iCal BYDAY values: "TU", "2TU", "-1FR"
    bysetpos: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        """The RRULE value, e.g. FREQ=MONTHLY;BYDAY=1WE,3WE (what the series stores and exports)."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.byday:
            parts.append("BYDAY=" + ",".join(self.byday))
        if self.bysetpos:
            parts.append("BYSETPOS=" + ",".join(str(pos) for pos in self.bysetpos))
        return ";".join(parts)

    def describe(self) -> str:
        """The rule in words: "2nd Tuesday", "every other Thursday", "1st and 3rd Wednesday"."""
        days = [_split_byday(value) for value in self.byday]
        if self.freq == "WEEKLY" and not self.bysetpos and days and all(n is None for n, _ in days):
            names = _and([WEEKDAYS[day].capitalize() for _, day in days])
            if self.interval == 1:
                return f"every {names}"
            if self.interval == 2:
                return f"every other {names}"
            return f"every {self.interval} weeks on {names}"
        if self.freq == "MONTHLY" and len(days) >= 1:
            if self.bysetpos and len(days) == 1 and days[0][0] is None:
                days = [(pos, days[0][1]) for pos in self.bysetpos]
            elif self.bysetpos:
                days = []
            named = [(n, day) for n, day in days if n is not None and n in _ORDINAL_NAMES]
            if days and len(named) == len(days):
                weekdays = {day for _, day in named}
                if len(weekdays) == 1:
                    words = f"{_and([_ORDINAL_NAMES[n] for n, _ in named])} {WEEKDAYS[named[0][1]].capitalize()}"
                else:
                    words = _and([f"{_ORDINAL_NAMES[n]} {WEEKDAYS[day].capitalize()}" for n, day in named])
                if self.interval == 1:
                    return words
                if self.interval == 2:
                    return f"{words}, every other month"
                return f"{words}, every {self.interval} months"
        return self.text

    def words(self) -> str:
        """What a form shows for the rule: its words if they read back as it, else its RRULE."""
        words = self.describe().lower()
        try:
            return words if parse_rule(words) == self else self.text
        except ValidationError:
            return self.text

    @property
    def one_a_month(self) -> bool:
        """One date in every month (the nth or last weekday): old series map month to month."""
        return (
            self.freq == "MONTHLY"
            and self.interval == 1
            and not self.bysetpos
            and len(self.byday) == 1
            and _split_byday(self.byday[0])[0] is not None
        )

    def nth_weekday(self) -> tuple[int, int] | None:
        """(ordinal, weekday) of a one-a-month rule, e.g. (2, 1) for the 2nd Tuesday."""
        if not self.one_a_month:
            return None
        ordinal, weekday = _split_byday(self.byday[0])
        return None if ordinal is None else (ordinal, weekday)  # one_a_month: never None

    def ical_byday(self) -> str:
        """The BYDAY value, e.g. 2TU or -1FR."""
        return ",".join(self.byday)

    def anchor(self, start: date) -> date | None:
        """The first date on or after `start` the rule would give if it had no INTERVAL."""
        every = Rule(self.freq, 1, self.byday, self.bysetpos)
        return next(every._evaluate(start, start + _SOME_DATE_WITHIN), None)

    def dates(self, start: date, until: date | None = None) -> Iterator[date]:
        """Every date under the rule on or after `start` (and on or before `until`),
        an INTERVAL counted from the anchor (see the module docstring)."""
        first = self.anchor(start)
        if first is None or (until is not None and first > until):
            return iter(())
        return self._evaluate(first, until)

    def _evaluate(self, dtstart: date, until: date | None) -> Iterator[date]:
        rule = rrulestr(self.text, dtstart=datetime.combine(dtstart, time()))
        for moment in rule:
            day = moment.date()
            if until is not None and day > until:
                return
            yield day

    def matches(self, day: date) -> bool:
        """Whether a series under this rule starting on `day` meets that very day."""
        return self.anchor(day) == day

    def date_in(self, year: int, month: int) -> date:
        """The rule's first date in a month (for a one-a-month rule, its only one)."""
        start = date(year, month, 1)
        return next(Rule(self.freq, 1, self.byday, self.bysetpos).dates(start))


def MonthlyRule(ordinal: int, weekday: int) -> Rule:  # the old class's name, kept for callers
    """The nth (or, for -1, last) `weekday` (0 = Monday) of every month."""
    return Rule("MONTHLY", 1, (f"{ordinal}{_ICAL_DAYS[weekday]}",))


def _split_byday(value: str) -> tuple[int | None, int]:
    match = _BYDAY.fullmatch(value)
    assert match is not None
    return (int(match[1]) if match[1] else None), _ICAL_DAYS.index(match[2])


def _canonical_days(values: Iterable[str]) -> tuple[str, ...]:
    """BYDAY values once each, in one order (by weekday, then 1st…5th, then last…): a rule
    written two ways is one rule."""

    def key(value: str) -> tuple[int, bool, bool, int]:
        ordinal, day = _split_byday(value)
        return day, ordinal is not None, (ordinal or 0) < 0, abs(ordinal or 0)

    return tuple(sorted(dict.fromkeys(values), key=key))


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _weekday(word: str) -> int | None:
    word = word[:-1] if len(word) > 3 and word.endswith("s") and word[:-1] in WEEKDAYS else word
    found = [i for i, name in enumerate(WEEKDAYS) if len(word) >= 2 and name.startswith(word)]
    return found[0] if len(found) == 1 else None


def parse_rule(text: str) -> Rule:
    """A rule in words: '3rd thursday', 'first Friday', 'last tue' (monthly), 'every tuesday',
    'every other thursday' (weekly), '1st and 3rd wednesday', '2nd and last monday'."""
    words = re.sub(r"[^a-z0-9 ]", " ", (text or "").lower()).split()
    words = [word for word in words if word not in {"the", "of", "month", "each", "and", "on", "week"}]
    every = bool(words) and words[0] == "every"
    words = words[1:] if every else words
    if len(words) >= 1 and (day := _weekday(words[-1])) is not None:
        head = words[:-1]
        if every and head in ([], ["other"]):
            return Rule("WEEKLY", 2 if head else 1, (_ICAL_DAYS[day],))
        if head and all(word in _ORDINAL_WORDS for word in head):
            ordinals = {_ORDINAL_WORDS[word] for word in head}
            return Rule("MONTHLY", 1, _canonical_days(f"{n}{_ICAL_DAYS[day]}" for n in ordinals))
    raise ValidationError.single("rule", f"“{one_line(text or '')}” is not a meeting rule: use {RULE_EXAMPLES}")


def parse_rrule(text: str) -> Rule:
    """An RFC 5545 RRULE of the shape we schedule (FREQ=WEEKLY or MONTHLY; INTERVAL, BYDAY,
    BYSETPOS); anything else is refused with one message naming what is allowed."""
    body = re.sub(r"^\s*RRULE:", "", (text or "").strip(), flags=re.IGNORECASE).upper()
    allowed = "use FREQ=WEEKLY or FREQ=MONTHLY with INTERVAL, BYDAY and BYSETPOS, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"

    def refuse(why: str) -> ValidationError:
        return ValidationError.single("rrule", f"“{one_line(text or '')}”: {one_line(why)}; {allowed}")

    parts: dict[str, str] = {}
    for part in filter(None, body.split(";")):
        key, sep, value = part.partition("=")
        if not sep or not value:
            raise refuse(f"“{part}” is not NAME=VALUE")
        if key in parts:
            raise refuse(f"{key} is given twice")
        parts[key] = value
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        raise refuse(f"FREQ={freq} is not supported" if freq else "FREQ is missing")
    for key in parts:
        if key not in ("FREQ", "INTERVAL", "BYDAY", "BYSETPOS"):
            raise refuse(f"{key} is not supported")
    interval_text = parts.get("INTERVAL", "1")
    if not interval_text.isdigit() or not 1 <= int(interval_text) <= 52:
        raise refuse("INTERVAL is a whole number from 1 to 52")
    byday: list[str] = []
    for value in filter(None, parts.get("BYDAY", "").split(",")):
        match = _BYDAY.fullmatch(value)
        if not match:
            raise refuse(f"BYDAY {value} is not a day such as TU, 2TU or -1FR")
        if match[1]:
            ordinal = int(match[1])
            if freq == "WEEKLY" or not 1 <= abs(ordinal) <= 5:
                raise refuse(f"BYDAY {value}: a numbered day is 1–5 or -1–-5 and only monthly")
            byday.append(f"{ordinal}{match[2]}")
        else:
            byday.append(match[2])
    if not byday:
        raise refuse("BYDAY is missing (which weekday)")
    bysetpos: list[int] = []
    for value in filter(None, parts.get("BYSETPOS", "").split(",")):
        if not re.fullmatch(r"[+-]?\d{1,3}", value) or not 1 <= abs(int(value)) <= 31:
            raise refuse(f"BYSETPOS {value} is not a position from 1 to 31 or -1 to -31")
        bysetpos.append(int(value))
    setpos = tuple(sorted(set(bysetpos), key=lambda pos: (pos < 0, abs(pos))))
    rule = Rule(freq, int(interval_text), _canonical_days(byday), setpos)
    if rule.anchor(date(2000, 1, 1)) is None:
        raise refuse("it gives no date at all")
    return rule


def parse_rule_or_rrule(text: str) -> Rule:
    """A rule typed in a form: words, or an RRULE (starting FREQ= or RRULE:), both as `rule`."""
    if re.match(r"\s*(RRULE:|FREQ=)", text or "", flags=re.IGNORECASE):
        try:
            return parse_rrule(text)
        except ValidationError as error:
            raise ValidationError.single("rule", error.fields["rrule"]) from None
    return parse_rule(text)


def rule_from_text(text: str) -> Rule:
    """A stored rule (the series' RRULE text) back as a Rule."""
    return parse_rrule(text)


def parse_clock(text: str, field: str = "at") -> time:
    """'07:30' or '18:30' → a time."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError.single(field, f"“{text}” is not a time of day: use HH:MM, e.g. 07:30")
    return time(int(match[1]), int(match[2]))


def parse_local(text: str, zone: ZoneInfo, field: str = "to") -> datetime:
    """'2026-03-12 18:30' (wall clock in `zone`) → an aware datetime."""
    match = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})[ T]+(\d{1,2}:\d{2})\s*", text or "")
    try:
        if not match:
            raise ValueError
        day = date.fromisoformat(match[1])
    except ValueError:
        raise ValidationError.single(
            field, f"“{text}” is not a date and time: use YYYY-MM-DD HH:MM, e.g. 2026-03-12 18:30"
        ) from None
    if problem := year_problem(day.year, match[1]):
        raise ValidationError.single(field, problem)
    return local_start(day, parse_clock(match[2], field), zone)


def local_start(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at wall-clock `at` in `zone`, as an aware datetime.

    A time that falls in a spring-forward gap moves forward by the gap (02:30 → 03:30),
    as calendars do; a time in the autumn overlap takes its first (daylight) instance.
    """
    aware = datetime.combine(day, at).replace(tzinfo=zone)
    # The round trip through UTC is what moves a time out of a gap; elsewhere it is a no-op.
    return aware.astimezone(UTC).astimezone(zone)
