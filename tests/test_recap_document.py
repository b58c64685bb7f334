"""The recap's one document: a fixed month gives the same blocks (golden file), and each
printer lays out a few hand-made documents as expected.

To accept a deliberate change of the document, run this file with RECAP_GOLDEN_UPDATE=1,
read the diff of tests/golden/recap-2026-10.json, and commit it.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from organizer.recap import html, md, pdf, txt
from organizer.recap.blocks import (
    BulletList,
    Chart,
    Document,
    Facts,
    Heading,
    More,
    Paragraph,
    Run,
    Table,
    plain,
    runs,
    u,
)
from organizer.recap.document import document
from organizer.services.recap import build_recap

GOLDEN = Path(__file__).parent / "golden" / "recap-2026-10.json"


def as_json(doc: Document) -> list:
    return [{"block": type(block).__name__, **dataclasses.asdict(block)} for block in doc.blocks]


def test_a_fixed_month_gives_the_same_blocks(sample_group, now):
    blocks = as_json(document(build_recap(sample_group, 2026, 10, now=now)))
    text = "[\n" + ",\n".join(json.dumps(block, ensure_ascii=False) for block in blocks) + "\n]\n"  # a block a line
    if os.environ.get("RECAP_GOLDEN_UPDATE"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert json.loads(GOLDEN.read_text(encoding="utf-8")) == json.loads(text)


def test_every_empty_section_says_so_once(group, now):
    doc = document(build_recap(group, 2026, 10, now=now))
    sentences = [" ".join(run.text for run in block.runs) for block in doc.blocks if isinstance(block, Paragraph)]
    for sentence in (
        "No referrals were given this month.",
        "No referral this month came out of an earlier one.",
        "No business was closed this month.",
        "No thank-yous were recorded this month.",
        "No meeting was held this month.",
        "No visitors this month.",
        "No new members this month.",
    ):
        assert sentences.count(sentence) == 1, sentence
    assert not any(isinstance(block, Chart) for block in doc.blocks)  # twelve zeros: no chart


# -- printers on hand-made documents --------------------------------------------------------------

SMALL = Document(
    title="Circle — recap for May 2026",
    group="Circle",
    month_label="May 2026",
    footer="Circle · recap for May 2026",
    blocks=(
        Heading(1, "Circle — recap for May 2026"),
        Facts((("Meeting held", "Tuesday 12 May 2026, 07:30 — May meeting"),)),
        Paragraph((Run("3 referrals", "strong"), Run(" given · Patel & Co, 999.99 GBP"))),
        Heading(2, "People"),
        Paragraph(plain("Who came."), muted=True),
        BulletList((plain("Ana → Bo: *x* (3, open)"), plain("1. not a list"))),
        More(
            (
                Run("and 2 more: "),
                Run("organizer export ledger", "code"),
                Run(" has them all."),
            )
        ),
        Table(
            ("closed", "member", "amount"),
            (("2 May 2026", "Bo | Co", "10.00 GBP"),),
            numeric_from=2,
            total=("total", "", "10.00 GBP"),
            nowrap=(0,),
        ),
        Chart((("Apr 26", 2), ("May 26", 4))),
    ),
)


def test_markdown_printer():
    out = md.render(SMALL).decode()
    assert out.splitlines() == [
        "# Circle — recap for May 2026",
        "",
        "- **Meeting held:** Tuesday 12 May 2026, 07:30 — May meeting",
        "",
        "**3 referrals** given · Patel & Co, 999.99 GBP",
        "",
        "## People",
        "",
        "Who came.",
        "",
        "- Ana → Bo: \\*x\\* (3, open)",
        "- 1\\. not a list",
        "",
        "*and 2 more: `organizer export ledger` has them all.*",
        "",
        "| closed | member | amount |",
        "|---|---|---:|",
        "| 2 May 2026 | Bo \\| Co | 10.00 GBP |",
        "| **total** |  | **10.00 GBP** |",
        "",
        "```",
        "Apr 26  2 ███████████████",
        "May 26  4 ██████████████████████████████",
        "```",
    ]
    rendered = MarkdownIt("commonmark").enable("table").render(out)
    assert "<li>Ana → Bo: *x* (3, open)</li>" in rendered and "<li>1. not a list</li>" in rendered
    assert "<td>Bo | Co</td>" in rendered


def test_text_printer():
    out = txt.text(SMALL)
    assert txt.render(SMALL) == out.encode()
    lines = out.splitlines()
    assert lines[:2] == ["Circle — recap for May 2026", "=" * 27]
    assert "Meeting held:  Tuesday 12 May 2026, 07:30 — May meeting" in lines
    assert "3 referrals given · Patel & Co, 999.99 GBP" in lines
    assert lines[lines.index("People") : lines.index("People") + 2] == ["People", "------"]
    assert "  Ana → Bo: *x* (3, open)" in lines
    assert "and 2 more: organizer export ledger has them all." in lines
    table = lines[lines.index("closed      member      amount") :][:5]
    assert table == [
        "closed      member      amount",
        "----------  -------  ---------",
        "2 May 2026  Bo | Co  10.00 GBP",
        "----------  -------  ---------",
        "total                10.00 GBP",
    ]
    assert lines[-1] == "  May 26  4 " + "█" * 40


def test_html_printer():
    out = html.render(SMALL, paper="letter").decode()
    assert "<title>Circle — recap for May 2026</title>" in out and "size: letter" in out
    assert "<strong>3 referrals</strong> given · Patel &amp; Co, 999.99 GBP" in out
    assert '<td class="nowrap">2 May 2026</td>' in out and "td.nowrap { white-space: nowrap; }" in out
    # A heading goes in one unbreakable box with what follows it.
    assert '<div class="keep"><h2>People</h2>\n<p class="muted">Who came.</p>\n<ul>' in out
    assert "<code>organizer export ledger</code>" in out
    assert out.count("<rect") == 2


def test_html_keeps_a_long_lists_first_items_with_its_heading():
    doc = dataclasses.replace(
        SMALL,
        blocks=(
            Heading(2, "Long"),
            BulletList(tuple(plain(f"item {i}") for i in range(9))),
        ),
    )
    out = html.render(doc).decode()
    assert (
        '<div class="keep"><h2>Long</h2>\n<ul><li>item 0</li><li>item 1</li><li>item 2</li></ul></div>\n'
        '<ul class="cont"><li>item 3</li>'
    ) in out


def test_pdf_printer():
    rendered = pdf.render(SMALL, paper="a4", system_fonts=False)
    assert rendered.warnings == ()
    reader = PdfReader(io.BytesIO(rendered.data))
    text = reader.pages[0].extract_text()
    for expected in (
        "Circle — recap for May 2026",
        "Meeting held Tuesday 12 May 2026, 07:30 — May meeting",
        "3 referrals given · Patel & Co, 999.99 GBP",
        "Ana → Bo: *x* (3, open)",
        "1. not a list",
        "and 2 more: organizer export ledger has them all.",
        "2 May 2026 Bo | Co 10.00 GBP",
        "total 10.00 GBP",
        "Apr 26",
        "May 26",
        "page 1 of 1",
    ):
        assert expected in text, expected
    assert reader.metadata.title == "Circle — recap for May 2026"


def test_pdf_names_a_letter_no_font_draws():
    doc = dataclasses.replace(SMALL, blocks=(Paragraph(plain("Linear B 𐀀 and 陈静")),))
    rendered = pdf.render(doc, system_fonts=False)
    (warning,) = rendered.warnings
    assert "U+10000" in warning and "U+9648" in warning and "“Linear B 𐀀 and 陈静”" in warning
    text = PdfReader(io.BytesIO(rendered.data)).pages[0].extract_text()
    assert "Linear B \ufffd and \ufffd\ufffd" in text


def test_right_to_left_names_keep_the_sentence_in_order():
    """ "שרה כהן → فاطمة الزهراء": each name isolated (HTML <bdi>, PDF a box), so the
    arrow still reads giver → receiver; a left-to-right name is left as it is."""
    line = runs(
        u("שרה כהן"),
        " → ",
        u("فاطمة الزهراء"),
        ": ",
        u("Elmira Bakehouse"),
        " (4, won)",
    )
    doc = dataclasses.replace(SMALL, blocks=(BulletList((line,)),))
    assert "<li><bdi>שרה כהן</bdi> → <bdi>فاطمة الزهراء</bdi>: <bdi>Elmira Bakehouse</bdi> (4, won)</li>" in (
        html.render(doc).decode()
    )
    (block,) = pdf.as_data(doc, "a4")["blocks"]
    assert block["items"][0] == [
        ["שרה כהן", "", True],
        [" → ", "", False],
        ["فاطمة الزهراء", "", True],
        [": ", "", False],
        ["Elmira Bakehouse", "", False],
        [" (4, won)", "", False],
    ]
    long = "شركة " * 10  # too long for one unbreakable box: between isolates, free to wrap
    (block,) = pdf.as_data(dataclasses.replace(doc, blocks=(BulletList((runs(u(long.strip())),)),)), "a4")["blocks"]
    assert block["items"][0] == [[f"\u2068{long.strip()}\u2069", "", False]]
    text = PdfReader(io.BytesIO(pdf.render(doc, system_fonts=False).data)).pages[0].extract_text()
    assert "Elmira Bakehouse (4, won)" in text and "\u2068" not in text and "\u2069" not in text
    assert md.render(doc).decode().strip() == "- שרה כהן → فاطمة الزهراء: Elmira Bakehouse (4, won)"


def test_a_typesetting_error_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    from organizer.errors import UserError

    broken = tmp_path / "recap.typ"
    broken.write_text("#let doc = json(bytes(sys.inputs.recap))\n#doc.nothing\n", encoding="utf-8")
    monkeypatch.setattr(pdf, "TEMPLATE", broken)
    monkeypatch.setattr(pdf, "_compilers", {})
    with pytest.raises(UserError, match=r"^the PDF could not be typeset: [^\n]+$"):
        pdf.render(SMALL, system_fonts=False)
