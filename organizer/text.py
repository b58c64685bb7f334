"""Text helpers shared by search and validation: folding for matching, tidy whitespace,
and `clean`, the one place where text from outside (a file, a form, an iCal reply) loses
its control characters before it is checked or stored."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed text for matching ("Zoë" → "zoe").

    Marks are stripped after NFKD decomposition, so Latin, Greek and Cyrillic accents
    fold away while scripts without case (CJK, Arabic) are kept as they are. Vietnamese
    "đ" has no decomposition and is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():  # nothing to strip (most names): skip the walk over characters
        return " ".join(decomposed.split())
    if _MARKS:
        bare = decomposed.translate(_MARKS)
    else:
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("ø", "o").replace("ł", "l")
    return " ".join(bare.split())


# Every combining mark, as a translate table that drops them: one C call per text instead
# of a Python test per character. Building it takes ~60 ms, so only bulk jobs (an import
# of thousands of names) ask for it; a keystroke's search never waits for it.
_MARKS: dict[int, None] = {}


def prepare_bulk_folding() -> None:
    """Build fold's table of combining marks (below U+20000 and in plane 14), once."""
    if not _MARKS:
        for start, end in ((0, 0x20000), (0xE0000, 0xE1000)):
            _MARKS.update((code, None) for code in range(start, end) if unicodedata.combining(chr(code)))


# C0 controls, DEL and C1 controls: ESC starts terminal sequences, NUL is refused by
# PostgreSQL, and C1 0x9b is a one-byte CSI on some terminals.
_CONTROLS = {code: None for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))}
_SINGLE_LINE = dict(_CONTROLS) | {ord("\t"): " ", ord("\n"): " ", ord("\r"): " ", 0x0B: " ", 0x0C: " ", 0x85: " "}
_MULTI_LINE = dict(_CONTROLS) | {ord("\t"): "\t", ord("\n"): "\n"}


def clean(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character removed (C0, DEL, C1, so ESC and NUL too).

    Tabs and line breaks become spaces in a one-line field; in a multi-line field
    (notes, a post's body) they stay, with CRLF and CR read as one line break.
    """
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.translate(_MULTI_LINE)
    return text.translate(_SINGLE_LINE)


_LAYOUT = {ord("\t"), ord("\n"), ord("\r")}
_NOT_LAYOUT = {code: None for code in _CONTROLS if code not in _LAYOUT}


def drop_controls(text: str) -> str:
    """`text` without control characters except tabs and line breaks, which it keeps as
    they are: for output (a terminal, a file), where layout is the writer's business."""
    return text.translate(_NOT_LAYOUT)


def tidy(value: object, *, multiline: bool = False) -> str:
    """A user's text cleaned of control characters, outer whitespace removed, in NFC form."""
    if value is None or value == "":
        return ""  # None, or an empty cell (most of a spreadsheet's)
    text = value if type(value) is str else str(value)
    if text.isprintable():  # no control character (nor tab, nor line break): nothing to clean
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        return text.strip()
    return clean(unicodedata.normalize("NFC", text), multiline=multiline).strip()


def clip(text: str, limit: int = 200) -> str:
    """`text` cut to `limit` characters with an ellipsis: a quoted line of someone's file
    inside a message stays a line, not a screenful."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str) -> str:
    """Text safe to show on one terminal line: whitespace runs become one space and
    control characters (an escape sequence hidden in a spreadsheet cell) become �."""
    return "".join("�" if unicodedata.category(ch) == "Cc" else ch for ch in " ".join(str(text).split()))
