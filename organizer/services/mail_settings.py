"""Mail settings: the `[smtp]` (sending) and `[imap]` (fetch-mail) tables of the user's
config file, each key overridable by an environment variable, and the passwords only from
the system keyring or the environment.

The config file is `config.toml` in the user's config folder (platformdirs), e.g.

    [smtp]
    host = "smtp.example.com"
    port = 587
    security = "starttls"      # starttls, tls or none
    user = "olu@example.com"
    from = "olu@example.com"   # the sending account; the group's organizer stays Reply-To
    rate = 20                  # messages a minute
    retry_delay = 5            # seconds before the first retry of a refused message

    [imap]
    host = "imap.example.com"
    port = 993
    security = "tls"           # tls (the default), starttls or none
    user = "olu@example.com"
    folder = "INBOX"

A password is never read from the file, never stored in the database and never printed
(`SmtpSettings.__repr__` leaves it out).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

from organizer.errors import UserError

SECURITY = ("starttls", "tls", "none")
_KEYS = ("host", "port", "security", "user", "from", "rate", "retry_delay")


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    sender: str = ""  # the `from` key: the account's address, when it is not the organizer's
    rate: float = 0.0  # messages a minute; 0 = no limit
    retry_delay: float = 5.0  # seconds; doubles on each retry
    password: str = field(default="", repr=False)


def config_path() -> Path:
    import platformdirs

    return platformdirs.user_config_path("organizer", appauthor=False) / "config.toml"


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    path: Path | None = None,
    need_host: bool = True,
) -> SmtpSettings:
    """The SMTP settings from the config file, then the environment; UserError names a
    bad value."""
    environ = os.environ if environ is None else environ
    path = config_path() if path is None else path
    values, security = _values(path, "smtp", _KEYS, environ, "starttls")
    host = str(values["host"] or "").strip()
    if need_host and not host:
        raise UserError(
            f"no SMTP server: set host in the [smtp] table of {path} or ORGANIZER_SMTP_HOST "
            "(or use --dry-run --out DIR)"
        )
    user = str(values["user"] or "").strip()
    return SmtpSettings(
        host=host,
        port=_number("SMTP port", values["port"], _PORTS["smtp"][security], whole=True),
        security=security,
        user=user,
        sender=str(values["from"] or "").strip(),
        rate=_number("SMTP rate", values["rate"], 0.0),
        retry_delay=_number("SMTP retry_delay", values["retry_delay"], 5.0),
        password=_password("smtp", user, environ),
    )


@dataclass(frozen=True)
class ImapSettings:
    host: str = ""
    port: int = 993
    security: str = "tls"
    user: str = ""
    folder: str = "INBOX"
    password: str = field(default="", repr=False)


def load_imap_settings(environ: Mapping[str, str] | None = None, *, path: Path | None = None) -> ImapSettings:
    """The `[imap]` table (host, port, security, user, folder), each overridable by
    ORGANIZER_IMAP_*; the password from the keyring ("organizer-imap") or
    ORGANIZER_IMAP_PASSWORD."""
    environ = os.environ if environ is None else environ
    path = config_path() if path is None else path
    keys = ("host", "port", "security", "user", "folder")
    values, security = _values(path, "imap", keys, environ, "tls")
    host = str(values["host"] or "").strip()
    if not host:
        raise UserError(f"no IMAP server: set host in the [imap] table of {path} or ORGANIZER_IMAP_HOST")
    user = str(values["user"] or "").strip()
    return ImapSettings(
        host=host,
        port=_number("IMAP port", values["port"], _PORTS["imap"][security], whole=True),
        security=security,
        user=user,
        folder=str(values["folder"] or "INBOX").strip(),
        password=_password("imap", user, environ),
    )


_PORTS = {
    "smtp": {"starttls": 587, "tls": 465, "none": 25},
    "imap": {"starttls": 143, "tls": 993, "none": 143},
}


def _values(
    path: Path,
    name: str,
    keys: tuple[str, ...],
    environ: Mapping[str, str],
    default: str,
) -> tuple[dict, str]:
    """The table's values with ORGANIZER_<NAME>_<KEY> over them, and the security chosen."""
    table: dict = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from None
    if text:
        try:
            table = tomllib.loads(text).get(name, {})
        except tomllib.TOMLDecodeError as error:
            raise UserError(f"{path} is not valid TOML: {error}") from None
        if not isinstance(table, dict):
            raise UserError(f"{path}: [{name}] is not a table")
    values = {key: table.get(key) for key in keys}
    for key in keys:
        variable = f"ORGANIZER_{name.upper()}_{key.upper()}"
        if environ.get(variable, "").strip():
            values[key] = environ[variable].strip()
    security = str(values["security"] or default).strip().lower()
    if security not in SECURITY:
        raise UserError(f"{name.upper()} security is one of {', '.join(SECURITY)}, not “{security}”")
    return values, security


@overload
def _number(name: str, value: Any, default: int, *, whole: Literal[True]) -> int: ...
@overload
def _number(name: str, value: Any, default: float) -> float: ...
def _number(name: str, value: Any, default: float, *, whole: bool = False) -> float:
    # `value` is what TOML or the environment gave: text, a number, or anything else.
    if value is None or value == "":
        return default
    try:
        number = int(value) if whole else float(value)
    except (TypeError, ValueError):
        raise UserError(f"{name} must be a number, not “{value}”") from None
    if number < 0:
        raise UserError(f"{name} cannot be negative")
    return number


def _password(kind: str, user: str, environ: Mapping[str, str]) -> str:
    """ORGANIZER_<KIND>_PASSWORD, else the keyring's entry for the user (when keyring is
    installed): service "organizer-smtp" or "organizer-imap"."""
    variable = f"ORGANIZER_{kind.upper()}_PASSWORD"
    if environ.get(variable):
        return environ[variable]
    if not user:
        return ""
    try:
        import keyring  # optional: the system keyring where the user has one
    except ImportError:
        return ""
    try:
        return keyring.get_password(f"organizer-{kind}", user) or ""
    except Exception:
        return ""
