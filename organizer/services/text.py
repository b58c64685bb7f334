"""Text helpers shared by search and validation: folding for matching, tidy whitespace."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed text for matching ("Zoë" → "zoe").

    Marks are stripped after NFKD decomposition, so Latin, Greek and Cyrillic accents
    fold away while scripts without case (CJK, Arabic) are kept as they are. Vietnamese
    "đ" has no decomposition and is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("ø", "o").replace("ł", "l")
    return " ".join(bare.split())


def tidy(value: object) -> str:
    """A user's text with outer whitespace removed and Unicode in NFC form."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()



def one_line(text: str) -> str:
    """Text safe to show on one terminal line: whitespace runs become one space and
    control characters (an escape sequence hidden in a spreadsheet cell) become �."""
    return "".join("�" if unicodedata.category(ch) == "Cc" else ch for ch in " ".join(text.split()))
