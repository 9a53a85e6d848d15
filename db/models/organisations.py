"""The organisation tree: party committees, cells, mass organisations, the political centre."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


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

    parent: Mapped[Organisation | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"
