"""The use cases of the biography verification: request, record an answer, conclude.

Each is a case event without a state change, by the grassroots committee of the case (or, where
the cell is a chi bộ cơ sở directly under the deciding body, its secretary:
``workflow.policy.verification_role``). The case row is locked while a step is judged, so that two
conclusions, or an answer racing the conclusion, cannot both pass.
"""

from __future__ import annotations

from typing import Any

from workflow import policy
from workflow.clock import Clock
from workflow.errors import NotAllowed, NotFound
from workflow.events import new_event
from workflow.facts import Actor, CaseFacts
from workflow.fields import parse_fields
from workflow.ports import UnitOfWork
from workflow.verification import (
    ANSWER_FIELDS,
    CONCLUSION_FIELDS,
    REQUEST_FIELDS,
    Conclusion,
    Verification,
    VerificationAction,
    VerificationRequest,
    check_answer,
    check_conclusion,
    check_request,
    open_for_changes,
)


def _case(uow: UnitOfWork, actor: Actor, case_id: int, action: str | None) -> CaseFacts:
    """The case's facts (its row locked when `action` will change the verification)."""
    case = uow.cases.get(case_id, for_update=action is not None)
    if case is None:
        raise NotFound(f"no case {case_id}")
    facts = uow.cases.facts(case, action)
    if not policy.can_see(actor, facts):
        raise NotFound(f"no case {case_id}")
    return facts


def _acting(
    uow: UnitOfWork, actor: Actor, case_id: int, action: VerificationAction
) -> tuple[CaseFacts, str, Verification]:
    """The case, the actor's role in its verification, and the verification, still open."""
    facts = _case(uow, actor, case_id, action)
    role = policy.verification_role(actor, facts)
    if role is None:
        raise NotAllowed(f"{actor.username} does not verify the biography of case {case_id}")
    verification = uow.verifications.of_case(case_id)
    open_for_changes(facts.state, verification)
    return facts, role, verification


def _append(
    uow: UnitOfWork,
    actor: Actor,
    role: str,
    action: VerificationAction,
    case_id: int,
    clock: Clock,
    data: dict[str, Any],
    reason: str | None = None,
) -> None:
    uow.history.append(
        new_event(
            actor,
            role,
            action,
            clock,
            uow.settings.rules.version,
            case_id=case_id,
            reason=reason,
            data={k: v for k, v in data.items() if v is not None},
        )
    )


def view_verification(uow: UnitOfWork, actor: Actor, case_id: int) -> Verification:
    """The case's verification, for whoever may see the case."""
    with uow:
        _case(uow, actor, case_id, None)
        return uow.verifications.of_case(case_id)


def request_verification(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    raw: dict[str, Any],
    *,
    clock: Clock | None = None,
) -> VerificationRequest:
    """Record a request sent to where the candidate or a close relative lives or works."""
    clock = clock or Clock.system()
    with uow:
        _, role, _ = _acting(uow, actor, case_id, VerificationAction.request)
        values = check_request(parse_fields(REQUEST_FIELDS, raw), clock.today)
        request = uow.verifications.add_request(case_id, values, actor, clock.today)
        data = {"request_id": request.id, **values}
        _append(uow, actor, role, VerificationAction.request, case_id, clock, data)
        uow.commit()
        return request


def record_verification_answer(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    request_id: int,
    raw: dict[str, Any],
    *,
    clock: Clock | None = None,
) -> VerificationRequest:
    """Record the answer to a request: when it came and what it found."""
    clock = clock or Clock.system()
    with uow:
        _, role, verification = _acting(uow, actor, case_id, VerificationAction.answer)
        request = verification.request(request_id)
        if request is None:
            raise NotFound(f"no verification request {request_id} on case {case_id}")
        values = check_answer(request, parse_fields(ANSWER_FIELDS, raw), clock.today)
        answered = uow.verifications.record_answer(request, values, actor)
        data = {"request_id": request.id, "addressee": request.addressee, **values}
        _append(uow, actor, role, VerificationAction.answer, case_id, clock, data)
        uow.commit()
        return answered


def conclude_verification(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    raw: dict[str, Any],
    *,
    clock: Clock | None = None,
) -> Conclusion:
    """The committee concludes the verification and certifies the biography (2-KNĐ) that day."""
    clock = clock or Clock.system()
    with uow:
        _, role, verification = _acting(uow, actor, case_id, VerificationAction.conclude)
        values = check_conclusion(
            verification,
            parse_fields(CONCLUSION_FIELDS, raw),
            clock.today,
            uow.settings.rules.verification_conclude_unanswered,
        )
        conclusion = uow.verifications.conclude(case_id, values, actor, clock.today)
        data = {**values, "unanswered": len(verification.unanswered)}
        reason = data.pop("unanswered_reason")
        _append(uow, actor, role, VerificationAction.conclude, case_id, clock, data, reason)
        uow.commit()
        return conclusion
