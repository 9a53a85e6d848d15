"""The logged-in user and their session's version.

A session names its user *and* the user's session version (``WebUser.get_id`` is ``"id:version"``;
Flask-Login keeps it in the signed session cookie and in the remember cookie alike). Logout, a
password change or reset and deactivation move the version on in the database, so every cookie
issued before stops opening pages on every worker and host at once.
"""

from __future__ import annotations

import re

from flask_login import LoginManager, UserMixin
from sqlalchemy.orm import Session

from db.actors import actor_of
from db.models import User
from web.context import runtime
from workflow.facts import Actor

login_manager = LoginManager()
_SESSION_ID = re.compile(r"([0-9]{1,18}):([0-9]{1,18})")


class WebUser(UserMixin):
    """The logged-in user: the stored user's names, session version and the domain's Actor."""

    def __init__(self, user: User, actor: Actor):
        self.id = str(user.id)
        self.username = user.username
        self.full_name = user.full_name or user.username
        self.session_version = user.session_version
        self.actor = actor

    def get_id(self) -> str:
        """What the session carries: the user and the version their session was issued at."""
        return f"{self.id}:{self.session_version}"

    @property
    def roles(self) -> set[str]:
        return self.actor.roles()


def parse_id(value: str) -> tuple[int, int] | None:
    """(user id, session version) from a session's ``"id:version"``, or ``None``."""
    match = _SESSION_ID.fullmatch(value)
    return (int(match[1]), int(match[2])) if match else None


def web_user(session: Session, user_id: int) -> WebUser | None:
    """The active user `user_id` as a WebUser (with their current session version)."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return WebUser(user, actor_of(user, session))


@login_manager.user_loader
def _load_user(value: str) -> WebUser | None:
    parsed = parse_id(value)
    if parsed is None:
        return None
    with runtime().sessions() as session:
        found = web_user(session, parsed[0])
        # An older version: this session was ended (logout, new password, deactivation).
        if found is None or found.session_version != parsed[1]:
            return None
        return found
