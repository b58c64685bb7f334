"""Members as vCard 3.0 contacts (RFC 2426), one file holding a card per member.

3.0 rather than 4.0 because it is what Google Contacts, Outlook and older phones import
without complaint; Apple and Thunderbird read either. Each card has N and FN (the name),
ORG (business), TITLE (the member's category: what they do), CATEGORIES (the group, so
a phone can list the circle together), EMAIL, TEL, URL and a NOTE with what a good
referral is for them and their bio. The organizer's private notes are not exported.

Text is escaped (backslash, comma, semicolon, newline) and lines are folded at 75
octets without splitting a UTF-8 character; lines end in CRLF.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from organizer.text import clean

_LIMIT = 75  # octets per line, the CRLF not counted


def escape(value: str) -> str:
    """A vCard TEXT value: control characters dropped, \\ , ; and newlines escaped."""
    value = clean(value, multiline=True)  # CRLF and CR read as one line break
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """One content line, folded to 75 octets per physical line, with its CRLF."""
    pieces: list[bytes] = []
    current = b""
    for char in line:
        octets = char.encode("utf-8")
        if len(current) + len(octets) > _LIMIT:
            pieces.append(current)
            current = b" "  # a continuation line starts with one space
        current += octets
    pieces.append(current)
    return b"\r\n".join(pieces) + b"\r\n"


def split_name(name: str) -> tuple[str, str]:
    """(family, given) for N: the last word is taken as the family name.

    A name without spaces (often CJK) is all family name. FN keeps the name as written,
    and it is FN that address books show.
    """
    words = name.split()
    if len(words) < 2:
        return name, ""
    return words[-1], " ".join(words[:-1])


def member_card(record: Mapping[str, str], categories: str = "") -> bytes:
    """One member's card. `record` has the keys of members_csv.MEMBER_COLUMNS, plus `uid`."""

    def get(key: str) -> str:
        return (record.get(key) or "").strip()

    family, given = split_name(get("name"))
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    if get("uid"):
        lines.append(f"UID:{escape(get('uid'))}")
    lines.append(f"N:{escape(family)};{escape(given)};;;")
    lines.append(f"FN:{escape(get('name'))}")
    if get("business"):
        lines.append(f"ORG:{escape(get('business'))}")
    if get("category"):
        lines.append(f"TITLE:{escape(get('category'))}")
    if categories:
        lines.append(f"CATEGORIES:{escape(categories)}")
    if get("email"):
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape(get('email'))}")
    if get("phone"):
        lines.append(f"TEL;TYPE=WORK,VOICE:{escape(get('phone'))}")
    if get("website"):
        url = get("website")
        lines.append(f"URL:{url if '://' in url else 'https://' + url}")
    note = "\n\n".join(
        part
        for part in (
            f"A good referral for me is: {get('good_referral')}" if get("good_referral") else "",
            get("bio"),
        )
        if part
    )
    if note:
        lines.append(f"NOTE:{escape(note)}")
    lines.append("END:VCARD")
    return b"".join(fold(line) for line in lines)


def members_vcard(records: Iterable[Mapping[str, str]], *, categories: str = "") -> bytes:
    """Every member's card, one after the other (UTF-8)."""
    return b"".join(member_card(record, categories) for record in records)
