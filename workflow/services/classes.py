"""The use cases of awareness classes: the centre schedules, records attendance and issues the
certificates; the cells enrol their mentored candidates and take them off a class.

Class-level events (``class_schedule``, ``class_attendance``, ``class_issue_certificates``) have
no case and name the centre as their organisation; an enrolment's events name the candidate's
cell, with the case's id in their data. Issuing fires ``complete_training`` for each candidate who
finished (``workflow.services.cases.fire_in``), as the trainer, each in its own unit of work: the
number claimed in the centre's sequence, the enrolment's certificate, the case's change and its
event commit together or not at all. The rules are ``workflow.classes``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from workflow import classes as rules
from workflow import policy
from workflow.classes import ClassFacts, Completion, IssueResult, Outcome, SequenceTaken
from workflow.clock import Clock
from workflow.errors import Conflict, DomainError, Failure, NotAllowed, NotFound, RuleViolation
from workflow.events import new_event
from workflow.facts import Actor, CaseFacts
from workflow.fields import parse_date
from workflow.ports import CaseRecord, UnitOfWork
from workflow.ports.classes import Enrolled
from workflow.services.cases import fire_in
from workflow.states import Role, Trigger

#: How often a certificate is tried again when another issuing took its number meanwhile.
CLAIM_ATTEMPTS = 5


def _visible_class(uow: UnitOfWork, actor: Actor, class_id: int, lock: bool = False) -> ClassFacts:
    """The class (locked when it will change) if the actor may know of it, else NotFound."""
    cls = uow.classes.get(class_id, for_update=lock)
    if cls is None or not rules.sees_class(actor, cls.centre_id, cls.catchment_path):
        raise NotFound(f"no class {class_id}")
    return cls


def _run_by(actor: Actor, cls: ClassFacts) -> None:
    if not rules.runs_centre(actor, cls.centre_id):
        raise NotAllowed(f"{actor.username} does not run the class {cls.id}")


def _append(
    uow: UnitOfWork,
    actor: Actor,
    role: str,
    action: str,
    clock: Clock,
    organisation_id: int,
    data: dict[str, Any],
    reason: str | None = None,
) -> None:
    """Append a class event (no case: it names an organisation) under the class rules' version."""
    version = uow.settings.classes.version
    event = new_event(
        actor,
        role,
        action,
        clock,
        version,
        organisation_id=organisation_id,
        data=data,
        reason=reason,
    )
    uow.history.append(event)


def _refuse(failure: Failure | None) -> None:
    if failure is not None:
        raise RuleViolation([failure])


def _enrolling(
    uow: UnitOfWork, actor: Actor, case_id: int, missing: str
) -> tuple[CaseRecord, CaseFacts, str]:
    """The case and the role under which the actor enrols it (NotFound, NotAllowed)."""
    case = uow.cases.get(case_id)
    facts = uow.cases.facts(case, "class_enrol") if case is not None else None
    if facts is None or not policy.can_see(actor, facts):
        raise NotFound(missing)
    role = rules.enrolling_role(actor, facts)
    if role is None:
        raise NotAllowed(f"{actor.username} may not enrol or take off case {case_id}")
    return case, facts, role


# --- the centre schedules ------------------------------------------------------------------


def schedule_class(
    uow: UnitOfWork,
    actor: Actor,
    centre_id: int,
    raw: Mapping[str, Any],
    rows: Sequence[tuple[Any, Any, Any]],
    *,
    clock: Clock | None = None,
) -> int:
    """The centre schedules a class and its sessions (``class_schedule``); returns its id."""
    clock = clock or Clock.system()
    with uow:
        settings = uow.settings.classes
        if not rules.runs_centre(actor, centre_id):
            raise NotAllowed(f"{actor.username} does not run centre {centre_id}")
        plan = rules.parse_class(raw, rows, clock.today, settings)
        if uow.classes.centre(centre_id) is None:
            raise NotFound(f"no centre {centre_id}")
        class_id = uow.classes.add(centre_id, plan, actor.user_id)
        data = {
            "class_id": class_id,
            "name": plan.name,
            "place": plan.place,
            "kind": str(plan.kind),
            "capacity": plan.capacity,
            "sessions": [
                [s.held_on, f"{s.starts_at:%H:%M}", f"{s.ends_at:%H:%M}"] for s in plan.sessions
            ],
        }
        _append(uow, actor, Role.trainer, "class_schedule", clock, centre_id, data)
        uow.commit()
        return class_id


# --- the cells enrol -----------------------------------------------------------------------


def enrol_candidate(
    uow: UnitOfWork,
    actor: Actor,
    class_id: int,
    case_id: int,
    raw: Mapping[str, Any] | None = None,
    *,
    clock: Clock | None = None,
) -> None:
    """A secretary (or the candidate's mentor) enrols a mentored candidate (``class_enrol``)."""
    clock = clock or Clock.system()
    raw = raw or {}
    with uow:
        cls = _visible_class(uow, actor, class_id, lock=True)
        case, facts, role = _enrolling(uow, actor, case_id, f"no case {case_id}")
        other = uow.classes.open_class_of(case_id)
        failures = rules.enrolment_failures(
            cls,
            facts,
            clock.today,
            already_enrolled=other is not None and other[0] == cls.id,
            other_open_class=other[1] if other is not None else None,
        )
        if failures:
            raise RuleViolation(failures)
        registered = rules.check_registered_on(
            parse_date("registered_on", raw.get("registered_on")), cls, clock.today
        )
        uow.classes.enrol(
            cls.id,
            case.id,
            registered_on=registered,
            enrolled_by=actor.user_id,
            role=role,
            case_version=case.version,
        )
        data = {
            "class_id": cls.id,
            "class_name": cls.name,
            "case_id": case.id,
            "candidate": facts.person_name,
            "registered_on": registered,
            "case_version": case.version,
        }
        _append(uow, actor, role, "class_enrol", clock, facts.cell_id, data)
        uow.commit()


def cancel_enrolment(
    uow: UnitOfWork,
    actor: Actor,
    class_id: int,
    case_id: int,
    reason: str | None,
    *,
    clock: Clock | None = None,
) -> None:
    """Whoever may enrol the candidate takes them off a class that has not begun."""
    clock = clock or Clock.system()
    with uow:
        cls = _visible_class(uow, actor, class_id, lock=True)
        missing = f"case {case_id} is not enrolled in class {class_id}"
        enrolment_id = uow.classes.enrolment(cls.id, case_id)
        if enrolment_id is None:
            raise NotFound(missing)
        case, facts, role = _enrolling(uow, actor, case_id, missing)
        _refuse(rules.cancellation_failure(cls, clock.today))
        text = rules.clean_text("reason", reason, rules.REASON_MAX)
        uow.classes.unenrol(enrolment_id)
        data = {
            "class_id": cls.id,
            "class_name": cls.name,
            "case_id": case.id,
            "candidate": facts.person_name,
        }
        _append(uow, actor, role, "class_cancel_enrolment", clock, facts.cell_id, data, reason=text)
        uow.commit()


# --- the centre records attendance ---------------------------------------------------------


def record_attendance(
    uow: UnitOfWork,
    actor: Actor,
    class_id: int,
    session_id: int,
    form: Mapping[str, Any],
    *,
    clock: Clock | None = None,
) -> None:
    """The centre marks every enrolled candidate at one session (``class_attendance``).

    The form holds ``mark-<enrolment id>`` (``present`` or a reason) and ``note-<enrolment id>``;
    recording a session again replaces its marks (the history keeps both).
    """
    clock = clock or Clock.system()
    with uow:
        cls = _visible_class(uow, actor, class_id, lock=True)
        _run_by(actor, cls)
        meeting = uow.classes.meeting(session_id)
        if meeting is None or meeting.class_id != cls.id:
            raise NotFound(f"no session {session_id} in class {class_id}")
        _refuse(rules.attendance_failure(cls, meeting.held_on, clock.today))
        enrolled = sorted(uow.classes.enrolled(cls.id), key=lambda e: e.id)
        marks = {
            e.id: rules.parse_mark(
                f"mark-{e.id}", form.get(f"mark-{e.id}"), form.get(f"note-{e.id}")
            )
            for e in enrolled
        }
        uow.classes.record_marks(meeting.id, marks)
        data = {
            "class_id": cls.id,
            "session_id": meeting.id,
            "held_on": meeting.held_on,
            "marks": [
                {"case_id": e.case_id, "mark": marks[e.id].code, "note": marks[e.id].note}
                for e in enrolled
            ],
        }
        _append(uow, actor, Role.trainer, "class_attendance", clock, cls.centre_id, data)
        uow.commit()


# --- the centre issues the certificates ----------------------------------------------------


def issue_certificates(
    uow: UnitOfWork,
    actor: Actor,
    class_id: int,
    raw: Mapping[str, Any] | None = None,
    *,
    clock: Clock | None = None,
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
    with uow:
        settings = uow.settings.classes
        cls = _visible_class(uow, actor, class_id)
        _run_by(actor, cls)
        _refuse(rules.issuing_failure(cls, clock.today))
        sessions = uow.classes.sessions(cls.id)
        roster = [
            (e, rules.completion(sessions, e.marks, settings.attendance_share))
            for e in uow.classes.enrolled(cls.id)
            if e.outcome != rules.CERTIFIED
        ]
        if cls.issued_on is not None and not any(done.finished for _, done in roster):
            _refuse(rules.ALREADY_ISSUED)
        day = rules.check_certificate_date(
            parse_date("certificate_date", raw.get("certificate_date")), cls, clock.today
        )
        centre = uow.classes.centre(cls.centre_id)
        issuer = centre.name if centre is not None else ""
    outcomes = [
        _certify(uow, actor, cls, e, done, day, issuer, clock)
        if done.finished
        else Outcome(e.case_id, e.name, e.cell, rules.NOT_FINISHED, done)
        for e, done in roster
    ]
    enrolments = {e.case_id: e.id for e, _ in roster}
    _close(uow, actor, cls, day, outcomes, enrolments, clock)
    return IssueResult(cls.id, cls.name, day, outcomes)


def _certify(
    uow: UnitOfWork,
    actor: Actor,
    cls: ClassFacts,
    enrolled: Enrolled,
    done: Completion,
    day: date,
    issuer: str,
    clock: Clock,
) -> Outcome:
    """One finished candidate: the next number of the centre, then ``complete_training``."""
    outcome = Outcome(enrolled.case_id, enrolled.name, enrolled.cell, rules.REFUSED, done)
    failure: DomainError = SequenceTaken("busy")
    for _attempt in range(CLAIM_ATTEMPTS):
        try:
            with uow:
                pattern = uow.settings.classes.certificate_pattern
                seq = uow.classes.last_certificate(cls.centre_id, day.year) + 1
                number = rules.certificate_number(pattern, day.year, seq)
                if not uow.classes.claim_certificate(cls.centre_id, day.year, seq):
                    raise SequenceTaken(f"certificate {number} was taken")
                if not uow.classes.certify(enrolled.id, number, day):
                    raise Conflict(f"enrolment {enrolled.id} was certified meanwhile")
                case = fire_in(
                    uow,
                    actor,
                    enrolled.case_id,
                    Trigger.complete_training,
                    {"certificate_number": number, "certificate_date": day, "issuer": issuer},
                    None,
                    clock,
                )
                uow.commit()
        except SequenceTaken as err:
            failure = err
            continue
        except DomainError as err:
            failure = err
            break
        outcome.status, outcome.number, outcome.state = rules.CERTIFIED, number, case.state
        return outcome
    with uow:
        case = uow.cases.get(enrolled.case_id)
        outcome.reasons = rules.refusal_reasons(failure, case.state if case is not None else None)
    return outcome


def _close(
    uow: UnitOfWork,
    actor: Actor,
    cls: ClassFacts,
    day: date,
    outcomes: list[Outcome],
    enrolments: Mapping[int, int],
    clock: Clock,
) -> None:
    """Record the refused and the unfinished, close the class, and sum up in one event.

    `enrolments` gives each outcome's enrolment id by case id.
    """
    with uow:
        uow.classes.get(cls.id, for_update=True)
        for o in outcomes:
            if o.status != rules.CERTIFIED:
                uow.classes.record_outcome(enrolments[o.case_id], o.status, o.reasons)
        uow.classes.close(cls.id, day, actor.user_id)
        data = {
            "class_id": cls.id,
            "certificate_date": day,
            "certified": [{"case_id": o.case_id, "number": o.number} for o in outcomes if o.number],
            "refused": [
                {"case_id": o.case_id, "rules": [f.rule for f in o.reasons]}
                for o in outcomes
                if o.status == rules.REFUSED
            ],
            "not_finished": [
                {"case_id": o.case_id, "attended": o.completion.attended, "of": o.completion.total}
                for o in outcomes
                if o.status == rules.NOT_FINISHED
            ],
        }
        _append(uow, actor, Role.trainer, "class_issue_certificates", clock, cls.centre_id, data)
        uow.commit()
