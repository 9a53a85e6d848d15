"""The worklist's rows: the cases each role's list reads, one query per list.

Every list is one query returning plain rows with the dates its deadlines count from; the step and
the deadlines are computed in Python (``workflow.worklist``), never with a query per row. Scopes
come from ``workflow.worklist.role_scope`` (the one rule, ``workflow.policy.scope``) and become SQL
through ``db.read.scope.scope_clause``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Case, Event, Member, Organisation, Person, User, Vote
from db.read.scope import deciding_clause, scope_clause
from db.read.verification import PENDING, WAITING_SINCE
from workflow.dates import add_months
from workflow.facts import Actor
from workflow.policy import Purpose, Scope, scope
from workflow.settings import RuleSettings
from workflow.states import OrgType, Role, State, VoteBody
from workflow.verification import VERIFICATION_STATES
from workflow.worklist import ROLE_STATES, ceremony_cutoff, role_scope

_MentorPerson = aliased(Person)
#: A verification under way in a state before the cell's vote (``db.read.verification``).
VERIFYING = and_(Case.state.in_(sorted(VERIFICATION_STATES)), PENDING)
_Submitter = aliased(User)
#: Slack for the month arithmetic of the pre-filters (the exact test runs in Python).
_SLACK = timedelta(days=3)


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
    #: A biography verification under way, and its oldest unanswered request's sending.
    verification_pending: bool = False
    verification_sent_on: date | None = None
    #: Three recognition votes failed: the higher committee decides (``workflow.worklist``).
    recognition_referred_on: date | None = None


_FIELDS = tuple(field.name for field in fields(CaseRow))


def case_rows(session: Session, where: ColumnElement[bool]) -> list[CaseRow]:
    """The cases matching `where`, in one query (a grouped subquery for the recognition vote).

    The query joins ``Organisation`` as the case's cell: `where` may test its path.
    """
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
            VERIFYING.label("verification_pending"),
            WAITING_SINCE.label("verification_sent_on"),
            Case.recognition_referred_on,
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
    # Core, and rows unpacked by position: the ORM's result and a dict per row were half of the
    # time of a committee's list of 10,000 rows. The columns are CaseRow's fields, in order.
    result = session.connection().execute(query)
    if tuple(result.keys()) != _FIELDS:
        raise AssertionError(f"case_rows' columns are not CaseRow's: {tuple(result.keys())}")
    return [CaseRow(*row) for row in result.all()]


# --- scopes -------------------------------------------------------------------------------------


def role_clause(role: str, where: Scope) -> ColumnElement[bool]:
    """The cases on which the scope `where` (``workflow.worklist.role_scope``) acts in `role`."""
    if role == Role.committee:
        # The dossiers its deciding bodies decide, and the verifications it runs in its cells.
        verifying = and_(VERIFYING, scope_clause(where, Organisation.path))
        return or_(deciding_clause(where, Organisation.path), verifying)
    if role == Role.mentor:
        return scope_clause(where, Organisation.path, Case.mentor_id)
    return scope_clause(where, Organisation.path)


def readable(actor: Actor) -> ColumnElement[bool]:
    """The cases the actor reads as secretary, committee or auditor (mentors' own aside)."""
    return scope_clause(scope(actor, Purpose.cases), Organisation.path)


# --- the lists ----------------------------------------------------------------------------------


def _recognition_voted(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Vote.case_id == Case.id, Vote.body == VoteBody.recognition, *conditions)


def work_rows(
    session: Session, actor: Actor, role: str, on: date, settings: RuleSettings
) -> list[CaseRow]:
    """The cases of `role`'s work list on `on`, in one query.

    The states the role's list reads; of the probationary members, only those whose ceremony is
    not recorded, whose recognition vote is, or whose probation ends soon enough to matter
    (``workflow.worklist.next_step`` then keeps those that wait on the role).
    """
    states = ROLE_STATES[Role(role)]
    where = Case.state.in_(sorted(states))
    if role == Role.committee:
        where = or_(where, VERIFYING)  # the committee waits on the answers of its verifications
    cutoff = ceremony_cutoff(role, on, settings)
    if cutoff is not None and State.admitted in states:
        probation_matters = or_(Case.ceremony_on <= cutoff, _recognition_voted())
        if role != Role.committee:
            # The cell holds the ceremony; the committee waits for none (``_committee_step``
            # needs a ceremony or a recognition vote): 10,000 rows fewer on the load's data.
            probation_matters = or_(Case.ceremony_on.is_(None), probation_matters)
        where = and_(where, or_(Case.state != State.admitted, probation_matters))
    return case_rows(session, and_(where, role_clause(role, role_scope(actor, role))))


def dossiers_to_decide(session: Session, actor: Actor) -> list[CaseRow]:
    """Submitted dossiers whose deciding body the actor's committee grants cover."""
    where = role_clause(Role.committee, role_scope(actor, Role.committee))
    return case_rows(session, and_(Case.state == State.dossier_submitted, where))


# --- deadlines ----------------------------------------------------------------------------------


def may_fall_due(by: date, settings: RuleSettings) -> ColumnElement[bool]:
    """Cases with a pending deadline that may be due on or before `by`.

    Never too narrow: n working days after a day end at least n calendar days after it, and a
    probation ends `probation_months` after the ceremony (the recognition vote later still).
    """
    limits = settings.deadlines
    ceremony_before = add_months(by, -settings.probation_months) + _SLACK
    return or_(
        and_(VERIFYING, by - timedelta(days=limits["verification_answer"]) >= WAITING_SINCE),
        and_(
            Case.state == State.dossier_submitted,
            Case.cell_vote_date <= by - timedelta(days=limits["decision"]),
        ),
        and_(
            Case.state == State.admitted,
            or_(
                and_(
                    Case.ceremony_on.is_(None),
                    Case.decision_date <= by - timedelta(days=limits["ceremony"]),
                ),
                Case.ceremony_on <= ceremony_before,
                _recognition_voted(
                    Vote.held_on <= by - timedelta(days=limits["recognition_decision"])
                ),
            ),
        ),
    )


def deadline_rows(
    session: Session, where: ColumnElement[bool], by: date, settings: RuleSettings
) -> list[CaseRow]:
    """The cases matching `where` that may have a deadline due on or before `by`: one query."""
    return case_rows(session, and_(may_fall_due(by, settings), where))


def readable_deadline_rows(
    session: Session, actor: Actor, by: date, settings: RuleSettings
) -> list[CaseRow]:
    """The cases the actor reads (mentors' own aside) that may have a deadline due by `by`."""
    return deadline_rows(session, readable(actor), by, settings)


def cells_in_scope(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The party cells the actor reads, as ``(id, name)`` by name."""
    query = (
        select(Organisation.id, Organisation.name)
        .where(Organisation.type == OrgType.cell, readable(actor))
        .order_by(Organisation.name, Organisation.id)
    )
    return [(org_id, name) for org_id, name in session.execute(query)]


def organisation_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """The names of the organisations with these ids."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted))
    return {org_id: name for org_id, name in session.execute(query)}
