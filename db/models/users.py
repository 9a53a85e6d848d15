"""Users and their role grants, each scoped to an organisation and everything below it."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.models.organisations import Organisation


class User(Base):
    """Somebody who logs in."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(default=True)
    #: The party member this user is, for mentors and introducing members.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    #: Carried by every session of the user; moved on by logout, a password change or reset and
    #: deactivation, so that every cookie issued before stops working on every worker at once.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )


class RoleGrant(Base):
    """A role a user holds within one organisation's subtree."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # workflow.states.Role
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))

    user: Mapped[User] = relationship(back_populates="grants")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
