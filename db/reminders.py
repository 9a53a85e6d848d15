"""The reminders' queries (who is reminded, and their cases' dates) and their settings.

Who gets which deadlines is ``workflow.services.reminders``; the mail is rendered and sent by
``web.mail``. Settings come from the instance's ``hoso.toml`` (tables ``[smtp]`` and
``[reminders]``), each key overridable by an environment variable (``HOSO_SMTP_HOST``...); see
docs/deadlines.md.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.actors import actor_of
from db.models import RoleGrant, User
from db.read.worklist import CaseRow, deadline_rows, role_clause
from db.session import instance_path
from workflow.facts import Actor
from workflow.policy import Scope
from workflow.reminders import REMINDED_ROLES, Recipient
from workflow.settings import RuleSettings
from workflow.worklist import DEFAULT_WITHIN

# --- configuration ------------------------------------------------------------------------------

#: The keys of ``[smtp]``; each is overridden by ``HOSO_SMTP_<KEY>`` when that is set.
SMTP_KEYS = ("host", "port", "username", "password", "from", "starttls", "ssl", "timeout")
#: The keys of ``[reminders]`` and the variables that override them.
REMINDER_ENV = {"base_url": "HOSO_BASE_URL", "within": "HOSO_REMIND_WITHIN"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A setting that cannot be used, named with where it came from."""


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    ssl: bool = False
    timeout: float = 10.0

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class ReminderSettings:
    """What the digest says: the web address its links start with, and its look-ahead."""

    base_url: str | None = None
    within: int = DEFAULT_WITHIN


def _read_table(folder: Path | None, table: str) -> tuple[dict[str, Any], str]:
    path = (folder or instance_path()) / "hoso.toml"
    if not path.exists():
        return {}, str(path)
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"{path}: {err}") from err
    values = data.get(table, {})
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: [{table}] must be a table")
    return dict(values), str(path)


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigError(f"{name}: expected true or false, not {value!r}")


def _number(name: str, value: Any, kind: type[int] | type[float]) -> Any:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: expected a number, not {value!r}") from None
    if number <= 0:
        raise ConfigError(f"{name}: must be positive, not {value!r}")
    return number


def load_smtp_settings(
    folder: Path | None = None, environ: Mapping[str, str] | None = None
) -> SmtpSettings | None:
    """``[smtp]`` of ``hoso.toml`` with the ``HOSO_SMTP_*`` overrides; ``None`` without a host."""
    env = os.environ if environ is None else environ
    values, where = _read_table(folder, "smtp")
    unknown = sorted(set(values) - set(SMTP_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown [smtp] settings: {', '.join(unknown)}")
    names = {key: f"[smtp] {key}" for key in SMTP_KEYS}
    for key in SMTP_KEYS:
        variable = f"HOSO_SMTP_{key.upper()}"
        if env.get(variable):
            values[key] = env[variable]
            names[key] = variable
    host = str(values.get("host") or "").strip()
    if not host:
        return None
    sender = str(values.get("from") or "").strip()
    if not sender:
        raise ConfigError(
            "the sender is missing: set `from` in [smtp] of hoso.toml or HOSO_SMTP_FROM"
        )
    use_ssl = _flag(names["ssl"], values.get("ssl", False))
    starttls = _flag(names["starttls"], values.get("starttls", False))
    if use_ssl and starttls:
        raise ConfigError("choose ssl (implicit TLS, port 465) or starttls (port 587), not both")
    default_port = 465 if use_ssl else 587 if starttls else 25
    port = _number(names["port"], values.get("port", default_port), int)
    if port > 65535:
        raise ConfigError(f"{names['port']}: no such port: {port}")
    return SmtpSettings(
        host=host,
        port=port,
        sender=sender,
        username=str(values["username"]) if values.get("username") else None,
        password=str(values["password"]) if values.get("password") else None,
        starttls=starttls,
        ssl=use_ssl,
        timeout=_number(names["timeout"], values.get("timeout", 10), float),
    )


def load_reminder_settings(
    folder: Path | None = None, environ: Mapping[str, str] | None = None
) -> ReminderSettings:
    """``[reminders]`` of ``hoso.toml`` (``base_url``, ``within``) with their overrides."""
    env = os.environ if environ is None else environ
    values, where = _read_table(folder, "reminders")
    unknown = sorted(set(values) - set(REMINDER_ENV))
    if unknown:
        raise ConfigError(f"{where}: unknown [reminders] settings: {', '.join(unknown)}")
    names = {key: f"[reminders] {key}" for key in REMINDER_ENV}
    for key, variable in REMINDER_ENV.items():
        if env.get(variable):
            values[key] = env[variable]
            names[key] = variable
    within = values.get("within", DEFAULT_WITHIN)
    try:
        within = int(within)
    except (TypeError, ValueError):
        raise ConfigError(f"{names['within']}: expected a number, not {within!r}") from None
    if within < 0:
        raise ConfigError(f"{names['within']}: cannot be negative")
    base_url = str(values.get("base_url") or "").strip() or None
    return ReminderSettings(base_url=base_url, within=within)


# --- who gets what ------------------------------------------------------------------------------


def recipients(session: Session) -> list[tuple[Recipient, Actor]]:
    """Active users with a role that gets reminded, by username (with or without an e-mail)."""
    users = session.scalars(
        select(User)
        .where(User.active.is_(True), User.grants.any(RoleGrant.role.in_(REMINDED_ROLES)))
        .order_by(User.username)
    ).all()
    return [
        (
            Recipient(user.id, user.username, user.full_name or "", (user.email or "").strip()),
            actor_of(user, session),
        )
        for user in users
    ]


class SqlReminderSource:
    """``workflow.ports.mail.ReminderSource`` on a session: the recipients and their rows."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def recipients(self) -> list[tuple[Recipient, Actor]]:
        """Active users holding a reminded role, by username."""
        return recipients(self.session)

    def deadline_rows(
        self, role: str, scope: Scope, by: date, settings: RuleSettings
    ) -> list[CaseRow]:
        """The cases on which `scope` acts in `role` that may have a deadline due by `by`."""
        return deadline_rows(self.session, role_clause(role, scope), by, settings)
