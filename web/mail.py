"""E-mail: rendered from the templates under ``web/templates/mail/``, sent by an adapter.

``render`` turns a ``workflow.ports.mail.Mail`` into a subject, a plain-text body and an HTML
alternative (autoescaped) with a Jinja environment of its own, so that the command line renders
without a Flask app. ``SmtpSender`` sends over one SMTP session; ``RecordingSender`` keeps what
it is given, for the tests.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from workflow.ports.mail import Mail
from workflow.ports.tasks import SEND_MAIL, Tasks
from workflow.settings import SmtpSettings

TEMPLATES = Path(__file__).parent / "templates" / "mail"


def day(value: date) -> str:
    """A date as dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        # HTML is escaped; the subject and the plain text are not (they are no markup).
        autoescape=select_autoescape(["html"], default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["day"] = day
    return env


_ENV = _environment()


@dataclass(frozen=True)
class Rendered:
    """A mail as its recipient reads it."""

    subject: str
    text: str
    html: str


def render(mail: Mail) -> Rendered:
    """The mail's subject and bodies from ``<template>.subject.txt``, ``.txt`` and ``.html``."""
    name = mail.template
    subject = " ".join(_ENV.get_template(f"{name}.subject.txt").render(mail.context).split())
    context = {**mail.context, "subject": subject}
    text = _ENV.get_template(f"{name}.txt").render(context)
    return Rendered(subject, text, _ENV.get_template(f"{name}.html").render(context))


def message(mail: Mail, sender: str) -> EmailMessage:
    """The mail as an e-mail from `sender`: plain text with an HTML alternative."""
    return compose(render(mail), mail.to_name, mail.to_address, sender)


def compose(rendered: Rendered, to_name: str, to_address: str, sender: str) -> EmailMessage:
    """A rendered mail as an e-mail from `sender` to `to_address`."""
    msg = EmailMessage()
    msg["Subject"] = rendered.subject
    msg["From"] = sender
    msg["To"] = Address(display_name=to_name, addr_spec=to_address)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(" >") or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    return msg


# --- SMTP ---------------------------------------------------------------------------------------


class Unreachable(Exception):
    """The server could not be reached or refused the session: nothing more can be sent."""


def connect(smtp: SmtpSettings) -> smtplib.SMTP:
    """An open, logged-in SMTP session, or ``Unreachable`` saying why not."""
    try:
        if smtp.ssl:
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    except (OSError, smtplib.SMTPException) as err:
        raise Unreachable(f"cannot reach the SMTP server {smtp.address}: {_words(err)}") from err
    try:
        if smtp.starttls:
            conn.starttls(context=ssl.create_default_context())
        if smtp.username:
            conn.login(smtp.username, smtp.password or "")
    except smtplib.SMTPAuthenticationError as err:
        _close(conn)
        raise Unreachable(
            f"the SMTP server {smtp.address} refused the login as {smtp.username}: {_words(err)}"
        ) from err
    except (OSError, smtplib.SMTPException) as err:
        _close(conn)
        raise Unreachable(f"the SMTP session with {smtp.address} failed: {_words(err)}") from err
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


@dataclass
class SmtpSender:
    """``workflow.ports.mail.MailSender`` over SMTP: every mail of a call in one session."""

    smtp: SmtpSettings
    opener: Callable[[SmtpSettings], smtplib.SMTP] = connect

    def send(self, mails: Sequence[Mail]) -> list[str | None]:
        """Send each mail; per mail ``None`` or the error in words.

        A message refused (a bad address, say) does not stop the others. If the server cannot be
        reached, or the session breaks and cannot be opened again, every mail not yet sent fails
        with that reason.
        """
        smtp = self.smtp
        results: list[str | None] = []
        conn: smtplib.SMTP | None = None
        try:
            for index, mail in enumerate(mails):
                if not mail.to_address:
                    results.append("no e-mail address")
                    continue
                try:
                    msg = message(mail, smtp.sender)
                except (ValueError, TypeError, MessageError) as err:
                    results.append(f"cannot address the message: {err}")
                    continue
                try:
                    if conn is None:
                        conn = self.opener(smtp)
                    conn.send_message(msg)
                except Unreachable as err:
                    results.extend(str(err) for _ in mails[index:])
                    break
                except _MESSAGE_ERRORS as err:
                    results.append(f"refused by {smtp.address}: {_words(err)}")
                except (OSError, smtplib.SMTPException) as err:
                    # The session broke: this message failed; the next one opens a new session.
                    results.append(f"sending via {smtp.address} failed: {_words(err)}")
                    if conn is not None:
                        conn.close()
                    conn = None
                else:
                    results.append(None)
        finally:
            if conn is not None:
                _close(conn)
        return results


@dataclass
class RecordingSender:
    """A ``MailSender`` for tests: renders each mail and keeps it; refuses the addresses in
    `refuse` as a server would."""

    refuse: tuple[str, ...] = ()
    sent: list[tuple[Mail, Rendered]] = field(default_factory=list)

    def send(self, mails: Sequence[Mail]) -> list[str | None]:
        """Record each mail (rendered) unless its address is missing or refused."""
        results: list[str | None] = []
        for mail in mails:
            if not mail.to_address:
                results.append("no e-mail address")
            elif mail.to_address in self.refuse:
                results.append(f"refused: {mail.to_address}")
            else:
                self.sent.append((mail, render(mail)))
                results.append(None)
        return results


# --- through the task queue ---------------------------------------------------------------------


class MailNotSent(Exception):
    """A queued mail was not sent (the task fails, and the queue retries it)."""


def send_rendered(
    smtp: SmtpSettings, to_name: str, to_address: str, subject: str, text: str, html: str
) -> None:
    """Send one rendered mail in a session of its own (the ``send_mail`` task of ``web.tasks``);
    ``MailNotSent`` with the reason when it is not."""
    if not smtp.host:
        raise MailNotSent("no SMTP server is configured ([smtp] host, HOSO_SMTP_HOST)")
    try:
        msg = compose(Rendered(subject, text, html), to_name, to_address, smtp.sender)
    except (ValueError, TypeError, MessageError) as err:
        raise MailNotSent(f"cannot address the message: {err}") from err
    try:
        conn = connect(smtp)
    except Unreachable as err:
        raise MailNotSent(str(err)) from err
    try:
        conn.send_message(msg)
    except (OSError, smtplib.SMTPException) as err:
        raise MailNotSent(f"sending via {smtp.address} failed: {_words(err)}") from err
    finally:
        _close(conn)


@dataclass
class QueuedSender:
    """``MailSender`` through the tasks (``workflow.ports.tasks``): each mail rendered here and
    handed to a ``send_mail`` task. Queued, a mail's outcome is ``None`` (the worker sends and
    retries it); inline, it is what sending it said."""

    tasks: Tasks

    def send(self, mails: Sequence[Mail]) -> list[str | None]:
        """Hand each mail over; one outcome per mail, in order."""
        results: list[str | None] = []
        for mail in mails:
            if not mail.to_address:
                results.append("no e-mail address")
                continue
            rendered = render(mail)
            try:
                self.tasks.defer(
                    SEND_MAIL,
                    to_name=mail.to_name,
                    to_address=mail.to_address,
                    subject=rendered.subject,
                    text=rendered.text,
                    html=rendered.html,
                )
            except MailNotSent as err:
                results.append(str(err))
            else:
                results.append(None)
        return results
