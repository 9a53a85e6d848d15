"""Read queries of the work lists: what waits on a mentor, on a cell, on the deciding body.

Each list is one query returning plain rows with the dates its deadlines count from; the caller
computes the deadlines in Python (``workflow.deadlines``), never with a query per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Case, Event, Member, Organisation, Person, User, Vote
from workflow.facts import Actor
from workflow.policy import visible_paths
from workflow.states import Role, State, VoteBody

#: The states in which a case still waits on somebody.
OPEN_STATES = (
    State.identified,
    State.mentored,
    State.trained,
    State.dossier_submitted,
    State.returned,
    State.admitted,
)

_MentorPerson = aliased(Person)
_Submitter = aliased(User)
_Deciding = aliased(Organisation)


@dataclass(frozen=True)
class CaseRow:
    """A case as a work list shows it, with the dates its deadlines count from."""

    id: int
    name: str
    state: str
    version: int
    cell: str
    mentor_name: str | None
    opened_on: date
    cell_vote_date: date | None
    decision_date: date | None
    decision_extension_days: int | None
    ceremony_on: date | None
    recognition_vote_date: date | None
    submitted_by_user_id: int | None
    #: Who submitted the dossier: their username, and their full name (else the username).
    submitted_by: str | None
    submitted_by_name: str | None
    #: The UTC stamp of the case's last event: how long it has been waiting.
    last_change: str | None


def _under(paths: Iterable[str]) -> ColumnElement[bool]:
    clauses = [Organisation.path.startswith(path) for path in paths]
    return or_(*clauses) if clauses else false()


def deciding_scope(actor: Actor) -> ColumnElement[bool]:
    """Cases whose deciding body lies within one of the actor's committee grants.

    Mirrors ``workflow.policy.acting_role`` for decision triggers. The deciding body is the cell's
    nearest ancestor (itself included) that decides admissions, else the root of its tree
    (``db.cases.SqlCases._context``). That body lies under a grant's path exactly when some deciding
    ancestor of the cell does (ancestors form one chain), or, with no deciding ancestor at all,
    when the grant is held at the root. The query must join ``Organisation`` as the case's cell.
    """
    clauses = []
    for path in visible_paths(actor, (Role.committee,)):
        deciding_in_scope = exists().where(
            _Deciding.decides_admissions.is_(True),
            _Deciding.path.startswith(path),
            Organisation.path.startswith(_Deciding.path),
        )
        if path.count("/") == 2:  # a root, such as "/1/"
            no_deciding_body = ~exists().where(
                _Deciding.decides_admissions.is_(True),
                Organisation.path.startswith(_Deciding.path),
            )
            deciding_in_scope = or_(deciding_in_scope, no_deciding_body)
        clauses.append(and_(Organisation.path.startswith(path), deciding_in_scope))
    return or_(*clauses) if clauses else false()


def case_rows(session: Session, where: ColumnElement[bool]) -> list[CaseRow]:
    """The cases matching `where`, in one query (a grouped subquery for the recognition vote)."""
    recognition = (
        select(Vote.case_id, func.max(Vote.held_on).label("held_on"))
        .where(Vote.body == VoteBody.recognition)
        .group_by(Vote.case_id)
        .subquery()
    )
    last_change = (
        select(func.max(Event.at)).where(Event.case_id == Case.id).correlate(Case).scalar_subquery()
    )
    query = (
        select(
            Case.id,
            Person.full_name.label("name"),
            Case.state,
            Case.version,
            Organisation.name.label("cell"),
            _MentorPerson.full_name.label("mentor_name"),
            Case.opened_on,
            Case.cell_vote_date,
            Case.decision_date,
            Case.decision_extension_days,
            Case.ceremony_on,
            recognition.c.held_on.label("recognition_vote_date"),
            Case.submitted_by_user_id,
            _Submitter.username.label("submitted_by"),
            func.coalesce(func.nullif(_Submitter.full_name, ""), _Submitter.username).label(
                "submitted_by_name"
            ),
            last_change.label("last_change"),
        )
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .outerjoin(Member, Member.id == Case.mentor_id)
        .outerjoin(_MentorPerson, _MentorPerson.id == Member.person_id)
        .outerjoin(_Submitter, _Submitter.id == Case.submitted_by_user_id)
        .outerjoin(recognition, recognition.c.case_id == Case.id)
        .where(where)
        .order_by(Case.id)
    )
    return [CaseRow(**row._asdict()) for row in session.execute(query)]


def mentee_cases(session: Session, actor: Actor) -> list[CaseRow]:
    """The open cases of the actor's own candidates (mentees), in their mentor grants' scope."""
    paths = [g.scope_path for g in actor.grants_for(Role.mentor)]
    if actor.member_id is None or not paths:
        return []
    where = and_(Case.mentor_id == actor.member_id, _under(paths), Case.state.in_(OPEN_STATES))
    return case_rows(session, where)


def cell_cases(session: Session, actor: Actor, ceremony_before: date) -> list[CaseRow]:
    """The cases in the actor's cells that wait on the cell.

    Identified (to assign a mentor), trained (to submit), returned (to correct), and admitted ones
    whose ceremony is not recorded or whose ceremony was on or before `ceremony_before` (so that
    probation ends soon) without a recognition vote yet.
    """
    admitted = and_(
        Case.state == State.admitted,
        or_(Case.ceremony_on.is_(None), Case.ceremony_on <= ceremony_before),
    )
    where = and_(
        _under(visible_paths(actor, (Role.secretary,))),
        or_(Case.state.in_((State.identified, State.trained, State.returned)), admitted),
    )
    return [
        row
        for row in case_rows(session, where)
        if row.state != State.admitted or row.recognition_vote_date is None
    ]


def dossiers_to_decide(session: Session, actor: Actor) -> list[CaseRow]:
    """Submitted dossiers whose deciding body the actor's committee grants cover."""
    where = and_(Case.state == State.dossier_submitted, deciding_scope(actor))
    return case_rows(session, where)


def decisions_due(session: Session, actor: Actor, ceremony_before: date) -> list[CaseRow]:
    """Dossiers to decide, and admitted members whose recognition is coming due.

    Admitted cases are those with a recognition vote on file, or a ceremony on or before
    `ceremony_before`.
    """
    recognition_due = and_(
        Case.state == State.admitted,
        Case.ceremony_on.is_not(None),
        or_(
            Case.ceremony_on <= ceremony_before,
            exists().where(Vote.case_id == Case.id, Vote.body == VoteBody.recognition),
        ),
    )
    where = and_(or_(Case.state == State.dossier_submitted, recognition_due), deciding_scope(actor))
    return case_rows(session, where)


def organisation_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """The names of the organisations with these ids."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted))
    return {org_id: name for org_id, name in session.execute(query)}
