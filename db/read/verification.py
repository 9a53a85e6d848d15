"""The verification's queries: a case's panel, and the cases waiting on a verification.

``PENDING`` and ``WAITING_SINCE`` are correlated on ``Case``: the worklist's rows carry them (the
committee waits on answers, ``workflow.worklist``), the targets report lists the waiting cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from db.models import Case, Organisation, Person
from db.models.verification import VerificationConclusion, VerificationRequest
from db.read.scope import scope_clause
from db.repositories.verification import load_verification
from workflow.policy import Scope
from workflow.verification import VERIFICATION_STATES, Verification

_CONCLUDED = exists().where(VerificationConclusion.case_id == Case.id)
#: The case has a verification under way: requests sent, no conclusion yet.
PENDING = and_(exists().where(VerificationRequest.case_id == Case.id), ~_CONCLUDED)
#: When the earliest unanswered request of a verification under way was sent (else NULL).
WAITING_SINCE = (
    select(func.min(VerificationRequest.sent_on))
    .where(
        VerificationRequest.case_id == Case.id,
        VerificationRequest.answered_on.is_(None),
        ~_CONCLUDED,
    )
    .correlate(Case)
    .scalar_subquery()
)


def verification_of(session: Session, case_id: int) -> Verification:
    """The case's requests and conclusion (the caller has checked that the case is visible)."""
    return load_verification(session, case_id)


@dataclass(frozen=True)
class WaitingRow:
    """A case whose verification is under way: since when its oldest request waits."""

    case_id: int
    name: str
    cell: str
    state: str
    #: The earliest unanswered request's sending (None: all answered, the conclusion waits).
    waiting_since: date | None
    unanswered: int


def waiting_cases(session: Session, scope: Scope | None) -> list[WaitingRow]:
    """The cases in `scope` whose verification is under way, the longest waiting first."""
    unanswered = (
        select(func.count())
        .where(VerificationRequest.case_id == Case.id, VerificationRequest.answered_on.is_(None))
        .correlate(Case)
        .scalar_subquery()
    )
    query = (
        select(
            Case.id,
            Person.full_name,
            Organisation.name,
            Case.state,
            WAITING_SINCE.label("since"),
            unanswered.label("unanswered"),
        )
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(
            Case.state.in_(sorted(VERIFICATION_STATES)),
            PENDING,
            scope_clause(scope, Organisation.path),
        )
    )
    rows = [WaitingRow(*row) for row in session.execute(query)]
    return sorted(rows, key=lambda r: (r.waiting_since or date.max, r.name, r.case_id))


def certification(session: Session, case_id: int) -> dict[str, Any] | None:
    """What 2-KNĐ's certification block prints: the conclusion's date and verdict, if any."""
    row = session.get(VerificationConclusion, case_id)
    if row is None:
        return None
    return {"concluded_on": row.concluded_on.isoformat(), "favourable": row.favourable}
