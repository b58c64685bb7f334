"""The monthly recap as a PDF (fpdf2): recap data in, bytes and warnings out.

Names come in every script. The bundled DejaVu Sans (organizer/fonts/, licence beside it)
draws Latin with accents, Vietnamese, Greek, Cyrillic, Hebrew and Arabic everywhere; for
letters it lacks (Chinese, Japanese, Korean…) fonts are looked up on this machine through
fontconfig and given to fpdf2 as fallback fonts. A letter no font can draw is printed as
"�" and named in the warnings returned with the bytes: never dropped silently.

Scripts whose letters change shape or order as they are written (Arabic and Hebrew right
to left, the Indic scripts, Thai…) are laid out by HarfBuzz (uharfbuzz, through fpdf2's
text shaping) on a left-to-right page: Arabic letters join, right-to-left names read right
to left, and a text extractor gets them back as typed. Only a text holding such letters
goes through the shaping engine; every other text is drawn without it (much faster, and
the same whether or not the recap has such names elsewhere).

The only thing read besides the recap is the machine's font list (`find_fallback_fonts`);
pass `fallback_fonts` to choose them yourself (tests pass [] to stand for a bare machine).
Fonts, and what is derived from them alone, are kept between renders (pdf_fonts.py);
one-line cells skip fpdf2's line breaker (pdf_one_line.py); tables and one-line paragraphs
in the bundled face are written straight to the page (pdf_table.py).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from organizer.exports.pdf_fonts import (
    BOLD,
    REGULAR,
    FontFile,
    add_font,
    bundled_charset,
    charset_of,
    find_fallback_fonts,
    truetype_subset,
)
from organizer.exports.pdf_one_line import OneLineCells
from organizer.exports.pdf_table import Table, draw_table, plain_width, written_line
from organizer.exports.recap_data import (
    TEMPERATURE_NOTE,
    Recap,
    amounts_note,
    attendance_phrase,
    bar_scale,
    closed_intro,
    fiscal_year_label,
    long_date,
    more_chains,
    more_closed,
    more_give_get,
    more_new_members,
    membership_year,
    more_referrals,
    more_substitutes,
    more_threads,
    more_thanks,
    more_visitors,
    plural,
    short_labels,
    thanks_intro,
)

FAMILY = "dejavu"
PAPERS = {"a4": "A4", "letter": "Letter"}
REPLACEMENT = "\ufffd"
MATRIX_MAX_COLUMNS = 16

INK, MUTED, RULE, ACCENT, SOFT = (31, 35, 40), (89, 99, 110), (200, 205, 212), (31, 111, 235), (238, 244, 255)
BODY, SMALL = 8.5, 7.2  # points
LINE = 3.9  # mm per body line



@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    warnings: tuple[str, ...]


def _strings(value) -> Iterable[str]:
    """Every string inside the recap's dataclass tree."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)


# -- complex scripts --------------------------------------------------------------------------

_RTL_CLASSES = ("R", "AL")  # Hebrew-like and Arabic-like letters
# Scripts that need a shaping engine beyond right to left: Indic (Devanagari … Sinhala),
# Thai and Lao, Tibetan, Myanmar, Khmer.
_SHAPED_RANGES = ((0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF))


def needs_shaping(texts: Iterable[str]) -> bool:
    """True if any text holds letters that are drawn wrong without a shaping engine."""
    return any(_needs_shaping(text) for text in texts)


def _needs_shaping(text: str) -> bool:
    if text.isascii():
        return False
    for ch in text:
        point = ord(ch)
        if point < 0x0590:
            continue
        if unicodedata.bidirectional(ch) in _RTL_CLASSES:
            return True
        if any(low <= point <= high for low, high in _SHAPED_RANGES):
            return True
    return False


# -- the document ----------------------------------------------------------------------------


class _Document(OneLineCells):
    def __init__(self, recap: Recap, paper: str, *, shaping: bool):
        super().__init__(orientation="portrait", unit="mm", format=PAPERS.get(paper, "A4"))
        self.recap = recap
        self.bundled = bundled_charset()
        self._plain: dict[str, bool] = {}
        self.undrawable: set[str] = set()
        self.set_margins(14, 13, 14)
        self.set_auto_page_break(True, margin=16)
        add_font(self, FAMILY, "", str(REGULAR))
        add_font(self, FAMILY, "B", str(BOLD))
        # The page reads left to right; right-to-left names inside a line are reordered.
        self.set_text_shaping(True, direction="ltr") if shaping else self.set_text_shaping(False)
        # Only the texts that need it go through HarfBuzz: shaping measures a line one
        # letter at a time, each time shaping all of it so far, which made a recap with one
        # Arabic name 2.5 times as slow. Every other text is drawn as in a recap without
        # such names (no kerning or ligatures), so a Latin line looks the same in both.
        self._shaping = self.text_shaping
        self.text_shaping = None

    def _shape_if_needed(self, text) -> None:
        self.text_shaping = self._shaping if self._shaping and _needs_shaping(text) else None

    # fpdf2's three doors for text (the tables' cells go through multi_cell)
    def cell(self, w=None, h=None, text="", *args, **kwargs):
        self._shape_if_needed(text)
        return super().cell(w, h, text, *args, **kwargs)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        self._shape_if_needed(text)
        return super().multi_cell(w, h, text, *args, **kwargs)

    def get_string_width(self, s, *args, **kwargs):
        self._shape_if_needed(s)
        return super().get_string_width(s, *args, **kwargs)

    def plain(self, text: str) -> bool:
        """True if the bundled face draws `text` as it is: no shaping, no fallback font
        (such a text can be written straight to the page: pdf_table.py). Remembered per
        text, since names, dates and numbers come back in every table."""
        known = self._plain.get(text)
        if known is None:
            known = self._plain[text] = text.isascii() or (
                not _needs_shaping(text) and all(ord(ch) in self.bundled for ch in text))
        return known

    # text through one door, so every string is checked against the fonts
    def safe(self, text: str) -> str:
        if not self.undrawable or not any(ch in self.undrawable for ch in text):
            return text
        return "".join(REPLACEMENT if ch in self.undrawable else ch for ch in text)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FAMILY, "", 7)
        self.set_text_color(*MUTED)
        self.cell(self.epw / 2, 4, self.safe(self.recap.group), align="L")
        self.cell(self.epw / 2, 4, f"Recap {self.recap.month_label} · page {self.page_no()} of {{nb}}", align="R")

    def style(self, size: float = BODY, bold: bool = False, color=INK) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*color)

    def room(self, height: float) -> None:
        """Start a new page unless `height` mm still fit (keeps a heading with its first lines)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def heading(self, title: str, keep: float = 14) -> None:
        self.room(keep + 8)
        self.ln(2.5)
        self.style(11, bold=True)
        self.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(1.5)

    def para(self, text: str, size: float = BODY, color=INK, bold: bool = False, indent: float = 0) -> None:
        self.style(size, bold, color)
        self.set_x(self.l_margin + indent)
        text, height, width = self.safe(text), LINE * size / BODY, self.epw - indent
        if self.get_y() + height <= self.page_break_trigger and written_line(self, self.plain, text, width, height):
            self.set_xy(self.l_margin, self.get_y() + height)
        else:
            self.multi_cell(width, height, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def more(self, text: str, indent: float = 0) -> None:
        """A capped list's opening or closing line, muted (nothing when all is listed)."""
        if text:
            self.para(text, SMALL, MUTED, indent=indent)

    def label_value(self, label: str, value: str) -> None:
        self.style(BODY, bold=True)
        self.cell(30, LINE, label)
        self.style(BODY)
        self.multi_cell(self.epw - 30, LINE, self.safe(value), align="L", new_x="LMARGIN", new_y="NEXT")


def render(recap: Recap, *, paper: str = "a4", fallback_fonts: Sequence[FontFile] | None = None) -> RenderedPdf:
    """The recap on one or two pages for a typical month; `paper` is 'a4' or 'letter'."""
    texts = list(_strings(recap))
    bundled = bundled_charset()
    lacking = {ch for text in texts for ch in text if ord(ch) not in bundled and not ch.isspace()}
    if fallback_fonts is None:
        fallback_fonts = find_fallback_fonts(lacking) if lacking else []

    pdf = _Document(recap, paper, shaping=needs_shaping(texts))
    names = []
    for i, font in enumerate(fallback_fonts):
        charset = charset_of(font)
        wanted = {ord(ch) for ch in lacking if ord(ch) in charset}
        if not wanted:
            continue
        font = truetype_subset(font, wanted)
        name = f"fallback{i}"
        add_font(pdf, name, "", font.path, font.index)
        names.append(name)
        lacking -= {chr(point) for point in wanted}
    if names:
        pdf.set_fallback_fonts(names, exact_match=False)
    pdf.undrawable = lacking
    return _draw(pdf, recap, texts, lacking)


def _draw(pdf: "_Document", recap: Recap, texts: list[str], lacking: set[str]) -> RenderedPdf:
    warnings = _warnings(texts, lacking)

    pdf.set_title(recap.title)
    pdf.set_author(recap.group)
    pdf.set_creator("Organizer")
    pdf.add_page()
    _header(pdf, recap)
    _who_referred_whom(pdf, recap)
    _matrix(pdf, recap)
    _chains(pdf, recap)
    _closed(pdf, recap)
    _give_get(pdf, recap)
    _attendance(pdf, recap)
    _threads(pdf, recap)
    _chart(pdf, recap)
    data = bytes(pdf.output())
    # Whatever fpdf2 itself could not find a glyph for (should be nothing by now).
    late = sorted({chr(code) for font in pdf.fonts.values() for code in getattr(font, "missing_glyphs", [])}
                  - lacking - {REPLACEMENT})
    if late:
        warnings += (f"the PDF fonts lack {', '.join(_describe(ch) for ch in late)}",)
    return RenderedPdf(data, warnings)


def _describe(ch: str) -> str:
    return f"“{ch}” (U+{ord(ch):04X})"


def _warnings(texts: list[str], undrawable: set[str]) -> tuple[str, ...]:
    out = []
    seen: set[str] = set()
    for text in texts:
        if text in seen:
            continue
        missing = sorted({ch for ch in text if ch in undrawable}, key=ord)
        if missing:
            seen.add(text)
            out.append(f"no font here can draw {', '.join(_describe(ch) for ch in missing)} in “{text}”: "
                       f"printed as {REPLACEMENT} (install a font for that script, e.g. Noto Sans CJK)")
    return tuple(out)


# -- sections ---------------------------------------------------------------------------------------


def _header(pdf: _Document, recap: Recap) -> None:
    pdf.style(15, bold=True)
    pdf.multi_cell(0, 7, pdf.safe(recap.title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    for meeting in recap.meetings_held:
        pdf.label_value("Meeting held", f"{meeting.starts} — {meeting.title}")
    if not recap.meetings_held:
        pdf.label_value("Meeting held", "none this month")
    if recap.next_meeting:
        pdf.label_value("Next meeting", f"{recap.next_meeting.starts} — {recap.next_meeting.title}")
        if recap.next_meeting.intent:
            pdf.label_value("What it is for", recap.next_meeting.intent)
    else:
        pdf.label_value("Next meeting", "not scheduled yet")
    pdf.ln(2)
    counts = recap.attendance
    figures = [
        (f"{recap.referrals_given:,}", "referrals given" if recap.referrals_given != 1 else "referral given"),
        (f"{recap.closed_count:,}", "closed" + (f" · {recap.closed_total}" if recap.closed_total else "")),
        (f"{recap.thanks_count:,}", "thank-yous" if recap.thanks_count != 1 else "thank-you"),
        (str(counts.present + counts.late), "members came"),
        (f"{recap.visitor_count:,}", "visitors" if recap.visitor_count != 1 else "visitor"),
    ]
    gap = 2.5
    width = (pdf.epw - gap * (len(figures) - 1)) / len(figures)
    top = pdf.get_y()
    pdf.set_fill_color(*SOFT)
    for i, (number, label) in enumerate(figures):
        x = pdf.l_margin + i * (width + gap)
        pdf.rect(x, top, width, 12, style="F")
        pdf.set_xy(x + 2, top + 1.2)
        pdf.style(13, bold=True)
        pdf.cell(width - 4, 5.5, number)
        pdf.set_xy(x + 2, top + 7)
        pdf.style(SMALL, color=MUTED)
        pdf.cell(width - 4, 3.5, pdf.safe(label))
    pdf.set_xy(pdf.l_margin, top + 14)


def _who_referred_whom(pdf: _Document, recap: Recap) -> None:
    pdf.heading("Who referred whom")
    if not recap.who_referred_whom:
        pdf.para("No referrals were given this month.")
        return
    pdf.para(TEMPERATURE_NOTE, SMALL, MUTED)
    pdf.ln(0.8)
    for group in recap.who_referred_whom:
        pdf.room(LINE * min(len(group.referrals), 3))
        for line in group.referrals:
            pdf.para(line.text, size=_fitting_size(pdf, pdf.safe(line.text)))
        pdf.ln(1.0)
    pdf.more(more_referrals(recap))


def _fitting_size(pdf: _Document, text: str, size: float = BODY, smallest: float = 6.0) -> float:
    """A font size at which `text` stays on one line (so it reads back as one), down to
    `smallest`; longer text wraps."""
    pdf.style(size)
    width = plain_width(pdf, pdf.plain, text)
    if width is None:
        width = pdf.get_string_width(text)
    room = pdf.epw - 2 * pdf.c_margin - 1
    if width <= room:
        return size
    return max(smallest, size * room / width)


def _matrix(pdf: _Document, recap: Recap) -> None:
    matrix = recap.matrix
    if not matrix.total:
        return
    if len(matrix.receivers) > MATRIX_MAX_COLUMNS:
        pdf.para(f"{plural(len(matrix.givers), 'giver')} and {plural(len(matrix.receivers), 'receiver')} this "
                 "month: too many for a matrix on paper (see the ledger's matrix).", SMALL, MUTED)
        return
    labels = short_labels(matrix.receivers)
    rows = len(matrix.givers) + 2
    pdf.room(4.2 * rows + 16)
    pdf.ln(1)
    pdf.style(9.5, bold=True)
    pdf.cell(0, 5, "The month's matrix", new_x="LMARGIN", new_y="NEXT")
    pdf.para("Rows give, columns receive.", SMALL, MUTED)
    pdf.style(SMALL)
    name_width = min(48, max(pdf.get_string_width(pdf.safe(name)) for name in matrix.givers) + 4)
    column = 8.5
    widths = (name_width, *([column] * len(matrix.receivers)), 10)
    body = [(pdf.safe(name), *(str(n) if n else "·" for n in counts), str(total))
            for name, counts, total in zip(matrix.givers, matrix.counts, matrix.row_totals)]
    body.append(("total", *(str(n) for n in matrix.column_totals), str(matrix.total)))
    table = Table(widths, ("L", *(["C"] * (len(matrix.receivers) + 1))), line_height=4.0, padding=(0.3, 0.8),
                  heading_fill=SOFT, rule=RULE)
    draw_table(pdf, pdf.plain, table, ("", *(pdf.safe(labels[name]) for name in matrix.receivers), "total"), body,
               bold_last_row=True, bold_last_column=True)
    legend = ", ".join(f"{labels[name]} {name}" for name in matrix.receivers)
    pdf.ln(0.8)
    pdf.para("Columns: " + legend, SMALL, MUTED)


def _chains(pdf: _Document, recap: Recap) -> None:
    pdf.heading("Chains", keep=8)
    if not recap.chains:
        pdf.para("No referral this month came out of an earlier one.")
        return
    pdf.para("Referrals this month that came out of earlier ones, from the first giver on.", SMALL, MUTED)
    for chain in recap.chains:
        pdf.para(f"{chain.text}   ({chain.prospect}, {long_date(chain.given_on)})")
    pdf.more(more_chains(recap))


def _closed(pdf: _Document, recap: Recap) -> None:
    pdf.heading("Closed business and thank-yous", keep=20)
    pdf.para(amounts_note(recap), SMALL, MUTED)
    pdf.ln(0.5)
    if recap.closed:
        show = recap.amounts != "hide"
        widths = (26, 38, 52, 38, 28) if show else (26, 42, 70, 44)
        aligns = ("L", "L", "L", "L", "R")[: len(widths)]
        pdf.more(closed_intro(recap))
        pdf.style(BODY - 0.5)
        rows = []
        for line in recap.closed:
            cells = [long_date(line.closed_on), line.receiver, line.prospect, line.giver]
            if show:
                cells.append(line.amount)
            rows.append([pdf.safe(cell) for cell in cells])
        table = Table(_fitted(widths, pdf.epw), aligns, line_height=3.8, padding=(0.4, 1), heading_fill=SOFT, rule=RULE)
        draw_table(pdf, pdf.plain, table, ("closed", "member", "prospect", "referred by", "amount")[: len(widths)], rows)
        pdf.ln(1)
        pdf.more(more_closed(recap))
        total = f", {recap.closed_total}" if recap.closed_total else ""
        pdf.para(f"Closed this month: {recap.closed_count:,}{total}", bold=True)
    else:
        pdf.para("No business was closed this month.")
    pdf.ln(1.5)
    if recap.thanks:
        pdf.room(LINE * 3)
        pdf.para("Thank-yous", bold=True)
        pdf.more(thanks_intro(recap))
        for t in recap.thanks:
            note = f" — “{t.note}”" if t.note else ""
            pdf.para(f"{long_date(t.thanked_on)}: {t.receiver} thanked {t.giver} for {t.prospect}{note}")
        pdf.more(more_thanks(recap))
    else:
        pdf.para("No thank-yous were recorded this month.")


def _give_get(pdf: _Document, recap: Recap) -> None:
    pdf.heading("Give and get", keep=20)
    pdf.para(f"Referrals given and received (got) this month and this fiscal year ({fiscal_year_label(recap)}); "
             "top givers first.", SMALL, MUTED)
    pdf.ln(0.5)
    if not recap.give_get:
        pdf.para("No referrals yet this fiscal year.")
        return
    rows = list(recap.give_get)
    half = (len(rows) + 1) // 2
    row_height = 3.9
    two_columns = len(rows) > 10 and pdf.get_y() + (half + 1) * row_height + 2 < pdf.page_break_trigger
    pdf.style(SMALL + 0.3)
    if not two_columns:
        _give_get_table(pdf, rows, pdf.epw * 0.62, pdf.l_margin)
    else:
        top = pdf.get_y()
        width = (pdf.epw - 6) / 2
        _give_get_table(pdf, rows[:half], width, pdf.l_margin)
        left_bottom = pdf.get_y()
        pdf.set_y(top)
        _give_get_table(pdf, rows[half:], width, pdf.l_margin + pdf.epw - width)
        pdf.set_y(max(left_bottom, pdf.get_y()))
    if more_give_get(recap):
        pdf.ln(0.8)
        pdf.more(more_give_get(recap))


def _give_get_table(pdf: _Document, rows, width: float, x: float) -> None:
    table = Table(_fitted((40, 12, 12, 15, 15), width), ("L", "R", "R", "R", "R"), line_height=3.6,
                  padding=(0.3, 1), heading_fill=SOFT, rule=RULE)
    draw_table(pdf, pdf.plain, table, ("member", "given", "got", "year given", "year got"),
               [(pdf.safe(r.name), str(r.given), str(r.received), str(r.year_given), str(r.year_received))
                for r in rows], x=x)


def _fitted(widths: tuple[float, ...], room: float) -> tuple[float, ...]:
    """Column widths scaled down in proportion to fit `room` mm (as they are when they fit)."""
    total = sum(widths)
    return widths if total <= room else tuple(w * room / total for w in widths)


def _attendance(pdf: _Document, recap: Recap) -> None:
    counts = recap.attendance
    pdf.heading("Attendance, visitors and new members", keep=10)
    if counts.meetings:
        pdf.para(f"Members: {attendance_phrase(counts)}")
        for member, substitute in counts.substitutes:
            pdf.para(f"{substitute} came for {member}", indent=4)
        pdf.more(more_substitutes(recap), indent=4)
    else:
        pdf.para("No meeting was held this month.")
    if recap.one_to_ones:
        pdf.para(f"One-to-ones: {recap.one_to_ones}")
    if recap.visitors:
        pdf.para("Visitors", bold=True)
        for v in recap.visitors:
            business = f" ({v.business})" if v.business else ""
            invited = f", invited by {v.invited_by}" if v.invited_by else ""
            pdf.para(f"{v.name}{business}{invited}", indent=4)
        pdf.more(more_visitors(recap), indent=4)
    else:
        pdf.para("Visitors: none this month")
    if recap.new_members:
        pdf.para("New members", bold=True)
        for m in recap.new_members:
            invited = f", invited by {m.invited_by}" if m.invited_by else ""
            business = f" ({m.business})" if m.business else ""
            pdf.para(f"{m.name}{business}, joined {long_date(m.joined_on)}{invited}", indent=4)
        pdf.more(more_new_members(recap), indent=4)
    else:
        pdf.para("New members: none this month")
    if membership_year(recap):
        pdf.para(membership_year(recap))


def _threads(pdf: _Document, recap: Recap) -> None:
    threads = recap.threads
    pdf.heading("Threads", keep=8)
    pdf.para(f"{threads.started} started · {threads.active_count} active · {threads.resolved} resolved this month")
    for line in threads.active:
        flags = [flag for flag, on in (("new", line.started_in_month), ("resolved", line.resolved)) if on]
        extra = f" [{', '.join(flags)}]" if flags else ""
        pdf.para(f"{line.title} — {line.kind} by {line.author}, {plural(line.posts_in_month, 'post')}{extra}",
                 indent=4)
    pdf.more(more_threads(recap), indent=4)
    if threads.carried:
        pdf.para("Carried to the next meeting", bold=True)
        for line in threads.carried:
            pdf.para(f"{line.title} — {line.kind} by {line.author}", indent=4)


def _chart(pdf: _Document, recap: Recap) -> None:
    """Twelve bars, the recap's month darker, counts above and month labels below."""
    height = 30
    pdf.heading("Referrals given, last 12 months", keep=height + 10)
    top = pdf.get_y() + 4
    base = top + height
    scale = bar_scale(recap.series)
    slot = pdf.epw / max(1, len(recap.series))
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, base, pdf.l_margin + pdf.epw, base)
    for i, item in enumerate(recap.series):
        h = height * item.count / scale
        x = pdf.l_margin + i * slot + slot * 0.18
        last = i == len(recap.series) - 1
        pdf.set_fill_color(*((11, 61, 145) if last else ACCENT))
        if h:
            pdf.rect(x, base - h, slot * 0.64, h, style="F")
        pdf.style(SMALL, bold=last)
        pdf.set_xy(x - slot * 0.18, base - h - 4)
        pdf.cell(slot, 3.5, str(item.count), align="C")
        pdf.set_xy(x - slot * 0.18, base + 0.8)
        pdf.style(SMALL, bold=last, color=INK if last else MUTED)
        pdf.cell(slot, 3.5, item.label, align="C")
    pdf.set_xy(pdf.l_margin, base + 6)
