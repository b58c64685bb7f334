"""A command on the default database that has no group: it says how to reach the demo (if
there is one) and leaves no empty organizer.db behind."""

from __future__ import annotations

import pytest

from organizer.cli import main


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setattr("organizer.db.data_dir", lambda: folder)
    monkeypatch.delenv("ORGANIZER_DB", raising=False)
    return folder


def test_after_the_demo_a_command_says_how_to_reach_it(data_dir, capsys):
    (data_dir / "demo.db").write_bytes(b"")  # `organizer demo` made it
    assert main(["meetings"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert f"the demo is in {data_dir / 'demo.db'}" in err and f"--db {data_dir / 'demo.db'}" in err
    assert not (data_dir / "organizer.db").exists()


def test_without_a_demo_it_says_how_to_start(data_dir, capsys):
    assert main(["meetings"]) == 1
    err = capsys.readouterr().err
    assert "no group yet" in err and "organizer init" in err and "demo" not in err
    assert not list(data_dir.glob("organizer.db*"))


def test_a_database_named_with_db_gets_no_demo_hint(tmp_path, data_dir, capsys):
    named = tmp_path / "club.db"
    assert main(["--db", str(named), "meetings"]) == 1
    assert "demo" not in capsys.readouterr().err
    assert not named.exists()  # made only to find nothing in it: not left behind either
