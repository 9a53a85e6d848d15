"""What the reminders need from outside: who is reminded of which cases, and a mail sender.

``db.reminders.SqlReminderSource`` reads the recipients and their cases' dates; ``web.mail``
renders a ``Mail`` from its template and sends it (``SmtpSender``), or records it for the tests
(``RecordingSender``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from workflow.facts import Actor
from workflow.policy import Scope
from workflow.reminders import Recipient
from workflow.settings import RuleSettings
from workflow.worklist import CaseDates


@dataclass(frozen=True)
class Mail:
    """An e-mail to send: to whom, which template (under ``web/templates/mail/``), what values.

    The template's values are plain data (the domain's dataclasses); the sender renders them.
    """

    to_name: str
    to_address: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


class MailSender(Protocol):
    """Renders and sends mails."""

    def send(self, mails: Sequence[Mail]) -> list[str | None]:
        """Send each mail; one outcome per mail, in order: ``None`` once the server took it,
        else why not in words. A mail refused does not stop the others."""
        ...


class ReminderSource(Protocol):
    """The reminders' queries: who may be reminded, and the cases with deadlines near."""

    def recipients(self) -> list[tuple[Recipient, Actor]]:
        """Active users holding a reminded role, by username (with or without an address)."""
        ...

    def deadline_rows(
        self, role: str, scope: Scope, by: date, settings: RuleSettings
    ) -> Sequence[CaseDates]:
        """The cases on which `scope` acts in `role` that may have a deadline due by `by`."""
        ...
