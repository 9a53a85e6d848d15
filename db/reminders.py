"""The daily reminder digest: who gets which deadlines, and sending it by SMTP.

Every active user with an e-mail address and a secretary, committee or mentor grant gets one
message per run listing the deadlines in their scope that are overdue or due soon and on which
they must act (``workflow.reminders.ACTING_ROLES``): the cell's cases for a secretary, the dossiers
and recognitions their deciding body decides for the committee, their own candidates for a mentor.

Settings come from the instance's ``hoso.toml`` (tables ``[smtp]`` and ``[reminders]``), each key
overridable by an environment variable (``HOSO_SMTP_HOST``...); see docs/deadlines.md.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, false, select
from sqlalchemy.orm import Session

from db.actors import actor_of
from db.deadlines import deadline_rows, horizon, under
from db.models import Case, RoleGrant, User
from db.session import instance_path
from db.worklist import CaseRow, deciding_scope
from workflow.deadlines import WorkingCalendar
from workflow.facts import Actor
from workflow.policy import visible_paths
from workflow.reminders import (
    DEFAULT_WITHIN,
    REMINDED_ROLES,
    Digest,
    Recipient,
    build_digest,
    due_items,
)
from workflow.settings import RuleSettings
from workflow.states import Role

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


def role_scope(actor: Actor, role: str) -> ColumnElement[bool]:
    """The cases on which the actor acts in `role` (the query joins ``Organisation``)."""
    if role == Role.secretary:
        return under(visible_paths(actor, (Role.secretary,)))
    if role == Role.committee:
        return deciding_scope(actor)
    if role == Role.mentor:
        paths = [g.scope_path for g in actor.grants_for(Role.mentor)]
        if actor.member_id is None or not paths:
            return false()
        return and_(Case.mentor_id == actor.member_id, under(paths))
    return false()


def gather_digests(
    session: Session,
    calendar: WorkingCalendar,
    settings: RuleSettings,
    today: date,
    within: int = DEFAULT_WITHIN,
    base_url: str | None = None,
) -> list[Digest]:
    """Each user's digest for `today`, users with nothing due left out.

    Users without an e-mail address are included (their recipient's ``email`` is empty): the
    caller says they cannot be reached. One query per distinct scope of a role, not per case.
    """
    by = horizon(calendar, today, within)
    fetched: dict[tuple, list[CaseRow]] = {}
    digests = []
    for recipient, actor in recipients(session):
        assignments = []
        for role in REMINDED_ROLES:
            if role not in actor.roles():
                continue
            paths = tuple(sorted(g.scope_path for g in actor.grants_for(role)))
            key = (role, paths, actor.member_id if role == Role.mentor else None)
            if key not in fetched:
                fetched[key] = deadline_rows(session, role_scope(actor, role), by, settings)
            assignments.append((role, due_items(fetched[key], calendar, settings, today, within)))
        digest = build_digest(recipient, assignments, today, within, base_url)
        if digest is not None:
            digests.append(digest)
    return digests


# --- sending ------------------------------------------------------------------------------------


def message(digest: Digest, sender: str) -> EmailMessage:
    """The digest as an e-mail: plain text with an HTML alternative."""
    recipient = digest.recipient
    msg = EmailMessage()
    msg["Subject"] = digest.subject
    msg["From"] = sender
    msg["To"] = Address(display_name=recipient.display_name, addr_spec=recipient.email)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(" >") or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(digest.text())
    msg.add_alternative(digest.html(), subtype="html")
    return msg


@dataclass(frozen=True)
class Sent:
    """What became of one digest: sent, or the error in words."""

    digest: Digest
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class _Unreachable(Exception):
    """The server could not be reached or refused the session: nothing more can be sent."""


def connect(smtp: SmtpSettings) -> smtplib.SMTP:
    """An open, logged-in SMTP session, or ``_Unreachable`` saying why not."""
    try:
        if smtp.ssl:
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    except (OSError, smtplib.SMTPException) as err:
        raise _Unreachable(f"cannot reach the SMTP server {smtp.address}: {_words(err)}") from err
    try:
        if smtp.starttls:
            conn.starttls(context=ssl.create_default_context())
        if smtp.username:
            conn.login(smtp.username, smtp.password or "")
    except smtplib.SMTPAuthenticationError as err:
        _close(conn)
        raise _Unreachable(
            f"the SMTP server {smtp.address} refused the login as {smtp.username}: {_words(err)}"
        ) from err
    except (OSError, smtplib.SMTPException) as err:
        _close(conn)
        raise _Unreachable(f"the SMTP session with {smtp.address} failed: {_words(err)}") from err
    return conn


def _close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (OSError, smtplib.SMTPException):
        conn.close()


def _words(err: BaseException) -> str:
    if isinstance(err, smtplib.SMTPResponseException):
        text = err.smtp_error
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{err.smtp_code} {text}"
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{who}: {code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
            for who, (code, text) in err.recipients.items()
        )
    return str(err) or type(err).__name__


#: Errors after which the session is still usable for the next message.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def send_digests(
    digests: Iterable[Digest],
    smtp: SmtpSettings,
    opener: Callable[[SmtpSettings], smtplib.SMTP] = connect,
) -> list[Sent]:
    """Send each digest in its own message over one session; report each one's outcome.

    A message refused (a bad address, say) does not stop the others. If the server cannot be
    reached, or the session breaks and cannot be opened again, every digest not yet sent fails
    with that reason.
    """
    pending = list(digests)
    results: list[Sent] = []
    conn: smtplib.SMTP | None = None
    try:
        for index, digest in enumerate(pending):
            if not digest.recipient.email:
                results.append(Sent(digest, "no e-mail address"))
                continue
            try:
                msg = message(digest, smtp.sender)
            except (ValueError, TypeError, MessageError) as err:
                results.append(Sent(digest, f"cannot address the message: {err}"))
                continue
            try:
                if conn is None:
                    conn = opener(smtp)
                conn.send_message(msg)
            except _Unreachable as err:
                results.extend(Sent(d, str(err)) for d in pending[index:])
                break
            except _MESSAGE_ERRORS as err:
                results.append(Sent(digest, f"refused by {smtp.address}: {_words(err)}"))
            except (OSError, smtplib.SMTPException) as err:
                # The session broke: this message failed; the next one opens a new session.
                results.append(Sent(digest, f"sending via {smtp.address} failed: {_words(err)}"))
                if conn is not None:
                    conn.close()
                conn = None
            else:
                results.append(Sent(digest))
    finally:
        if conn is not None:
            _close(conn)
    return results
