"""The class repository: classes, sessions, enrolments, marks and the certificates' sequences.

Storage only: the use cases (``workflow.services.classes``) check who may, judge and append the
events; this module reads and writes rows, and never commits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.actors import scope_path
from db.models import Case, Organisation, Person
from db.models.classes import (
    AttendanceMark,
    AwarenessClass,
    CertificateSequence,
    ClassSession,
    Enrolment,
)
from workflow.classes import CERTIFIED, AbsenceReason, ClassFacts, ClassPlan, Mark
from workflow.errors import Failure
from workflow.ports.classes import Centre, Enrolled, Meeting
from workflow.states import OrgType


def class_facts(session: Session, cls: AwarenessClass, catchment_path: str) -> ClassFacts:
    """The class as the rules judge it, with its count of enrolled candidates."""
    enrolled = session.scalar(
        select(func.count()).select_from(Enrolment).where(Enrolment.class_id == cls.id)
    )
    return ClassFacts(
        id=cls.id,
        centre_id=cls.centre_id,
        catchment_path=catchment_path,
        name=cls.name,
        kind=cls.kind,
        capacity=cls.capacity,
        starts_on=cls.starts_on,
        ends_on=cls.ends_on,
        issued_on=cls.issued_on,
        enrolled=enrolled or 0,
    )


def catchment_of(session: Session, centre_id: int) -> str:
    """The path of the party committee the centre is attached to: the area it serves."""
    return scope_path(session.get(Organisation, centre_id), session)


def stored_marks(session: Session, enrolment_ids: Sequence[int]) -> dict[int, dict[int, Mark]]:
    """The marks of the enrolments: by enrolment id, then by session id."""
    marks: dict[int, dict[int, Mark]] = {}
    if not enrolment_ids:
        return marks
    for m in session.scalars(
        select(AttendanceMark).where(AttendanceMark.enrolment_id.in_(enrolment_ids))
    ):
        reason = AbsenceReason(m.reason) if m.reason else None
        marks.setdefault(m.enrolment_id, {})[m.session_id] = Mark(m.present, reason, m.note)
    return marks


def failures_of(note: str | None) -> list[Failure]:
    """The reasons of a refused certificate, as stored in ``Enrolment.outcome_note``."""
    if not note:
        return []
    return [Failure(r["rule"], r["vi"], r["en"]) for r in json.loads(note)]


class SqlClasses:
    """``workflow.ports.classes.ClassRepository`` on SQLAlchemy."""

    def __init__(self, session: Session):
        self.session = session

    def centre(self, centre_id: int) -> Centre | None:
        org = self.session.get(Organisation, centre_id)
        if org is None or org.type != OrgType.centre:
            return None
        return Centre(org.id, org.name, scope_path(org, self.session))

    def add(self, centre_id: int, plan: ClassPlan, created_by: int) -> int:
        cls = AwarenessClass(
            centre_id=centre_id,
            name=plan.name,
            place=plan.place,
            kind=plan.kind,
            capacity=plan.capacity,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            note=plan.note,
            created_by=created_by,
        )
        self.session.add(cls)
        self.session.flush()
        self.session.add_all(
            ClassSession(
                class_id=cls.id, held_on=s.held_on, starts_at=s.starts_at, ends_at=s.ends_at
            )
            for s in plan.sessions
        )
        self.session.flush()
        return cls.id

    def get(self, class_id: int, *, for_update: bool = False) -> ClassFacts | None:
        query = select(AwarenessClass).where(AwarenessClass.id == class_id)
        cls = self.session.scalar(query.with_for_update() if for_update else query)
        if cls is None:
            return None
        return class_facts(self.session, cls, catchment_of(self.session, cls.centre_id))

    def sessions(self, class_id: int) -> list[tuple[int, date]]:
        rows = self.session.execute(
            select(ClassSession.id, ClassSession.held_on)
            .where(ClassSession.class_id == class_id)
            .order_by(ClassSession.held_on, ClassSession.starts_at)
        )
        return [(row.id, row.held_on) for row in rows]

    def meeting(self, session_id: int) -> Meeting | None:
        row = self.session.get(ClassSession, session_id)
        return Meeting(row.id, row.class_id, row.held_on) if row is not None else None

    def open_class_of(self, case_id: int) -> tuple[int, str] | None:
        row = self.session.execute(
            select(AwarenessClass.id, AwarenessClass.name)
            .join(Enrolment, Enrolment.class_id == AwarenessClass.id)
            .where(Enrolment.case_id == case_id, AwarenessClass.issued_on.is_(None))
            .limit(1)
        ).first()
        return (row.id, row.name) if row else None

    def enrolled(self, class_id: int) -> list[Enrolled]:
        rows = self.session.execute(
            select(
                Enrolment.id,
                Enrolment.case_id,
                Person.full_name,
                Organisation.name,
                Enrolment.outcome,
                Enrolment.certificate_number,
            )
            .join(Case, Case.id == Enrolment.case_id)
            .join(Person, Person.id == Case.person_id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Enrolment.class_id == class_id)
            .order_by(Person.full_name, Enrolment.id)
        ).all()
        marks = stored_marks(self.session, [r[0] for r in rows])
        return [Enrolled(*row, marks=marks.get(row[0], {})) for row in rows]

    def enrolment(self, class_id: int, case_id: int) -> int | None:
        return self.session.scalar(
            select(Enrolment.id).where(Enrolment.class_id == class_id, Enrolment.case_id == case_id)
        )

    def enrol(
        self,
        class_id: int,
        case_id: int,
        *,
        registered_on: date,
        enrolled_by: int,
        role: str,
        case_version: int,
    ) -> int:
        enrolment = Enrolment(
            class_id=class_id,
            case_id=case_id,
            registered_on=registered_on,
            enrolled_by=enrolled_by,
            role=role,
            case_version=case_version,
        )
        self.session.add(enrolment)
        self.session.flush()
        return enrolment.id

    def unenrol(self, enrolment_id: int) -> None:
        self.session.execute(delete(Enrolment).where(Enrolment.id == enrolment_id))

    def record_marks(self, session_id: int, marks: Mapping[int, Mark]) -> None:
        stored = {
            m.enrolment_id: m
            for m in self.session.scalars(
                select(AttendanceMark).where(AttendanceMark.session_id == session_id)
            )
        }
        for enrolment_id, mark in marks.items():
            row = stored.get(enrolment_id) or AttendanceMark(
                session_id=session_id, enrolment_id=enrolment_id
            )
            row.present, row.reason, row.note = mark.present, mark.reason, mark.note
            self.session.add(row)
        self.session.flush()

    def last_certificate(self, centre_id: int, year: int) -> int:
        last = self.session.scalar(
            select(CertificateSequence.last).where(
                CertificateSequence.centre_id == centre_id, CertificateSequence.year == year
            )
        )
        return last or 0

    def claim_certificate(self, centre_id: int, year: int, seq: int) -> bool:
        if seq == 1:
            # The year's first number creates the row: a concurrent first claim breaks the
            # primary key. The savepoint keeps the transaction usable on PostgreSQL.
            try:
                with self.session.begin_nested():
                    self.session.add(CertificateSequence(centre_id=centre_id, year=year, last=1))
            except IntegrityError:
                return False
            return True
        moved = self.session.execute(
            update(CertificateSequence)
            .where(
                CertificateSequence.centre_id == centre_id,
                CertificateSequence.year == year,
                CertificateSequence.last == seq - 1,
            )
            .values(last=seq)
        )
        return moved.rowcount == 1

    def certify(self, enrolment_id: int, number: str, day: date) -> bool:
        done = self.session.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment_id, Enrolment.certificate_number.is_(None))
            .values(outcome=CERTIFIED, certificate_number=number, certificate_date=day)
        )
        return done.rowcount == 1

    def record_outcome(
        self, enrolment_id: int, outcome: str, reasons: Sequence[Failure] = ()
    ) -> None:
        note = [{"rule": f.rule, "vi": f.vi, "en": f.en} for f in reasons]
        self.session.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment_id, Enrolment.certificate_number.is_(None))
            .values(
                outcome=outcome,
                outcome_note=json.dumps(note, ensure_ascii=False) if note else None,
            )
        )

    def close(self, class_id: int, day: date, user_id: int) -> None:
        self.session.execute(
            update(AwarenessClass)
            .where(AwarenessClass.id == class_id, AwarenessClass.issued_on.is_(None))
            .values(issued_on=day, issued_by=user_id)
        )
