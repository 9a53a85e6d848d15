"""Storing what an action recorded: its effects as Core statements, then the case in one UPDATE.

The case itself is a ``CaseRow`` (not an ORM object): the effects set its columns in memory and
``CaseWrite`` puts them back with ``UPDATE cases ... WHERE id = :id AND version = :version``,
stepping the version. No row: someone changed the case since it was loaded, a ``Conflict``. The
statements are built once, here, so that SQLAlchemy's compiled cache serves them.

A ``CaseWrite`` is sent on its own (``run``), or, on PostgreSQL, handed to the history to travel
in the event's statement as the CTE ``written`` (``cte``, then ``done`` with the rows it wrote):
one round trip fewer per transition. Either way this module alone decides what the UPDATE sets and
what its outcome means.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import CTE, Connection, bindparam, insert, literal_column, update
from sqlalchemy.orm import Session

from db.models import Certificate, Decision, DocumentRecord, Introduction, MentorAssignment, Vote
from db.models.cases import CaseException
from db.repositories.case_rows import CASES, MEMBERS, WRITTEN, CaseRow, deciding_body_on
from db.repositories.documents import attach_scan
from db.repositories.prepared import Prepared
from workflow.effects import (
    AssignMentor,
    CreateMember,
    EndMembership,
    ExtendDecision,
    FileDocument,
    MakeOfficial,
    MarkSubmitted,
    RecordCeremony,
    RecordCertificate,
    RecordDecision,
    RecordException,
    RecordIntroduction,
    RecordVote,
    ReferToHigherCommittee,
)
from workflow.errors import Conflict
from workflow.facts import Actor, MemberFacts
from workflow.states import MemberStatus

_ASSIGNMENTS = MentorAssignment.__table__

#: The columns an action changed come as parameters named after them: they are added to the SET
#: clause (one compiled form per set of columns).
_WRITE_CASE = Prepared(
    update(CASES)
    .where(CASES.c.id == bindparam("b_id"), CASES.c.version == bindparam("b_version"))
    .values(version=CASES.c.version + literal_column("1"))
)
_END_ASSIGNMENT = Prepared(
    update(_ASSIGNMENTS)
    .where(_ASSIGNMENTS.c.case_id == bindparam("b_case"), _ASSIGNMENTS.c.until.is_(None))
    .values(until=bindparam("b_until"))
)
_ADD_ASSIGNMENT = Prepared(insert(_ASSIGNMENTS))
_ASSIGNMENT_COLUMNS = ("case_id", "member_id", "since")
_ADD_CERTIFICATE = insert(Certificate.__table__)
_ADD_VOTE = insert(Vote.__table__)
_ADD_DECISION = insert(Decision.__table__)
_ADD_INTRODUCTION = insert(Introduction.__table__)
_ADD_MEMBER = insert(MEMBERS).returning(MEMBERS.c.id)
_MAKE_OFFICIAL = (
    update(MEMBERS)
    .where(MEMBERS.c.id == bindparam("b_id"))
    .values(status=MemberStatus.official.value, official_since=bindparam("b_since"))
)
_ADD_EXCEPTION = insert(CaseException.__table__)
_REFER = (
    update(CASES)
    .where(CASES.c.id == bindparam("b_id"))
    .values(recognition_referred_on=bindparam("b_on"))
)
_END_MEMBERSHIP = (
    update(MEMBERS).where(MEMBERS.c.id == bindparam("b_id")).values(left_on=bindparam("b_left"))
)


class CaseWrite:
    """The versioned UPDATE of one case, built from what changed since it was loaded."""

    __slots__ = ("case", "now", "keys", "params")

    def __init__(self, case: CaseRow):
        self.case = case
        self.now = tuple(getattr(case, name) for name in WRITTEN)
        params: dict[str, Any] = {
            name: value
            for name, value, was in zip(WRITTEN, self.now, case.stored, strict=True)
            if value != was
        }
        #: The columns set (besides the version): one compiled form per set.
        self.keys = tuple(params)
        params["b_id"], params["b_version"] = case.id, case.version
        #: The UPDATE's parameters, named after the columns (and ``b_id``, ``b_version``).
        self.params = params

    def run(self, connection: Connection) -> None:
        """Send the UPDATE on its own; ``Conflict`` if the case moved on."""
        self.done(_WRITE_CASE.rowcount(connection, self.params, self.keys))

    def cte(self) -> CTE:
        """The UPDATE as a data-modifying CTE named ``written``: one row (the case's id) if it
        wrote the case, none if the version moved on. Its parameters are ``params``."""
        values = {name: bindparam(name, type_=CASES.c[name].type) for name in self.keys}
        return (
            update(CASES)
            .where(CASES.c.id == bindparam("b_id"), CASES.c.version == bindparam("b_version"))
            .values(version=CASES.c.version + literal_column("1"), **values)
            .returning(CASES.c.id)
            .cte("written")
        )

    def done(self, written: int) -> None:
        """The UPDATE wrote `written` rows: ``Conflict`` if none, else the row is up to date."""
        case = self.case
        if written != 1:
            raise Conflict(
                f"case {case.id} was changed by someone else meanwhile (version {case.version}); "
                "reload and try again"
            )
        case.version += 1
        case.stored = self.now


def write_case(connection: Connection, case: CaseRow) -> None:
    """Put the case's changed columns back and step its version; ``Conflict`` if it moved on."""
    CaseWrite(case).run(connection)


class EffectStore:
    """Stores one action's effects for a case, on the unit of work's connection."""

    def __init__(
        self,
        session: Session,
        connection: Connection,
        actor: Actor,
        member: Callable[[int], MemberFacts | None],
    ):
        self.session = session
        self.connection = connection
        self.actor = actor
        self.member = member

    def store(self, case: CaseRow, effect: Any) -> None:
        """Store `effect` (an effect of ``workflow.effects`` without a store is ignored)."""
        handler = _HANDLERS.get(type(effect))
        if handler is not None:
            handler(self, case, effect)

    def _assign_mentor(self, case: CaseRow, e: AssignMentor) -> None:
        _END_ASSIGNMENT.rowcount(self.connection, {"b_case": case.id, "b_until": e.since})
        _ADD_ASSIGNMENT.rowcount(
            self.connection,
            {"case_id": case.id, "member_id": e.member_id, "since": e.since},
            _ASSIGNMENT_COLUMNS,
        )
        case.mentor_id = e.member_id
        case.mentor = self.member(e.member_id)

    def _certificate(self, case: CaseRow, e: RecordCertificate) -> None:
        self.connection.execute(
            _ADD_CERTIFICATE,
            {"case_id": case.id, "number": e.number, "issued_on": e.issued_on, "issuer": e.issuer},
        )
        case.certificate_number = e.number
        case.certificate_date = e.issued_on

    def _vote(self, case: CaseRow, e: RecordVote) -> None:
        self.connection.execute(
            _ADD_VOTE,
            {
                "case_id": case.id,
                "body": e.body,
                "held_on": e.held_on,
                "votes_for": e.votes_for,
                "votes_against": e.votes_against,
                "eligible": e.eligible,
                "resolution_number": e.resolution_number,
                "official_members": e.official_members,
                "excused_absent": e.excused_absent,
                "present": e.present,
            },
        )

    def _submitted(self, case: CaseRow, e: MarkSubmitted) -> None:
        case.submitted_by_user_id = e.user_id
        case.cell_vote_date = e.vote_date

    def _decision(self, case: CaseRow, e: RecordDecision) -> None:
        self.connection.execute(
            _ADD_DECISION,
            {
                "case_id": case.id,
                "kind": e.kind,
                "number": e.number,
                "signed_on": e.signed_on,
                # The body of the decision's date (the tree may have changed since).
                "body_id": deciding_body_on(self.connection, case.cell_id, e.signed_on)
                or case.deciding_body_id,
                "cell_id": case.cell_id,  # where the targets count it (a member may move later)
            },
        )
        case.decision_number = e.number
        if e.kind == "admission":
            case.decision_date = e.signed_on
        else:
            case.recognized_on = e.signed_on

    def _create_member(self, case: CaseRow, e: CreateMember) -> None:
        case.member_id = self.connection.scalar(
            _ADD_MEMBER,
            {
                "person_id": case.person_id,
                "cell_id": case.cell_id,
                "status": MemberStatus.probationary.value,
                "admitted_on": e.admitted_on,
            },
        )

    def _make_official(self, case: CaseRow, e: MakeOfficial) -> None:
        if case.member_id is not None:
            self.connection.execute(
                _MAKE_OFFICIAL, {"b_id": case.member_id, "b_since": e.official_since}
            )

    def _end_membership(self, case: CaseRow, e: EndMembership) -> None:
        if case.member_id is not None:
            self.connection.execute(_END_MEMBERSHIP, {"b_id": case.member_id, "b_left": e.left_on})

    def _introduction(self, case: CaseRow, e: RecordIntroduction) -> None:
        self.connection.execute(
            _ADD_INTRODUCTION,
            {
                "case_id": case.id,
                "kind": e.kind,
                "member_id": e.member_id,
                "name": e.name,
                "known_since": e.known_since,
                "dated": e.dated,
                "replacement": e.replacement,
                "replacement_reason": e.replacement_reason,
            },
        )

    def _document(self, case: CaseRow, e: FileDocument) -> None:
        # Through the ORM: the scan's rows hang off the record (rare, and never the case's row).
        record = DocumentRecord(case_id=case.id, code=e.code, dated=e.dated, number=e.number)
        self.session.add(record)
        if e.scan is not None:
            attach_scan(self.session, record, e.scan, self.actor)
        self.session.flush()

    def _ceremony(self, case: CaseRow, e: RecordCeremony) -> None:
        case.ceremony_on = e.held_on

    def _extension(self, case: CaseRow, e: ExtendDecision) -> None:
        case.decision_extension_days = e.days

    def _exception(self, case: CaseRow, e: RecordException) -> None:
        self.connection.execute(
            _ADD_EXCEPTION,
            {
                "case_id": case.id,
                "kind": e.kind,
                "dated": e.dated,
                "number": e.number,
                "issued_by": e.issued_by,
                "area": e.area,
                "reason": e.reason,
            },
        )

    def _refer(self, case: CaseRow, e: ReferToHigherCommittee) -> None:
        # Its own statement: the column is read by the rules and the worklist, not the write path.
        self.connection.execute(_REFER, {"b_id": case.id, "b_on": e.on})


_HANDLERS: dict[type, Callable[[EffectStore, CaseRow, Any], None]] = {
    AssignMentor: EffectStore._assign_mentor,
    RecordCertificate: EffectStore._certificate,
    RecordVote: EffectStore._vote,
    MarkSubmitted: EffectStore._submitted,
    RecordDecision: EffectStore._decision,
    CreateMember: EffectStore._create_member,
    MakeOfficial: EffectStore._make_official,
    EndMembership: EffectStore._end_membership,
    RecordIntroduction: EffectStore._introduction,
    FileDocument: EffectStore._document,
    RecordCeremony: EffectStore._ceremony,
    ExtendDecision: EffectStore._extension,
    RecordException: EffectStore._exception,
    ReferToHigherCommittee: EffectStore._refer,
}


_STATE = WRITTEN.index("state")


def entered_state(case: CaseRow, today: date) -> None:
    """Date the state the case has just entered (``cases.state_since``, read by the targets
    report); a transition that keeps the state keeps the day, as the replay does."""
    if case.state != case.stored[_STATE]:
        case.state_since = today


def closed_on(case: CaseRow, closed_states: frozenset[str] | set[str], today: date) -> None:
    """Date a case that has just closed; clear the date of one reopened."""
    if case.state in closed_states:
        if case.closed_on is None:
            case.closed_on = today
    else:
        case.closed_on = None
