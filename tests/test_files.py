"""Reading a file the user names: folders, missing files, endless devices, standard input."""

from __future__ import annotations

import io
import sys

import pytest

from organizer.errors import UserError
from organizer.files import read_input


def test_a_file_is_read_whole(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"name\nAnn\n" * 1000)
    assert read_input(path) == b"name\nAnn\n" * 1000


def test_a_folder_is_refused_by_name(tmp_path):
    with pytest.raises(UserError, match="is a folder"):
        read_input(tmp_path)


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(UserError, match=r"cannot read .*no-such"):
        read_input(tmp_path / "no-such.csv")


def test_an_endless_device_stops_at_the_limit():
    with pytest.raises(UserError, match="too large: Organizer reads at most 1 MB"):
        read_input("/dev/zero", limit=1024 * 1024)


def test_standard_input_is_capped_too(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * (2 * 1024 * 1024 + 1))))
    with pytest.raises(UserError, match="standard input is too large"):
        read_input("-", limit=2 * 1024 * 1024)


def test_standard_input_within_the_limit_is_read(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"name\nAnn\n")))
    assert read_input("-") == b"name\nAnn\n"
