"""Moves: a case's file handed over between cells, a member's party activity transferred."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class CaseHandOver(Base):
    """A case's file sent from one cell to another: pending until the receiving cell accepts
    (naming the mentor) or declines, or the sending cell withdraws it."""

    __tablename__ = "case_hand_overs"
    __table_args__ = (Index("ix_case_hand_overs_status_to_cell", "status", "to_cell_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_cell_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    to_cell_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(20))  # workflow.moves.HandOverStatus
    reason: Mapped[str] = mapped_column(String(500))
    requested_on: Mapped[date]
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The receiving cell's reason for declining, or the sender's for withdrawing.
    answer: Mapped[str | None] = mapped_column(String(500))
    #: The mentor the receiving cell named on acceptance (none for a case not yet mentored).
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    version: Mapped[int] = mapped_column(default=1)


class MemberTransfer(Base):
    """A member's party activity moved: officially (their cell changed on ``starts_on``) or
    temporarily (attached to a host cell from ``starts_on`` to ``ends_on``, counted at home)."""

    __tablename__ = "member_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # workflow.moves.TransferKind
    from_cell_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    to_cell_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    reason: Mapped[str] = mapped_column(String(500))
    recorded_on: Mapped[date]
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
