"""Non-state enterprises of the area and their survey (khảo sát) by a party committee."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Enterprise(Base):
    """An enterprise: whether it has a party cell, a Đoàn and a Công đoàn branch, and the survey
    kept by the commune or grassroots committee (``survey_status``: ``SURVEY_STATUSES`` of
    ``workflow.enterprises``) with its plan for finding candidates."""

    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    tax_code: Mapped[str | None] = mapped_column(String(13), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))
    workforce: Mapped[int] = mapped_column(default=0)
    cell_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    has_doan: Mapped[bool] = mapped_column(default=False)
    has_congdoan: Mapped[bool] = mapped_column(default=False)
    committee_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    survey_status: Mapped[str] = mapped_column(String(20), default="not_surveyed")
    surveyed_on: Mapped[date | None] = mapped_column(Date)
    plan: Mapped[str | None] = mapped_column(Text)
