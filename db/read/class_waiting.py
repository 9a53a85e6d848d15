"""The waiting page of the classes: who waits for a class and since when, who missed sessions and
why, and which cells wait longest. The trainer sees the mentored candidates of the centre's area;
the others the cases they read."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Case, Event, Member, Organisation, Person
from db.models.classes import AttendanceMark, AwarenessClass, ClassSession, Enrolment
from db.read.classes import in_open_class, visible_cases
from db.read.scope import scope_clause
from workflow import classes as rules
from workflow import policy
from workflow.classes import CellWait, Waiting
from workflow.dates import LOCAL_ZONE
from workflow.facts import Actor
from workflow.policy import Purpose
from workflow.states import Role, State, Trigger


@dataclass(frozen=True)
class Absence:
    """A recorded absence: when, why, and in which kind of class."""

    held_on: date
    reason: str
    note: str | None


@dataclass(frozen=True)
class MissedRow:
    """An enrolled candidate who missed sessions, and why."""

    case_id: int
    name: str
    cell: str
    class_id: int
    class_name: str
    kind: str
    state: str
    outcome: str | None
    absences: tuple[Absence, ...]
    linkable: bool


@dataclass(frozen=True)
class WaitingView:
    """The waiting page: who waits, who missed sessions, which cells wait longest."""

    waiting: list[Waiting]
    mentors: dict[int, str]
    missed: list[MissedRow]
    cells: list[CellWait]
    #: Absences by reason, then by the kind of class: the plan's difficulty in figures.
    reasons: dict[str, dict[str, int]]


def _local_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(LOCAL_ZONE).date()


_MentorPerson = aliased(Person)


def waiting_view(session: Session, actor: Actor, today: date) -> WaitingView:
    """Mentored candidates in no open class since they got their mentor; absences and why."""
    readers = visible_cases(actor)
    trainer = scope_clause(policy.scope(actor, Purpose.train), Organisation.path)
    mentored_since = (
        select(Event.case_id, func.max(Event.at).label("at"))
        .where(Event.action == Trigger.assign_mentor)
        .group_by(Event.case_id)
        .subquery()
    )
    missed_classes = (
        select(Enrolment.case_id, func.count().label("n"))
        .where(Enrolment.outcome == rules.NOT_FINISHED)
        .group_by(Enrolment.case_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Case.id,
            Person.full_name,
            Organisation.id,
            Organisation.name,
            mentored_since.c.at,
            Case.opened_on,
            func.coalesce(missed_classes.c.n, 0),
            _MentorPerson.full_name,
        )
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .outerjoin(mentored_since, mentored_since.c.case_id == Case.id)
        .outerjoin(missed_classes, missed_classes.c.case_id == Case.id)
        .outerjoin(Member, Member.id == Case.mentor_id)
        .outerjoin(_MentorPerson, _MentorPerson.id == Member.person_id)
        .where(Case.state == State.mentored, or_(readers, trainer), ~in_open_class())
    ).all()
    waiting = sorted(
        (Waiting(r[0], r[1], r[2], r[3], _local_day(r[4]) if r[4] else r[5], r[6]) for r in rows),
        key=lambda w: (w.since, w.name),
    )
    mentors = {r[0]: r[7] for r in rows if r[7]}
    missed = _missed(session, actor, readers)
    reasons: dict[str, dict[str, int]] = {}
    for row in missed:
        for absence in row.absences:
            by_kind = reasons.setdefault(absence.reason, {})
            by_kind[row.kind] = by_kind.get(row.kind, 0) + 1
    return WaitingView(waiting, mentors, missed, rules.cell_waits(waiting, today), reasons)


def _missed(session: Session, actor: Actor, readers: ColumnElement[bool]) -> list[MissedRow]:
    """Absences of the candidates the actor reads, and of every candidate of the actor's centres."""
    centres = [g.organisation_id for g in actor.grants_for(Role.trainer)]
    rows = session.execute(
        select(
            Enrolment.id,
            Case.id,
            Person.full_name,
            Organisation.name,
            AwarenessClass.id,
            AwarenessClass.name,
            AwarenessClass.kind,
            Case.state,
            Enrolment.outcome,
            readers.label("visible"),
            ClassSession.held_on,
            AttendanceMark.reason,
            AttendanceMark.note,
        )
        .select_from(AttendanceMark)
        .join(Enrolment, Enrolment.id == AttendanceMark.enrolment_id)
        .join(ClassSession, ClassSession.id == AttendanceMark.session_id)
        .join(AwarenessClass, AwarenessClass.id == Enrolment.class_id)
        .join(Case, Case.id == Enrolment.case_id)
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(
            AttendanceMark.present.is_(False),
            or_(readers, AwarenessClass.centre_id.in_(centres) if centres else false()),
        )
        .order_by(AwarenessClass.starts_on.desc(), Person.full_name, ClassSession.held_on)
    ).all()
    grouped: dict[int, MissedRow] = {}
    for r in rows:
        absence = Absence(r[10], r[11], r[12])
        if r[0] in grouped:
            old = grouped[r[0]]
            grouped[r[0]] = replace(old, absences=(*old.absences, absence))
            continue
        linkable = bool(r[9]) or r[7] == State.mentored
        grouped[r[0]] = MissedRow(
            r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], (absence,), linkable
        )
    return list(grouped.values())
