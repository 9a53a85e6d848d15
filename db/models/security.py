"""What the login's defences keep: the failed attempts, shared by every worker and host."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class LoginAttempt(Base):
    """One failed login: who was tried, from where, with which known device, and when.

    A successful login forgets its username's failures from that address (and its device's);
    failures older than the throttle's window are pruned (``workflow.logins.Limits.window``).
    """

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_address", "username", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Trimmed and lower-cased (``workflow.logins.normal_username``); any text, known or not.
    username: Mapped[str] = mapped_column(String(80))
    #: The client's address as the app sees it (behind ProxyFix: the forwarded one).
    address: Mapped[str] = mapped_column(String(64), index=True)
    #: The known-device cookie's id when the client carried one for this username.
    device: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
