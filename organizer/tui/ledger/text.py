"""How the ledger screens write referrals for people: names that fit, statuses, row cells.

Plain functions returning strings or Rich Text; no widgets here.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from organizer.services.ledger_queries import LedgerRow
from organizer.services.money import format_money
from organizer.services.records import Group
from organizer.text import one_line


def clip(text: str, width: int) -> str:
    """`text` on one line, cut to `width` terminal cells (CJK count two) with an ellipsis."""
    text = one_line(text)
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + "…"


def short_name(name: str) -> str:
    """'Daniel Okafor' → 'Daniel O.'; a one-word name, or one ending in a number
    ('Member 00051'), stays as it is."""
    parts = one_line(name).split()
    if len(parts) < 2 or not parts[-1][0].isalpha():
        return " ".join(parts)
    return f"{parts[0]} {parts[-1][0]}."


def initials_name(name: str, width: int) -> str:
    """A name for a narrow column: 'Daniel O.', or 'Grego… W.' when even that is too wide
    (the end of the name tells people apart, so it is kept: 'Me… 00051')."""
    short = short_name(name)
    if cell_len(short) <= width or " " not in short:
        return clip(short, width)
    first, last = short.rsplit(" ", 1)
    return clip(first, max(width - cell_len(last) - 1, 2)) + " " + last


def status_text(row: LedgerRow) -> str:
    thanked = " ✓" if row.thanked_on and row.status == "won" else ""
    return f"{row.status}{thanked}"


NARROW = 110  # below this many columns the list uses short names, "in"/"out" and plain "void"


def column_widths(width: int) -> tuple[int, ...]:
    """Widths of date, giver → receiver, prospect, kind, temp, status, value for a screen
    `width` wide: the fixed columns first, the rest shared by the two name columns."""
    if width < NARROW:
        fixed = (10, 4, 4, 9, 10)
    else:
        fixed = (10, 7, 4, 11, 12)
    free = max(width - sum(fixed) - 2 * 7 - 2, 26)  # cell padding and the scrollbar
    who = max(free * 3 // 5, 14)
    return fixed[0], who, max(free - who, 10), *fixed[1:]


def row_cells(group: Group, row: LedgerRow, widths: tuple[int, ...]) -> list[Text]:
    """The cells of one ledger row; a voided row is dimmed and struck through, status 'void'."""
    narrow = widths[3] < 7
    arrow = "→" if narrow else " → "
    name = short_name if narrow else one_line
    who = clip(f"{name(row.giver_name)}{arrow}{name(row.receiver_name)}", widths[1])
    value = format_money(row.value_minor, group.currency, locale=group.locale) if row.value_minor is not None else ""
    kind = {"inside": "in", "outside": "out"}.get(row.kind, row.kind) if narrow else row.kind
    cells = [
        row.given_on.isoformat(),
        who,
        clip(row.prospect_name, widths[2]),
        kind,
        f"{row.temperature}/5",
        status_text(row),
        value,
    ]
    if row.void:
        texts = [Text(cell, style="dim strike") for cell in cells]
        texts[5] = Text("void" if narrow else f"void ({row.status})", style="bold red")
        return texts
    texts = [Text(cell) for cell in cells]
    texts[6].justify = "right"
    if row.status == "won":
        texts[5].stylize("green")
    elif row.status == "lost":
        texts[5].stylize("dim")
    return texts
