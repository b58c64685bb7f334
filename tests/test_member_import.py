"""Importing members from CSV: files as spreadsheets write them, checked as the form checks."""

from __future__ import annotations

import gc
from datetime import date

import pytest

from organizer.cli import main
from organizer.errors import UserError
from organizer.models import Member, database
from organizer.services.member_file import read_member_file
from organizer.services.member_import import import_members
from organizer.services.members import add_member

GOOD = """name,business,category,email,phone,website,joined,status,invited_by
Ana Souza,Souza Bakery,Baker,ana@souza.example,+1 519 555 0001,souza.example,2024-01-09,active,
Ben Carter,Carter Law,Lawyer,ben@carter.example,519-555-0002,,2024-02-13,active,ana@souza.example
Chen Wei,Wei Accounting,Accountant,chen@wei.example,,,2025-03-11,on leave,Ben Carter
"""


def names(group) -> list[str]:
    return sorted(member.name for member in Member.select().where(Member.group == group))


def test_a_good_file_adds_every_member_with_their_inviter(group, now):
    report = import_members(group, GOOD.encode(), now=now)

    assert (report.added, report.updated, report.unchanged, report.invalid) == (3, 0, 0, 0)
    assert report.written
    ben = Member.get(Member.email == "ben@carter.example")
    chen = Member.get(Member.name == "Chen Wei")
    assert ben.invited_by.name == "Ana Souza"  # by email
    assert chen.invited_by == ben  # by exact name
    assert chen.status == "on_leave"
    assert ben.joined_on == date(2024, 2, 13)


def test_reimporting_the_same_file_changes_nothing(group, now):
    import_members(group, GOOD.encode(), now=now)
    before = [(m.id, m.updated_at) for m in Member.select().order_by(Member.id)]

    report = import_members(group, GOOD.encode(), now=now.replace(year=2027))

    assert (report.added, report.updated, report.unchanged) == (0, 0, 3)
    assert [(m.id, m.updated_at) for m in Member.select().order_by(Member.id)] == before


def test_a_row_updates_the_member_with_its_email_else_its_name_and_business(group, now):
    import_members(group, GOOD.encode(), now=now)
    changed = (
        "name,business,email,phone\n"
        "Ana Souza-Lima,Souza Bakery,ANA@souza.example,\n"  # by email, any case
        "Chen Wei,Wei Accounting,,519 555 0003\n"
    )  # by name and business
    report = import_members(group, changed.encode(), now=now)

    assert (report.added, report.updated, report.unchanged) == (0, 2, 0)
    ana = Member.get(Member.email == "ana@souza.example")
    assert ana.name == "Ana Souza-Lima"
    assert ana.phone == "+1 519 555 0001"  # an empty cell never erases
    assert Member.get(Member.name == "Chen Wei").phone == "519 555 0003"


BAD = """name,business,category,email,phone,website,joined,status,invited_by
Ana Souza,Souza Bakery,Baker,ana@souza.example,,,2024-01-09,active,
Bad Email,Nowhere Inc,Plumber,bad@,,,,active,
Bad Date,Dates Ltd,Roofer,date@dates.example,,,03/10/2026,active,
"Multi
Line",Two Lines Co,Painter,multi@lines.example,,,2024-13-01,active,
Second Baker,Crumbs,baker,second@crumbs.example,,,,active,
No Inviter,Lonely LLC,Florist,lonely@example.org,,,,active,Nobody Known
Bad Status,Status Co,Mover,mover@example.org,,,,retired,
,No Name Corp,Chef,chef@example.org,,,,active,
Good Two,Fine Co,Electrician,good@fine.example,,,,active,Ana Souza
"""


def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_line(group, now):
    report = import_members(group, BAD.encode(), now=now)

    assert not report.written
    assert names(group) == []
    lines = report.problem_lines()
    assert any(line.startswith("line 3 (Bad Email), column email:") for line in lines)
    assert any(
        line.startswith("line 4 (Bad Date), column joined: “03/10/2026” is not a date") and "YYYY-MM-DD" in line
        for line in lines
    )
    # The quoted cell spans lines 5–6, so the rows after it keep their physical numbers.
    assert any(line.startswith("line 5 (Multi Line), column joined: “2024-13-01”") for line in lines)
    assert any(line.startswith("line 7 (Second Baker), column category:") and "Ana Souza" in line for line in lines)
    assert any(line.startswith("line 8 (No Inviter), column invited_by:") and "Nobody Known" in line for line in lines)
    assert any(line.startswith("line 9 (Bad Status), column status:") for line in lines)
    assert any(line.startswith("line 10, column name: a name is required") for line in lines)
    assert report.invalid == 7
    assert (report.added, report.invalid, report.rows) == (2, 7, 9)  # what a fixed file would add


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest(group, now):
    report = import_members(group, BAD.encode(), skip_invalid=True, now=now)

    assert report.written
    assert names(group) == ["Ana Souza", "Good Two"]
    assert report.added == 2 and report.invalid == 7


def test_a_dry_run_reports_and_writes_nothing(group, now):
    report = import_members(group, GOOD.encode(), dry_run=True, now=now)

    assert (report.added, report.invalid, report.written) == (3, 0, False)
    assert names(group) == []


def test_the_category_rule_applies_to_the_database_and_across_the_file(group, now):
    add_member(group, name="Held Seat", category="Florist", now=now)
    text = (
        "name,category,status\n"
        "New Florist,florist,active\n"
        "First Painter,Painter,\n"
        "Second Painter,Painter,On Leave\n"
        "Alumni Painter,Painter,alumni\n"
    )  # alumni hold no seat
    report = import_members(group, text.encode(), now=now)

    assert [(p.line, p.column) for p in report.problems] == [(2, "category"), (4, "category")]
    assert "Held Seat" in report.problems[0].message
    assert "First Painter" in report.problems[1].message


def test_a_group_that_shares_categories_accepts_the_same_category_twice(group, now):
    group.allow_shared_categories = True
    group.save()
    report = import_members(group, b"name,category\nA One,Painter\nB Two,Painter\n", now=now)
    assert (report.added, report.invalid) == (2, 0)


def test_an_inviter_later_in_the_file_is_imported_first(group, now):
    text = "name,email,invited_by\nZed Last,zed@example.org,amy@example.org\nAmy First,amy@example.org,\n"
    report = import_members(group, text.encode(), now=now)

    assert report.added == 2
    assert Member.get(Member.name == "Zed Last").invited_by.name == "Amy First"


def test_an_inviter_on_a_bad_line_is_named_as_such(group, now):
    text = "name,email,invited_by\nAmy,amy@bad,\nZed,zed@example.org,Amy\n"
    report = import_members(group, text.encode(), now=now)

    assert "line 3 (Zed), column invited_by: “Amy” is on line 2, which is not valid" in report.problem_lines()


def test_the_same_person_twice_in_a_file_is_refused_the_second_time(group, now):
    text = "name,email\nAmy,amy@example.org\nAmy Again,AMY@example.org\n"
    report = import_members(group, text.encode(), now=now)
    assert report.problem_lines() == ["line 3 (Amy Again), column email: the same member as line 2"]


def test_spreadsheet_headers_are_understood(group, now):
    text = (
        "First Name,Last Name,Company Name,Classification,E-mail Address,Mobile,"
        "Web Site,Member Since,Sponsor,Fax\n"
        "Dana,Ortiz,Ortiz Roofing,Roofer,dana@ortiz.example,519 555 0100,ortiz.example,"
        "2023-05-09,,519 555 0199\n"
    )
    report = import_members(group, text.encode(), now=now)

    assert report.added == 1
    assert report.warnings == ["column “Fax” is not a member field; it was ignored"]
    dana = Member.get(Member.email == "dana@ortiz.example")
    assert (dana.name, dana.business, dana.category, dana.phone, dana.website, dana.joined_on) == (
        "Dana Ortiz",
        "Ortiz Roofing",
        "Roofer",
        "519 555 0100",
        "ortiz.example",
        date(2023, 5, 9),
    )


def test_header_matching_ignores_case_spaces_and_punctuation():
    table = read_member_file(
        b"NAME;Company;PROFESSION;email_address;Phone Number;URL;joined_on;"
        b"Invited By;Join Date\nA;B;C;a@b.example;;;;;\n"
    )
    assert table.delimiter == ";"
    assert set(table.columns) == {"name", "business", "category", "email", "phone", "website", "joined", "invited_by"}
    assert table.columns["joined"] == "joined_on"  # the first of two join columns names it


def test_a_file_without_a_name_column_is_refused_in_one_line(group, now):
    with pytest.raises(UserError, match="no name column"):
        import_members(group, b"company,email\nX,x@example.org\n", now=now)


def test_a_windows_1252_file_with_accents_is_read_correctly(group, now):
    text = (
        "Nom;Company;Classification;Email;Join Date\r\n"
        "Zoë Lefèvre;Café Crème;Pâtissière;zoe@creme.example;2024-03-12\r\n"
        "François Dœuf;Œuvres & Fils;Menuisier – bois;francois@oeuvres.example;2023-11-14\r\n"
    )
    text = text.replace("Nom;", "Name;")
    report = import_members(group, text.encode("cp1252"), now=now)

    assert report.encoding == "Windows-1252" and report.delimiter == ";"
    assert report.added == 2
    assert Member.get(Member.email == "zoe@creme.example").business == "Café Crème"
    francois = Member.get(Member.email == "francois@oeuvres.example")
    assert (francois.name, francois.business, francois.category) == (
        "François Dœuf",
        "Œuvres & Fils",
        "Menuisier – bois",
    )


NAMES = [
    ("Nguyễn Thị Minh Khai", "Phở Minh", "nguyen@pho.example"),
    ("Δήμητρα Παππά", "Παππάς Λογιστική", "dimitra@pappa.example"),
    ("Ольга Смирнова", "Смирнова Физио", "olga@smirnova.example"),
    ("فاطمة الزهراء", "مطبعة النور", "fatima@alnoor.example"),
    ("王小明", "明记茶行", "wang@tea.example"),
    ("佐藤 健", "佐藤工務店", "sato@koumuten.example"),
    ("김민준", "민준 디자인", "kim@design.example"),
]


def test_a_utf8_file_with_bom_semicolons_and_names_in_many_scripts(group, now):
    rows = "".join(f"{name};{business};Trade {i};{email}\n" for i, (name, business, email) in enumerate(NAMES))
    data = "\ufeffname;business;category;email\n".encode() + rows.encode()
    report = import_members(group, data, now=now)

    assert report.encoding == "UTF-8 with BOM"
    assert report.added == len(NAMES), report.problem_lines()
    for name, business, email in NAMES:
        member = Member.get(Member.email == email)
        assert (member.name, member.business) == (name, business)


def test_tab_separated_utf16_as_excel_saves_unicode_text(group, now):
    data = "Name\tCompany\tEmail\nΌλγα Σ\tΣ & Co\tolga@s.example\n".encode("utf-16")
    report = import_members(group, data, now=now)
    assert (report.encoding, report.delimiter, report.added) == ("UTF-16", "\t", 1)


def test_a_row_with_more_cells_than_the_header_is_bad(group, now):
    report = import_members(group, b"name,bio\nAmy,Home, auto and life\n", now=now)
    assert report.problems[0].line == 2 and "quotes" in report.problems[0].message


def test_progress_is_reported_up_to_the_total(group, now):
    rows = "".join(f"Member {i},m{i}@example.org\n" for i in range(250))
    seen = []
    import_members(
        group, ("name,email\n" + rows).encode(), now=now, progress=lambda done, total: seen.append((done, total))
    )
    assert seen[-1] == (250, 250)
    assert len(seen) <= 101 and seen == sorted(seen)


def test_an_exported_csv_imports_back_unchanged(sample_group, now, tmp_path):
    from organizer.exports.members_csv import members_csv
    from organizer.services.member_export import member_records

    data = members_csv(member_records(sample_group))
    report = import_members(sample_group, data, now=now)
    assert (report.added, report.updated, report.invalid) == (0, 0, 0)
    assert report.unchanged == Member.select().where(Member.group == sample_group).count()


# -- the command ------------------------------------------------------------------------


@pytest.fixture
def cli_db(db_path, group):
    return str(db_path)


def test_cli_import_prints_counts(cli_db, tmp_path, capsys):
    path = tmp_path / "members.csv"
    path.write_text(GOOD, encoding="utf-8")

    assert main(["--db", cli_db, "import", "members", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["added: 3", "updated: 0", "unchanged: 0", "invalid: 0"]
    assert err == ""
    assert main(["--db", cli_db, "import", "members", str(path)]) == 0
    assert "unchanged: 3" in capsys.readouterr().out


def test_cli_bad_rows_exit_1_with_every_line_on_stderr(cli_db, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")

    assert main(["--db", cli_db, "import", "members", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    for line in (3, 4, 5, 7, 8, 9, 10):
        assert f"line {line}" in err
    assert err.rstrip().splitlines()[-1] == (
        "organizer: nothing was imported: 7 of 9 rows are invalid "
        "(fix them, or use --skip-invalid to import the others)"
    )
    assert main(["--db", cli_db, "stats"]) == 0
    assert "members: 0" in capsys.readouterr().out


def test_cli_skip_invalid_and_dry_run(cli_db, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")

    assert main(["--db", cli_db, "import", "members", str(path), "--skip-invalid", "--dry-run"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == ["added: 2", "updated: 0", "unchanged: 0", "invalid: 7", "dry run: nothing was written"]
    assert main(["--db", cli_db, "import", "members", str(path), "--skip-invalid"]) == 0
    out, err = capsys.readouterr()
    assert "added: 2" in out and "line 3 (Bad Email)" in err
    main(["--db", cli_db, "stats"])
    assert "members: 2" in capsys.readouterr().out


def test_cli_missing_file_is_one_line(cli_db, tmp_path, capsys):
    assert main(["--db", cli_db, "import", "members", str(tmp_path / "nope.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("organizer: cannot read") and err.count("\n") == 1


def test_cli_import_alone_is_a_usage_error(capsys):
    assert main(["import"]) == 1
    assert "the following arguments are required: WHAT" in capsys.readouterr().err


def test_excel_sep_line_google_headers_and_middle_names(group, now):
    data = (
        b"sep=;\r\n"
        b"Given Name;Additional Name;Family Name;Organization 1 - Name;E-mail 1 - Value;Phone 1 - Value\r\n"
        b"Mary;Ann;Jones;Jones & Co, Ltd;mary@jones.example;519 555 0123\r\n"
        b"Bad;;Phone;Nowhere;bad@phone.example;12\r\n"
    )
    report = import_members(group, data, skip_invalid=True, now=now)

    assert report.delimiter == ";" and report.added == 1
    assert report.problem_lines() == [
        "line 4 (Bad Phone), column Phone 1 - Value: a phone number has at least 7 digits"
    ]
    mary = Member.get(Member.email == "mary@jones.example")
    assert (mary.name, mary.business, mary.phone) == ("Mary Ann Jones", "Jones & Co, Ltd", "519 555 0123")


def test_bytes_that_windows_1252_leaves_undefined_still_decode():
    from organizer.services.csv_input import decode

    assert decode("Zoë".encode("cp1252") + b"\x81") == ("Zo\xeb\x81", "Latin-1")
    assert decode("Zoë".encode()) == ("Zoë", "UTF-8")


def test_a_utf16_file_cut_short_is_refused_in_one_line(group, now):
    data = "name\nAna\n".encode("utf-16")[:-1]  # the last character lost half its bytes
    with pytest.raises(UserError, match="starts as UTF-16 text but byte 18 cannot be read"):
        import_members(group, data, now=now)
    assert names(group) == []


def test_a_member_naming_themselves_as_inviter(group, now):
    report = import_members(group, b"name,email,invited_by\nAmy,amy@example.org,AMY@example.org\n", now=now)
    assert report.problem_lines() == ["line 2 (Amy), column invited_by: a member cannot have invited themselves"]


def test_a_circle_of_inviters_is_reported(group, now):
    text = "name,invited_by\nAmy,Bob\nBob,Amy\n"
    report = import_members(group, text.encode(), now=now)
    assert [problem.line for problem in report.problems] == [2, 3]
    assert (
        "cannot be invited by their own invitee" in report.problems[1].message
        or "cannot be invited by their own invitee" in report.problems[0].message
    )


def test_report_lines_are_single_lines_without_terminal_escapes(group, now):
    data = b'name,email,Col\x1b[31m\nEvil,"bad\x1b[2J\nmail",x\n'
    report = import_members(group, data, now=now)
    assert report.warnings == ["column “Col�[31m” is not a member field; it was ignored"]
    (line,) = report.problem_lines()
    assert "\x1b" not in line and "\n" not in line
    assert line.startswith("line 2 (Evil), column email:")


def test_a_repeated_unchanged_row_is_named_as_a_repeat(group, now):
    import_members(group, b"name,business\nAmy,Shop\n", now=now)
    report = import_members(group, b"name,business\nAmy,Shop\nAmy,Shop\n", now=now)
    assert report.problem_lines() == ["line 3 (Amy), column name: the same member as line 2"]


def test_blank_lines_before_the_header_keep_line_numbers_physical(group, now):
    report = import_members(group, b"\n\nname;email\nAmy;amy@bad\n", now=now)
    assert report.delimiter == ";"
    assert [problem.line for problem in report.problems] == [4]
    with pytest.raises(UserError, match=r"^line 3: no name column"):
        import_members(group, b"\n\nfoo;email\n", now=now)


@pytest.mark.sqlite_only  # SQLite's page cache
def test_the_import_leaves_the_connection_and_the_collector_as_it_found_them(group, now):
    cache = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    assert gc.isenabled()
    import_members(group, GOOD.encode(), now=now)
    assert database.execute_sql("PRAGMA cache_size").fetchone()[0] == cache
    assert gc.isenabled()
    with pytest.raises(UserError):
        import_members(group, b"", now=now)  # fails while the collector is paused
    assert gc.isenabled()


def test_hundreds_of_unknown_columns_are_one_warning(group, now):
    header = "name,email," + ",".join(f"x{i}" for i in range(300))
    report = import_members(group, f"{header}\nAnn,ann@example.com\n".encode(), now=now)
    assert report.warnings == [
        "300 columns are not member fields and were ignored: “x0”, “x1”, “x2”, “x3”, “x4” and 295 more"
    ]
