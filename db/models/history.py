"""The append-only, hash-chained history of every case."""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Event(Base):
    """One transition or recorded fact. Never updated, never deleted (the database refuses).

    ``digest`` = SHA-256(``prev_digest`` + the canonical bytes of the columns in
    ``workflow.history.CANONICAL_COLUMNS``); ``at`` is text so that it hashes the same everywhere.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_case_id_id", "case_id", "id"),
        # A case's newest (matching) event: the worklist's last change, a report's days stuck.
        Index(
            "ix_events_case_id_at", "case_id", "at", postgresql_include=["to_state", "from_state"]
        ),
    )

    #: Contiguous from 1: the chain head hands out the next id under its lock.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    #: The case; none for an administrative event (users, grants, organisations).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    #: The organisation an administrative event concerns: its scope for the auditors.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    at: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40), index=True)
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text, default="{}")
    ruleset: Mapped[str] = mapped_column(String(20))
    prev_digest: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), unique=True)


class ChainHead(Base):
    """The one row that records the chain's last event; locking it serialises appends."""

    __tablename__ = "chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)
    digest: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class ChainCheck(Base):
    """The last verification of the chain (one row), shared by every process: a later check walks
    only the events after ``last_id`` (issue 11, migration 0021)."""

    __tablename__ = "chain_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The last event verified, its digest, and how many events up to it.
    last_id: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[str] = mapped_column(String(64))
    #: When it finished (UTC, ``workflow.history.utc_stamp``) and how long it took (seconds).
    checked_at: Mapped[str] = mapped_column(String(32))
    seconds: Mapped[float] = mapped_column(Float)
    #: What it found, as JSON: the chain's problem, the replay's differences.
    result: Mapped[str] = mapped_column(Text)
