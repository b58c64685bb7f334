"""`organizer send …`, `thread add` and `mail-opt-out` from the command line, and the SMTP
settings: the config file's [smtp] table, the environment over it, the password never shown."""

from __future__ import annotations

import shutil
from email import message_from_bytes, policy

import pytest

from organizer.cli import main
from organizer.errors import UserError
from organizer.models import SendLog, Thread
from organizer.services.mail_settings import SmtpSettings, load_settings
from tests.conftest import NOW
from tests.mail_support import SmtpServer


@pytest.fixture
def cli(sample_template, tmp_path, monkeypatch):
    path = tmp_path / "cli.db"
    shutil.copy(sample_template, path)
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: NOW)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in (
        "HOST",
        "PORT",
        "SECURITY",
        "USER",
        "FROM",
        "PASSWORD",
        "RATE",
        "RETRY_DELAY",
    ):
        monkeypatch.delenv(f"ORGANIZER_SMTP_{name}", raising=False)
    return lambda *args: main(["--db", str(path), *args])


@pytest.fixture
def server(monkeypatch):
    with SmtpServer() as running:
        monkeypatch.setenv("ORGANIZER_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ORGANIZER_SMTP_PORT", str(running.port))
        monkeypatch.setenv("ORGANIZER_SMTP_SECURITY", "none")
        monkeypatch.setenv("ORGANIZER_SMTP_RETRY_DELAY", "0")
        yield running


def counts(out: str) -> dict[str, int]:
    return {name: int(value) for name, _, value in (line.rpartition(": ") for line in out.splitlines()) if name}


def test_send_invite_twice(cli, server, capsys):
    assert cli("send", "invite", "--meeting", "next") == 0
    first = counts(capsys.readouterr().out)
    assert first["sent"] > 10 and first["skipped (already sent)"] == 0 and first["failed"] == 0
    assert cli("send", "invite") == 0
    second = counts(capsys.readouterr().out)
    assert second == {"sent": 0, "skipped (already sent)": first["sent"], "failed": 0}
    assert len(server.recorder.accepted) == first["sent"]


def test_a_failure_exits_1_and_names_the_recipient(cli, server, capsys):
    server.recorder.answers["ahmed@haddadinsurance.ca"] = ["550 5.1.1 unknown user"]
    assert cli("send", "invite") == 1
    out, err = capsys.readouterr()
    assert counts(out)["failed"] == 1
    assert err == "organizer: not sent to ahmed@haddadinsurance.ca: 550 5.1.1 unknown user\n"


def test_dry_run_writes_one_eml_per_message_and_sends_nothing(cli, server, tmp_path, capsys):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    assert cli("send", "digest", "--dry-run", "--out", str(out_dir)) == 0
    files = sorted(out_dir.glob("*.eml"))
    assert files and all(path.stat().st_mode & 0o777 == 0o600 for path in files)
    assert f"would send: {len(files)}" in capsys.readouterr().out
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Subject"].startswith("Grand River Business Circle:")
    assert server.recorder.accepted == [] and SendLog.select().count() == 0


def test_dry_run_makes_its_folder_private_when_it_is_missing(cli, tmp_path, capsys):
    out_dir = tmp_path / "new"
    assert cli("send", "digest", "--dry-run", "--out", str(out_dir)) == 0
    assert out_dir.stat().st_mode & 0o777 == 0o700 and list(out_dir.glob("*.eml"))
    assert cli("send", "digest", "--dry-run", "--out", str(tmp_path / "no" / "such")) == 1
    assert capsys.readouterr().err.endswith(f"there is no folder {tmp_path / 'no' / 'such'}\n")


def test_dry_run_without_out_previews_the_first_message(cli, capsys):
    assert cli("send", "renewals", "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.startswith("From: Daniel Okafor <daniel@okaforcpa.ca>\nTo: ")
    assert "renewal" in out and "would send: " in out


def test_no_smtp_host_is_one_line(cli, capsys):
    assert cli("send", "thanks") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no SMTP server" in err


def test_an_unreachable_server_is_one_line(cli, monkeypatch, capsys):
    from tests.mail_support import free_port

    monkeypatch.setenv("ORGANIZER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ORGANIZER_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("ORGANIZER_SMTP_SECURITY", "none")
    assert cli("send", "thanks") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the SMTP server 127.0.0.1" in err
    assert SendLog.select().count() == 0


def test_settings_from_the_config_file_and_the_environment(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[smtp]\nhost = "smtp.example.com"\nsecurity = "tls"\nuser = "olu"\n'
        'from = "olu@example.com"\nrate = 20\npassword = "in the file"\n',
        encoding="utf-8",
    )
    settings = load_settings({}, path=path)
    assert (
        settings.host,
        settings.port,
        settings.security,
        settings.user,
        settings.sender,
        settings.rate,
    ) == ("smtp.example.com", 465, "tls", "olu", "olu@example.com", 20.0)
    assert settings.password == ""  # never from the file
    env = {
        "ORGANIZER_SMTP_PORT": "2525",
        "ORGANIZER_SMTP_SECURITY": "starttls",
        "ORGANIZER_SMTP_PASSWORD": "s3cret",
    }
    settings = load_settings(env, path=path)
    assert (settings.port, settings.security, settings.password) == (
        2525,
        "starttls",
        "s3cret",
    )
    assert "s3cret" not in repr(settings)
    with pytest.raises(UserError, match="security is one of"):
        load_settings({"ORGANIZER_SMTP_SECURITY": "ssl"}, path=path)
    with pytest.raises(UserError, match="port must be a number"):
        load_settings({"ORGANIZER_SMTP_PORT": "x"}, path=path)
    assert load_settings({}, path=tmp_path / "none.toml", need_host=False) == SmtpSettings(port=587)


def test_thread_add_prints_the_id(cli, tmp_path, capsys):
    body = tmp_path / "body.md"
    body.write_text("Who knows a good **sign maker**?\n", encoding="utf-8")
    assert (
        cli(
            "thread",
            "add",
            "--title",
            "Signs",
            "--kind",
            "ask",
            "--as",
            "brian@leeinspections.ca",
            "--file",
            str(body),
        )
        == 0
    )
    thread = Thread.get_by_id(int(capsys.readouterr().out))
    assert (thread.title, thread.kind, thread.author.email) == (
        "Signs",
        "ask",
        "brian@leeinspections.ca",
    )
    assert (
        cli(
            "thread",
            "add",
            "--title",
            "X",
            "--as",
            "nobody@example.com",
            "--file",
            str(body),
        )
        == 1
    )


def test_mail_opt_out(cli, capsys):
    assert cli("mail-opt-out", "brian@leeinspections.ca", "--kind", "digest,thanks") == 0
    assert capsys.readouterr().out == "digest, thanks\n"
    assert cli("mail-opt-out", "brian@leeinspections.ca") == 0
    assert capsys.readouterr().out == "none\n"
    assert cli("mail-opt-out", "brian@leeinspections.ca", "--kind", "invite") == 1


@pytest.mark.parametrize(
    "command",
    [
        ["send", "--help"],
        ["send", "invite", "--help"],
        ["import", "mail", "--help"],
        ["thread", "add", "--help"],
    ],
)
def test_help(command, capsys):
    assert main(command) == 0
    assert "usage: organizer" in capsys.readouterr().out


def test_the_password_comes_from_the_environment_and_is_never_shown(cli, monkeypatch, capsys):
    from tests.mail_support import CERT, TlsSmtpServer

    with TlsSmtpServer(login=("daniel", "correct horse")) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(CERT))
        monkeypatch.setenv("ORGANIZER_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ORGANIZER_SMTP_PORT", str(server.port))
        monkeypatch.setenv("ORGANIZER_SMTP_USER", "daniel")
        monkeypatch.setenv("ORGANIZER_SMTP_PASSWORD", "wrong battery")
        assert cli("send", "renewals") == 1
        out, err = capsys.readouterr()
        assert err.count("\n") == 1 and "refused the login" in err and "wrong battery" not in out + err
        assert server.recorder.accepted == []
        monkeypatch.setenv("ORGANIZER_SMTP_PASSWORD", "correct horse")
        assert cli("send", "renewals") == 0
        out, err = capsys.readouterr()
        assert counts(out)["sent"] == len(server.recorder.accepted) > 0
        assert "correct horse" not in out + err


def test_nudges_wait_a_week_unless_min_days_says_otherwise(cli, server, monkeypatch, capsys):
    from datetime import timedelta

    assert cli("send", "thanks") == 0
    first = counts(capsys.readouterr().out)["sent"]
    assert first > 0
    monkeypatch.setattr("organizer.cli.common.system_now", lambda: NOW + timedelta(days=2))
    assert cli("send", "thanks") == 0
    out = counts(capsys.readouterr().out)
    assert out["sent"] == 0 and out["skipped (nudged recently)"] == first
    assert cli("send", "thanks", "--min-days", "1") == 0
    assert counts(capsys.readouterr().out)["sent"] == first
    assert len(server.recorder.accepted) == 2 * first
    assert cli("send", "thanks", "--min-days", "soon") == 1
