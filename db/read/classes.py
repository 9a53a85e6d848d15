"""The classes' pages: the list, one class with its register, and whom a cell may enrol.

Plain rows for the views. A class exists for a user only if ``workflow.classes.sees_class``
says so (``class_view`` is then ``None``: the page answers 404); the register shows the centre
every candidate, and others the candidates of their scope and a count of the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from db.models import Case, Organisation, Person, User
from db.models.classes import AttendanceMark, AwarenessClass, ClassSession, Enrolment
from db.read.scope import scope_clause, under
from db.repositories.classes import catchment_of, class_facts, failures_of, stored_marks
from workflow import classes as rules
from workflow import policy
from workflow.classes import ClassFacts, ClassSettings, Completion, Mark
from workflow.errors import Failure
from workflow.facts import Actor
from workflow.policy import Purpose
from workflow.states import OrgType, Role, State


@dataclass(frozen=True)
class SessionRow:
    """A session on the class's page: whether its attendance is recorded."""

    id: int
    held_on: date
    starts_at: time
    ends_at: time
    recorded: bool


@dataclass
class RosterRow:
    """An enrolled candidate: marks by session id, completion, and what issuing made of it."""

    enrolment_id: int
    case_id: int
    name: str
    cell: str
    state: str
    registered_on: date
    enrolled_by: str
    role: str
    case_version: int
    version: int
    marks: dict[int, Mark]
    completion: Completion
    outcome: str | None
    reasons: list[Failure]
    certificate_number: str | None
    certificate_date: date | None
    #: The user may open the candidate's page (the trainer only while they are mentored).
    linkable: bool = True


@dataclass
class ClassView:
    """A class as its page shows it to one user."""

    facts: ClassFacts
    centre: str
    place: str
    note: str | None
    sessions: list[SessionRow]
    roster: list[RosterRow]
    hidden: int
    runs: bool
    status: str

    @property
    def pending(self) -> list[RosterRow]:
        """Finished candidates whose certificate is still to issue (again)."""
        return [r for r in self.roster if r.completion.finished and r.outcome != rules.CERTIFIED]


@dataclass(frozen=True)
class ClassRow:
    """A class in the list."""

    facts: ClassFacts
    centre: str
    place: str
    status: str
    sessions: int


def visible_cases(actor: Actor) -> ColumnElement[bool]:
    """Cases the actor reads (the query joins ``Organisation`` as the case's cell)."""
    return scope_clause(policy.scope(actor, Purpose.cases), Organisation.path, Case.mentor_id)


def in_open_class() -> ColumnElement[bool]:
    """The case (``Case``) is enrolled in a class whose certificates are not issued."""
    return exists(
        select(Enrolment.id)
        .join(AwarenessClass, AwarenessClass.id == Enrolment.class_id)
        .where(Enrolment.case_id == Case.id, AwarenessClass.issued_on.is_(None))
    )


def trainer_centres(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The centres the actor runs classes for, as ``(id, name)``."""
    ids = {g.organisation_id for g in actor.grants_for(Role.trainer)}
    if not ids:
        return []
    rows = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(ids), Organisation.type == OrgType.centre)
        .order_by(Organisation.name)
    )
    return [(row.id, row.name) for row in rows]


def _known_class(session: Session, actor: Actor, class_id: int) -> AwarenessClass | None:
    cls = session.get(AwarenessClass, class_id)
    if cls is None:
        return None
    if not rules.sees_class(actor, cls.centre_id, catchment_of(session, cls.centre_id)):
        return None
    return cls


def _roster(
    session: Session, actor: Actor, cls: AwarenessClass, runs: bool, settings: ClassSettings
) -> tuple[list[RosterRow], int]:
    sessions = [(s.id, s.held_on) for s in cls.sessions]
    rows = session.execute(
        select(
            Enrolment,
            Person.full_name,
            Organisation.name.label("cell"),
            Case.state,
            Case.version,
            User.username,
            visible_cases(actor).label("visible"),
        )
        .join(Case, Case.id == Enrolment.case_id)
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .join(User, User.id == Enrolment.enrolled_by)
        .where(Enrolment.class_id == cls.id)
        .order_by(Person.full_name, Enrolment.id)
    ).all()
    marks = stored_marks(session, [r[0].id for r in rows])
    roster = []
    for e, name, cell, state, version, username, visible in rows:
        if not (runs or visible):
            continue
        own = marks.get(e.id, {})
        roster.append(
            RosterRow(
                e.id,
                e.case_id,
                name,
                cell,
                state,
                e.registered_on,
                username,
                e.role,
                e.case_version,
                version,
                own,
                rules.completion(sessions, own, settings.attendance_share),
                e.outcome,
                failures_of(e.outcome_note),
                e.certificate_number,
                e.certificate_date,
                linkable=bool(visible) or state == State.mentored,
            )
        )
    return roster, len(rows) - len(roster)


def class_view(
    session: Session,
    actor: Actor,
    class_id: int,
    today: date,
    settings: ClassSettings = rules.DEFAULT_CLASS_SETTINGS,
) -> ClassView | None:
    """One class for the actor (``None`` if they may not know of it): the centre sees its whole
    register, others their candidates."""
    cls = _known_class(session, actor, class_id)
    if cls is None:
        return None
    facts = class_facts(session, cls, catchment_of(session, cls.centre_id))
    runs = rules.runs_centre(actor, cls.centre_id)
    roster, hidden = _roster(session, actor, cls, runs, settings)
    recorded = set(
        session.scalars(
            select(AttendanceMark.session_id)
            .join(ClassSession, ClassSession.id == AttendanceMark.session_id)
            .where(ClassSession.class_id == cls.id)
            .distinct()
        )
    )
    sessions = [
        SessionRow(s.id, s.held_on, s.starts_at, s.ends_at, s.id in recorded) for s in cls.sessions
    ]
    return ClassView(
        facts,
        session.get(Organisation, cls.centre_id).name,
        cls.place,
        cls.note,
        sessions,
        roster,
        hidden,
        runs,
        rules.class_status(facts, today),
    )


def class_rows(session: Session, actor: Actor, today: date) -> list[ClassRow]:
    """The classes the actor may know of: open ones by date, then the issued, newest first."""
    counts = dict(
        session.execute(select(Enrolment.class_id, func.count()).group_by(Enrolment.class_id)).all()
    )
    sessions = dict(
        session.execute(
            select(ClassSession.class_id, func.count()).group_by(ClassSession.class_id)
        ).all()
    )
    centres: dict[int, tuple[str, str]] = {}
    rows = []
    for cls in session.scalars(select(AwarenessClass).order_by(AwarenessClass.starts_on)):
        if cls.centre_id not in centres:
            name = session.get(Organisation, cls.centre_id).name
            centres[cls.centre_id] = (name, catchment_of(session, cls.centre_id))
        name, catchment = centres[cls.centre_id]
        if not rules.sees_class(actor, cls.centre_id, catchment):
            continue
        facts = ClassFacts(
            cls.id,
            cls.centre_id,
            catchment,
            cls.name,
            cls.kind,
            cls.capacity,
            cls.starts_on,
            cls.ends_on,
            cls.issued_on,
            counts.get(cls.id, 0),
        )
        status = rules.class_status(facts, today)
        rows.append(ClassRow(facts, name, cls.place, status, sessions.get(cls.id, 0)))
    open_rows = [r for r in rows if r.status != "issued"]
    issued = sorted((r for r in rows if r.status == "issued"), key=lambda r: r.facts.ends_on)
    return open_rows + issued[::-1]


def enrollable(session: Session, actor: Actor, class_id: int) -> list[tuple[int, str, str]]:
    """The mentored candidates the actor may enrol in the class: ``(case id, name, cell)``.

    Their cell's secretary's, or the mentor's own; in the centre's catchment; in no open class.
    """
    cls = _known_class(session, actor, class_id)
    if cls is None:
        return []
    # The secretaries' cells, and the mentor's own mentees (not every case a mentor reads).
    own = replace(policy.scope(actor, Purpose.cases), paths=())
    enrolling = or_(
        scope_clause(policy.scope(actor, Purpose.identify), Organisation.path),
        scope_clause(own, Organisation.path, Case.mentor_id),
    )
    rows = session.execute(
        select(Case.id, Person.full_name, Organisation.name)
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(
            Case.state == State.mentored,
            under(Organisation.path, (catchment_of(session, cls.centre_id),)),
            enrolling,
            ~in_open_class(),
        )
        .order_by(Organisation.name, Person.full_name)
    )
    return [(row[0], row[1], row[2]) for row in rows]
