"""Awareness classes in storage: the centre's and the cells' use cases, and the pages' queries.

Every use case is one unit of work: its change and its history event commit together. Class-level
events (``class_schedule``, ``class_attendance``, ``class_issue_certificates``) have no case and
name the centre as their organisation; an enrolment's events name the candidate's cell, with the
case's id in their data. Issuing fires ``complete_training`` for each candidate who finished,
through ``workflow.services.fire_transition`` as the trainer, each in its own unit of work: the
case's change, its event, the certificate's number in the centre's sequence and the enrolment's
outcome commit together or not at all. The rules are ``workflow.classes``.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, exists, false, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from db.actors import scope_path
from db.models import Case, Event, Member, Organisation, Person, User
from db.models.classes import (
    AttendanceMark,
    AwarenessClass,
    CertificateSequence,
    ClassSession,
    Enrolment,
)
from db.read.cases import scope_filter
from db.repositories.history import SqlHistory
from db.runtime import Runtime
from db.session import instance_path
from db.uow import SqlUnitOfWork
from workflow import classes as rules
from workflow import policy
from workflow.classes import ClassFacts, ClassSettings, Completion, Mark, Waiting
from workflow.dates import LOCAL_ZONE
from workflow.errors import (
    Conflict,
    DomainError,
    Failure,
    InvalidInput,
    NotAllowed,
    NotFound,
    RuleViolation,
)
from workflow.facts import Actor
from workflow.fields import parse_date
from workflow.ports import NewEvent
from workflow.services import Clock, fire_transition
from workflow.states import STATE_LABELS, OrgType, Role, State, Trigger


def load_class_settings(folder: Path | None = None) -> ClassSettings:
    """The ``[classes]`` table of ``hoso.toml`` in the instance folder, over the defaults."""
    path = (folder or instance_path()) / "hoso.toml"
    if not path.exists():
        return rules.DEFAULT_CLASS_SETTINGS
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        return ClassSettings.from_mapping(data.get("classes", {}))
    except (TypeError, ValueError) as err:
        raise ValueError(f"{path}: {err}") from err


# --- shared --------------------------------------------------------------------------------


def _append(
    session: Session,
    actor: Actor,
    role: str,
    action: str,
    organisation_id: int,
    data: dict[str, Any],
    clock: Clock,
    settings: ClassSettings,
    reason: str | None = None,
) -> None:
    """Append a class event (no case) to the history, in the change's own transaction."""
    assert action in rules.ACTIONS, action
    SqlHistory(session).append(
        NewEvent(
            case_id=None,
            organisation_id=organisation_id,
            at=clock.now,
            user_id=actor.user_id,
            username=actor.username,
            role=str(role),
            action=action,
            from_state=None,
            to_state=None,
            reason=reason,
            data=data,
            ruleset=settings.version,
        )
    )


def _facts(session: Session, cls: AwarenessClass) -> ClassFacts:
    centre = session.get(Organisation, cls.centre_id)
    enrolled = session.scalar(
        select(func.count()).select_from(Enrolment).where(Enrolment.class_id == cls.id)
    )
    return ClassFacts(
        id=cls.id,
        centre_id=cls.centre_id,
        catchment_path=scope_path(centre, session),
        name=cls.name,
        kind=cls.kind,
        capacity=cls.capacity,
        starts_on=cls.starts_on,
        ends_on=cls.ends_on,
        issued_on=cls.issued_on,
        enrolled=enrolled or 0,
    )


def _visible_class(
    session: Session, actor: Actor, class_id: int, lock: bool = False
) -> tuple[AwarenessClass, ClassFacts]:
    """The class (locked when it will change) if the actor may know of it, else NotFound."""
    query = select(AwarenessClass).where(AwarenessClass.id == class_id)
    cls = session.scalar(query.with_for_update() if lock else query)
    if cls is None:
        raise NotFound(f"no class {class_id}")
    facts = _facts(session, cls)
    if not rules.sees_class(actor, cls.centre_id, facts.catchment_path):
        raise NotFound(f"no class {class_id}")
    return cls, facts


def _run_by(actor: Actor, cls: AwarenessClass) -> None:
    if not rules.runs_centre(actor, cls.centre_id):
        raise NotAllowed(f"{actor.username} does not run the class {cls.id}")


def _refuse(failure: Failure | None) -> None:
    if failure is not None:
        raise RuleViolation([failure])


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


# --- the centre schedules ------------------------------------------------------------------


def schedule_class(
    runtime: Runtime,
    actor: Actor,
    centre_id: int,
    raw: Mapping[str, Any],
    rows: Sequence[tuple[Any, Any, Any]],
    *,
    clock: Clock | None = None,
    settings: ClassSettings = rules.DEFAULT_CLASS_SETTINGS,
) -> int:
    """The centre schedules a class and its sessions (``class_schedule``); returns its id."""
    clock = clock or Clock.system()
    if not rules.runs_centre(actor, centre_id):
        raise NotAllowed(f"{actor.username} does not run centre {centre_id}")
    plan = rules.parse_class(raw, rows, clock.today, settings)
    with runtime.uow() as uow:
        session = uow.session
        centre = session.get(Organisation, centre_id)
        if centre is None or centre.type != OrgType.centre:
            raise NotFound(f"no centre {centre_id}")
        cls = AwarenessClass(
            centre_id=centre_id,
            name=plan.name,
            place=plan.place,
            kind=plan.kind,
            capacity=plan.capacity,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            note=plan.note,
            created_by=actor.user_id,
        )
        session.add(cls)
        session.flush()
        session.add_all(
            ClassSession(
                class_id=cls.id, held_on=s.held_on, starts_at=s.starts_at, ends_at=s.ends_at
            )
            for s in plan.sessions
        )
        data = {
            "class_id": cls.id,
            "name": plan.name,
            "place": plan.place,
            "kind": str(plan.kind),
            "capacity": plan.capacity,
            "sessions": [
                [s.held_on, f"{s.starts_at:%H:%M}", f"{s.ends_at:%H:%M}"] for s in plan.sessions
            ],
        }
        _append(session, actor, Role.trainer, "class_schedule", centre_id, data, clock, settings)
        uow.commit()
        return cls.id


# --- the cells enrol -----------------------------------------------------------------------


def _open_enrolment(session: Session, case_id: int) -> tuple[int, str] | None:
    """The open class (certificates not issued) the case is enrolled in, as ``(id, name)``."""
    row = session.execute(
        select(AwarenessClass.id, AwarenessClass.name)
        .join(Enrolment, Enrolment.class_id == AwarenessClass.id)
        .where(Enrolment.case_id == case_id, AwarenessClass.issued_on.is_(None))
        .limit(1)
    ).first()
    return (row.id, row.name) if row else None


def enrol_candidate(
    runtime: Runtime,
    actor: Actor,
    class_id: int,
    case_id: int,
    raw: Mapping[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    settings: ClassSettings = rules.DEFAULT_CLASS_SETTINGS,
) -> None:
    """A secretary (or the candidate's mentor) enrols a mentored candidate (``class_enrol``)."""
    clock = clock or Clock.system()
    raw = raw or {}
    with runtime.uow() as uow:
        session = uow.session
        cls, facts = _visible_class(session, actor, class_id, lock=True)
        case = uow.cases.get(case_id)
        case_facts = uow.cases.facts(case, "class_enrol") if case is not None else None
        if case_facts is None or not policy.can_see(actor, case_facts):
            raise NotFound(f"no case {case_id}")
        role = rules.enrolling_role(actor, case_facts)
        if role is None:
            raise NotAllowed(f"{actor.username} may not enrol case {case_id}")
        other = _open_enrolment(session, case_id)
        failures = rules.enrolment_failures(
            facts,
            case_facts,
            clock.today,
            already_enrolled=other is not None and other[0] == cls.id,
            other_open_class=other[1] if other is not None else None,
        )
        if failures:
            raise RuleViolation(failures)
        registered = rules.check_registered_on(
            parse_date("registered_on", raw.get("registered_on")), facts, clock.today
        )
        session.add(
            Enrolment(
                class_id=cls.id,
                case_id=case.id,
                registered_on=registered,
                enrolled_by=actor.user_id,
                role=role,
                case_version=case.version,
            )
        )
        data = {
            "class_id": cls.id,
            "class_name": cls.name,
            "case_id": case.id,
            "candidate": case_facts.person_name,
            "registered_on": registered,
            "case_version": case.version,
        }
        _append(session, actor, role, "class_enrol", case.cell_id, data, clock, settings)
        uow.commit()


def cancel_enrolment(
    runtime: Runtime,
    actor: Actor,
    class_id: int,
    case_id: int,
    reason: str | None,
    *,
    clock: Clock | None = None,
    settings: ClassSettings = rules.DEFAULT_CLASS_SETTINGS,
) -> None:
    """Whoever may enrol the candidate takes them off a class that has not begun."""
    clock = clock or Clock.system()
    with runtime.uow() as uow:
        session = uow.session
        cls, facts = _visible_class(session, actor, class_id, lock=True)
        enrolment = session.scalar(
            select(Enrolment).where(Enrolment.class_id == cls.id, Enrolment.case_id == case_id)
        )
        case = uow.cases.get(case_id) if enrolment is not None else None
        case_facts = uow.cases.facts(case, "class_enrol") if case is not None else None
        if case_facts is None or not policy.can_see(actor, case_facts):
            raise NotFound(f"case {case_id} is not enrolled in class {class_id}")
        role = rules.enrolling_role(actor, case_facts)
        if role is None:
            raise NotAllowed(f"{actor.username} may not take case {case_id} off the class")
        _refuse(rules.cancellation_failure(facts, clock.today))
        text = rules.clean_text("reason", reason, 300)
        session.delete(enrolment)
        data = {"class_id": cls.id, "class_name": cls.name, "case_id": case.id}
        data["candidate"] = case_facts.person_name
        _append(
            session,
            actor,
            role,
            "class_cancel_enrolment",
            case.cell_id,
            data,
            clock,
            settings,
            text,
        )
        uow.commit()


# --- the centre records attendance ---------------------------------------------------------


def record_attendance(
    runtime: Runtime,
    actor: Actor,
    class_id: int,
    session_id: int,
    form: Mapping[str, Any],
    *,
    clock: Clock | None = None,
    settings: ClassSettings = rules.DEFAULT_CLASS_SETTINGS,
) -> None:
    """The centre marks every enrolled candidate at one session (``class_attendance``).

    The form holds ``mark-<enrolment id>`` (``present`` or a reason) and ``note-<enrolment id>``;
    recording a session again replaces its marks (the history keeps both).
    """
    clock = clock or Clock.system()
    with runtime.uow() as uow:
        session = uow.session
        cls, facts = _visible_class(session, actor, class_id, lock=True)
        _run_by(actor, cls)
        meeting = session.get(ClassSession, session_id)
        if meeting is None or meeting.class_id != cls.id:
            raise NotFound(f"no session {session_id} in class {class_id}")
        _refuse(rules.attendance_failure(facts, meeting.held_on, clock.today))
        enrolments = session.execute(
            select(Enrolment.id, Enrolment.case_id)
            .where(Enrolment.class_id == cls.id)
            .order_by(Enrolment.id)
        ).all()
        marks = {
            e.id: rules.parse_mark(
                f"mark-{e.id}", form.get(f"mark-{e.id}"), form.get(f"note-{e.id}")
            )
            for e in enrolments
        }
        stored = {
            m.enrolment_id: m
            for m in session.scalars(
                select(AttendanceMark).where(AttendanceMark.session_id == meeting.id)
            )
        }
        for enrolment_id, mark in marks.items():
            row = stored.get(enrolment_id) or AttendanceMark(
                session_id=meeting.id, enrolment_id=enrolment_id
            )
            row.present, row.reason, row.note = mark.present, mark.reason, mark.note
            session.add(row)
        data = {
            "class_id": cls.id,
            "session_id": meeting.id,
            "held_on": meeting.held_on,
            "marks": [
                {"case_id": e.case_id, "mark": marks[e.id].code, "note": marks[e.id].note}
                for e in enrolments
            ],
        }
        _append(
            session, actor, Role.trainer, "class_attendance", cls.centre_id, data, clock, settings
        )
        uow.commit()


# --- reading a class -----------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    """A session on the class's page: whether its attendance is recorded."""

    id: int
    held_on: date
    starts_at: Any
    ends_at: Any
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
        return [r for r in self.roster if r.completion.finished and r.outcome != "certified"]


def class_status(facts: ClassFacts, today: date) -> str:
    """``issued``, ``over`` (certificates due), ``running`` or ``upcoming``."""
    if facts.issued_on is not None:
        return "issued"
    if today > facts.ends_on:
        return "over"
    return "running" if today >= facts.starts_on else "upcoming"


def _visible_cases(actor: Actor) -> ColumnElement[bool]:
    """Cases the actor reads (the query joins ``Organisation`` as the case's cell)."""
    return scope_filter(actor)


def _reasons(note: str | None) -> list[Failure]:
    if not note:
        return []
    return [Failure(r["rule"], r["vi"], r["en"]) for r in json.loads(note)]


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
            _visible_cases(actor).label("visible"),
        )
        .join(Case, Case.id == Enrolment.case_id)
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .join(User, User.id == Enrolment.enrolled_by)
        .where(Enrolment.class_id == cls.id)
        .order_by(Person.full_name, Enrolment.id)
    ).all()
    marks: dict[int, dict[int, Mark]] = {}
    for m in session.scalars(
        select(AttendanceMark).where(AttendanceMark.enrolment_id.in_([r[0].id for r in rows]))
    ):
        reason = rules.AbsenceReason(m.reason) if m.reason else None
        marks.setdefault(m.enrolment_id, {})[m.session_id] = Mark(m.present, reason, m.note)
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
                _reasons(e.outcome_note),
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
) -> ClassView:
    """One class for the actor: the centre sees its whole register, others their candidates."""
    cls, facts = _visible_class(session, actor, class_id)
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
        class_status(facts, today),
    )


@dataclass(frozen=True)
class ClassRow:
    """A class in the list."""

    facts: ClassFacts
    centre: str
    place: str
    status: str
    sessions: int


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
            centre = session.get(Organisation, cls.centre_id)
            centres[cls.centre_id] = (centre.name, scope_path(centre, session))
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
        status = class_status(facts, today)
        rows.append(ClassRow(facts, name, cls.place, status, sessions.get(cls.id, 0)))
    open_rows = [r for r in rows if r.status != "issued"]
    issued = sorted((r for r in rows if r.status == "issued"), key=lambda r: r.facts.ends_on)
    return open_rows + issued[::-1]


def enrollable(session: Session, actor: Actor, class_id: int) -> list[tuple[int, str, str]]:
    """The mentored candidates the actor may enrol in the class: ``(case id, name, cell)``.

    Their cell's secretary's, or the mentor's own; in the centre's catchment; in no open class.
    """
    cls, facts = _visible_class(session, actor, class_id)
    clauses = [Organisation.path.startswith(g.scope_path) for g in actor.grants_for(Role.secretary)]
    if actor.member_id is not None:
        clauses += [
            (Case.mentor_id == actor.member_id) & Organisation.path.startswith(g.scope_path)
            for g in actor.grants_for(Role.mentor)
        ]
    if not clauses:
        return []
    in_open_class = exists(
        select(Enrolment.id)
        .join(AwarenessClass, AwarenessClass.id == Enrolment.class_id)
        .where(Enrolment.case_id == Case.id, AwarenessClass.issued_on.is_(None))
    )
    rows = session.execute(
        select(Case.id, Person.full_name, Organisation.name)
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(
            Case.state == State.mentored,
            Organisation.path.startswith(facts.catchment_path),
            or_(*clauses),
            ~in_open_class,
        )
        .order_by(Organisation.name, Person.full_name)
    )
    return [(row[0], row[1], row[2]) for row in rows]


# --- the centre issues the certificates ----------------------------------------------------


class SequenceTaken(Conflict):
    """Another certificate took the number meanwhile: the candidate is tried again."""


class _CertifyingUnit(SqlUnitOfWork):
    """``fire_transition``'s unit of work, which also writes the certificate's side of the class
    (the sequence and the enrolment) just before it commits: all of it, or nothing."""

    def __init__(self, runtime: Runtime, before_commit: Callable[[Session], None]):
        super().__init__(runtime.sessions, runtime.settings)
        self.before_commit = before_commit

    def commit(self) -> None:
        self.before_commit(self.session)
        super().commit()


@dataclass
class Outcome:
    """What issuing made of one enrolled candidate."""

    case_id: int
    name: str
    cell: str
    status: str  # certified | refused | not_finished
    completion: Completion
    number: str | None = None
    state: str | None = None
    reasons: list[Failure] = field(default_factory=list)


@dataclass
class IssueResult:
    """The outcome of every candidate of the class, in the roster's order."""

    class_id: int
    class_name: str
    certificate_date: date
    outcomes: list[Outcome]

    def having(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]


def _sequence_claim(centre_id: int, year: int, seq: int, enrolment_id: int, number: str, day: date):
    """The writes that make `number` the enrolment's certificate, if `seq` is still free."""

    def claim(session: Session) -> None:
        if seq == 1:
            session.add(CertificateSequence(centre_id=centre_id, year=year, last=1))
            try:
                session.flush()
            except IntegrityError as err:
                raise SequenceTaken(f"certificate {number} was taken") from err
        else:
            moved = session.execute(
                update(CertificateSequence)
                .where(
                    CertificateSequence.centre_id == centre_id,
                    CertificateSequence.year == year,
                    CertificateSequence.last == seq - 1,
                )
                .values(last=seq)
            )
            if moved.rowcount != 1:
                raise SequenceTaken(f"certificate {number} was taken")
        done = session.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment_id, Enrolment.certificate_number.is_(None))
            .values(outcome="certified", certificate_number=number, certificate_date=day)
        )
        if done.rowcount != 1:
            raise Conflict(f"enrolment {enrolment_id} was certified meanwhile")

    return claim


def _explain(runtime: Runtime, case_id: int, err: DomainError) -> list[Failure]:
    """Why a finished candidate was refused the certificate, in both languages."""
    if isinstance(err, RuleViolation):
        return list(err.failures)
    if isinstance(err, InvalidInput):
        return [Failure(err.field, err.message, err.message)]
    if isinstance(err, SequenceTaken | Conflict):
        return [
            Failure(
                "conflict",
                "Hồ sơ vừa được người khác thay đổi; hãy cấp lại cho quần chúng này.",
                "The case was changed by someone else meanwhile; issue again for this candidate.",
            )
        ]
    with runtime.sessions() as session:
        state = session.scalar(select(Case.state).where(Case.id == case_id))
    if state is not None and state != State.mentored:
        vi, en = STATE_LABELS[State(state)]
        return [
            Failure(
                "still_mentored",
                f"Hồ sơ đã thay đổi sau khi cử đi học: nay ở trạng thái «{vi}», không còn chờ "
                "học lớp.",
                f"The case changed after the enrolment: it is now «{en}» and no longer waits for "
                "the class.",
            )
        ]
    return [
        Failure(
            "in_catchment",
            "Hồ sơ không còn thuộc địa bàn của trung tâm.",
            "The case is no longer within the centre's area.",
        )
    ]


def _certify(
    runtime: Runtime,
    actor: Actor,
    cls: AwarenessClass,
    row: RosterRow,
    day: date,
    issuer: str,
    clock: Clock,
    settings: ClassSettings,
) -> Outcome:
    outcome = Outcome(row.case_id, row.name, row.cell, "refused", row.completion)
    for _attempt in range(5):
        with runtime.sessions() as session:
            last = session.scalar(
                select(CertificateSequence.last).where(
                    CertificateSequence.centre_id == cls.centre_id,
                    CertificateSequence.year == day.year,
                )
            )
        seq = (last or 0) + 1
        number = rules.certificate_number(settings.certificate_pattern, day.year, seq)
        claim = _sequence_claim(cls.centre_id, day.year, seq, row.enrolment_id, number, day)
        try:
            case = fire_transition(
                _CertifyingUnit(runtime, claim),
                actor,
                row.case_id,
                Trigger.complete_training,
                {"certificate_number": number, "certificate_date": day, "issuer": issuer},
                clock=clock,
                settings=runtime.settings,
            )
        except SequenceTaken:
            continue
        except DomainError as err:
            outcome.reasons = _explain(runtime, row.case_id, err)
            return outcome
        outcome.status, outcome.number, outcome.state = "certified", number, case.state
        return outcome
    outcome.reasons = _explain(runtime, row.case_id, SequenceTaken("busy"))
    return outcome


def issue_certificates(
    runtime: Runtime,
    actor: Actor,
    class_id: int,
    raw: Mapping[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    settings: ClassSettings = rules.DEFAULT_CLASS_SETTINGS,
) -> IssueResult:
    """Issue a certificate to every candidate who finished and has none yet.

    Each is numbered in the centre's sequence and fires ``complete_training`` as the trainer, in
    its own unit of work, judged by its own rules; a refusal stops nothing else and is reported
    with its reasons. Those who did not finish are left as they are. Then one
    ``class_issue_certificates`` event sums up, and the class is closed to enrolment and
    attendance. Running it again retries only the refused.
    """
    clock = clock or Clock.system()
    raw = raw or {}
    with runtime.sessions() as session:
        view = class_view(session, actor, class_id, clock.today, settings)
        cls = session.get(AwarenessClass, class_id)
        _run_by(actor, cls)
        _refuse(rules.issuing_failure(view.facts, clock.today))
        if view.facts.issued_on is not None and not view.pending:
            _refuse(
                Failure(
                    "already_issued",
                    "Lớp đã cấp giấy chứng nhận cho mọi học viên đủ điều kiện.",
                    "The class has issued a certificate to every candidate who finished.",
                )
            )
        day = rules.check_certificate_date(
            parse_date("certificate_date", raw.get("certificate_date")), view.facts, clock.today
        )
        issuer = view.centre
    outcomes = []
    for row in view.roster:
        if row.outcome == "certified":
            continue
        if not row.completion.finished:
            outcomes.append(
                Outcome(row.case_id, row.name, row.cell, "not_finished", row.completion)
            )
            continue
        outcomes.append(_certify(runtime, actor, cls, row, day, issuer, clock, settings))
    _close(runtime, actor, cls.id, day, outcomes, clock, settings)
    return IssueResult(cls.id, cls.name, day, outcomes)


def _close(
    runtime: Runtime,
    actor: Actor,
    class_id: int,
    day: date,
    outcomes: list[Outcome],
    clock: Clock,
    settings: ClassSettings,
) -> None:
    """Record the refused and the unfinished, close the class, and sum up in one event."""
    with runtime.uow() as uow:
        session = uow.session
        cls = session.scalar(
            select(AwarenessClass).where(AwarenessClass.id == class_id).with_for_update()
        )
        for o in outcomes:
            if o.status == "certified":
                continue
            note = [{"rule": f.rule, "vi": f.vi, "en": f.en} for f in o.reasons]
            session.execute(
                update(Enrolment)
                .where(
                    Enrolment.class_id == class_id,
                    Enrolment.case_id == o.case_id,
                    Enrolment.certificate_number.is_(None),
                )
                .values(
                    outcome=o.status,
                    outcome_note=json.dumps(note, ensure_ascii=False) if note else None,
                )
            )
        if cls.issued_on is None:
            cls.issued_on, cls.issued_by = day, actor.user_id
        data = {
            "class_id": class_id,
            "certificate_date": day,
            "certified": [{"case_id": o.case_id, "number": o.number} for o in outcomes if o.number],
            "refused": [
                {"case_id": o.case_id, "rules": [f.rule for f in o.reasons]}
                for o in outcomes
                if o.status == "refused"
            ],
            "not_finished": [
                {"case_id": o.case_id, "attended": o.completion.attended, "of": o.completion.total}
                for o in outcomes
                if o.status == "not_finished"
            ],
        }
        _append(
            session,
            actor,
            Role.trainer,
            "class_issue_certificates",
            cls.centre_id,
            data,
            clock,
            settings,
        )
        uow.commit()


# --- who waits for a class -----------------------------------------------------------------


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
    cells: list[rules.CellWait]
    #: Absences by reason, then by the kind of class: the plan's difficulty in figures.
    reasons: dict[str, dict[str, int]]


def _local_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(LOCAL_ZONE).date()


def _trainer_cases(actor: Actor) -> ColumnElement[bool]:
    paths = [g.scope_path for g in actor.grants_for(Role.trainer)]
    return or_(*(Organisation.path.startswith(p) for p in paths)) if paths else false()


_MentorPerson = aliased(Person)


def waiting_view(session: Session, actor: Actor, today: date) -> WaitingView:
    """Mentored candidates in no open class since they got their mentor; absences and why."""
    readers = _visible_cases(actor)
    mentored_since = (
        select(Event.case_id, func.max(Event.at).label("at"))
        .where(Event.action == Trigger.assign_mentor)
        .group_by(Event.case_id)
        .subquery()
    )
    missed_classes = (
        select(Enrolment.case_id, func.count().label("n"))
        .where(Enrolment.outcome == "not_finished")
        .group_by(Enrolment.case_id)
        .subquery()
    )
    in_open_class = exists(
        select(Enrolment.id)
        .join(AwarenessClass, AwarenessClass.id == Enrolment.class_id)
        .where(Enrolment.case_id == Case.id, AwarenessClass.issued_on.is_(None))
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
        .where(Case.state == State.mentored, or_(readers, _trainer_cases(actor)), ~in_open_class)
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
