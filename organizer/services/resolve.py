"""One name, one person: what a person types turned into a member, the same way everywhere.

Meeting-mode check-in, the capture line, the visitor form's "invited by", the member form,
the ledger filter and forms, threads' "posting as", `post --as` and every import call
`resolve_member`, so the same text finds the same member wherever it is typed.

- An email address is matched exactly (any case), and only as an email.
- A name is matched case- and accent-insensitively (`fold`: "zoe" finds Zoë), each typed
  word at the start of a word of the name, anywhere in it ("mai" finds Nguyễn Thị Mai,
  "jo nu" finds José Núñez), or at the start of the address's parts ("olga" finds
  Ольга Смирнова by olga@smirnovaphysio.ca).
- Tiers decide between several: the whole name, else whole words of it, else starts of
  words. Active members and members on leave come first, visitors only when none of
  them matches, alumni only where the caller asks for them.
- Several matches never resolve: they are listed to choose from. No match offers the
  closest names ("did you mean Priya Raman?", difflib's ratio over the folded names).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from peewee import fn

from organizer.errors import NotFound
from organizer.models import MEMBER_STATUSES, Group, Member
from organizer.rows import row_tuples
from organizer.text import fold, tidy

# Who a member field can name: everyone still around (alumni keep their history, give no more).
EVERYONE = MEMBER_STATUSES
PICKABLE = tuple(status for status in MEMBER_STATUSES if status != "alumni")
FIRST = ("active", "on_leave")
MAX_LISTED = 6
POOL_LIMIT = 500  # a text that short matches too many to list anyway
SUGGEST_CUTOFF = 0.72  # difflib ratio: "pria raman" → Priya Raman, "bob" → nobody
SUGGEST_POOL = 500  # names compared at most
GRAMS = 12  # three-letter pieces of the text looked for
_WORDS = re.compile(r"[\s\-'’.]+")
_EMAIL_PARTS = re.compile(r"[@._+\-]+")


@dataclass
class Resolution:
    """What a typed name came to: one member, or why not (with the names to choose from)."""

    text: str
    member: Member | None = None
    problem: str = ""
    candidates: list[Member] = field(default_factory=list)  # several matched: choose one
    suggestions: list[Member] = field(default_factory=list)  # nothing matched: did you mean

    @property
    def ok(self) -> bool:
        return self.member is not None


def words_of(text: str) -> list[str]:
    """The folded words of a typed name ("José  Núñez" → ["jose", "nunez"])."""
    return [word for word in _WORDS.split(fold(text)) if word]


def _name_words(member: Member) -> list[str]:
    return words_of(member.name)


def _email_words(member: Member) -> list[str]:
    return [part for part in _EMAIL_PARTS.split(fold(member.email or "")) if part]


def _whole_name(words: list[str], member: Member) -> bool:
    return _name_words(member) == words


def _whole_words(words: list[str], member: Member) -> bool:
    names = _name_words(member)
    return all(word in names for word in words)


def _word_starts(words: list[str], member: Member) -> bool:
    names = _name_words(member)
    if all(any(name.startswith(word) for name in names) for word in words):
        return True
    parts = _email_words(member)
    return all(any(part.startswith(word) for part in parts) for word in words)


_TIERS = (_whole_name, _whole_words, _word_starts)


def matches(member: Member, text: str) -> bool:
    """Whether `member` is one a list narrowed by `text` shows (the loosest tier)."""
    if "@" in text:
        return (member.email or "").lower() == tidy(text).lower()
    words = words_of(text)
    return not words or _word_starts(words, member)


def _pool(group: Group, words: list[str], statuses: tuple[str, ...]) -> list[Member]:
    """Members whose folded search key holds every word: a cheap first cut in SQL."""
    query = Member.select().where((Member.group == group) & Member.status.in_(statuses))
    for word in words:
        query = query.where(Member.search_key.contains(word))
    return list(query.limit(POOL_LIMIT))


def resolve_member(
    group: Group,
    text: str,
    *,
    statuses: tuple[str, ...] = PICKABLE,
    what: str = "member",
) -> Resolution:
    """The one member `text` names among those with `statuses`, or a Resolution saying why not."""
    typed = tidy(text)
    result = Resolution(text=typed)
    if not typed:
        result.problem = f"type a {what}'s name or email"
        return result
    if "@" in typed:
        found = list(
            Member.select()
            .where((Member.group == group) & Member.status.in_(statuses) & (fn.LOWER(Member.email) == typed.lower()))
            .limit(2)
        )
        if len(found) == 1:
            result.member = found[0]
        elif found:
            result.candidates = found
            result.problem = f"several members have the email {typed}: choose by name"
        else:
            result.problem = f"no {what} with the email “{typed}”"
        return result
    words = words_of(typed)
    if not words:
        result.problem = f"type a {what}'s name or email"
        return result
    # A whole name as stored, of an active member, is the first tier's answer: one indexed
    # look-up instead of a scan (imports name thousands of inviters and givers this way).
    exact = list(
        Member.select()
        .where(
            (Member.group == group) & (Member.name == typed) & Member.status.in_([s for s in FIRST if s in statuses])
        )
        .limit(2)
    )
    if len(exact) == 1:
        result.member = exact[0]
        return result
    pool = _pool(group, words, statuses)
    for tier_statuses in (FIRST, ("visitor", "applicant"), ("alumni",)):
        members = [m for m in pool if m.status in tier_statuses and m.status in statuses]
        for tier in _TIERS:
            found = [m for m in members if tier(words, m)]
            if len(found) == 1:
                result.member = found[0]
                return result
            if found:
                found.sort(key=lambda m: (fold(m.name), m.id))
                result.candidates = found
                names = ", ".join(m.name for m in found[:MAX_LISTED])
                more = f" and {len(found) - MAX_LISTED} more" if len(found) > MAX_LISTED else ""
                count = f"{len(found)}+" if len(pool) == POOL_LIMIT else str(len(found))
                result.problem = f"“{typed}” matches {count} members: {names}{more} — type more of the name"
                return result
    result.suggestions = suggest(group, typed, statuses)
    result.problem = f"no {what} matches “{typed}”"
    if result.suggestions:
        result.problem += f" — did you mean {' or '.join(m.name for m in result.suggestions)}?"
    return result


def suggest(group: Group, text: str, statuses: tuple[str, ...] = PICKABLE, *, limit: int = 2) -> list[Member]:
    """The members whose names are closest to a misspelt `text` (whole name or one word of it)."""
    typed = " ".join(words_of(text))
    if not typed:
        return []
    # Only names sharing three letters in a row with the text are compared: a cheap cut in
    # SQL, so a miss costs milliseconds at 10,000 members, not a pass of difflib over all.
    grams = sorted({typed[i : i + 3] for i in range(len(typed) - 2)} - {""})
    grams = [gram for gram in grams if " " not in gram][:GRAMS] or [typed]
    shares = Member.search_key.contains(grams[0])
    for gram in grams[1:]:
        shares = shares | Member.search_key.contains(gram)
    rows = row_tuples(
        Member.select(Member.id, Member.name)
        .where((Member.group == group) & Member.status.in_(statuses) & shares)
        .limit(SUGGEST_POOL)
    )
    scored = []
    matcher = difflib.SequenceMatcher(b=typed, autojunk=False)
    for member_id, name in rows:
        best = 0.0
        folded = words_of(name)
        for candidate in [" ".join(folded), *folded]:
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() >= SUGGEST_CUTOFF and matcher.quick_ratio() >= SUGGEST_CUTOFF:
                best = max(best, matcher.ratio())
        if best >= SUGGEST_CUTOFF:
            scored.append((-best, fold(name), member_id))
    scored.sort()
    ids = [member_id for *_, member_id in scored[:limit]]
    by_id = {m.id: m for m in Member.select().where(Member.id.in_(ids))} if ids else {}
    return [by_id[member_id] for member_id in ids]


def find_member(
    group: Group,
    text: str,
    *,
    statuses: tuple[str, ...] = EVERYONE,
    what: str = "member",
) -> Member:
    """The member `text` names, or NotFound carrying the resolver's message (for commands)."""

    result = resolve_member(group, text, statuses=statuses, what=what)
    if result.member is None:
        raise NotFound(result.problem)
    return result.member
