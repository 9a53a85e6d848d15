"""The SetupRepository port: the root organisation of a new instance, and users without a
usable password (an empty hash: the login refuses it, the admin pages show "no password")."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Organisation, User
from db.repositories.organisations import add_organisation, org_record
from workflow.admin import OrgRecord


class SqlSetup:
    """The SetupRepository port on a session."""

    def __init__(self, session: Session):
        self.session = session

    def is_empty(self) -> bool:
        users = self.session.scalar(select(User.id).limit(1))
        orgs = self.session.scalar(select(Organisation.id).limit(1))
        return users is None and orgs is None

    def add_root(self, name: str, type: str, **values: Any) -> OrgRecord:
        return org_record(add_organisation(self.session, name, type, None, **values))

    def add_user_without_password(
        self, *, username: str, full_name: str, email: str | None, member_id: int | None
    ) -> int | None:
        user = User(
            username=username,
            full_name=full_name,
            email=email,
            password_hash="",
            active=True,
            member_id=member_id,
        )
        try:
            with self.session.begin_nested():  # a clash rolls back this insert only
                self.session.add(user)
        except IntegrityError:
            return None
        return user.id
