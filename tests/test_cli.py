"""The command line: exit codes, one-line errors, and the outputs scripts rely on."""

from __future__ import annotations

import stat
import subprocess
import sys

import pytest

from organizer.cli import build_parser, main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stats_of(capsys, path):
    code, out, _ = run(capsys, "--db", str(path), "stats")
    assert code == 0
    return dict(line.split(": ") for line in out.splitlines())


def test_load_sample_then_stats(capsys, tmp_path):
    path = tmp_path / "x.db"
    code, _out, err = run(capsys, "--db", str(path), "load-sample")
    assert code == 0 and err == ""
    counts = {name: int(value) for name, value in stats_of(capsys, path).items()}
    assert list(counts) == ["groups", "members", "visitors", "meetings", "referrals", "threads", "posts", "one_to_ones"]
    assert counts["members"] >= 24 and counts["visitors"] >= 3 and counts["meetings"] >= 12
    assert counts["referrals"] >= 150 and counts["threads"] >= 8 and counts["posts"] >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_second_load_sample_fails_with_one_line_and_changes_nothing(capsys, tmp_path):
    path = tmp_path / "x.db"
    run(capsys, "--db", str(path), "load-sample")
    before = stats_of(capsys, path)
    code, out, err = run(capsys, "--db", str(path), "load-sample")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "already has a group" in err
    assert stats_of(capsys, path) == before


def test_unknown_command_is_one_line_and_exit_1(capsys, tmp_path):
    code, out, err = run(capsys, "--db", str(tmp_path / "x.db"), "frobnicate")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "invalid choice: 'frobnicate'" in err
    assert not (tmp_path / "x.db").exists()  # a usage error never touches the database


def test_init_creates_the_group_and_validates(capsys, tmp_path):
    path = str(tmp_path / "x.db")
    code, _, err = run(
        capsys,
        "--db",
        path,
        "init",
        "--name",
        "Lakeside",
        "--timezone",
        "Mars/Olympus",
        "--organizer-name",
        "Aoife",
        "--organizer-email",
        "aoife@example",
    )
    assert code == 1 and err.count("\n") == 1
    assert "timezone" in err and "organizer_email" in err
    code, out, _ = run(
        capsys,
        "--db",
        path,
        "init",
        "--name",
        "Lakeside Connectors",
        "--timezone",
        "Europe/Dublin",
        "--organizer-name",
        "Aoife Byrne",
        "--organizer-email",
        "aoife@example.ie",
        "--currency",
        "eur",
    )
    assert code == 0 and "Lakeside Connectors" in out
    assert stats_of(capsys, tmp_path / "x.db")["groups"] == "1"
    code, _, err = run(
        capsys,
        "--db",
        path,
        "init",
        "--name",
        "Again",
        "--timezone",
        "UTC",
        "--organizer-name",
        "A",
        "--organizer-email",
        "a@example.ie",
    )
    assert code == 1 and "already has a group" in err


def test_commands_on_an_empty_database_say_what_to_do(capsys, tmp_path):
    code, out, _err = run(capsys, "--db", str(tmp_path / "x.db"), "stats")
    assert code == 0 and "groups: 0" in out


def test_a_file_that_is_not_a_database_is_one_line(capsys, tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 50)
    code, _, err = run(capsys, "--db", str(path), "stats")
    assert code == 1 and err.count("\n") == 1 and "cannot open the database" in err


def all_commands():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return list(subparsers.choices)


@pytest.mark.parametrize("command", [None, *all_commands()])
def test_help_works_on_every_command(capsys, command):
    assert main([command, "--help"] if command else ["--help"]) == 0
    assert "usage: organizer" in capsys.readouterr().out


def test_python_dash_m_runs_the_same_entry_point(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "organizer", "--db", str(tmp_path / "x.db"), "stats"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "groups: 0" in result.stdout


def test_an_unreachable_database_path_is_one_line(capsys):
    code, _, err = run(capsys, "--db", "/proc/no-such-dir/x.db", "stats")
    assert code == 1 and err.count("\n") == 1 and "cannot open the database" in err


@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/organizer", "postgresql://h:notaport/db"])
def test_a_postgresql_url_that_cannot_be_used_is_one_line(capsys, url):
    # Without the postgres extra (psycopg2) installed, or with it and nothing listening,
    # or with a URL that does not parse: one line, exit 1, never a traceback.
    code, out, err = run(capsys, "--db", url, "stats")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "cannot open the database" in err and "Traceback" not in err


def test_a_database_url_in_a_message_hides_its_password(capsys):
    code, _, err = run(capsys, "--db", "postgresql://olu:s3cret@127.0.0.1:1/organizer", "stats")
    assert code == 1 and "s3cret" not in err and "postgresql://olu:***@127.0.0.1:1/organizer" in err


@pytest.mark.parametrize(
    "currency, message",
    [
        ("ZZZ", "“ZZZ” is not an ISO 4217 currency code"),
        ("XXX", "“XXX” is not an ISO 4217 currency code"),  # "no currency": not for business
        ("euro", "a currency is a three-letter ISO code"),
        ("€", "a currency is a three-letter ISO code"),
    ],
)
def test_init_refuses_a_currency_that_does_not_exist(capsys, tmp_path, currency, message):
    code, out, err = run(
        capsys,
        "--db",
        str(tmp_path / "x.db"),
        "init",
        "--name",
        "Kreis",
        "--timezone",
        "Europe/Berlin",
        "--organizer-name",
        "Jürgen",
        "--organizer-email",
        "j@example.de",
        "--currency",
        currency,
    )
    assert code == 1 and out == "" and err.count("\n") == 1 and message in err


@pytest.mark.parametrize("currency", ["jpy", "EUR", "krw", "BHD", "CHF", "XOF"])
def test_init_takes_real_currencies_in_any_case(capsys, tmp_path, currency):
    code, _out, err = run(
        capsys,
        "--db",
        str(tmp_path / "x.db"),
        "init",
        "--name",
        "Kreis",
        "--timezone",
        "Asia/Tokyo",
        "--organizer-name",
        "Hana",
        "--organizer-email",
        "h@example.jp",
        "--currency",
        currency,
    )
    assert code == 0 and err == ""


def test_init_with_bad_values_creates_no_database_file(capsys, tmp_path):
    path = tmp_path / "x.db"
    code, _, err = run(
        capsys,
        "--db",
        str(path),
        "init",
        "--name",
        "Kreis",
        "--timezone",
        "Mars/Olympus",
        "--organizer-name",
        "Jürgen",
        "--organizer-email",
        "j@example.de",
    )
    assert code == 1 and "timezone" in err
    assert not path.exists()  # nothing to clean up after a typo


def test_stats_counts_the_group_given_with_group(capsys, tmp_path):
    path = tmp_path / "x.db"
    run(capsys, "--db", str(path), "load-sample")
    code, out, err = run(capsys, "--db", str(path), "--group", "No Such Circle", "stats")
    assert code == 1 and out == "" and "no group called “No Such Circle”" in err
    code, out, _ = run(capsys, "--db", str(path), "--group", "Grand River Business Circle", "stats")
    assert code == 0 and out == run(capsys, "--db", str(path), "stats")[1]


def test_only_a_command_or_a_question_builds_the_subcommands():
    from organizer.cli import names_a_command

    assert not names_a_command([]) and not names_a_command(["--db", "x.db"])
    assert not names_a_command(["--db=x.db", "--group", "Lakeside"])
    assert names_a_command(["stats"]) and names_a_command(["--db", "x.db", "stats"])
    assert names_a_command(["--help"]) and names_a_command(["--version"]) and names_a_command(["--dbx"])
