"""Text helpers for the app: user text escaped for Rich/Textual markup."""

from __future__ import annotations

from rich.markup import escape as _escape


def escape(text: object) -> str:
    """User text made safe inside markup ("[b]" in a name stays literal)."""
    return _escape(str(text))
