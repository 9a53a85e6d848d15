"""Proposals (giới thiệu quần chúng ưu tú): a mass organisation puts a person forward to a cell."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Proposal(Base):
    """A person proposed by a mass organisation's introducer to the party cell it is attached
    to; ``status`` (``workflow.proposals.ProposalStatus``) is changed only by the use cases.

    The person's particulars are kept as proposed (the case, once opened, has its own copy);
    ``case_id`` is the case an acceptance opened. ``version`` catches two decisions at once.
    """

    __tablename__ = "proposals"
    __table_args__ = (
        Index("ix_proposals_cell_id_status", "cell_id", "status"),
        # The yearly quota counts accepted proposals by the year of the decision.
        Index("ix_proposals_status_decided_on", "status", "decided_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    introducer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(default=1)
    proposed_on: Mapped[date]

    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None]
    sex: Mapped[str | None] = mapped_column(String(10))
    birth_place: Mapped[str | None] = mapped_column(String(200))
    hometown: Mapped[str | None] = mapped_column(String(200))
    ethnicity: Mapped[str | None] = mapped_column(String(50))
    religion: Mapped[str | None] = mapped_column(String(50))
    education: Mapped[str | None] = mapped_column(String(100))
    residence: Mapped[str | None] = mapped_column(String(300))
    occupation: Mapped[str | None] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(20))
    is_doan_member: Mapped[bool] = mapped_column(default=False)

    reasons: Mapped[str | None] = mapped_column(Text)
    achievements: Mapped[str | None] = mapped_column(Text)
    #: The movement, team or club through which the organisation noticed the person.
    movement: Mapped[str | None] = mapped_column(String(300))

    decided_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), unique=True)

    __mapper_args__ = {"version_id_col": version}
