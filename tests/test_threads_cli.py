"""`organizer threads` and `organizer post`: output lines, filters, and refusals that write nothing."""

from __future__ import annotations

import io
import sys

import pytest

from organizer import db as dbmod
from organizer.cli import main
from organizer.models import Post, Thread
from organizer.services.threads import carry_to_next_meeting, get_thread
from tests.conftest import NOW


@pytest.fixture
def sample_path(sample_db, db_path, sample_group):
    """The sample database's path, with a thread carried over; closed so the CLI opens it itself."""
    carry_to_next_meeting(get_thread(sample_group, 9), NOW)
    dbmod.close_database()
    return str(db_path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counts(path):
    dbmod.open_database(path)
    try:
        return Thread.select().count(), Post.select().count()
    finally:
        dbmod.close_database()


def test_threads_prints_one_tab_separated_line_per_thread(capsys, sample_path):
    code, out, err = run(capsys, "--db", sample_path, "threads")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 9
    fields = [line.split("\t") for line in lines]
    assert all(len(row) == 8 for row in fields)
    assert [row[0] for row in fields] == ["1", "9", "8", "7", "6", "5", "4", "3", "2"]
    assert fields[0] == [
        "1",
        "announcement",
        "pinned",
        "Welcome! How we use the forum",
        "Daniel Okafor",
        "4",
        "2025-12-10 12:05",
        "housekeeping",
    ]
    assert fields[1] == [
        "9",
        "discussion",
        "carried",
        "Holiday party: date and place",
        "Chloé Tremblay",
        "5",
        "2026-11-14 10:00",
        "events",
    ]
    assert fields[2][4] == "陈静"
    assert fields[6][2] == "resolved"


def test_threads_filters(capsys, sample_path):
    def ids(*options):
        code, out, err = run(capsys, "--db", sample_path, "threads", *options)
        assert (code, err) == (0, "")
        return [line.split("\t")[0] for line in out.splitlines()]

    assert ids("--kind", "ask") == ["8", "5", "2"]
    assert ids("--tag", "meetings") == ["6", "4"]
    assert ids("--tag", "meetings", "--unresolved") == ["6"]
    assert ids("--search", "CẢM ƠN, MAI") == ["2"]
    assert ids("--search", "frost line") == ["5"]
    assert ids("--search", "nothing like this") == []
    assert ids("--limit", "2") == ["1", "9"]


def test_threads_help_documents_the_columns(capsys):
    code, out, _err = run(capsys, "threads", "--help")
    assert code == 0
    for column in ("id", "kind", "flags", "title", "author", "posts", "activity", "tags"):
        assert f"\n  {column} " in out


def test_threads_rejects_an_unknown_kind(capsys, sample_path):
    code, out, err = run(capsys, "--db", sample_path, "threads", "--kind", "question")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "invalid choice" in err


def test_post_adds_a_reply_and_prints_its_id(capsys, sample_path, tmp_path):
    body = tmp_path / "reply.md"
    body.write_text("Count me in — **Thursday** works.\n\nΚαλά Χριστούγεννα!\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", sample_path, "post", "9", "--as", "Zoe@Lefevre.Design", "--file", str(body))
    assert (code, err) == (0, "")
    post_id = int(out.strip())
    dbmod.open_database(sample_path)
    try:
        post = Post.get_by_id(post_id)
        assert post.thread_id == 9 and post.author.email == "zoe@lefevre.design"
        assert post.body == "Count me in — **Thursday** works.\n\nΚαλά Χριστούγεννα!"
    finally:
        dbmod.close_database()
    code, out, err = run(capsys, "--db", sample_path, "threads", "--search", "καλα χριστουγεννα")
    assert out.split("\t")[0] == "9" and out.split("\t")[5] == "6"


def test_post_reads_standard_input(capsys, sample_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Từ stdin 👋\n".encode())))
    code, out, err = run(capsys, "--db", sample_path, "post", "2", "--as", "mai@maitranslate.ca", "--file", "-")
    assert (code, err) == (0, "")
    dbmod.open_database(sample_path)
    try:
        assert Post.get_by_id(int(out)).body == "Từ stdin 👋"
    finally:
        dbmod.close_database()


@pytest.mark.parametrize(
    "case, message",
    [
        ("empty", "body: the reply is empty"),
        ("unknown author", "no member with the email “nobody@example.com”"),
        ("unknown thread", "no thread with id 404"),
        ("bad thread id", "“nine” is not a thread id (a whole number)"),
        ("missing file", "cannot read"),
        ("not utf-8", "is not UTF-8 text"),
    ],
)
def test_post_refusals_are_one_line_and_write_nothing(capsys, sample_path, tmp_path, case, message):
    good = tmp_path / "good.md"
    good.write_text("A real reply", encoding="utf-8")
    empty = tmp_path / "empty.md"
    empty.write_text(" \n\t\n", encoding="utf-8")
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes("Café".encode("latin-1"))
    thread, author, body = "9", "zoe@lefevre.design", good
    if case == "empty":
        body = empty
    elif case == "unknown author":
        author = "nobody@example.com"
    elif case == "unknown thread":
        thread = "404"
    elif case == "bad thread id":
        thread = "nine"
    elif case == "missing file":
        body = tmp_path / "missing.md"
    elif case == "not utf-8":
        body = latin1
    before = counts(sample_path)
    code, out, err = run(capsys, "--db", sample_path, "post", thread, "--as", author, "--file", str(body))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("organizer: ") and message in err
    assert "Traceback" not in err
    assert counts(sample_path) == before


def test_post_needs_its_options(capsys, sample_path):
    code, out, err = run(capsys, "--db", sample_path, "post", "9", "--file", "x.md")
    assert code == 1 and out == "" and "--as" in err and len(err.strip().splitlines()) == 1
