"""Members and the ledger as .xlsx workbooks, read back by openpyxl: text cells are text."""

from __future__ import annotations

import stat
from decimal import Decimal

import openpyxl
import pytest

from organizer.cli import main
from organizer.services.members import add_member
from tests.conftest import NOW


@pytest.fixture
def roster(db, group):
    add_member(
        group,
        now=NOW,
        name="Jürgen Weiß",
        business='=HYPERLINK("http://x")',
        category="Law",
        email="jw@example.de",
        phone="+49 30 1234567",
    )
    add_member(group, now=NOW, name="李小龍", business="-minus Co", category="@tea", email="li@example.cn", phone="")
    return group


def rows_of(path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_members_xlsx_keeps_text_as_typed(roster, db_path, tmp_path, capsys):
    out = tmp_path / "roster.xlsx"
    assert main(["--db", str(db_path), "export", "members", str(out)]) == 0
    assert "exported 2 members" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = openpyxl.load_workbook(out)
    rows = rows_of(out)
    header = rows[0]
    assert header[:5] == ["name", "business", "category", "email", "phone"]
    by_name = {row[0]: dict(zip(header, row)) for row in rows[1:]}
    assert by_name["Jürgen Weiß"]["phone"] == "+49 30 1234567"  # no apostrophe, no formula
    assert by_name["Jürgen Weiß"]["business"] == '=HYPERLINK("http://x")'
    assert by_name["李小龍"]["category"] == "@tea" and by_name["李小龍"]["business"] == "-minus Co"
    sheet = book.active
    formula_cells = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formula_cells == []


def test_ledger_xlsx_types_values_and_dates(sample_db, db_path, tmp_path):
    out = tmp_path / "ledger.xlsx"
    assert main(["--db", str(db_path), "export", "ledger", str(out)]) == 0
    rows = rows_of(out)
    header = rows[0]
    assert header[0] == "id" and "value" in header and "void" in header
    records = [dict(zip(header, row)) for row in rows[1:]]
    assert len(records) > 100
    valued = [record for record in records if record["value"] is not None]
    assert valued and all(isinstance(record["value"], (int, float, Decimal)) for record in valued)
    assert all(hasattr(record["date"], "year") for record in records)


def test_a_wrong_suffix_is_one_line(sample_db, db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "export", "ledger", str(tmp_path / "ledger.ods")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ".xlsx" in err
