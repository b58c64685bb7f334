"""`import referrals`, `export ledger` and `balance` from the command line."""

from __future__ import annotations

import csv
import io

import pytest

from organizer.cli import build_parser, main
from organizer.exports.csv_safe import csv_bytes, safe_cell
from organizer.models import LedgerEvent, Referral
from organizer.services import ledger
from organizer.services.members import add_member

HEADER = "date,giver,receiver,prospect,kind,temperature,status,value,notes"


@pytest.fixture
def roster(group, now):
    people = [
        add_member(group, now=now, name="Ana Alves", email="ana@example.com", category="law"),
        add_member(group, now=now, name="Bo Berg", email="bo@example.com", category="print"),
        add_member(group, now=now, name="Zoë Lefèvre", email="zoe@example.com", category="design"),
    ]
    return people


def run(db_path, *args):
    return main(["--db", str(db_path), *args])


def write(tmp_path, text, name="referrals.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_import_good_file(db_path, roster, tmp_path, capsys):
    path = write(
        tmp_path,
        "\n".join(
            [
                HEADER,
                '2026-03-02,ana@example.com,Bo Berg,Northwind,outside,4,won,"1,250.50",first',
                "2026-03-05,BO@EXAMPLE.COM,Zoë Lefèvre,Contoso,inside,2,open,,",
                "2026-03-09,Zoë Lefèvre,ana@example.com,Fabrikam,,,lost,,",
            ]
        )
        + "\n",
    )
    assert run(db_path, "import", "referrals", str(path)) == 0
    out, err = capsys.readouterr()
    assert out == "imported 3 referrals\n" and err == ""
    rows = list(Referral.select().order_by(Referral.given_on))
    assert [(r.prospect_name, r.status, r.value_minor, r.kind, r.temperature) for r in rows] == [
        ("Northwind", "won", 125050, "outside", 4),
        ("Contoso", "open", None, "inside", 2),
        ("Fabrikam", "lost", None, "outside", 3),
    ]
    assert rows[0].closed_on.isoformat() == "2026-03-02"
    events = list(LedgerEvent.select().order_by(LedgerEvent.id))
    assert len(events) == 3 and {e.action for e in events} == {"created"}
    assert events[0].detail == "Ana Alves → Bo Berg: Northwind"
    assert events[0].reason == "imported from referrals.csv"


def test_bad_rows_import_nothing_and_are_named(db_path, roster, tmp_path, capsys):
    path = write(
        tmp_path,
        "\n".join(
            [
                HEADER,
                "2026-03-02,ana@example.com,bo@example.com,Good,outside,3,open,,",
                "2026-03-02,nobody@example.com,bo@example.com,X,outside,3,open,,",
                '"2026-03-02",ana@example.com,bo@example.com,"a cell on',
                'two lines",outside,9,open,,',
                "03/02/2026,ana@example.com,ana@example.com,,sideways,3,won,12.345,",
                "2026-03-02,ana@example.com,bo@example.com,Y,outside,3,open,100 USD,",
            ]
        )
        + "\n",
    )
    assert run(db_path, "import", "referrals", str(path)) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == "line 3, column giver: no member with the email “nobody@example.com”"
    assert lines[1].startswith("line 4, column temperature: “9”")  # a record over two lines
    assert "line 6, column date: “03/02/2026” is not a date" in err
    assert "line 6, column receiver: the same member as the giver" in err
    assert "line 6, column prospect:" in err
    assert "line 6, column kind:" in err
    assert "line 6, column value: “12.345” could be 12345 or 12.345" in err  # ambiguous: refused
    assert "line 7, column value: “100 USD”: the group keeps its amounts in CAD" in err
    assert lines[-1] == (
        "organizer: 4 bad rows in referrals.csv: nothing imported "
        "(fix them, or use --skip-invalid to import the good rows)"
    )
    assert Referral.select().count() == 0 and LedgerEvent.select().count() == 0


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad(db_path, roster, tmp_path, capsys):
    path = write(
        tmp_path,
        f"{HEADER}\n2026-03-02,ana@example.com,bo@example.com,Good,,,,,\n2026-03-02,ana@example.com,Nobody,Bad,,,,,\n",
    )
    assert run(db_path, "import", "referrals", str(path), "--skip-invalid") == 0
    out, err = capsys.readouterr()
    assert out == "imported 1 referrals (1 bad rows skipped)\n"
    assert err == "line 3, column receiver: no member matches “Nobody”\n"
    assert [r.prospect_name for r in Referral.select()] == ["Good"]


def test_dry_run_writes_nothing(db_path, roster, tmp_path, capsys):
    path = write(tmp_path, f"{HEADER}\n2026-03-02,ana@example.com,bo@example.com,Good,,,,,\n")
    assert run(db_path, "import", "referrals", str(path), "--dry-run") == 0
    assert capsys.readouterr().out == "would import 1 referrals\n"
    assert Referral.select().count() == 0
    bad = write(tmp_path, f"{HEADER}\n2026-03-02,ana@example.com,x,Bad,,,,,\n", name="bad.csv")
    assert run(db_path, "import", "referrals", str(bad), "--dry-run") == 1
    assert capsys.readouterr().err.splitlines()[0].startswith("line 2, column receiver:")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_and_header_case(db_path, roster, tmp_path, capsys, encoding):
    text = (
        " Date ,GIVER,Receiver,Prospect,Kind,Temperature,Status,Value,Notes\r\n"
        "2026-03-02,Zoë Lefèvre,bo@example.com,Café Müller,,,,,crème brûlée\r\n"
    )
    path = write(tmp_path, text, encoding=encoding)
    assert run(db_path, "import", "referrals", str(path)) == 0, capsys.readouterr().err
    referral = Referral.get()
    assert referral.prospect_name == "Café Müller" and referral.notes == "crème brûlée"
    assert referral.giver.name == "Zoë Lefèvre"


def test_missing_columns_and_missing_file(db_path, roster, tmp_path, capsys):
    path = write(tmp_path, "date,giver,prospect\n2026-03-02,ana@example.com,X\n")
    assert run(db_path, "import", "referrals", str(path)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 1: missing column receiver" in err
    assert run(db_path, "import", "referrals", str(tmp_path / "none.csv")) == 1
    err = capsys.readouterr().err
    assert err.startswith("organizer: cannot read") and err.count("\n") == 1


def test_export_is_spreadsheet_safe_and_reads_back(db_path, group, roster, now, tmp_path, capsys):
    ana, bo, zoe = roster
    evil = ledger.record_referral(
        group,
        now=now,
        giver=ana,
        receiver=bo,
        given_on="2026-03-02",
        prospect_name='=HYPERLINK("http://x","y")',
        notes="+1 call @once",
    )
    ledger.advance(evil, "won", value="1,250.50", now=now)
    wrong = ledger.record_referral(
        group,
        now=now,
        giver=bo,
        receiver=zoe,
        given_on="2026-03-03",
        prospect_name="-minus",
        prospect_contact="@handle",
    )
    ledger.void(wrong, reason="=dup", now=now)
    out = tmp_path / "ledger.csv"
    assert run(db_path, "export", "ledger", str(out)) == 0
    assert capsys.readouterr().out == f"exported 2 referrals to {out}\n"
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert rows[0]["prospect"] == '\'=HYPERLINK("http://x","y")' and rows[0]["notes"] == "'+1 call @once"
    assert rows[0]["value"] == "1250.50" and rows[0]["void"] == "" and rows[0]["giver"] == "Ana Alves"
    assert rows[1]["void"] == "yes" and rows[1]["void_reason"] == "'=dup" and rows[1]["contact"] == "'@handle"


def test_safe_cell_helper():
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "\rx", "ok", None, 3)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "'\rx",
        "ok",
        "",
        3,
    ]
    assert csv_bytes(["a"], [["=x"]], bom=True) == b"\xef\xbb\xbfa\r\n'=x\r\n"


def test_balance_tsv_and_table(db_path, group, roster, now, capsys):
    ana, bo, zoe = roster
    first = ledger.record_referral(group, now=now, giver=ana, receiver=bo, given_on="2026-03-02", prospect_name="P1")
    ledger.advance(first, "won", value="1,250.50", now=now)
    second = ledger.record_referral(group, now=now, giver=ana, receiver=zoe, given_on="2026-04-02", prospect_name="P2")
    ledger.advance(second, "won", value="75.25", now=now)
    ledger.record_referral(group, now=now, giver=bo, receiver=ana, given_on="2026-04-05", prospect_name="P3")
    assert run(db_path, "balance", "--format", "tsv") == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "member\tgiven\treceived\tvalue_given\tvalue_received",
        "Ana Alves\t2\t1\t1325.75\t0.00",
        "Bo Berg\t1\t1\t0.00\t1250.50",
        "Zoë Lefèvre\t0\t1\t0.00\t75.25",
    ]
    assert run(db_path, "balance", "--from", "2026-04-01", "--to", "2026-04-30", "--format", "tsv") == 0
    assert capsys.readouterr().out.splitlines()[1] == "Ana Alves\t1\t1\t75.25\t0.00"
    assert run(db_path, "balance") == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["member", "given", "received"]
    assert table[1].startswith("Ana Alves") and table[1].endswith("1,325.75                  0.00")
    assert table[-1].startswith("total")
    assert run(db_path, "balance", "--from", "April") == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_import_and_export_share_parent_commands():
    parser = build_parser()
    args = parser.parse_args(["import", "referrals", "x.csv", "--dry-run"])
    assert args.dry_run and args.file == "x.csv"
    args = parser.parse_args(["export", "ledger", "x.csv"])
    assert args.handler.__name__ == "run_export_ledger"
    from organizer.cli.common import subcommand_group

    subparsers = next(a for a in parser._actions if a.dest == "command")
    group = subcommand_group(subparsers, "import", help="again")
    assert "referrals" in group.choices  # the existing group, not a new one


def test_help_works(capsys):
    for command in (["import", "referrals"], ["export", "ledger"], ["balance"], ["import"]):
        assert main([*command, "--help"]) == 0
    assert "date,giver,receiver" in capsys.readouterr().out


def test_a_large_import_pairs_every_row_with_its_event(db_path, group, roster, now, tmp_path, capsys):
    ana, bo, _zoe = roster
    ledger.record_referral(group, now=now, giver=ana, receiver=bo, given_on="2026-01-01", prospect_name="Earlier")
    names = ["Ana Alves", "bo@example.com", "zoe@example.com"]
    lines = [HEADER]
    for i in range(2345):  # more than one INSERT batch, dates out of order
        giver, receiver = names[i % 3], names[(i + 1) % 3]
        lines.append(f"2026-{1 + i % 9:02d}-{1 + i % 28:02d},{giver},{receiver},Prospect {i},,,won,{i}.{i % 100:02d},")
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert run(db_path, "import", "referrals", str(path)) == 0
    assert capsys.readouterr().out == "imported 2345 referrals\n"
    assert Referral.select().count() == 2346
    assert LedgerEvent.select().count() == 2346
    for event in LedgerEvent.select(LedgerEvent, Referral).join(Referral).where(Referral.prospect_name != "Earlier"):
        referral = event.referral
        assert event.detail == f"{referral.giver.name} → {referral.receiver.name}: {referral.prospect_name}"
        i = int(referral.prospect_name.split()[1])
        assert referral.value_minor == i * 100 + i % 100


def test_balance_equals_an_independent_count_of_the_imported_file(db_path, roster, tmp_path, capsys):
    import random
    from collections import Counter
    from decimal import Decimal

    rng = random.Random(9)
    who = {"ana@example.com": "Ana Alves", "Bo Berg": "Bo Berg", "zoe@example.com": "Zoë Lefèvre"}
    lines = [HEADER]
    for i in range(300):
        giver, receiver = rng.sample(sorted(who), 2)
        status = rng.choice(["open", "contacted", "won", "lost"])
        value = f"{rng.randint(0, 9999)}.{rng.randint(0, 99):02d}" if status == "won" else ""
        lines.append(
            f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d},{giver},{receiver},P{i},,,{status},{value},"
        )
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert run(db_path, "import", "referrals", str(path)) == 0
    capsys.readouterr()
    given, received = Counter(), Counter()
    value_given, value_received = Counter(), Counter()
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        giver, receiver = who[row["giver"]], who[row["receiver"]]
        given[giver] += 1
        received[receiver] += 1
        if row["value"]:
            value_given[giver] += Decimal(row["value"])
            value_received[receiver] += Decimal(row["value"])
    assert run(db_path, "balance", "--format", "tsv") == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out), delimiter="\t"))
    assert len(table) == 3
    for row in table:
        name = row["member"]
        assert (int(row["given"]), int(row["received"])) == (given[name], received[name])
        assert Decimal(row["value_given"]) == value_given[name]
        assert Decimal(row["value_received"]) == value_received[name]


def test_skip_invalid_with_no_good_row_fails(db_path, roster, tmp_path, capsys):
    path = write(tmp_path, f"{HEADER}\n2026-03-02,ana@example.com,Nobody,Bad,,,,,\n")
    assert run(db_path, "import", "referrals", str(path), "--skip-invalid") == 1
    out, err = capsys.readouterr()
    assert out == "imported 0 referrals (1 bad rows skipped)\n" and err.startswith("line 2, column receiver:")


@pytest.mark.parametrize(
    "currency, typed, shown",
    [
        ("JPY", ["1,250", "75"], ["1325.00", "0.00", "1250.00", "75.00"]),  # no minor unit: .00
        ("BHD", ["1.255", "0.5"], ["1.755", "0.000", "1.255", "0.500"]),  # fils: three, never rounded
    ],
)
def test_balance_tsv_has_two_decimals_whatever_the_currency(db, db_path, now, capsys, currency, typed, shown):
    from organizer.services.groups import create_group

    group = create_group(
        name="Tokyo Circle",
        timezone="Asia/Tokyo",
        organizer_name="Hana",
        organizer_email="hana@example.jp",
        currency=currency,
        now=now,
    )
    ana = add_member(group, now=now, name="Ana", email="ana@example.jp", category="law")
    bo = add_member(group, now=now, name="Bo", email="bo@example.jp", category="print")
    zoe = add_member(group, now=now, name="Zoë", email="zoe@example.jp", category="design")
    for receiver, value in zip((bo, zoe), typed):
        referral = ledger.record_referral(
            group, now=now, giver=ana, receiver=receiver, given_on="2026-03-02", prospect_name="P"
        )
        ledger.advance(referral, "won", value=value, now=now)
    assert run(db_path, "balance", "--format", "tsv") == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()[1:]]
    assert [(row[0], row[3], row[4]) for row in rows] == [
        ("Ana", shown[0], shown[1]),
        ("Bo", shown[1], shown[2]),
        ("Zoë", shown[1], shown[3]),
    ]


def test_an_exported_ledger_imports_back_as_typed(db_path, group, roster, now, tmp_path, capsys):
    # The export's leading ' (so a spreadsheet does not run =… as a formula) is removed
    # again on import, as the member import does: a round trip must not change the data.
    ana, bo, zoe = roster
    typed = dict(prospect_name='=HYPERLINK("http://x","y")', prospect_contact="@handle", notes="-1 call +once")
    first = ledger.record_referral(group, now=now, giver=ana, receiver=bo, given_on="2026-03-02", **typed)
    ledger.advance(first, "won", value="1,250.50", now=now)
    # A value said on the capture line, before the business is won, comes back too.
    ledger.record_referral(
        group, now=now, giver=bo, receiver=zoe, given_on="2026-03-03", prospect_name="Northwind", value_minor=250000
    )
    out = tmp_path / "ledger.csv"
    assert run(db_path, "export", "ledger", str(out)) == 0
    LedgerEvent.delete().execute()  # the same roster, an empty ledger
    Referral.delete().execute()
    assert run(db_path, "import", "referrals", str(out)) == 0
    capsys.readouterr()
    back, expected = Referral.select().order_by(Referral.given_on)
    assert (expected.status, expected.value_minor) == ("open", 250000)
    assert (back.prospect_name, back.prospect_contact, back.notes) == tuple(typed.values())
    assert back.value_minor == 125050 and back.giver_id == ana.id and back.status == "won"


def test_an_exported_ledger_imports_back_with_its_voided_entries_voided(db_path, group, roster, now, tmp_path, capsys):
    ana, bo, zoe = roster
    ledger.record_referral(group, now=now, giver=ana, receiver=bo, given_on="2026-03-02", prospect_name="Kept")
    wrong = ledger.record_referral(group, now=now, giver=bo, receiver=zoe, given_on="2026-03-03", prospect_name="Typo")
    ledger.void(wrong, reason="entered twice", now=now)
    out = tmp_path / "ledger.csv"
    assert run(db_path, "export", "ledger", str(out)) == 0
    LedgerEvent.delete().execute()
    Referral.delete().execute()
    assert run(db_path, "import", "referrals", str(out)) == 0
    capsys.readouterr()
    back = {r.prospect_name: r for r in Referral.select()}
    assert back["Kept"].voided_at is None and back["Kept"].void_reason == ""
    assert back["Typo"].voided_at is not None and back["Typo"].void_reason == "entered twice"
    actions = [
        e.action for e in LedgerEvent.select().where(LedgerEvent.referral == back["Typo"]).order_by(LedgerEvent.id)
    ]
    assert actions == ["created", "voided"]
    assert run(db_path, "balance", "--format", "tsv") == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()[1:]]
    given = {row[0]: int(row[1]) for row in rows}
    assert given["Bo Berg"] == 0 and given["Ana Alves"] == 1  # the voided entry counts nowhere


def test_a_void_cell_that_is_not_yes_or_empty_is_named(db_path, roster, tmp_path, capsys):
    path = write(tmp_path, HEADER + ",void\n2026-03-02,ana@example.com,Bo Berg,Northwind,,,,,,maybe\n")
    assert run(db_path, "import", "referrals", str(path)) == 1
    assert "line 2, column void: “maybe”: void is yes (a voided entry) or empty" in capsys.readouterr().err
    assert Referral.select().count() == 0
