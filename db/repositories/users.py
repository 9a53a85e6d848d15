"""Users and their role grants, and the party members they may be; a password is stored as its
hash, never in clear."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Member, Organisation, Person, RoleGrant, User
from db.passwords import hash_password
from db.text import fold
from workflow.admin import GrantRecord, MemberLink, UserRecord


def user_record(user: User) -> UserRecord:
    """The plain record of a stored user, grants included."""
    grants = tuple(
        GrantRecord(g.id, g.role, g.organisation_id, g.organisation.name, g.organisation.path)
        for g in user.grants
    )
    return UserRecord(
        user.id, user.username, user.full_name, user.email, user.active, user.member_id, grants
    )


class SqlUsers:
    """The UserRepository port on a session."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, user_id: int) -> UserRecord | None:
        user = self.session.get(User, user_id)
        return user_record(user) if user is not None else None

    def username_taken(self, username: str) -> bool:
        query = select(User.id).where(func.lower(User.username) == username.lower())
        return self.session.scalar(query.limit(1)) is not None

    def member_link(self, member_id: int) -> MemberLink | None:
        row = self.session.execute(
            select(Member.id, Member.left_on, Organisation.path)
            .join(Organisation, Organisation.id == Member.cell_id)
            .where(Member.id == member_id)
        ).first()
        if row is None:
            return None
        holders = self.session.scalars(select(User.id).where(User.member_id == member_id))
        return MemberLink(row.id, row.path, row.left_on is None, tuple(holders))

    def add(
        self,
        *,
        username: str,
        full_name: str,
        email: str | None,
        password: str,
        active: bool,
        member_id: int | None,
    ) -> int | None:
        user = User(
            username=username,
            full_name=full_name,
            email=email,
            password_hash=hash_password(password),
            active=active,
            member_id=member_id,
        )
        try:
            with self.session.begin_nested():  # a clash rolls back this insert only
                self.session.add(user)
        except IntegrityError:
            return None
        return user.id

    def update(
        self, user_id: int, *, full_name: str, email: str | None, member_id: int | None
    ) -> None:
        user = self.session.get(User, user_id)
        user.full_name, user.email, user.member_id = full_name, email, member_id
        self.session.flush()

    def set_active(self, user_id: int, active: bool) -> None:
        self.session.get(User, user_id).active = active
        self.session.flush()

    def set_password(self, user_id: int, password: str) -> None:
        self.session.get(User, user_id).password_hash = hash_password(password)
        self.session.flush()

    def add_grant(self, user_id: int, role: str, organisation_id: int) -> int | None:
        grant = RoleGrant(user_id=user_id, role=role, organisation_id=organisation_id)
        try:
            with self.session.begin_nested():
                self.session.add(grant)
        except IntegrityError:
            return None
        return grant.id

    def remove_grant(self, grant_id: int) -> None:
        grant = self.session.get(RoleGrant, grant_id)
        if grant is not None:
            self.session.delete(grant)
            self.session.flush()

    def add_member(
        self,
        cell_id: int,
        person: dict[str, Any],
        *,
        status: str,
        admitted_on: date,
        official_since: date | None,
        excused: bool,
    ) -> int:
        someone = Person(search_name=fold(person["full_name"]), **person)
        self.session.add(someone)
        self.session.flush()
        member = Member(
            person_id=someone.id,
            cell_id=cell_id,
            status=status,
            admitted_on=admitted_on,
            official_since=official_since,
            excused=excused,
        )
        self.session.add(member)
        self.session.flush()
        return member.id
