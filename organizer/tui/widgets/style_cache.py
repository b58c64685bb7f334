"""Component styles looked up once per drawing, for the widgets that draw line by line.

Each `get_component_rich_style` walks the DOM; a widget drawing forty lines a keystroke
asks for the same few styles each line. `StyleCache._style(name)` asks once and keeps the
answer until `_forget_styles()` (the widget calls it on focus, blur or a new theme).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style

if TYPE_CHECKING:  # a mixin of Widgets: their styles, for the type checker
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object


class StyleCache(_Base):
    """Mixed into a Widget: `_style('base')` is its own style, `_style(component)` that on top."""

    _styles: dict[str, Style]

    def _forget_styles(self) -> None:
        self._styles = {}

    def _style(self, name: str) -> Style:
        styles = self.__dict__.setdefault("_styles", {})
        style = styles.get(name)
        if style is None:
            base = styles.get("base") or styles.setdefault("base", self.rich_style)
            style = styles[name] = base if name == "base" else base + self.get_component_rich_style(name)
        return style
