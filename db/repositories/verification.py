"""The verification repository: a case's requests, their answers and the committee's conclusion.

``load_verification`` is shared with the read side (``db.read.verification``);
``verification_facts`` is what the case repository loads for the rule on ``submit_dossier``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import User
from db.models.verification import VerificationConclusion, VerificationRequest
from workflow.errors import Conflict
from workflow.facts import Actor, VerificationFacts
from workflow.verification import Conclusion, Verification
from workflow.verification import VerificationRequest as RequestFacts

_REQUESTS = VerificationRequest.__table__
_CONCLUSIONS = VerificationConclusion.__table__
_COUNTS = select(
    func.count(),
    func.coalesce(func.sum(case((_REQUESTS.c.answered_on.is_(None), 1), else_=0)), 0),
).where(_REQUESTS.c.case_id == bindparam("case_id"))
_CONCLUDED = select(_CONCLUSIONS.c.concluded_on, _CONCLUSIONS.c.favourable).where(
    _CONCLUSIONS.c.case_id == bindparam("case_id")
)


def verification_facts(connection: Connection, case_id: int) -> VerificationFacts:
    """Where the case's verification stands, in two small queries (the rule reads it)."""
    params = {"case_id": case_id}
    requests, unanswered = connection.execute(_COUNTS, params).one()
    concluded = connection.execute(_CONCLUDED, params).first()
    return VerificationFacts(
        requests=requests,
        unanswered=unanswered,
        concluded_on=concluded[0] if concluded else None,
        favourable=concluded[1] if concluded else None,
    )


def request_facts(row: VerificationRequest) -> RequestFacts:
    """A stored request as the domain's plain value."""
    return RequestFacts(
        id=row.id,
        case_id=row.case_id,
        addressee=row.addressee,
        subject=row.subject,
        sent_on=row.sent_on,
        subject_name=row.subject_name,
        answered_on=row.answered_on,
        finding=row.finding,
        favourable=row.favourable,
    )


def load_verification(session: Session, case_id: int) -> Verification:
    """The case's requests (in the order sent) and its conclusion with who concluded."""
    requests = session.scalars(
        select(VerificationRequest)
        .where(VerificationRequest.case_id == case_id)
        .order_by(VerificationRequest.sent_on, VerificationRequest.id)
    )
    found = session.execute(
        select(VerificationConclusion, User.full_name, User.username)
        .join(User, User.id == VerificationConclusion.concluded_by_id)
        .where(VerificationConclusion.case_id == case_id)
    ).first()
    conclusion = None
    if found is not None:
        row, full_name, username = found
        conclusion = Conclusion(
            case_id=case_id,
            concluded_on=row.concluded_on,
            favourable=row.favourable,
            text=row.conclusion,
            unanswered_reason=row.unanswered_reason,
            concluded_by=full_name or username,
        )
    return Verification(case_id, tuple(request_facts(r) for r in requests), conclusion)


class SqlVerifications:
    """Verifications in one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def of_case(self, case_id: int) -> Verification:
        """The case's requests and conclusion."""
        return load_verification(self.session, case_id)

    def add_request(
        self, case_id: int, values: dict[str, Any], actor: Actor, today: date
    ) -> RequestFacts:
        """Store a request sent."""
        row = VerificationRequest(case_id=case_id, requested_by_id=actor.user_id, **values)
        self.session.add(row)
        self.session.flush()
        return request_facts(row)

    def record_answer(
        self, request: RequestFacts, values: dict[str, Any], actor: Actor
    ) -> RequestFacts:
        """Store the answer to a request."""
        row = self.session.get(VerificationRequest, request.id)
        if row is None or row.answered_on is not None:
            raise Conflict(f"verification request {request.id} changed meanwhile; reload")
        for name, value in values.items():
            setattr(row, name, value)
        row.answered_by_id = actor.user_id
        self.session.flush()
        return request_facts(row)

    def conclude(
        self, case_id: int, values: dict[str, Any], actor: Actor, today: date
    ) -> Conclusion:
        """Store the conclusion; a second one for the case is a lost race (Conflict)."""
        row = VerificationConclusion(
            case_id=case_id,
            concluded_on=values["concluded_on"],
            favourable=values["favourable"],
            conclusion=values["conclusion"],
            unanswered_reason=values.get("unanswered_reason"),
            concluded_by_id=actor.user_id,
        )
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError as err:
            raise Conflict(f"case {case_id} has been concluded meanwhile; reload") from err
        return Conclusion(
            case_id,
            row.concluded_on,
            row.favourable,
            row.conclusion,
            row.unanswered_reason,
            actor.username,
        )
