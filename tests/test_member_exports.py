"""Member exports: spreadsheet-safe CSV read back by Python's csv, vCard read back by vobject."""

from __future__ import annotations

import csv
import io
import stat

import vobject

from organizer.cli import main
from organizer.exports.csv_safe import csv_bytes, safe_cell
from organizer.exports.members_csv import MEMBER_COLUMNS, members_csv
from organizer.exports.vcard import fold, members_vcard
from organizer.models import Member
from organizer.services.member_export import member_records
from organizer.services.members import add_member


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # the BOM Excel needs to see UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_formula_cells_are_escaped_and_read_back_as_text():
    risky = ['=HYPERLINK("http://x")', "+1 519 555 0101", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "plain", "a=b", ""]
    rows = read_csv(csv_bytes(["=header", "b"], [risky, [12, -5, None]], bom=True))

    assert rows[0] == ["'=header", "b"]
    assert rows[1] == [
        '\'=HYPERLINK("http://x")',
        "'+1 519 555 0101",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTab",
        "'\rCR",
        "plain",
        "a=b",
        "",
    ]
    assert rows[2] == ["12", "-5", ""]  # numbers are not formulas
    assert safe_cell("Zoë") == "Zoë"


def test_members_csv_keeps_every_script_and_the_import_columns(group, now):
    add_member(
        group,
        name="Nguyễn Thị Minh Khai",
        business="=cmd|' /C calc'!A0",
        category="Phở",
        email="minh@pho.example",
        phone="+84 28 555 0101",
        bio="Line one\nline two, with comma",
        now=now,
    )
    add_member(group, name="王小明", business="明记茶行", now=now)
    rows = read_csv(members_csv(member_records(group)))

    assert rows[0] == list(MEMBER_COLUMNS)
    by_name = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    minh = by_name["Nguyễn Thị Minh Khai"]
    assert minh["business"] == "'=cmd|' /C calc'!A0"
    assert minh["phone"] == "'+84 28 555 0101"
    assert minh["bio"] == "Line one\nline two, with comma"
    assert by_name["王小明"]["business"] == "明记茶行"


def test_vcard_is_read_back_by_vobject(group, now):
    ana = add_member(
        group,
        name="Ana María Souza",
        business="Souza; Bakery, Inc.",
        category="Baker",
        email="ana@souza.example",
        phone="+1 519 555 0001",
        website="souza.example",
        good_referral="Cafés, offices; anyone \\ hungry",
        bio="Bakes bread.\nSince 1999.",
        now=now,
    )
    add_member(group, name="佐藤 健", business="佐藤工務店", category="工務店" * 30, now=now, invited_by=ana)
    data = members_vcard(member_records(group), categories="Test Circle")

    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    cards = list(vobject.readComponents(data.decode("utf-8")))
    assert len(cards) == 2
    ana_card = next(card for card in cards if card.fn.value == "Ana María Souza")
    assert ana_card.version.value == "3.0"
    assert ana_card.n.value.family == "Souza" and ana_card.n.value.given == "Ana María"
    assert ana_card.org.value == ["Souza; Bakery, Inc."]
    assert ana_card.title.value == "Baker"
    assert ana_card.categories.value == ["Test Circle"]
    assert ana_card.email.value == "ana@souza.example"
    assert ana_card.tel.value == "+1 519 555 0001"
    assert ana_card.url.value == "https://souza.example"
    assert ana_card.note.value == (
        "A good referral for me is: Cafés, offices; anyone \\ hungry\n\nBakes bread.\nSince 1999."
    )
    sato = next(card for card in cards if card.fn.value == "佐藤 健")
    assert sato.title.value == "工務店" * 30  # folded across lines, joined back whole


def test_folding_never_splits_a_character():
    line = "NOTE:" + "é" * 100 + "日本" * 40
    folded = fold(line)
    for physical in folded.split(b"\r\n")[:-1]:
        assert len(physical) <= 75
        physical.decode("utf-8")  # each piece is whole characters
    assert folded.replace(b"\r\n ", b"").rstrip(b"\r\n").decode() == line


def test_the_export_command_writes_private_files_by_extension(db_path, group, now, tmp_path, capsys):
    add_member(group, name="Ana Souza", email="ana@souza.example", now=now)
    add_member(group, name="Old Timer", status="alumni", now=now)
    csv_path, vcf_path = tmp_path / "roster.csv", tmp_path / "roster.vcf"

    assert main(["--db", str(db_path), "export", "members", str(csv_path)]) == 0
    assert capsys.readouterr().out == f"exported 2 members to {csv_path}\n"
    assert main(["--db", str(db_path), "export", "members", str(vcf_path), "--status", "active"]) == 0
    assert capsys.readouterr().out == f"exported 1 member to {vcf_path}\n"

    for path in (csv_path, vcf_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(read_csv(csv_path.read_bytes())) == 3
    assert [card.fn.value for card in vobject.readComponents(vcf_path.read_text("utf-8"))] == ["Ana Souza"]
    assert not list(tmp_path.glob(".*partial"))


def test_the_export_command_refuses_an_unknown_extension(db_path, group, tmp_path, capsys):
    assert main(["--db", str(db_path), "export", "members", str(tmp_path / "roster.ods")]) == 1
    assert capsys.readouterr().err == "organizer: roster.ods: the file name must end in .csv, .xlsx or .vcf\n"


def test_export_then_import_into_a_new_group_recreates_the_roster(sample_group, now, tmp_path):
    from organizer import db as dbmod
    from organizer.services.groups import create_group
    from organizer.services.member_import import import_members

    data = members_csv(member_records(sample_group))
    before = {
        (m.name, m.email, m.category, m.status, m.invited_by.name if m.invited_by else None)
        for m in Member.select().where(Member.group == sample_group)
    }
    dbmod.close_database()
    dbmod.open_database(str(tmp_path / "new.db"))
    fresh = create_group(name="Copy", timezone="UTC", organizer_name="O", organizer_email="o@x.example", now=now)

    report = import_members(fresh, data, now=now)

    assert report.invalid == 0, report.problem_lines()
    after = {
        (m.name, m.email, m.category, m.status, m.invited_by.name if m.invited_by else None)
        for m in Member.select().where(Member.group == fresh)
    }
    assert after == before


def test_a_backslash_n_in_a_vcard_stays_as_typed(group, now):
    add_member(group, name="Nora Backslash", business="C:\\New folder", bio="a\\nb \\N", now=now)
    (card,) = vobject.readComponents(members_vcard(member_records(group)).decode("utf-8"))
    assert card.org.value == ["C:\\New folder"] and card.note.value.endswith("a\\nb \\N")
