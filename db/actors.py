"""Turning a stored user into the domain's Actor, with each grant's scope path."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Organisation, User
from workflow.facts import Actor, Grant
from workflow.states import OrgType


def scope_path(org: Organisation, session: Session) -> str:
    """A grant in a mass organisation or the centre covers the party body it is attached to."""
    if org.type in (OrgType.mass, OrgType.centre) and org.parent_id is not None:
        parent = session.get(Organisation, org.parent_id)
        if parent is not None:
            return parent.path
    return org.path


def actor_of(user: User, session: Session) -> Actor:
    """The domain's view of `user`."""
    grants = tuple(
        Grant(
            role=g.role,
            organisation_id=g.organisation_id,
            scope_path=scope_path(g.organisation, session),
        )
        for g in user.grants
    )
    return Actor(user_id=user.id, username=user.username, grants=grants, member_id=user.member_id)


def actor_by_username(session: Session, username: str) -> Actor | None:
    """The actor for an active user, or ``None``."""
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    return actor_of(user, session) if user is not None else None
