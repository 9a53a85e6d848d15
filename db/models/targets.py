"""Yearly targets (chỉ tiêu): per organisation, year and metric, a count or a percentage."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Target(Base):
    """What an organisation should reach in a year (``workflow.targets.Metric``).

    ``unit_kind`` restricts an admissions target to the cells of one kind of unit (``all``: no
    restriction); it is part of the key so that one organisation may hold both.
    """

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("organisation_id", "year", "metric", "unit_kind"),
        Index("ix_targets_year_organisation_id", "year", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    year: Mapped[int]
    metric: Mapped[str] = mapped_column(String(30))  # workflow.targets.Metric
    kind: Mapped[str] = mapped_column(String(20))  # workflow.targets.TargetKind
    value: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    unit_kind: Mapped[str] = mapped_column(String(20), default="all")
    note: Mapped[str | None] = mapped_column(Text)
    #: Who an admissions target counts: ``all``, or a ``workflow.people.Category`` ("≥ 1
    #: student": a teacher admitted by the school's cell does not count).
    category: Mapped[str] = mapped_column(String(30), default="all", server_default="all")
