"""People (candidates and members alike) and party membership."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base

#: The name search's trigram index, made by migration 0010 and not declared here (a table cannot
#: say "FTS5 on SQLite, GIN on PostgreSQL"): an FTS5 table that triggers keep in step with
#: ``people.search_name`` (its rowid is the person's id), or a pg_trgm GIN index on that column.
NAME_SEARCH_FTS = "people_search"
NAME_SEARCH_TRGM = "ix_people_search_name_trgm"


class Person(Base):
    """A person as the biography (2-KNĐ) records them."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: The name folded to ASCII lower case, for searching without diacritics.
    search_name: Mapped[str] = mapped_column(String(200), index=True, default="")
    birth_date: Mapped[date | None]
    sex: Mapped[str | None] = mapped_column(String(10))
    birth_place: Mapped[str | None] = mapped_column(String(200))
    hometown: Mapped[str | None] = mapped_column(String(200))
    ethnicity: Mapped[str | None] = mapped_column(String(50))
    religion: Mapped[str | None] = mapped_column(String(50))
    education: Mapped[str | None] = mapped_column(String(100))
    residence: Mapped[str | None] = mapped_column(String(300))
    occupation: Mapped[str | None] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(20), index=True)
    is_doan_member: Mapped[bool] = mapped_column(default=False)
    #: ``workflow.people.Category``; ``None``: never recorded (shown so, never guessed).
    category: Mapped[str | None] = mapped_column(String(30))


class Member(Base):
    """A party member of a cell: probationary until recognised, official since a date."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # workflow.states.MemberStatus
    admitted_on: Mapped[date]
    official_since: Mapped[date | None]
    #: Excused from cell activity (miễn sinh hoạt); whether they count in votes is configuration.
    excused: Mapped[bool] = mapped_column(default=False)
    left_on: Mapped[date | None]

    person: Mapped[Person] = relationship()
