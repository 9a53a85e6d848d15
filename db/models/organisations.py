"""The organisation tree: party committees, cells, mass organisations, the political centre.

The tree changes over time (domain.md: the 01/07/2025 reform). An organisation's row holds its
current values, valid from ``valid_from`` (until ``dissolved_on``, when it is dissolved); the
values it had before are ``OrganisationVersion`` rows, each valid from a date to a date. The
current tree (``path``) is what scopes read; decisions, forms and reports of a past day read the
tree of that day (``db.read.tree``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from workflow.tree import BEGINNING


class Organisation(Base):
    """A node of the tree; ``path`` (``/1/4/9/``) makes "this and everything below" one prefix."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    path: Mapped[str] = mapped_column(String(255), default="", index=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))  # workflow.states.OrgType
    unit_kind: Mapped[str] = mapped_column(String(20), default="other")  # workflow.states.UnitKind
    #: The body that decides admissions for everything below it (configuration: domain.md).
    decides_admissions: Mapped[bool] = mapped_column(default=False)
    #: Members of a grassroots committee: the denominator of its 2/3 vote.
    committee_size: Mapped[int] = mapped_column(default=0)
    #: Whether the unit has a Đoàn branch (else the Công đoàn introduces youth).
    has_doan: Mapped[bool] = mapped_column(default=True)
    mass_kind: Mapped[str | None] = mapped_column(String(30))  # doan, congdoan, mattran, ...
    #: A đảng ủy bộ phận sits between this cell and its grassroots committee: its appraisals
    #: (7-KNĐ on admission, 14-KNĐ on recognition) belong to the dossier (migration 0015).
    has_branch_committee: Mapped[bool] = mapped_column(default=False)
    #: The first day of the current values (an organisation created without a date: always).
    valid_from: Mapped[date] = mapped_column(
        Date, default=BEGINNING, server_default=BEGINNING.isoformat()
    )
    #: The day it ceased to exist (it existed until the day before); None while it exists.
    dissolved_on: Mapped[date | None] = mapped_column(Date)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class OrganisationVersion(Base):
    """What an organisation was from ``valid_from`` until the day before ``valid_until``: its
    parent, name, kind, committee size and whether it decided admissions."""

    __tablename__ = "organisation_versions"
    __table_args__ = (UniqueConstraint("organisation_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    decides_admissions: Mapped[bool] = mapped_column(default=False)
    committee_size: Mapped[int] = mapped_column(default=0)
