"""The reminders' queries: who is reminded, and their cases' dates.

Who gets which deadlines is ``workflow.services.reminders``; the mail is rendered and sent by
``web.mail``; the ``[smtp]`` and ``[reminders]`` settings are ``workflow.settings.Settings``'.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.actors import actor_of
from db.models import RoleGrant, User
from db.read.worklist import CaseRow, deadline_rows, role_clause
from workflow.facts import Actor
from workflow.policy import Scope
from workflow.reminders import REMINDED_ROLES, Recipient
from workflow.settings import RuleSettings

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
