"""The Markdown, text and HTML recaps of a real month: every who-referred-whom line,
escaping, privacy, the print stylesheet and the chart. HTML is read back with html.parser
and Markdown with markdown-it (Textual's own Markdown parser), tools we did not write."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from organizer.models import Member, Referral
from organizer.recap import html as html_printer
from organizer.recap import md as md_printer
from organizer.recap import txt as txt_printer
from organizer.recap.blocks import plain
from organizer.recap.document import document
from organizer.recap.txt import cells
from organizer.services.recap import build_recap
from tests.recap_expected import expected_month

EVIL_NAME = "<script>alert(1)</script>"
EVIL_PROSPECT = "<b>Big</b> *deal* _now_ [click](http://evil.example) `code` # | &amp;"


class recap_md:  # the printers, fed the month's document
    render = staticmethod(lambda recap: md_printer.render(document(recap)))

    @staticmethod
    def escape(text: str) -> str:
        return md_printer.inline(plain(text))


class recap_txt:
    render = staticmethod(lambda recap: txt_printer.render(document(recap)))
    text = staticmethod(lambda recap: txt_printer.text(document(recap)))


class recap_html:
    render = staticmethod(lambda recap, **kw: html_printer.render(document(recap), **kw))


def expected_lines() -> list[str]:
    return sorted(f"{g} → {r}: {p} ({t}, {s})" for g, r, p, t, s in expected_month(2026, 10, date(2026, 9, 1)).lines)


@pytest.fixture
def october(sample_group, now):
    return build_recap(sample_group, 2026, 10, now=now)


@pytest.fixture
def hostile(sample_group, now):
    """October with a member named like a script tag and a prospect full of markup."""
    Member.update(name=EVIL_NAME).where(Member.name == "Priya Raman").execute()
    Referral.update(prospect_name=EVIL_PROSPECT).where(Referral.prospect_name == "Elmira Bakehouse").execute()
    return build_recap(sample_group, 2026, 10, now=now)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.items: list[str] = []
        self._li: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "li":
            self._li = []

    def handle_endtag(self, tag):
        if tag == "li" and self._li is not None:
            self.items.append("".join(self._li))
            self._li = None

    def handle_data(self, data):
        self.text.append(data)
        if self._li is not None:
            self._li.append(data)


def parse_html(data: bytes) -> _Collector:
    parser = _Collector()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser


# -- Markdown --------------------------------------------------------------------------------


def test_markdown_has_every_line_and_section(october):
    text = recap_md.render(october).decode("utf-8")
    assert text.startswith("# Grand River Business Circle — recap for October 2026\n")
    for line in expected_lines():
        assert f"- {line}\n" in text
    for heading in (
        "## Who referred whom",
        "### The month's matrix",
        "## Chains",
        "## Closed business and thank-yous",
        "## Give and get",
        "## Attendance",
        "## Threads",
        "## Referrals given, last 12 months",
    ):
        assert heading in text
    assert "- Marcus Thompson → Daniel Okafor → Emily Wagner → Sarah Mitchell" in text
    assert "Samuel Osei (Osei Web Hosting), invited by José Núñez" in text


def test_markdown_escapes_user_text(hostile):
    text = recap_md.render(hostile).decode("utf-8")
    assert "\\<script>" in text and "\\<b>" in text  # escaped, and otherwise as typed
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in html and "<b>" not in html and "<em>" not in html and "<a " not in html
    assert "<code>" not in html.split("<pre>")[0]  # only the chart is code
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # What the reader sees is what was typed.
    assert "*deal* _now_ [click](http://evil.example) `code` # | &amp;amp;" in html


@pytest.mark.parametrize(
    "text",
    [
        "1. first",
        "2) second",
        "- dash",
        "+ plus",
        "# hash",
        "> quote",
        "a | b",
        "x\\y",
        "*bold*",
        "__u__",
        "<i>x</i>",
        "[a](b)",
        "![i](x.png)",
        "`c`",
        "~~s~~",
        "&copy;",
        "Okafor & Associates",
        "O'Brien",
    ],
)
def test_markdown_escape_keeps_text_literal(text):
    html = MarkdownIt("commonmark").enable("strikethrough").render(recap_md.escape(text))
    literal = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert html == f"<p>{literal}</p>\n"


# -- plain text ------------------------------------------------------------------------------------


def test_text_has_every_line_and_aligns_by_cells(october):
    text = recap_txt.text(october)
    assert recap_txt.render(october) == text.encode("utf-8")
    lines = text.splitlines()
    for line in expected_lines():
        assert f"  {line}" in lines
    # The matrix: every row as wide as its header, 陈静 (4 cells) included.
    start = lines.index("The month's matrix: rows give, columns receive") + 2
    table = lines[start : start + 12]
    header, rule, rows = table[0], table[1], table[2:]
    assert rule.startswith("---")
    for row in rows:
        assert cells(row) == cells(header.rstrip()) or cells(row) <= cells(rule)
    chen = next(row for row in rows if row.startswith("陈静"))
    chloe = next(row for row in rows if row.startswith("Chloé Tremblay"))
    assert cells(chen) == cells(chloe)
    chart = lines[lines.index("Referrals given, last 12 months") + 3 :]
    assert chart[0].startswith("  Nov 25")
    assert chart[0].startswith("  Nov 25") and "Oct 26" in chart[11]
    assert chart[5].count("█") == 40  # April, the busiest month, has the full bar


def test_text_strips_control_characters(sample_group, now):
    Member.update(name="Evil\x1b[2J\x07Name").where(Member.name == "Priya Raman").execute()
    text = recap_txt.text(build_recap(sample_group, 2026, 10, now=now))
    assert "\x1b" not in text and "\x07" not in text and "Evil [2J Name" in text


# -- HTML ------------------------------------------------------------------------------------------------


def test_html_is_one_self_contained_page_with_every_line(october):
    data = recap_html.render(october, paper="letter")
    parsed = parse_html(data)
    for line in expected_lines():
        assert line in parsed.items
    assert parsed.tags.count("svg") == 1 and parsed.tags.count("rect") == 12
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    source = data.decode("utf-8")
    assert "@page" in source and "size: letter" in source and "@media print" in source
    assert "break-inside: avoid" in source and "page-break-inside: avoid" in source
    assert "http://" not in source.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "size: A4" in recap_html.render(october, paper="a4").decode("utf-8")
    title = source.split("<title>")[1].split("</title>")[0]
    assert title == "Grand River Business Circle — recap for October 2026"


def test_html_escapes_user_text(hostile):
    parsed = parse_html(recap_html.render(hostile))
    assert "script" not in parsed.tags and "b" not in parsed.tags and "a" not in parsed.tags
    text = "".join(parsed.text)
    assert EVIL_NAME in text
    assert EVIL_PROSPECT in text
    assert f"{EVIL_NAME} → Oluwaseun Adeyemi: {EVIL_PROSPECT} (4, won)" in parsed.items


# -- privacy -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("render", [recap_md.render, recap_txt.render, recap_html.render])
def test_three_privacy_modes_in_every_format(sample_group, now, render):
    def out(mode):
        return render(build_recap(sample_group, 2026, 10, now=now, amounts=mode)).decode("utf-8")

    shown, bucketed, hidden = out("show"), out("bucket"), out("hide")
    assert "3,433.00 CAD" in shown and "22,475.99 CAD" in shown
    assert "3,433" not in bucketed and "22,475" not in bucketed
    assert "1,000–5,000 CAD" in bucketed and "10,000–25,000 CAD" in bucketed
    for figure in ("3,433", "22,475", "1,000–5,000", "CAD"):
        assert figure not in hidden.replace("Amounts are not shown", "")
    assert "Amounts are not shown" in hidden
    # The deals themselves are still listed.
    assert "Hendricks Machine Shop" in hidden and "KW Oktoberfest committee" in hidden


def test_empty_month_renders(group, now):
    recap = build_recap(group, 2026, 10, now=now)
    assert "No referrals were given this month." in recap_md.render(recap).decode()
    assert "No referrals were given this month." in recap_txt.text(recap)
    assert "No referrals were given this month." in "".join(parse_html(recap_html.render(recap)).text)
    # A new group's recap has no chart of twelve zeros.
    assert "last 12 months" not in recap_md.render(recap).decode() + recap_txt.text(recap)


def test_markdown_reads_as_typed(sample_group, now):
    """People paste the raw Markdown into emails: no backslash where CommonMark needs none."""
    Member.update(name="Patel & Co").where(Member.name == "Priya Raman").execute()
    text = recap_md.render(build_recap(sample_group, 2026, 10, now=now)).decode()
    assert "Patel & Co → Oluwaseun Adeyemi" in text and "\\&" not in text
    assert "22,475.99 CAD" in text and "\\." not in text
    assert "O'Brien" in text and "Al-Sayed" in text
