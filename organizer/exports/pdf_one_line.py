"""fpdf2's multi_cell without its line breaker, for a text that fits on one line.

fpdf2 breaks a multi_cell's text one letter at a time, measuring the whole line so far at
every letter: a 50-letter line costs ~300 µs, against ~40 µs for the same line through
cell(). Most of a recap's texts are single lines, and every table cell goes through
multi_cell twice (once to measure the row, once to draw it), so the line breaker was over
half the time of a PDF recap. `OneLineCells.multi_cell` measures the text once; when it
fits with room to spare (so the breaker would not break it either) it draws the line just
as multi_cell's own one-line case does, with the same fpdf2 calls in the same order, and
otherwise hands over to fpdf2. tests/test_pdf_one_line.py holds the two to the same bytes.

Shaped text (Arabic, Hebrew, Indic…) is where the breaker costs most: at every letter it
shapes the whole line so far again (1–2 ms a line, twenty times an unshaped one). Shaped,
a line is no sum of its letters, so the shortcut cannot replay the breaker's sums; it takes
a shaped line only when it fits with two ems to spare (`SHAPED_SPARE_EMS`), which the
breaker's sums never use up: each is the shaped line so far plus one more letter shaped
alone, and they differ from the whole line's width only in that letter and in the form
of the one before it, each narrower than an em. Nearer the edge, fpdf2 decides.

What is left to fpdf2 as it is: text with line or page feeds, soft hyphens or no-break
spaces (which its breaker rewrites), Markdown, borders or fills drawn by the cell,
X alignment, centring, and any option this module does not know.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos
from fpdf.line_break import TextLine
from fpdf.util import Padding

# The keywords (besides w, h, text) whose every value is handled here; any other one, or a
# value not handled, goes to fpdf2.
_KNOWN = frozenset(("border", "align", "fill", "link", "max_line_height", "markdown", "new_x", "new_y",
                    "wrapmode", "output", "padding"))
_REWRITTEN = ("\n", "\r", "\f", "\u00ad", "\u00a0")  # characters fpdf2's breaker treats specially
_SPARE = 1e-6  # mm: a text this close to the edge is left to the breaker's own arithmetic
# fpdf2's own steps this module calls (private to fpdf2: a version without them leaves
# every multi_cell to fpdf2; one that changed what they do fails tests/test_pdf_one_line.py)
_STEPS = ("_preload_font_styles", "_perform_page_break_if_need_be", "_render_styled_text_line", "normalize_text")
_AVAILABLE = all(callable(getattr(FPDF, step, None)) for step in _STEPS)
_SHAPED_AVAILABLE = callable(getattr(FPDF, "_preload_bidirectional_text", None))
SHAPED_SPARE_EMS = 2.0


class OneLineCells(FPDF):
    """An FPDF whose multi_cell skips the line breaker for a text that fits on one line."""

    one_line_cells = _AVAILABLE  # False: every multi_cell through fpdf2 (tests compare the two)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        if not args and self.one_line_cells:
            drawn = self._one_line(w, h, text, **kwargs)
            if drawn is not None:
                return drawn
        return super().multi_cell(w, h, text, *args, **kwargs)

    def _one_line(self, w, h, text, border=0, align=Align.J, fill=False, link=None, max_line_height=None,
                  markdown=False, new_x=XPos.RIGHT, new_y=YPos.NEXT, wrapmode=None, output=MethodReturnValue.PAGE_BREAK,
                  padding=0, **others):
        """The result multi_cell would return, having drawn the same; None to leave it to fpdf2."""
        shaped = bool(self.text_shaping)
        if (others or border or fill or markdown or not text or not self.page or (shaped and not _SHAPED_AVAILABLE)
                or self.char_spacing or self.font_stretching != 100 or not self.font_family
                or isinstance(w, str) or isinstance(h, str)
                or any(ch in text for ch in _REWRITTEN) or self.str_alias_nb_pages in text):
            return None
        align, new_x, new_y = Align.coerce(align), XPos.coerce(new_x), YPos.coerce(new_y)
        output = MethodReturnValue.coerce(output)
        if align == Align.X or output & MethodReturnValue.LINES:
            return None
        padding = Padding.new(padding)
        text = self.normalize_text(text)
        # multi_cell's own split: by direction (then font) when shaping, else by font
        fragments = self._preload_bidirectional_text(text, False) if shaped else self._preload_font_styles(text, False)
        if not fragments or any(a.has_same_style(b) and a.link == b.link for a, b in zip(fragments, fragments[1:])):
            return None  # the breaker would merge these into one fragment
        width = 0.0
        for i, fragment in enumerate(fragments):
            width += fragment.get_width(initial_cs=i > 0)  # the breaker's own sum at the end
        spare = _SPARE
        if shaped:
            spare += SHAPED_SPARE_EMS * max(fragment.font_size for fragment in fragments)

        # multi_cell's own arithmetic, in its order
        if h is None:
            h = self.font_size
        if w == 0:
            w = self.w - self.r_margin - self.x
        maximum = w - padding.right - padding.left
        room = maximum
        if not padding.left:
            room -= self.c_margin
        if not padding.right:
            room -= self.c_margin
        if not width or width > room - spare:
            return None
        prev_y = self.y
        self.x += padding.left
        self.y += padding.top
        # A last line is never justified, and a single line is the last.
        line = TextLine(fragments, text_width=width, number_of_spaces=text.count(" "),
                        align=Align.L if align == Align.J else align,
                        height=max(fragment.font_size for fragment in fragments), max_width=maximum)
        page_break = self._perform_page_break_if_need_be(h + padding.bottom)
        if page_break:
            self.y += padding.top
        self._render_styled_text_line(line, h=h, new_x=new_x, new_y=new_y, border=0, fill=False, link=link,
                                      padding=Padding(0, padding.right, 0, padding.left), prevent_font_change=False)
        if page_break and new_y == YPos.TOP:
            prev_y = self.y
        if new_y == YPos.TOP:
            self.y = prev_y
        elif new_y == YPos.NEXT:
            self.y += padding.bottom
        if new_x == XPos.RIGHT:
            self.x += padding.right
        elif new_x == XPos.LEFT:
            self.x -= padding.left

        result: tuple = ()
        if output & MethodReturnValue.PAGE_BREAK:
            result += (page_break,)
        if output & MethodReturnValue.HEIGHT:
            result += (h + padding.top + padding.bottom,)
        return result[0] if len(result) == 1 else result
