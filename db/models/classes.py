"""Awareness classes: the centre's classes, their sessions, enrolments, attendance, certificates."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class AwarenessClass(Base):
    """A class (lớp bồi dưỡng nhận thức về Đảng) run by a political centre.

    ``starts_on`` and ``ends_on`` are its first and last sessions' days; ``issued_on`` is set when
    its certificates are issued, which closes enrolment and attendance.
    """

    __tablename__ = "awareness_classes"
    __table_args__ = (Index("ix_awareness_classes_centre_id_ends_on", "centre_id", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))  # workflow.classes.SessionKind
    capacity: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_on: Mapped[date | None]
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    sessions: Mapped[list[ClassSession]] = relationship(
        order_by=lambda: (ClassSession.held_on, ClassSession.starts_at), lazy="selectin"
    )


class ClassSession(Base):
    """One meeting of a class: its day and local hours."""

    __tablename__ = "class_sessions"
    __table_args__ = (UniqueConstraint("class_id", "held_on", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("awareness_classes.id"))
    held_on: Mapped[date]
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)


class Enrolment(Base):
    """A candidate's place in a class, and what came of it when the certificates were issued.

    ``outcome``: ``certified`` (with the certificate's number and date), ``refused`` (finished, but
    the case's rules or state refused the certificate: ``outcome_note`` says why) or
    ``not_finished``; none until the class issues.
    """

    __tablename__ = "class_enrolments"
    __table_args__ = (UniqueConstraint("class_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("awareness_classes.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    #: The day the cell registered the candidate (it may precede the entry in hoso).
    registered_on: Mapped[date]
    enrolled_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(20))
    #: The case's version at enrolment: shown when the case changed before the certificates.
    case_version: Mapped[int]
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    certificate_number: Mapped[str | None] = mapped_column(String(50), unique=True)
    certificate_date: Mapped[date | None]


class AttendanceMark(Base):
    """One enrolled candidate at one session: present, or absent with a reason."""

    __tablename__ = "class_attendance"
    __table_args__ = (UniqueConstraint("session_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("class_enrolments.id"), index=True)
    present: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(String(20))  # workflow.classes.AbsenceReason
    note: Mapped[str | None] = mapped_column(String(300))


class CertificateSequence(Base):
    """The last certificate number a centre gave in a year (the ``{seq}`` of the pattern)."""

    __tablename__ = "certificate_sequences"

    centre_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
