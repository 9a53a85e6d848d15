"""What the throttle of public lookups keeps: the misses, shared by every worker and host."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class ThrottleMiss(Base):
    """One miss (``workflow.throttle``): its kind (``verify``: an unknown verification code),
    the key it counts under (the client's address) and when. Misses older than the limit's
    window are pruned."""

    __tablename__ = "throttle_misses"
    __table_args__ = (Index("ix_throttle_misses_kind_key_at", "kind", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: The client's address as the app sees it (behind ProxyFix: the forwarded one).
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
