"""Per-request access to the runtime and the acting user, for views only."""

from __future__ import annotations

from flask import current_app, g
from flask_login import current_user
from sqlalchemy.orm import Session

from db.runtime import Runtime
from workflow.facts import Actor


def runtime() -> Runtime:
    """The app's engine, sessions and settings."""
    return current_app.extensions["hoso"]


def db_session() -> Session:
    """A read session for this request, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = runtime().sessions()
    return g.db_session


def close_db_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def actor() -> Actor:
    """The logged-in user as the domain's Actor (views pass it to the use cases)."""
    return current_user.actor
