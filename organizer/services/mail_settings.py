"""SMTP settings: the `[smtp]` table of the user's config file, each key overridable by an
environment variable, and the password only from the system keyring or the environment.

The config file is `config.toml` in the user's config folder (platformdirs), e.g.

    [smtp]
    host = "smtp.example.com"
    port = 587
    security = "starttls"      # starttls, tls or none
    user = "olu@example.com"
    from = "olu@example.com"   # the sending account; the group's organizer stays Reply-To
    rate = 20                  # messages a minute
    retry_delay = 5            # seconds before the first retry of a refused message

The password is never read from the file, never stored in the database and never printed
(`SmtpSettings.__repr__` leaves it out).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from organizer.services.errors import UserError

SECURITY = ("starttls", "tls", "none")
KEYRING_SERVICE = "organizer-smtp"
_ENV = "ORGANIZER_SMTP_"
_KEYS = ("host", "port", "security", "user", "from", "rate", "retry_delay")


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    sender: str = (
        ""  # the `from` key: the account's address, when it is not the organizer's
    )
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
    """The settings from the config file, then the environment; UserError names a bad value."""
    environ = os.environ if environ is None else environ
    path = config_path() if path is None else path
    table: dict = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from None
    if text:
        try:
            table = tomllib.loads(text).get("smtp", {})
        except tomllib.TOMLDecodeError as error:
            raise UserError(f"{path} is not valid TOML: {error}") from None
        if not isinstance(table, dict):
            raise UserError(f"{path}: [smtp] is not a table")
    values = {key: table.get(key) for key in _KEYS}
    for key in _KEYS:
        name = _ENV + key.upper()
        if environ.get(name, "").strip():
            values[key] = environ[name].strip()
    security = str(values["security"] or "starttls").strip().lower()
    if security not in SECURITY:
        raise UserError(
            f"SMTP security is one of {', '.join(SECURITY)}, not “{security}”"
        )
    default_port = {"starttls": 587, "tls": 465, "none": 25}[security]
    host = str(values["host"] or "").strip()
    if need_host and not host:
        raise UserError(
            f"no SMTP server: set host in the [smtp] table of {path} or ORGANIZER_SMTP_HOST "
            "(or use --dry-run --out DIR)"
        )
    return SmtpSettings(
        host=host,
        port=_number("port", values["port"], default_port, whole=True),
        security=security,
        user=str(values["user"] or "").strip(),
        sender=str(values["from"] or "").strip(),
        rate=_number("rate", values["rate"], 0.0),
        retry_delay=_number("retry_delay", values["retry_delay"], 5.0),
        password=_password(str(values["user"] or "").strip(), environ),
    )


def _number(name: str, value, default, *, whole: bool = False):
    if value is None or value == "":
        return default
    try:
        number = int(value) if whole else float(value)
    except (TypeError, ValueError):
        raise UserError(f"SMTP {name} must be a number, not “{value}”") from None
    if number < 0:
        raise UserError(f"SMTP {name} cannot be negative")
    return number


def _password(user: str, environ: Mapping[str, str]) -> str:
    """ORGANIZER_SMTP_PASSWORD, else the keyring's entry for the user (when keyring is installed)."""
    if environ.get(_ENV + "PASSWORD"):
        return environ[_ENV + "PASSWORD"]
    if not user:
        return ""
    try:
        import keyring  # optional: the system keyring where the user has one
    except ImportError:
        return ""
    try:
        return keyring.get_password(KEYRING_SERVICE, user) or ""
    except Exception:  # noqa: BLE001 - no usable keyring backend: fall back to no password
        return ""
