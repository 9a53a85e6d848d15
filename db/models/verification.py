"""Biography verification (thẩm tra lý lịch): the requests sent and the committee's conclusion."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class VerificationRequest(Base):
    """A request to where the candidate or a close relative lives or works, and its answer.

    ``subject`` is a ``workflow.verification.Subject``; the answer's columns stay empty until it
    comes back. Rows are written only by ``workflow.services.verification``.
    """

    __tablename__ = "verification_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    addressee: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(20))
    subject_name: Mapped[str | None] = mapped_column(String(200))
    sent_on: Mapped[date]
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answered_on: Mapped[date | None]
    finding: Mapped[str | None] = mapped_column(Text)
    favourable: Mapped[bool | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class VerificationConclusion(Base):
    """The committee's conclusion, one per case; its date certifies the biography (2-KNĐ)."""

    __tablename__ = "verification_conclusions"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    concluded_on: Mapped[date]
    favourable: Mapped[bool]
    conclusion: Mapped[str] = mapped_column(Text)
    unanswered_reason: Mapped[str | None] = mapped_column(Text)
    concluded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
