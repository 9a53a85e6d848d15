"""A candidate's case and the facts recorded along its path."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.models.organisations import Organisation
from db.models.people import Member, Person


class Case(Base):
    """One person's path from the cell's list to full membership.

    ``state`` is changed only by ``workflow.machine.fire``; ``version`` guards against two users
    changing the case at once (SQLAlchemy raises StaleDataError on a lost race).
    """

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_cell_state", "cell_id", "state"),
        # The case list's year filter counts from this index alone (the scope joins on cell_id).
        Index("ix_cases_opened_on_cell_id", "opened_on", "cell_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    state: Mapped[str] = mapped_column(String(30), index=True)
    version: Mapped[int] = mapped_column(default=1)
    source: Mapped[str] = mapped_column(String(30))
    source_detail: Mapped[str | None] = mapped_column(String(300))
    opened_on: Mapped[date]
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    certificate_number: Mapped[str | None] = mapped_column(String(50))
    certificate_date: Mapped[date | None]
    submitted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cell_vote_date: Mapped[date | None]
    decision_number: Mapped[str | None] = mapped_column(String(50))
    #: The one extension of the decision deadline (working days), if granted.
    decision_extension_days: Mapped[int | None]
    decision_date: Mapped[date | None]
    ceremony_on: Mapped[date | None]
    recognized_on: Mapped[date | None]
    #: The party member the candidate became on admission.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    closed_on: Mapped[date | None]
    #: The local day the case entered its current state (its opening day until it first moves):
    #: set by the write path with every change of state, so that the targets report counts how
    #: long a case has waited without walking its events (``workflow.replay`` checks it).
    state_since: Mapped[date | None]
    #: The day the third recognition vote short of 2/3 sent the case to the higher committee.
    recognition_referred_on: Mapped[date | None]

    person: Mapped[Person] = relationship(lazy="joined")
    cell: Mapped[Organisation] = relationship(lazy="joined")
    mentor: Mapped[Member | None] = relationship(foreign_keys=[mentor_id])

    __mapper_args__ = {"version_id_col": version}


class MentorAssignment(Base):
    """Who followed and helped the candidate, from when until when."""

    __tablename__ = "mentor_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    since: Mapped[date]
    until: Mapped[date | None]


class Certificate(Base):
    """The awareness-class certificate (giấy chứng nhận, CN-NTVĐ)."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    issued_on: Mapped[date]
    issuer: Mapped[str | None] = mapped_column(String(200))


class Introduction(Base):
    """An introduction on file: a member's letter (3-KNĐ) or a Đoàn/Công đoàn resolution."""

    __tablename__ = "introductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # workflow.states.IntroducerKind
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    name: Mapped[str] = mapped_column(String(200))
    known_since: Mapped[date | None]
    dated: Mapped[date]
    #: A replacement introducer named by the cell (needs no 12 months' acquaintance), and why.
    replacement: Mapped[bool] = mapped_column(default=False)
    replacement_reason: Mapped[str | None] = mapped_column(String(500))

    member: Mapped[Member | None] = relationship()


class CaseException(Base):
    """An exception to a rule recorded on a case (``workflow.case_exceptions``): the provincial
    committee's approval of a candidate over 60, a hardship exception to the education floor."""

    __tablename__ = "case_exceptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # over_age, education
    dated: Mapped[date]
    number: Mapped[str | None] = mapped_column(String(50))
    issued_by: Mapped[str | None] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(30))  # workflow.education.HARDSHIP_AREAS
    reason: Mapped[str | None] = mapped_column(String(500))


class Vote(Base):
    """A vote: its date, the count for and against, and how many could vote."""

    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    body: Mapped[str] = mapped_column(String(30))  # workflow.states.VoteBody
    held_on: Mapped[date]
    votes_for: Mapped[int]
    votes_against: Mapped[int]
    eligible: Mapped[int]
    resolution_number: Mapped[str | None] = mapped_column(String(50))
    #: The cell's vote record: official members on the vote date, those exempted from activity
    #: who did not attend (``eligible`` is the one less the other), and those present.
    official_members: Mapped[int | None]
    excused_absent: Mapped[int | None]
    present: Mapped[int | None]


class Decision(Base):
    """A decision of the deciding body: admission (9-KNĐ) or recognition (16-KNĐ)."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # admission, recognition
    number: Mapped[str] = mapped_column(String(50))
    signed_on: Mapped[date]
    body_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    #: The cell the case belonged to when decided: where the targets count an admission, even
    #: after the member's activity moved elsewhere (migration 0013).
    cell_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))


class DocumentRecord(Base):
    """A form of the dossier on file: its code, date and number."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    dated: Mapped[date]
    number: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
