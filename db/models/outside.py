"""Admissions decided outside hoso: yearly totals per committee (issue 10).

Organisations that do not use the software still admit members; their committee enters how many
a year, and how many of them are workers of non-state enterprises, so that the 2% share and the
yearly statistics are measured against the whole district (docs/statistics.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class OutsideAdmissions(Base):
    """One committee's admissions outside hoso in one year."""

    __tablename__ = "outside_admissions"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int]
    total: Mapped[int]
    enterprise_workers: Mapped[int]
    #: The whole total by ``workflow.people.Category`` (the counts add up to ``total``), or
    #: ``None`` when only the total and the enterprise workers are known.
    by_category: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
