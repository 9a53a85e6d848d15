"""The daily reminders: gather each person's digest, then send it through the mail port.

Every active user with a secretary, committee or mentor grant gets one digest per run listing the
deadlines in their scope that are overdue or due soon and on which they must act
(``workflow.worklist.ACTING_ROLES``): the cell's cases for a secretary, the dossiers and
recognitions their deciding body decides for the committee, their own candidates for a mentor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from workflow.deadlines import calendar_for
from workflow.policy import Scope
from workflow.ports.mail import Mail, MailSender, ReminderSource
from workflow.reminders import REMINDED_ROLES, Digest, build_digest
from workflow.settings import RuleSettings
from workflow.worklist import DEFAULT_WITHIN, CaseDates, due_items, horizon, role_scope

#: The mail template of the digest (``web/templates/mail/digest.*``).
DIGEST_TEMPLATE = "digest"


@dataclass(frozen=True)
class Sent:
    """What became of one digest: sent, or the error in words."""

    digest: Digest
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def gather_digests(
    source: ReminderSource,
    settings: RuleSettings,
    today: date,
    within: int = DEFAULT_WITHIN,
    base_url: str | None = None,
) -> list[Digest]:
    """Each user's digest for `today`, users with nothing due left out.

    Users without an e-mail address are included (their recipient's ``email`` is empty): the
    caller says they cannot be reached. One query per distinct scope of a role, not per case.
    """
    calendar = calendar_for(settings)
    by = horizon(calendar, today, within)
    fetched: dict[tuple[str, Scope], Sequence[CaseDates]] = {}
    digests = []
    for recipient, actor in source.recipients():
        assignments = []
        for role in REMINDED_ROLES:
            if role not in actor.roles():
                continue
            key = (role, role_scope(actor, role))
            if key not in fetched:
                fetched[key] = source.deadline_rows(role, key[1], by, settings)
            assignments.append((role, due_items(fetched[key], calendar, settings, today, within)))
        digest = build_digest(recipient, assignments, today, within, base_url)
        if digest is not None:
            digests.append(digest)
    return digests


def digest_mail(digest: Digest) -> Mail:
    """The digest as a mail to its recipient, rendered from the digest template."""
    recipient = digest.recipient
    return Mail(recipient.display_name, recipient.email, DIGEST_TEMPLATE, {"digest": digest})


def send_reminders(sender: MailSender, digests: Iterable[Digest]) -> list[Sent]:
    """Send each digest in its own mail; report each one's outcome, in order."""
    pending = list(digests)
    outcomes = sender.send([digest_mail(d) for d in pending])
    return [Sent(digest, error) for digest, error in zip(pending, outcomes, strict=True)]
