"""The legal bases of the procedure (a regulation and its guidance), each in force from a date to
a date: a decision cites those in force on its date (``workflow.legal``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class LegalBasis(Base):
    """A regulation (Quy định) or guidance (Hướng dẫn) and its validity (``valid_until``
    excluded; ``None`` while in force)."""

    __tablename__ = "legal_bases"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # workflow.legal.KINDS
    #: As a decision prints it after "Căn cứ".
    title: Mapped[str] = mapped_column(String(400))
    signed_on: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
