"""Text helpers for the app: user text escaped for Textual's content markup.

Textual reads any "[" not preceded by a backslash as the start of a tag, and a backslash
right before a "[" as its escape; there is no escape for a backslash itself. So every "["
of user text is escaped, and text that ends in a backslash gets a zero-width space after
it, so it cannot swallow the markup that follows ("Social \\" then "[/dim]").
"""

from __future__ import annotations

ZERO_WIDTH_SPACE = "\u200b"


def escape(text: object) -> str:
    """User text made safe inside markup ("[b]", "[ upstairs", "Cost [$5]", "a\\" stay literal)."""
    safe = str(text).replace("[", "\\[")
    if safe.endswith("\\"):
        safe += ZERO_WIDTH_SPACE
    return safe
