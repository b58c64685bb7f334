"""`organizer recap YYYY-MM`: formats, files, the PDF's stdout rule, one-line errors."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from organizer import db as dbmod
from organizer.cli import main
from organizer.sample import load_sample
from tests.recap_expected import expected_month


@pytest.fixture
def sample_path(tmp_path, now):
    path = tmp_path / "sample.db"
    dbmod.open_database(str(path))
    load_sample(now=now)
    dbmod.close_database()
    return path


def lines_of_month() -> list[str]:
    return sorted(f"{g} → {r}: {p} ({t}, {s})" for g, r, p, t, s in expected_month(2026, 10, date(2026, 9, 1)).lines)


def test_markdown_on_stdout_by_default(sample_path, capsys):
    assert main(["--db", str(sample_path), "recap", "2026-10"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("# Grand River Business Circle — recap for October 2026\n")
    for line in lines_of_month():
        assert f"- {line}\n" in out


def test_text_and_privacy_override(sample_path, capsys):
    assert main(["--db", str(sample_path), "recap", "2026-10", "--format", "txt", "--amounts", "hide"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("Grand River Business Circle — recap for October 2026\n====")
    assert "22,475" not in out and "Amounts are not shown" in out


@pytest.mark.parametrize(
    "name, marker",
    [("r.html", b"<!DOCTYPE html>"), ("r.md", b"# Grand River"), ("r.txt", b"Grand River"), ("r.pdf", b"%PDF-")],
)
def test_output_file_suffix_picks_the_format(sample_path, tmp_path, capsys, name, marker):
    target = tmp_path / name
    assert main(["--db", str(sample_path), "recap", "2026-10", "-o", str(target)]) == 0
    out, _ = capsys.readouterr()
    assert out == ""
    assert target.read_bytes().startswith(marker)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_pdf_file_is_readable_and_short(sample_path, tmp_path, capsys):
    target = tmp_path / "recap.pdf"
    assert (
        main(["--db", str(sample_path), "recap", "2026-10", "--format", "pdf", "-o", str(target), "--paper", "letter"])
        == 0
    )
    _, err = capsys.readouterr()
    reader = PdfReader(str(target))
    assert len(reader.pages) <= 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Grand River Business Circle — recap for October 2026" in text
    for line in lines_of_month():  # CJK: drawn here, or named in a warning on stderr
        assert line in text or ("陈静" in line and "陈静" in err)
    assert all(line.startswith("organizer: warning: ") for line in err.splitlines())


def test_pdf_to_a_pipe(sample_path, capsysbinary):
    assert main(["--db", str(sample_path), "recap", "2026-10", "--format", "pdf"]) == 0
    out, _ = capsysbinary.readouterr()
    assert out.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(out)).pages) <= 2


def test_pdf_refuses_a_terminal(sample_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["--db", str(sample_path), "recap", "2026-10", "--format", "pdf"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and "-o FILE.pdf" in err


@pytest.mark.parametrize("month", ["2026-13", "October", "2026-1-1", ""])
def test_bad_month_is_one_line(sample_path, capsys, month):
    assert main(["--db", str(sample_path), "recap", month]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith("organizer: ") and "YYYY-MM" in err


@pytest.mark.parametrize("name", ["r.md", "r.pdf"])
def test_unwritable_output_is_one_line(sample_path, tmp_path, capsys, name):
    # A PDF's font warnings (陈静 on a machine without CJK fonts) are not printed first:
    # the folder is checked before anything is rendered.
    assert main(["--db", str(sample_path), "recap", "2026-10", "-o", str(tmp_path / "no" / name)]) == 1
    _, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and "no folder" in err


def test_help(capsys):
    assert main(["recap", "--help"]) == 0
    out, _ = capsys.readouterr()
    assert "YYYY-MM" in out and "--format" in out and "-o FILE" in out


@pytest.mark.parametrize(
    ("args", "size"),
    [
        ([], (612, 792)),  # the sample group is in America/Toronto: Letter by region
        (["--paper", "a4"], (595, 842)),
        (["--paper", "letter"], (612, 792)),
    ],
)
def test_pdf_paper_by_region_or_paper_flag(sample_path, tmp_path, args, size):
    target = tmp_path / "recap.pdf"
    assert main(["--db", str(sample_path), "recap", "2026-10", "-o", str(target), *args]) == 0
    box = PdfReader(str(target)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
